// Inspection results of the quarterly spot-check (docs/规则依据.md#检查问题类型). Pure.
// 国办秘函〔2019〕19号 检查指标: 单项否决 items (2周无更新, 安全/泄密, 互动回应) → 不合格; which codes
// are 单项否决 is policy (vetoProblems, src/domain/policy.ts).

export const PROBLEM_CATEGORIES = [
  "stale_2w",
  "long_dormant",
  "typos",
  "interaction_broken",
  "bad_links",
  "owner_mismatch",
  "unverified_or_renamed",
  "duplicate",
  "reopened",
  "other",
  // Appended, never reordered: policy_overrides stores vetoProblems as a bitmask over these indexes.
  "serious_error",
  "secret_leak",
  "illegal_content",
  "overdue_unrectified",
] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

export const PROBLEM_LABELS: Record<ProblemCategory, string> = {
  stale_2w: "更新不及时（超过2周）",
  long_dormant: "长期未更新",
  typos: "错别字/错敏词",
  interaction_broken: "未提供有效互动功能",
  bad_links: "链接错误",
  owner_mismatch: "认证主体与主办单位不一致",
  unverified_or_renamed: "未认证或随意改名",
  duplicate: "重复开设",
  reopened: "注销后重开",
  other: "其他",
  serious_error: "严重表述错误",
  secret_leak: "泄露国家秘密",
  illegal_content: "发布或链接反动、暴力、色情等违法内容",
  overdue_unrectified: "逾期未整改",
};

// Short forms clerks write in the spreadsheet.
const ALIASES: Record<string, ProblemCategory> = {
  更新不及时: "stale_2w",
  "更新不及时>2周": "stale_2w",
  "更新不及时（>2周）": "stale_2w",
  两周未更新: "stale_2w",
  错别字: "typos",
  错敏词: "typos",
  互动不可用: "interaction_broken",
  互动功能不可用: "interaction_broken",
  无互动功能: "interaction_broken",
  互动功能无效: "interaction_broken",
  无有效互动功能: "interaction_broken",
  表述错误: "serious_error",
  严重错误: "serious_error",
  严重表述错误: "serious_error",
  泄密: "secret_leak",
  涉密: "secret_leak",
  泄露秘密: "secret_leak",
  违法内容: "illegal_content",
  反动暴力色情: "illegal_content",
  "反动、暴力、色情": "illegal_content",
  链接违法内容: "illegal_content",
  逾期未整改: "overdue_unrectified",
  逾期未改: "overdue_unrectified",
  链接错误: "bad_links",
  主体不一致: "owner_mismatch",
  认证主体不一致: "owner_mismatch",
  未认证: "unverified_or_renamed",
  随意改名: "unverified_or_renamed",
  僵尸账号: "long_dormant",
};

const LOOKUP = new Map<string, ProblemCategory>([
  ...PROBLEM_CATEGORIES.map((c) => [c, c] as const),
  ...PROBLEM_CATEGORIES.map((c) => [PROBLEM_LABELS[c], c] as const),
  ...Object.entries(ALIASES),
]);

export function parseProblem(text: string): ProblemCategory | undefined {
  return LOOKUP.get(text.trim().normalize("NFKC").replace(/\s+/g, "")) ?? LOOKUP.get(text.trim());
}

const SEPARATORS = /[；;，,、\n]+/;
// Labels and aliases that themselves contain a separator (发布或链接反动、暴力、色情等违法内容), longest first:
// replaced by their code before splitting.
const JOINED = [...LOOKUP.entries()].filter(([k]) => SEPARATORS.test(k)).sort((a, b) => b[0].length - a[0].length);

/** "错别字/错敏词；链接错误" → categories, or the unknown parts. Separators: ；;，,、 and newlines. */
export function parseProblemList(text: string): { categories: ProblemCategory[]; unknown: string[] } {
  let joined = text;
  for (const [words, code] of JOINED) joined = joined.split(words).join(code);
  const parts = joined
    .split(SEPARATORS)
    .map((p) => p.trim())
    .filter(Boolean);
  const categories: ProblemCategory[] = [];
  const unknown: string[] = [];
  for (const p of parts) {
    const c = parseProblem(p);
    if (c) {
      if (!categories.includes(c)) categories.push(c);
    } else unknown.push(p);
  }
  return { categories, unknown };
}

