// The quarterly notice (季度抽查通报): what was drawn, checked and failed, with rates by platform and
// by owning unit. Build only: the Markdown and sheet layouts are in src/export/quarterly-notice.ts.
import {
  PROBLEM_CATEGORIES,
  PROBLEM_LABELS,
  RESULT_LABELS,
  stillOverdue,
  vetoItems,
  type EarlierFailure,
  type InspectionResult,
  type ProblemCategory,
} from "../inspection";
import { DEFAULT_VETO_PROBLEMS } from "../policy";
import type { LowerRollup } from "./lower";
import { PLATFORMS, PLATFORM_LABELS, type Platform } from "../platforms";
import { DEFAULT_SCORE_TABLE, scoreUnits, type ScoreTable, type ScoreUnitInput, type UnitScore } from "./scores";
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
  /** Why the account was drawn (sampling_items.reason); "recheck" for a 复查. */
  reason?: string;
  /** The 单项否决 problem types under the policy in force for the owning org; default 国办秘函〔2019〕19号. */
  vetoProblems?: readonly ProblemCategory[];
  /** For a re-check: the earlier failure it follows up. */
  earlierFailure?: EarlierFailure | null;
  /** Monitoring findings of the account in the quarter, for the unit score (单位得分). Absent = none. */
  monitoring?: { belowWeeks: number; openVetoAlerts: number };
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
  /** The score table in force per owning org (score_rules); absent orgs use DEFAULT_SCORE_TABLE. */
  scoreTables?: Readonly<Record<string, ScoreTable>>;
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

/** A failed account whose problems include a 单项否决 item: listed apart from the other failures. */
export interface VetoedRow extends FailingRow {
  vetoItems: { code: string; label: string }[];
}

/** A re-check (复查) of an earlier failure whose deadline had passed. */
export interface RecheckRow {
  roundId: string;
  accountId: string;
  accountName: string;
  platform: Platform;
  platformLabel: string;
  orgId: string;
  orgName: string;
  earlierRoundId: string | null;
  earlierInspectionId: string | null;
  /** e.g. "2026年第3季度". */
  earlierQuarter: string | null;
  deadline: string | null;
  rectifiedAt: string | null;
  inspectedOn: string | null;
  /** The re-check's result (a still-overdue earlier failure makes it fail); null until inspected. */
  result: InspectionResult | null;
  resultLabel: string;
  /** Inspected while the earlier failure was still unrectified past its deadline: 逾期未整改 → 不合格. */
  overdueUnrectified: boolean;
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
  /** Failed accounts with a 单项否决 item (vetoProblems of the policy in force). */
  vetoed: VetoedRow[];
  /** The other failed accounts. */
  failing: FailingRow[];
  rechecks: RecheckRow[];
  /** Over every failed account, vetoed or not. */
  rectification: { failing: number; rectified: number; overdue: number; pending: number };
  /** 单位得分 per owning unit, ranked (src/domain/reports/scores.ts). */
  unitScores: UnitScore[];
  /** With includeLower: the sampling units below the government (buildLowerRollup). */
  lower?: LowerRollup;
}

function problemLabel(code: string): string {
  return (PROBLEM_LABELS as Record<string, string>)[code] ?? code;
}

/** Whether an inspected re-check found the earlier failure still 逾期未整改 on the inspection day. */
export function recheckOverdue(i: NoticeItemInput): boolean {
  return i.reason === "recheck" && !!i.inspection && !!i.earlierFailure && stillOverdue(i.earlierFailure, i.inspection.inspectedOn);
}

/** The result as the notice counts it: a re-check still overdue is 不合格 whatever was recorded. */
export function effectiveResult(i: NoticeItemInput): InspectionResult | null {
  if (!i.inspection) return null;
  return recheckOverdue(i) ? "fail" : i.inspection.result;
}

/** The problems as the notice counts them: a re-check still overdue has 逾期未整改. */
export function effectiveProblems(i: NoticeItemInput): string[] {
  const problems = [...(i.inspection?.problems ?? [])];
  if (recheckOverdue(i) && !problems.includes("overdue_unrectified")) problems.push("overdue_unrectified");
  return problems;
}

