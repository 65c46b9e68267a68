// Registry checks (docs/规则依据.md#台账风险提示), computed on demand and shown on each account as `flags`.
// 鹤政办〔2019〕20号第十二条：同一单位在不同平台上的名称原则上应保持一致; 县级政府部门及乡镇街道原则上不单独开设，
// 确因工作需要的可按程序向主管单位报备后开设. 一个单位原则上在同一平台只开设一个账号.
import { isLive, type AccountStatus } from "./lifecycle";
import type { OrgKind, OrgLevel } from "./orgs";
import type { Platform } from "./platforms";

export const FLAG_CODES = [
  "duplicate_platform",
  "inconsistent_name",
  "reopened_after_close",
  "owner_mismatch",
  "unapproved_opening",
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface Flag {
  code: FlagCode;
  message: string;
}

export interface CheckedAccount {
  id: string;
  orgId: string;
  platform: Platform;
  name: string;
  platformId: string | null;
  status: AccountStatus;
  verifiedOwner: string | null;
}

export interface RegistryContext {
  org: { name: string; kind: OrgKind; level: OrgLevel };
  /** Every account of the same owning org, including this one. */
  unitAccounts: readonly CheckedAccount[];
  /** Closed or merged accounts elsewhere with the same platform and platform id. */
  closedSamePlatformId: readonly CheckedAccount[];
  /** Whether an approved `open` filing is on record for this account. */
  hasApprovedOpen: boolean;
}

/** Names differ only by spacing, brackets or a platform word: "大洼发布" ≈ "大洼发布 (微博)". */
export function normaliseAccountName(name: string): string {
  return name
    .normalize("NFKC")
    .replace(/[\s\u3000]+/g, "")
    .replace(/[（(【[].*?[)）】\]]/g, "")
    .replace(/(官方)?(微信公众号|公众号|微博|抖音号|抖音|头条号|快手号|视频号|客户端|APP|App|app)$/u, "")
    .toLowerCase();
}

function normaliseUnitName(name: string): string {
  return name.normalize("NFKC").replace(/[\s\u3000]+/g, "");
}

export function registryFlags(account: CheckedAccount, ctx: RegistryContext): Flag[] {
  const flags: Flag[] = [];
  const live = isLive(account.status);
  const liveSiblings = ctx.unitAccounts.filter((a) => a.id !== account.id && isLive(a.status));

  if (live && liveSiblings.some((a) => a.platform === account.platform)) {
    flags.push({ code: "duplicate_platform", message: "同一单位在同一平台有两个及以上在用账号" });
  }

  if (live) {
    const mine = normaliseAccountName(account.name);
    const differing = liveSiblings.filter(
      (a) => a.platform !== account.platform && normaliseAccountName(a.name) !== mine,
    );
    if (differing.length > 0) {
      flags.push({
        code: "inconsistent_name",
        message: `同一单位在不同平台名称不一致（另有：${[...new Set(differing.map((a) => a.name))].join("、")}）`,
      });
    }
  }

  if (account.platformId && ctx.closedSamePlatformId.some((a) => a.id !== account.id)) {
    flags.push({ code: "reopened_after_close", message: "该平台账号ID曾注销或整合，现再次备案（注销后重开）" });
  }

  if (account.verifiedOwner && normaliseUnitName(account.verifiedOwner) !== normaliseUnitName(ctx.org.name)) {
    flags.push({
      code: "owner_mismatch",
      message: `认证主体“${account.verifiedOwner}”与主办单位“${ctx.org.name}”不一致`,
    });
  }

  const restricted =
    ctx.org.level === "township" || (ctx.org.level === "county" && ctx.org.kind === "department");
  if (live && restricted && !ctx.hasApprovedOpen) {
    flags.push({
      code: "unapproved_opening",
      message: "县级政府部门或乡镇（街道）账号没有经批准的开设备案",
    });
  }
  return flags;
}