export type InspectionResult = "pass" | "fail";

export function parseResult(text: string): InspectionResult | undefined {
  const t = text.trim();
  if (t === "合格" || t === "pass") return "pass";
  if (t === "不合格" || t === "fail") return "fail";
  return undefined;
}

export const RESULT_LABELS: Record<InspectionResult, string> = { pass: "合格", fail: "不合格" };

export interface InspectionDraft {
  result: InspectionResult;
  problems: readonly ProblemCategory[];
  overrideNote?: string | null;
  deadline?: string | null;
}

/** The problems of a failed inspection that are 单项否决 under the policy in force, in category order. */
export function vetoItems(problems: readonly string[], vetoProblems: readonly ProblemCategory[]): ProblemCategory[] {
  return PROBLEM_CATEGORIES.filter((c) => vetoProblems.includes(c) && problems.includes(c));
}

/**
 * Why the inspection cannot be recorded, or undefined. A failed inspection names its problems; a
 * passed one names none; an account under the two-week veto (when stale_2w is a veto in the policy
 * in force — the caller decides) fails unless an override note explains why not.
 */
export function inspectionProblem(d: InspectionDraft, vetoed: boolean): string | undefined {
  if (d.result === "fail" && d.problems.length === 0) return "判为不合格时须至少选择一个问题类型";
  if (d.result === "pass" && d.problems.length > 0) return "判为合格时不应填写问题类型";
  if (d.result === "pass" && vetoed && !d.overrideNote?.trim()) {
    return "该账号检查时点前两周内无更新（单项否决），不能判为合格；如确需判为合格，须填写说明（overrideNote）";
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Re-check (复查): an account drawn again because an earlier round failed it and the deadline passed.

/** The earlier failure a re-check follows up: its round, deadline and rectification. */
export interface EarlierFailure {
  roundId: string;
  inspectionId: string;
  year: number;
  quarter: number;
  deadline: string | null;
  rectifiedAt: string | null;
}

/**
 * Whether the earlier failure is still 逾期未整改 on `onDate` (YYYY-MM-DD): its deadline is before
 * that date and no rectification was completed by then.
 */
export function stillOverdue(earlier: Pick<EarlierFailure, "deadline" | "rectifiedAt">, onDate: string): boolean {
  if (!earlier.deadline || earlier.deadline >= onDate) return false;
  return !earlier.rectifiedAt || earlier.rectifiedAt > onDate;
}

/**
 * A re-check whose earlier failure is still overdue is 不合格 (逾期未整改): a pass is refused with
 * what the clerk must do first; a fail gets overdue_unrectified added. Otherwise the draft as given.
 */
export function applyRecheck<T extends InspectionDraft>(
  draft: T,
  earlier: EarlierFailure | null,
  inspectedOn: string,
): { draft: T } | { error: string } {
  if (!earlier || !stillOverdue(earlier, inspectedOn)) return { draft };
  if (draft.result === "pass") {
    return {
      error: `该账号为复查账号：${earlier.year}年第${earlier.quarter}季度抽查不合格，整改期限${earlier.deadline}已过，尚未登记整改完成，复查应判为不合格（逾期未整改）；如已整改，请先登记该次不合格的整改情况，再登记复查结果`,
    };
  }
  if (draft.problems.includes("overdue_unrectified")) return { draft };
  return { draft: { ...draft, problems: [...draft.problems, "overdue_unrectified"] } };
}

/**
 * Of an account's failures in earlier rounds (newest first), the one a re-check follows up: the
 * newest still overdue on `onDate`, else the newest with a deadline, else null.
 */
export function pickEarlierFailure(newestFirst: readonly EarlierFailure[], onDate: string): EarlierFailure | null {
  return newestFirst.find((f) => stillOverdue(f, onDate)) ?? newestFirst.find((f) => f.deadline !== null) ?? null;
}