/** The 单项否决 items of a failed account under its policy; [] when it passed or was not checked. */
export function vetoItemsOf(i: NoticeItemInput): ProblemCategory[] {
  if (effectiveResult(i) !== "fail") return [];
  return vetoItems(effectiveProblems(i), i.vetoProblems ?? DEFAULT_VETO_PROBLEMS);
}

export function buildQuarterlyNotice(input: QuarterlyInput): QuarterlyNotice {
  const roundById = new Map(input.rounds.map((r) => [r.roundId, r]));
  const items = input.items.filter((i) => roundById.has(i.roundId));
  const resultOf = effectiveResult;

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

  const failingItems = items.filter((i) => effectiveResult(i) === "fail");
  const counts = new Map<string, number>();
  for (const i of failingItems) for (const p of new Set(effectiveProblems(i))) counts.set(p, (counts.get(p) ?? 0) + 1);
  const catRank = (c: string) => {
    const k = PROBLEM_CATEGORIES.indexOf(c as ProblemCategory);
    return k < 0 ? PROBLEM_CATEGORIES.length : k;
  };
  const problems = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || catRank(a[0]) - catRank(b[0]) || (a[0] < b[0] ? -1 : 1))
    .map(([category, count]) => ({ category, label: problemLabel(category), count }));

  const failedRows: FailingRow[] = failingItems.map((i) => {
    const insp = i.inspection!;
    const codes = effectiveProblems(i);
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
      problems: codes.map(problemLabel),
      problemCodes: codes,
      requirement: insp.requirement,
      deadline: insp.deadline,
      rectifiedAt: insp.rectifiedAt,
      inspectedOn: insp.inspectedOn,
      status: RECTIFICATION_LABELS[statusCode],
      statusCode,
    };
  });
  const countStatus = (s: RectificationStatus) => failedRows.filter((f) => f.statusCode === s).length;
  // 单项否决 apart from the other failures; totals and rates count both.
  const vetoed: VetoedRow[] = [];
  const failing: FailingRow[] = [];
  failingItems.forEach((i, k) => {
    const veto = vetoItemsOf(i);
    if (veto.length > 0) vetoed.push({ ...failedRows[k]!, vetoItems: veto.map((code) => ({ code, label: problemLabel(code) })) });
    else failing.push(failedRows[k]!);
  });
  const rechecks: RecheckRow[] = items
    .filter((i) => i.reason === "recheck")
    .map((i) => {
      const e = i.earlierFailure ?? null;
      const result = effectiveResult(i);
      return {
        roundId: i.roundId,
        accountId: i.accountId,
        accountName: i.accountName,
        platform: i.platform,
        platformLabel: PLATFORM_LABELS[i.platform],
        orgId: i.orgId,
        orgName: i.orgName,
        earlierRoundId: e?.roundId ?? null,
        earlierInspectionId: e?.inspectionId ?? null,
        earlierQuarter: e ? `${e.year}年第${e.quarter}季度` : null,
        deadline: e?.deadline ?? null,
        rectifiedAt: e?.rectifiedAt ?? null,
        inspectedOn: i.inspection?.inspectedOn ?? null,
        result,
        resultLabel: result === null ? "未检查" : recheckOverdue(i) ? "不合格（逾期未整改）" : RESULT_LABELS[result],
        overdueUnrectified: recheckOverdue(i),
      };
    });

  // 单位得分: one entry per owning unit of the sampled accounts, as byUnit.
  const scoreInputs = new Map<string, ScoreUnitInput & { accounts: ScoreUnitInput["accounts"][number][] }>();
  for (const i of items) {
    const u = scoreInputs.get(i.orgId) ?? { orgId: i.orgId, orgName: i.orgName, accounts: [] };
    u.accounts.push({
      accountId: i.accountId,
      problems: effectiveProblems(i),
      vetoed: vetoItemsOf(i).length > 0,
      belowWeeks: i.monitoring?.belowWeeks ?? 0,
      openVetoAlerts: i.monitoring?.openVetoAlerts ?? 0,
    });
    scoreInputs.set(i.orgId, u);
  }
  const unitScores = scoreUnits([...scoreInputs.values()], (orgId) => input.scoreTables?.[orgId] ?? DEFAULT_SCORE_TABLE);

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
    vetoed,
    failing,
    rechecks,
    rectification: { failing: failedRows.length, rectified: countStatus("rectified"), overdue: countStatus("overdue"), pending: countStatus("pending") },
    unitScores,
  };
}

