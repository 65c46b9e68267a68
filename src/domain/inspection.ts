// Inspection results of the quarterly spot-check (docs/规则依据.md#检查问题类型). Pure.
// 国办秘函〔2019〕19号 检查指标: 监测时间点前2周内无更新 → 单项否决 (不合格).

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
] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

export const PROBLEM_LABELS: Record<ProblemCategory, string> = {
  stale_2w: "更新不及时（超过2周）",
  long_dormant: "长期未更新",
  typos: "错别字/错敏词",
  interaction_broken: "互动功能不可用",
  bad_links: "链接错误",
  owner_mismatch: "认证主体与主办单位不一致",
  unverified_or_renamed: "未认证或随意改名",
  duplicate: "重复开设",
  reopened: "注销后重开",
  other: "其他",
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

/** "错别字/错敏词；链接错误" → categories, or the unknown parts. Separators: ；;，,、 and newlines. */
export function parseProblemList(text: string): { categories: ProblemCategory[]; unknown: string[] } {
  const parts = text
    .split(/[；;，,、\n]+/)
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

/**
 * Why the inspection cannot be recorded, or undefined. A failed inspection names its problems; a
 * passed one names none; an account under the two-week veto fails unless an override note explains why not.
 */
export function inspectionProblem(d: InspectionDraft, vetoed: boolean): string | undefined {
  if (d.result === "fail" && d.problems.length === 0) return "判为不合格时须至少选择一个问题类型";
  if (d.result === "pass" && d.problems.length > 0) return "判为合格时不应填写问题类型";
  if (d.result === "pass" && vetoed && !d.overrideNote?.trim()) {
    return "该账号检查时点前两周内无更新（单项否决），不能判为合格；如确需判为合格，须填写说明（overrideNote）";
  }
  return undefined;
}
