// The quarterly notice (季度抽查通报): what was drawn, checked and failed, with rates by platform and
// by owning unit. Build only: the Markdown and sheet layouts are in src/export/quarterly-notice.ts.
import { PROBLEM_CATEGORIES, PROBLEM_LABELS, type InspectionResult, type ProblemCategory } from "../inspection";
import { PLATFORMS, PLATFORM_LABELS, type Platform } from "../platforms";
import { groupRates, RECTIFICATION_LABELS, rectificationStatus, toRateRow, type RateRow, type RectificationLabel, type RectificationStatus } from "./rates";

export interface NoticeRoundInput {
  roundId: string;
  governmentOrgId: string;
  unitName: string;
  population: number;
  sampleSize: number;
  seed: string;
  rate: number;
}

export interface NoticeInspectionInput {
  id: string;
  result: InspectionResult;
  problems: readonly string[];
  requirement: string | null;
  deadline: string | null;
  rectifiedAt: string | null;
  inspectedOn: string;
}

export interface NoticeItemInput {
  roundId: string;
  accountId: string;
  accountName: string;
  platform: Platform;
  /** The owning org (主办单位). */
  orgId: string;
  orgName: string;
  inspection: NoticeInspectionInput | null;
}

export interface QuarterlyInput {
  governmentOrgId: string;
  governmentName: string;
  year: number;
  quarter: number;
  aggregate: boolean;
  /** YYYY-MM-DD in Asia/Shanghai: decides 逾期. */
  today: string;
  /** In display order. */
  rounds: readonly NoticeRoundInput[];
  /** Sampled accounts of those rounds, in display order (units in tree order). */
  items: readonly NoticeItemInput[];
}

export interface NoticeRound extends NoticeRoundInput {
  sampled: number;
  checked: number;
  passed: number;
  failed: number;
  passRate: number | null;
}

export interface FailingRow {
  inspectionId: string;
  roundId: string;
  accountId: string;
  accountName: string;
  platform: Platform;
  platformLabel: string;
  orgId: string;
  orgName: string;
  samplingUnitName: string;
  /** Chinese labels. */
  problems: string[];
  problemCodes: string[];
  requirement: string | null;
  deadline: string | null;
  rectifiedAt: string | null;
  inspectedOn: string;
  status: RectificationLabel;
  statusCode: RectificationStatus;
}

export interface QuarterlyNotice {
  governmentOrgId: string;
  governmentName: string;
  year: number;
  quarter: number;
  aggregate: boolean;
  asOfDate: string;
  rounds: NoticeRound[];
  sampled: number;
  checked: number;
  passed: number;
  failed: number;
  passRate: number | null;
  byPlatform: RateRow[];
  byUnit: RateRow[];
  bySamplingUnit: RateRow[];
  problems: { category: string; label: string; count: number }[];
  failing: FailingRow[];
  rectification: { failing: number; rectified: number; overdue: number; pending: number };
}

function problemLabel(code: string): string {
  return (PROBLEM_LABELS as Record<string, string>)[code] ?? code;
}

export function buildQuarterlyNotice(input: QuarterlyInput): QuarterlyNotice {
  const roundById = new Map(input.rounds.map((r) => [r.roundId, r]));
  const items = input.items.filter((i) => roundById.has(i.roundId));
  const resultOf = (i: NoticeItemInput) => i.inspection?.result ?? null;

  const bySamplingUnit = groupRates(
    items,
    (i) => roundById.get(i.roundId)!.governmentOrgId,
    (i) => roundById.get(i.roundId)!.unitName,
    resultOf,
    input.rounds.map((r) => r.governmentOrgId),
  );
  // Rounds without any sampled account (an empty population) still appear, with zeros.
  const unitRows = new Map(bySamplingUnit.map((r) => [r.key, r]));
  const rounds: NoticeRound[] = input.rounds.map((r) => {
    const g = unitRows.get(r.governmentOrgId) ?? toRateRow({ key: r.governmentOrgId, label: r.unitName, sampled: 0, checked: 0, passed: 0 });
    return { ...r, sampled: g.sampled, checked: g.checked, passed: g.passed, failed: g.failed, passRate: g.passRate };
  });
  const total = groupRates(items, () => "all", () => "合计", resultOf)[0] ?? toRateRow({ key: "all", label: "合计", sampled: 0, checked: 0, passed: 0 });

  const failingItems = items.filter((i) => i.inspection?.result === "fail");
  const counts = new Map<string, number>();
  for (const i of failingItems) for (const p of new Set(i.inspection!.problems)) counts.set(p, (counts.get(p) ?? 0) + 1);
  const catRank = (c: string) => {
    const k = PROBLEM_CATEGORIES.indexOf(c as ProblemCategory);
    return k < 0 ? PROBLEM_CATEGORIES.length : k;
  };
  const problems = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || catRank(a[0]) - catRank(b[0]) || (a[0] < b[0] ? -1 : 1))
    .map(([category, count]) => ({ category, label: problemLabel(category), count }));

  const failing: FailingRow[] = failingItems.map((i) => {
    const insp = i.inspection!;
    const statusCode = rectificationStatus(insp, input.today);
    return {
      inspectionId: insp.id,
      roundId: i.roundId,
      accountId: i.accountId,
      accountName: i.accountName,
      platform: i.platform,
      platformLabel: PLATFORM_LABELS[i.platform],
      orgId: i.orgId,
      orgName: i.orgName,
      samplingUnitName: roundById.get(i.roundId)!.unitName,
      problems: insp.problems.map(problemLabel),
      problemCodes: [...insp.problems],
      requirement: insp.requirement,
      deadline: insp.deadline,
      rectifiedAt: insp.rectifiedAt,
      inspectedOn: insp.inspectedOn,
      status: RECTIFICATION_LABELS[statusCode],
      statusCode,
    };
  });
  const countStatus = (s: RectificationStatus) => failing.filter((f) => f.statusCode === s).length;

  return {
    governmentOrgId: input.governmentOrgId,
    governmentName: input.governmentName,
    year: input.year,
    quarter: input.quarter,
    aggregate: input.aggregate,
    asOfDate: input.today,
    rounds,
    sampled: total.sampled,
    checked: total.checked,
    passed: total.passed,
    failed: total.failed,
    passRate: total.passRate,
    byPlatform: groupRates(items, (i) => i.platform, (i) => PLATFORM_LABELS[i.platform], resultOf, PLATFORMS),
    byUnit: groupRates(items, (i) => i.orgId, (i) => i.orgName, resultOf),
    bySamplingUnit,
    problems,
    failing,
    rectification: { failing: failing.length, rectified: countStatus("rectified"), overdue: countStatus("overdue"), pending: countStatus("pending") },
  };
}