/** A failed account as the public page shows it: names and findings, no internal ids. */
export interface PublicFailingRow {
  accountName: string;
  platformLabel: string;
  orgName: string;
  samplingUnitName: string;
  problems: string[];
  vetoItems: string[];
  requirement: string | null;
  deadline: string | null;
  rectifiedAt: string | null;
  status: RectificationLabel;
}

/**
 * What a published notice shows the public (公开抽查情况, docs/规则依据.md#公开抽查情况): totals, pass
 * rates by platform and unit, unit scores, vetoed and failed accounts with their rectification. Built
 * field by field from names and figures, so nothing private — tokens, contact persons, phone numbers,
 * webhook URLs, internal ids — can reach it even if the notice grows.
 */
export interface PublicNotice {
  governmentName: string;
  year: number;
  quarter: number;
  asOfDate: string;
  sampled: number;
  checked: number;
  passed: number;
  failed: number;
  passRate: number | null;
  rounds: { unitName: string; population: number; sampleSize: number; rate: number; seed: string; checked: number; passed: number; failed: number; passRate: number | null }[];
  byPlatform: { label: string; sampled: number; checked: number; passed: number; failed: number; passRate: number | null }[];
  byUnit: { label: string; sampled: number; checked: number; passed: number; failed: number; passRate: number | null }[];
  unitScores: { orgName: string; score: number; vetoed: boolean; verdictLabel: string; deductions: { label: string; count: number; points: number }[] }[];
  vetoed: PublicFailingRow[];
  failing: PublicFailingRow[];
  rectification: { failing: number; rectified: number; overdue: number; pending: number };
}

export function publicNotice(n: QuarterlyNotice): PublicNotice {
  const rate = (r: RateRow) => ({ label: r.label, sampled: r.sampled, checked: r.checked, passed: r.passed, failed: r.failed, passRate: r.passRate });
  const failRow = (f: FailingRow, vetoItems: string[]): PublicFailingRow => ({
    accountName: f.accountName,
    platformLabel: f.platformLabel,
    orgName: f.orgName,
    samplingUnitName: f.samplingUnitName,
    problems: [...f.problems],
    vetoItems,
    requirement: f.requirement,
    deadline: f.deadline,
    rectifiedAt: f.rectifiedAt,
    status: f.status,
  });
  return {
    governmentName: n.governmentName,
    year: n.year,
    quarter: n.quarter,
    asOfDate: n.asOfDate,
    sampled: n.sampled,
    checked: n.checked,
    passed: n.passed,
    failed: n.failed,
    passRate: n.passRate,
    rounds: n.rounds.map((r) => ({
      unitName: r.unitName,
      population: r.population,
      sampleSize: r.sampleSize,
      rate: r.rate,
      seed: r.seed,
      checked: r.checked,
      passed: r.passed,
      failed: r.failed,
      passRate: r.passRate,
    })),
    byPlatform: n.byPlatform.map(rate),
    byUnit: n.byUnit.map(rate),
    unitScores: n.unitScores.map((s) => ({
      orgName: s.orgName,
      score: s.score,
      vetoed: s.vetoed,
      verdictLabel: s.verdictLabel,
      deductions: s.deductions.map((d) => ({ label: d.label, count: d.count, points: d.points })),
    })),
    vetoed: n.vetoed.map((f) => failRow(f, f.vetoItems.map((v) => v.label))),
    failing: n.failing.map((f) => failRow(f, [])),
    rectification: { ...n.rectification },
  };
}
