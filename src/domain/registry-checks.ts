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
  // 鹤政办〔2019〕20号第十二条：严禁以个人名义开设政务新媒体.
  "personal_owner",
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
  org: { name: string; kind: OrgKind; level: OrgLevel; aliases?: readonly string[] | null };
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

/**
 * Words a unit adds to its name on a platform ("大洼发布", "大洼头条", "大洼在线", "大洼政务微博"):
 * stripped repeatedly from the end, then a "人民政府"/"政府"/"区"/"县"/"市" ending is reduced, so the
 * stem of each account name can be compared. Only for the inconsistent_name comparison.
 */
const NAME_SUFFIX =
  /(官方|政务|发布|头条号|头条|客户端|微信公众号|公众号|微信|微博|抖音号|抖音|快手号|快手|视频号|号|在线|之声|app|新闻|资讯|服务)$/u;

function nameStem(name: string): string {
  let s = normaliseAccountName(name);
  for (let i = 0; i < 6; i++) {
    const next = s.replace(NAME_SUFFIX, "");
    if (next === s || next.length === 0) break;
    s = next;
  }
  return s.replace(/(人民政府|政府)$/u, "").replace(/(?<=.{2})(区|县|市|镇|乡|街道)$/u, "");
}

/** Two account names of one unit name the same thing: equal after the platform words are set aside. */
export function sameAccountName(a: string, b: string): boolean {
  const na = normaliseAccountName(a);
  const nb = normaliseAccountName(b);
  if (na === nb) return true;
  const sa = nameStem(a);
  const sb = nameStem(b);
  return sa.length > 0 && sa === sb;
}

/**
 * The owner is the unit itself under its name or one of its configured aliases (orgs.aliases), or —
 * for a government or zone — its own office (办公室/办公厅):
 * 某市人民政府 ≈ 某市人民政府办公室 ≈ 某市政府办公室 ≈ 某市人民政府办公厅.
 */
export function sameOwner(owner: string, unitName: string, unitKind: OrgKind, aliases?: readonly string[] | null): boolean {
  const o = normaliseUnitName(owner);
  const u = normaliseUnitName(unitName);
  if (o === u) return true;
  if (aliases?.some((a) => normaliseUnitName(a) === o)) return true;
  // A zone's 管委会 has its own office too: 某高新区管委会 ≈ 某高新区管委会办公室.
  if (unitKind === "zone") return [u, ...(aliases ?? []).map(normaliseUnitName)].some((n) => o === `${n}办公室`);
  if (unitKind !== "government") return false;
  const stem = (s: string) => s.replace(/(人民政府|政府)$/u, "");
  const m = /^(.+?)(人民政府|政府)(办公室|办公厅)$/u.exec(o);
  if (!m) return false;
  return /(人民政府|政府)$/u.test(u) && m[1] === stem(u);
}

/** Words an organisation's name has and a person's name does not. */
const ORG_WORD =
  /(局|委|办|院|中心|政府|公司|协会|队|所|站|馆|社|部|厅|处|科|会|台|校|学|室|团|组|府|署|司|庭|园|场|厂|行|店|镇|乡|街|村|区|县|市|省|州|盟|旗|媒|网|报|刊|集团|联|党|军|警|法|检|医)/u;

/** 认证主体 that looks like a person: 2–4 Chinese characters and no organisational word, or "个人". */
export function looksPersonal(owner: string): boolean {
  const o = normaliseUnitName(owner).replace(/[·•．.]/g, "");
  if (/^个人|（个人）|\(个人\)|个人认证$/u.test(normaliseUnitName(owner))) return true;
  return /^[\u4e00-\u9fff]{2,4}$/u.test(o) && !ORG_WORD.test(o);
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
    // An app has its own brand (e.g. “爱山东”): neither flagged itself nor counted against others.
    const differing =
      account.platform === "app"
        ? []
        : liveSiblings.filter(
            (a) => a.platform !== account.platform && a.platform !== "app" && !sameAccountName(a.name, account.name),
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

  if (account.verifiedOwner && looksPersonal(account.verifiedOwner)) {
    flags.push({
      code: "personal_owner",
      message: `认证主体“${account.verifiedOwner}”疑似个人，政务新媒体严禁以个人名义开设（鹤政办〔2019〕20号第十二条）`,
    });
  } else if (account.verifiedOwner && !sameOwner(account.verifiedOwner, ctx.org.name, ctx.org.kind, ctx.org.aliases)) {
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
