// Account lifecycle and filings (docs/规则依据.md#备案类型与账号状态). Pure: decides, never stores.
import type { AccountType, Platform } from "./platforms";

export const ACCOUNT_STATUSES = [
  "pending", // 待备案: open filing submitted
  "active", // 正常运营
  "suspended", // 停更（已发停更公告）
  "closing", // 关停中: approved for closure, the platform has not finished (大洼区2021年度政府信息公开工作报告：正在积极与第三方平台协调)
  "closed", // 已关停/注销
  "merged", // 已整合 into another account
  "rejected", // 开设未获批准: a rejected open filing leaves no active account
  // 已作废: registered in error and voided soon after (VOID_WINDOW_DAYS). It never existed as far as the
  // statistics, monitoring and sampling go; the row stays for the audit trail.
  "voided",
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const ACCOUNT_STATUS_LABELS: Record<AccountStatus, string> = {
  pending: "待审核",
  active: "正常",
  suspended: "停更",
  closing: "关停中",
  closed: "已关停",
  merged: "已整合",
  rejected: "未获批准",
  voided: "已作废",
};

/** Live accounts occupy their platform id and count as the unit's presence on a platform. */
export const LIVE_STATUSES: readonly AccountStatus[] = ["pending", "active", "suspended", "closing"];
/**
 * In use: opened and not ended (正常、停更、关停中). These are monitored, counted and sampled;
 * `pending` has not opened yet.
 */
export const IN_USE_STATUSES = ["active", "suspended", "closing"] as const satisfies readonly AccountStatus[];

export function isInUse(status: AccountStatus): boolean {
  return (IN_USE_STATUSES as readonly AccountStatus[]).includes(status);
}

export function isLive(status: AccountStatus): boolean {
  return LIVE_STATUSES.includes(status);
}

/**
 * A registration made in error (wrong unit, a duplicate, a test entry) may be voided (作废) within this
 * many days of being registered. Later, the account has had a public life (monitoring weeks, maybe a
 * spot check) and must leave through a 关停注销 filing so the record shows it. Thirty days covers a
 * month's review cycle of the filing authority.
 */
export const VOID_WINDOW_DAYS = 30;

/**
 * Why the account cannot be voided, or undefined when it can: only a pending or active account, within
 * VOID_WINDOW_DAYS of its registration (createdAt), with no decided filing other than its opening.
 */
export function voidProblem(
  account: { status: AccountStatus; createdAt: string },
  now: Date,
  decidedFilings: readonly { kind: FilingKind }[],
): string | undefined {
  if (account.status !== "pending" && account.status !== "active") {
    return `账号当前状态为“${ACCOUNT_STATUS_LABELS[account.status]}”，只有待审核或正常的误登记账号可以作废`;
  }
  const days = (now.getTime() - Date.parse(account.createdAt)) / 86_400_000;
  if (days > VOID_WINDOW_DAYS) {
    return `账号登记已超过${VOID_WINDOW_DAYS}天，不能作废；如不再使用，请办理关停注销备案`;
  }
  if (decidedFilings.some((f) => f.kind !== "open")) {
    return "账号已办理过开设以外的备案，不属于误登记，不能作废；如不再使用，请办理关停注销备案";
  }
  return undefined;
}

export const FILING_KINDS = ["open", "change", "suspend", "resume", "close", "merge"] as const;
export type FilingKind = (typeof FILING_KINDS)[number];
export const FILING_KIND_LABELS: Record<FilingKind, string> = {
  open: "开设",
  change: "变更",
  suspend: "停更",
  resume: "恢复更新",
  close: "关停注销",
  merge: "整合",
};

export const FILING_STATUSES = ["submitted", "approved", "rejected"] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

/**
 * What an open filing registers (docs/规则依据.md#开设日期与存量登记): 新开设 a new account, or
 * 存量登记 an account that was already running before it was filed (e.g. a county's 2017 account
 * entering the registry when the city starts supervising it).
 */
export const REGISTRATIONS = ["new", "existing"] as const;
export type Registration = (typeof REGISTRATIONS)[number];
export const REGISTRATION_LABELS: Record<Registration, string> = { new: "新开设", existing: "存量登记" };

/**
 * The registration an open filing records unless the filer says otherwise: 存量登记 when the account's
 * opening date (Shanghai date) is before the day the filing is submitted, else 新开设.
 */
export function defaultRegistration(openedOn: string | null | undefined, submittedOn: string): Registration {
  return openedOn && openedOn < submittedOn ? "existing" : "new";
}

/** Fields a `change` filing may alter. */
export interface AccountChanges {
  name?: string;
  platformId?: string | null;
  url?: string | null;
  feedUrl?: string | null;
  contactPerson?: string | null;
  contactPhone?: string | null;
  verifiedOwner?: string | null;
  orgId?: string;
  /** WeChat only: 订阅号 / 服务号 (checked against the platform when the filing is submitted). */
  accountType?: AccountType | null;
  /** 开设日期 (YYYY-MM-DD). */
  openedOn?: string | null;
  /** 运维方式 (自行运维、委托第三方运维 …). */
  operationMode?: string | null;
  /** 运维单位. */
  operator?: string | null;
}

/** The changeable fields as the ledger and the filing forms name them. */
export const ACCOUNT_CHANGE_LABELS: Record<keyof AccountChanges, string> = {
  name: "账号名称",
  platformId: "账号ID",
  url: "链接",
  feedUrl: "订阅地址",
  contactPerson: "运维人员",
  contactPhone: "联系电话",
  verifiedOwner: "认证主体",
  orgId: "主办单位",
  accountType: "账号类型",
  openedOn: "开设日期",
  operationMode: "运维方式",
  operator: "运维单位",
};

export interface LifecycleAccount {
  id: string;
  platform: Platform;
  status: AccountStatus;
}

export interface FilingRequest {
  kind: FilingKind;
  changes?: AccountChanges | null;
  reason?: string | null;
  /** close: the platform has already deregistered the account, so it goes straight to `closed`. */
  completed?: boolean | null;
  target?: LifecycleAccount | null;
}

export class TransitionError extends Error {}

const ALLOWED: Record<FilingKind, readonly AccountStatus[]> = {
  // On an active account: a retroactive filing (补充备案) for one that entered from an old ledger.
  open: ["pending", "rejected", "active"],
  change: ["active", "suspended", "closing"],
  suspend: ["active"],
  resume: ["suspended"],
  close: ["active", "suspended", "closing"],
  merge: ["active", "suspended", "closing"],
};

/**
 * The filings an account in this status can take, in FILING_KINDS order (the same table checkFiling
 * uses; the API still decides). 补充开设备案 only for a rejected opening or an active account that came
 * from an old ledger.
 */
export function filingKindsFor(status: AccountStatus, origin: string): FilingKind[] {
  return FILING_KINDS.filter((k) => (k === "open" ? status === "rejected" || (status === "active" && origin === "import") : ALLOWED[k].includes(status)));
}

/** Throws a TransitionError with a clerk-readable reason if the filing cannot apply to the account. */
export function checkFiling(account: LifecycleAccount, req: FilingRequest): void {
  const label = FILING_KIND_LABELS[req.kind];
  if (!ALLOWED[req.kind].includes(account.status)) {
    throw new TransitionError(
      `账号当前状态为“${ACCOUNT_STATUS_LABELS[account.status]}”，不能办理${label}备案`,
    );
  }
  switch (req.kind) {
    case "change":
      if (!req.changes || Object.keys(req.changes).length === 0) {
        throw new TransitionError("变更备案须填写至少一项变更内容（changes）");
      }
      return;
    case "close":
      if (!req.reason?.trim()) throw new TransitionError("关停注销备案须填写原因（reason）");
      if (account.status === "closing" && !req.completed) {
        throw new TransitionError("账号已在关停中；平台注销完成后请以 completed=true 提交关停备案");
      }
      return;
    case "merge": {
      const t = req.target;
      if (!t) throw new TransitionError("整合备案须指定目标账号（targetAccountId）");
      if (t.id === account.id) throw new TransitionError("不能将账号整合到其自身");
      if (t.status !== "active" && t.status !== "suspended") {
        throw new TransitionError(
          `目标账号状态为“${ACCOUNT_STATUS_LABELS[t.status]}”，只能整合到正常或停更的账号`,
        );
      }
      if (t.platform !== account.platform) throw new TransitionError("只能整合到同一平台的账号");
      return;
    }
    default:
      return;
  }
}

/** The account's new status once the filing is approved (or rejected). */
export function statusAfterDecision(
  account: LifecycleAccount,
  req: FilingRequest,
  approve: boolean,
): AccountStatus {
  // A rejected opening leaves no active account; a rejected retroactive filing leaves the account
  // as it is (closing it is a filing of its own).
  if (!approve) return req.kind === "open" && account.status !== "active" ? "rejected" : account.status;
  switch (req.kind) {
    case "open":
      return "active";
    case "change":
      return account.status;
    case "suspend":
      return "suspended";
    case "resume":
      return "active";
    case "close":
      return req.completed ? "closed" : "closing";
    case "merge":
      return "merged";
  }
}
