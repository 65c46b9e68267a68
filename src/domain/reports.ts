// The quarterly notice (季度抽查通报, SPEC §5) and the annual statistics (年度报告, SPEC §6).
// Pure: aggregates what the service loaded, computes rates and rectification states, renders
// Markdown and spreadsheet rows. Never loads, never reads the clock ("today" is an input).
import { PROBLEM_CATEGORIES, PROBLEM_LABELS, type InspectionResult, type ProblemCategory } from "./inspection";
import { ACCOUNT_STATUS_LABELS, isInUse, type AccountStatus } from "./lifecycle";
import { ORG_LEVELS, ORG_LEVEL_LABELS, type OrgLevel } from "./orgs";
import { PLATFORMS, PLATFORM_LABELS, type Platform } from "./platforms";

// ---------------------------------------------------------------------------------------------
// Rates

/** passed / checked, or null when nothing was checked (a rate of nothing is not 0%). */
export function passRate(passed: number, checked: number): number | null {
  return checked === 0 ? null : passed / checked;
}

/** 0.7 → "70.0%", 2/3 → "66.7%", null → "—". */
export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** A sampling rate as the export prints it: 0.5 → "50%", 0.125 → "12.5%". */
export function formatSamplingRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

/** "2026-10-05" → "2026年10月5日". */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

export interface RateRow {
  key: string;
  label: string;
  /** Accounts drawn. */
  sampled: number;
  /** Accounts with a recorded result. */
  checked: number;
  passed: number;
  failed: number;
  /** passed / checked; null when none was checked. */
  passRate: number | null;
}

interface Tally {
  key: string;
  label: string;
  sampled: number;
  checked: number;
  passed: number;
}

/**
 * Groups sampled items, first-seen order unless `order` ranks the keys. An item without a result
 * counts as sampled, not as checked.
 */
export function groupRates<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  labelOf: (item: T) => string,
  resultOf: (item: T) => InspectionResult | null,
  order?: readonly string[],
): RateRow[] {
  const groups = new Map<string, Tally>();
  for (const item of items) {
    const key = keyOf(item);
    let g = groups.get(key);
    if (!g) {
      g = { key, label: labelOf(item), sampled: 0, checked: 0, passed: 0 };
      groups.set(key, g);
    }
    g.sampled += 1;
    const r = resultOf(item);
    if (r !== null) {
      g.checked += 1;
      if (r === "pass") g.passed += 1;
    }
  }
  let list = [...groups.values()];
  if (order) {
    const rank = (k: string) => {
      const i = order.indexOf(k);
      return i < 0 ? order.length : i;
    };
    list = list.sort((a, b) => rank(a.key) - rank(b.key));
  }
  return list.map(toRateRow);
}

function toRateRow(g: Tally): RateRow {
  return { key: g.key, label: g.label, sampled: g.sampled, checked: g.checked, passed: g.passed, failed: g.checked - g.passed, passRate: passRate(g.passed, g.checked) };
}

// ---------------------------------------------------------------------------------------------
// Rectification

export const RECTIFICATION_STATUSES = ["rectified", "pending", "overdue"] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];
export const RECTIFICATION_LABELS = { rectified: "已整改", pending: "整改中", overdue: "逾期未整改" } as const satisfies Record<RectificationStatus, string>;
export type RectificationLabel = (typeof RECTIFICATION_LABELS)[RectificationStatus];

/**
 * A failed account is 已整改 once rectification is recorded; 逾期未整改 when its deadline
 * (YYYY-MM-DD, the last day allowed) is before today (Shanghai); otherwise 整改中 — including
 * when no deadline was set.
 */
export function rectificationStatus(i: { rectifiedAt: string | null; deadline: string | null }, today: string): RectificationStatus {
  if (i.rectifiedAt) return "rectified";
  if (i.deadline && i.deadline < today) return "overdue";
  return "pending";
}

// ---------------------------------------------------------------------------------------------
// Quarterly notice

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

// ---------------------------------------------------------------------------------------------
// Markdown

/** Text safe inside a Markdown paragraph or table cell: no table breaks, links, emphasis or HTML. */
export function mdText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  return String(value)
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]#|~!]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** A Markdown table; numbers right-aligned. An empty body renders as "（无）". */
export function mdTable(header: readonly string[], rows: readonly (readonly (string | number | null)[])[], numeric: readonly boolean[] = []): string {
  if (rows.length === 0) return "（无）";
  const line = (cells: readonly (string | number | null)[]) => `| ${cells.map((c) => mdText(c)).join(" | ")} |`;
  const sep = `| ${header.map((_, i) => (numeric[i] ? "---:" : "---")).join(" | ")} |`;
  return [line(header), sep, ...rows.map(line)].join("\n");
}

const RATE_HEADER = ["抽取", "检查", "合格", "不合格", "合格率"];
const RATE_NUMERIC = [false, true, true, true, true, true];
const rateCells = (r: RateRow) => [r.sampled, r.checked, r.passed, r.failed, formatRate(r.passRate)];

export function quarterTitle(year: number, quarter: number): string {
  return `关于${year}年第${quarter}季度政务新媒体抽查情况的通报`;
}

export function renderQuarterlyMarkdown(n: QuarterlyNotice): string {
  const out: string[] = [];
  const gov = mdText(n.governmentName);
  out.push(`# ${quarterTitle(n.year, n.quarter)}`, "");
  const scope = n.aggregate && n.rounds.length > 1 ? `${gov}及所辖各抽查单位` : gov;
  out.push(`按照政务新媒体季度抽查制度，现将${scope}${n.year}年第${n.quarter}季度政务新媒体抽查情况通报如下。`, "");

  out.push("## 一、总体情况", "");
  if (n.rounds.length === 0) {
    out.push("本季度尚未开展抽查。", "");
  } else {
    const population = n.rounds.reduce((s, r) => s + r.population, 0);
    let p = `本季度共${n.rounds.length}个抽查单位开展抽查，纳入抽查范围的账号${population}个，抽取${n.sampled}个，已完成检查${n.checked}个，其中合格${n.passed}个、不合格${n.failed}个，合格率${formatRate(n.passRate)}。`;
    if (n.checked < n.sampled) p += `尚有${n.sampled - n.checked}个账号未登记检查结果。`;
    out.push(p, "");
    out.push(
      mdTable(
        ["抽查单位", "账号总数", "抽查比例", "随机种子", ...RATE_HEADER],
        n.rounds.map((r) => [r.unitName, r.population, formatSamplingRate(r.rate), r.seed, r.sampled, r.checked, r.passed, r.failed, formatRate(r.passRate)]),
        [false, true, true, false, true, true, true, true, true],
      ),
      "",
      "抽查名单按公布的随机种子抽取，可据此复核。",
      "",
    );
  }

  out.push("## 二、分平台情况", "");
  out.push(mdTable(["平台", ...RATE_HEADER], n.byPlatform.map((r) => [r.label, ...rateCells(r)]), RATE_NUMERIC), "");

  out.push("## 三、分单位情况", "");
  out.push(mdTable(["主办单位", ...RATE_HEADER], n.byUnit.map((r) => [r.label, ...rateCells(r)]), RATE_NUMERIC), "");

  out.push("## 四、存在的问题", "");
  if (n.failing.length === 0) {
    out.push(n.checked > 0 ? "本季度已检查的账号均为合格。" : "本季度暂无检查结果。", "");
  } else {
    out.push(`本季度不合格账号${n.failing.length}个，存在的主要问题如下：`, "");
    out.push(mdTable(["问题类型", "账号数"], n.problems.map((p) => [p.label, p.count]), [false, true]), "");
    out.push("不合格账号名单：", "");
    out.push(
      mdTable(
        ["序号", "账号名称", "平台", "主办单位", "存在问题", "整改要求", "整改期限", "整改情况"],
        n.failing.map((f, i) => [i + 1, f.accountName, f.platformLabel, f.orgName, f.problems.join("；"), f.requirement ?? "", f.deadline ?? "", f.rectifiedAt ? `${f.status}（${f.rectifiedAt}）` : f.status]),
        [true],
      ),
      "",
    );
  }

  out.push("## 五、整改要求", "");
  if (n.failing.length === 0) {
    out.push("请各单位继续落实政务新媒体日常监测和内容保障，保持更新频率，确保互动功能正常。", "");
  } else {
    const r = n.rectification;
    out.push(
      `截至${chineseDate(n.asOfDate)}，不合格账号${r.failing}个，已整改${r.rectified}个，整改中${r.pending}个，逾期未整改${r.overdue}个。`,
      "",
      "1. 请不合格账号的主办单位对照存在的问题和整改要求，在整改期限内完成整改，并将整改情况报送政务新媒体主管单位。",
      "2. 对逾期未整改的账号，将再次通报并督促整改；对运维能力差、无力维护的账号，应按程序予以整合或关停。",
      "3. 各单位应举一反三，落实日常监测，保持更新频率，确保互动功能正常、信息准确。",
      "",
    );
  }
  out.push(gov, chineseDate(n.asOfDate), "");
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet rows (the SpreadsheetCodec writes them)

export type SheetRows = (string | number | null)[][];
export interface Sheet {
  name: string;
  rows: SheetRows;
}

const RATE_SHEET_HEADER = ["抽取", "检查", "合格", "不合格", "合格率"];
const rateSheetCells = (r: RateRow) => [r.sampled, r.checked, r.passed, r.failed, formatRate(r.passRate)];

export function quarterlySheets(n: QuarterlyNotice): Sheet[] {
  return [
    {
      name: "总体",
      rows: [
        [quarterTitle(n.year, n.quarter)],
        ["通报单位", n.governmentName],
        ["季度", `${n.year}年第${n.quarter}季度`],
        ["抽取账号", n.sampled],
        ["已检查", n.checked],
        ["合格", n.passed],
        ["不合格", n.failed],
        ["合格率", formatRate(n.passRate)],
        ["统计日期", n.asOfDate],
        [],
        ["抽查单位", "账号总数", "抽查比例", "随机种子", ...RATE_SHEET_HEADER],
        ...n.rounds.map((r) => [r.unitName, r.population, formatSamplingRate(r.rate), r.seed, r.sampled, r.checked, r.passed, r.failed, formatRate(r.passRate)]),
      ],
    },
    { name: "分平台", rows: [["平台", ...RATE_SHEET_HEADER], ...n.byPlatform.map((r) => [r.label, ...rateSheetCells(r)])] },
    { name: "分单位", rows: [["主办单位", ...RATE_SHEET_HEADER], ...n.byUnit.map((r) => [r.label, ...rateSheetCells(r)])] },
    {
      name: "不合格账号",
      rows: [
        ["序号", "账号名称", "平台", "主办单位", "抽查单位", "存在问题", "整改要求", "整改期限", "整改完成日期", "整改情况"],
        ...n.failing.map((f, i) => [i + 1, f.accountName, f.platformLabel, f.orgName, f.samplingUnitName, f.problems.join("；"), f.requirement ?? "", f.deadline ?? "", f.rectifiedAt ?? "", f.status]),
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Annual statistics

/** Statuses an account can have at year end, in table order; `rejected` openings are not accounts. */
export const REPORT_STATUSES = ["active", "suspended", "closing", "closed", "merged", "pending"] as const satisfies readonly AccountStatus[];
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export interface AnnualAccountInput {
  accountId: string;
  platform: Platform;
  level: OrgLevel;
  /** Status at the report instant; null when the account did not exist yet. */
  status: AccountStatus | null;
}

export interface AnnualInput {
  governmentOrgId: string;
  governmentName: string;
  year: number;
  /** The instant the year-end figures describe: the end of the year, or now if earlier. */
  asOf: Date;
  asOfDate: string;
  yearStart: Date;
  /** Exclusive. */
  yearEnd: Date;
  accounts: readonly AnnualAccountInput[];
  /** Status history of those accounts, in recorded order. */
  changes: readonly { accountId: string; status: AccountStatus; at: string }[];
  rounds: readonly { roundId: string; quarter: number; sampleSize: number }[];
  inspections: readonly { quarter: number; result: InspectionResult }[];
}

export interface StatusCountRow extends Record<ReportStatus, number> {
  key: string;
  label: string;
  total: number;
  inUse: number;
}

export interface InspectionSummary {
  rounds: number;
  sampled: number;
  checked: number;
  passed: number;
  failed: number;
  passRate: number | null;
}

export interface AnnualStats {
  governmentOrgId: string;
  governmentName: string;
  year: number;
  asOf: string;
  asOfDate: string;
  accounts: {
    total: number;
    inUse: number;
    byStatus: { key: ReportStatus; label: string; count: number }[];
    byPlatform: StatusCountRow[];
    byLevel: StatusCountRow[];
  };
  duringYear: { opened: number; closed: number; merged: number };
  inspections: InspectionSummary & { byQuarter: (InspectionSummary & { quarter: number })[] };
}

function countRows<K extends string>(accounts: readonly (AnnualAccountInput & { status: ReportStatus })[], keyOf: (a: AnnualAccountInput) => K, keys: readonly K[], labels: Record<K, string>): StatusCountRow[] {
  return keys
    .map((key) => {
      const mine = accounts.filter((a) => keyOf(a) === key);
      const byStatus = Object.fromEntries(REPORT_STATUSES.map((s) => [s, mine.filter((a) => a.status === s).length])) as Record<ReportStatus, number>;
      const row: StatusCountRow = { key, label: labels[key], total: mine.length, inUse: mine.filter((a) => isInUse(a.status)).length, ...byStatus };
      return row;
    })
    .filter((r) => r.total > 0);
}

function summariseInspections(rounds: readonly { sampleSize: number }[], results: readonly { result: InspectionResult }[]): InspectionSummary {
  const passed = results.filter((r) => r.result === "pass").length;
  return {
    rounds: rounds.length,
    sampled: rounds.reduce((s, r) => s + r.sampleSize, 0),
    checked: results.length,
    passed,
    failed: results.length - passed,
    passRate: passRate(passed, results.length),
  };
}

export function buildAnnualStats(input: AnnualInput): AnnualStats {
  const isReportStatus = (s: AccountStatus | null): s is ReportStatus => s !== null && (REPORT_STATUSES as readonly string[]).includes(s);
  const present = input.accounts.filter((a): a is AnnualAccountInput & { status: ReportStatus } => isReportStatus(a.status));
  const ids = new Set(input.accounts.map((a) => a.accountId));
  const from = input.yearStart.getTime();
  const to = input.yearEnd.getTime();
  const inYear = (at: string) => {
    const t = Date.parse(at);
    return t >= from && t < to;
  };

  const firstActive = new Map<string, string>();
  const closed = new Set<string>();
  const merged = new Set<string>();
  for (const c of input.changes) {
    if (!ids.has(c.accountId)) continue;
    if (c.status === "active" && !firstActive.has(c.accountId)) firstActive.set(c.accountId, c.at);
    if (c.status === "closed" && inYear(c.at)) closed.add(c.accountId);
    if (c.status === "merged" && inYear(c.at)) merged.add(c.accountId);
  }
  const opened = [...firstActive.values()].filter(inYear).length;

  const byQuarter = [1, 2, 3, 4]
    .map((quarter) => ({
      quarter,
      ...summariseInspections(
        input.rounds.filter((r) => r.quarter === quarter),
        input.inspections.filter((i) => i.quarter === quarter),
      ),
    }))
    .filter((q) => q.rounds > 0);

  const platforms = PLATFORMS as readonly Platform[];
  return {
    governmentOrgId: input.governmentOrgId,
    governmentName: input.governmentName,
    year: input.year,
    asOf: input.asOf.toISOString(),
    asOfDate: input.asOfDate,
    accounts: {
      total: present.length,
      inUse: present.filter((a) => isInUse(a.status)).length,
      byStatus: REPORT_STATUSES.map((key) => ({ key, label: ACCOUNT_STATUS_LABELS[key], count: present.filter((a) => a.status === key).length })),
      byPlatform: countRows(present, (a) => a.platform, platforms, PLATFORM_LABELS),
      byLevel: countRows(present, (a) => a.level, ORG_LEVELS, ORG_LEVEL_LABELS),
    },
    duringYear: { opened, closed: closed.size, merged: merged.size },
    inspections: { ...summariseInspections(input.rounds, input.inspections), byQuarter },
  };
}

export function annualTitle(governmentName: string, year: number): string {
  return `${governmentName}${year}年度政务新媒体工作统计`;
}

const STATUS_HEADER = ["合计", "在用", ...REPORT_STATUSES.map((s) => ACCOUNT_STATUS_LABELS[s])];
const statusCells = (r: StatusCountRow) => [r.total, r.inUse, ...REPORT_STATUSES.map((s) => r[s])];
const INSPECTION_HEADER = ["抽查轮次", "抽取", "检查", "合格", "不合格", "合格率"];
const inspectionCells = (s: InspectionSummary) => [s.rounds, s.sampled, s.checked, s.passed, s.failed, formatRate(s.passRate)];

export function renderAnnualMarkdown(s: AnnualStats): string {
  const a = s.accounts;
  const i = s.inspections;
  const numeric = [false, ...STATUS_HEADER.map(() => true)];
  const out: string[] = [`# ${mdText(annualTitle(s.governmentName, s.year))}`, ""];
  out.push(`统计范围：${mdText(s.governmentName)}及所属部门、下级政府主办的政务新媒体；年末数据截至${chineseDate(s.asOfDate)}。`, "");

  out.push("## 一、账号总体情况", "");
  const parts = a.byStatus.filter((b) => b.count > 0).map((b) => `${b.label}${b.count}个`);
  out.push(`截至${chineseDate(s.asOfDate)}，共登记政务新媒体账号${a.total}个，其中在用（正常、停更、关停中）${a.inUse}个${parts.length ? `（${parts.join("，")}）` : ""}。`, "");
  out.push(mdTable(["状态", "账号数"], a.byStatus.map((b) => [b.label, b.count]), [false, true]), "");

  out.push("## 二、分平台情况", "");
  out.push(mdTable(["平台", ...STATUS_HEADER], a.byPlatform.map((r) => [r.label, ...statusCells(r)]), numeric), "");

  out.push("## 三、分层级情况", "");
  out.push(mdTable(["主办单位层级", ...STATUS_HEADER], a.byLevel.map((r) => [r.label, ...statusCells(r)]), numeric), "");

  out.push("## 四、本年度开设、关停和整合情况", "");
  out.push(`${s.year}年新开设账号${s.duringYear.opened}个，关停注销${s.duringYear.closed}个，整合${s.duringYear.merged}个。`, "");

  out.push("## 五、抽查情况", "");
  if (i.rounds === 0) {
    out.push(`${s.year}年未开展季度抽查。`, "");
  } else {
    out.push(`${s.year}年共开展季度抽查${i.rounds}轮次，抽取账号${i.sampled}个次，已检查${i.checked}个次，合格${i.passed}个次，不合格${i.failed}个次，合格率${formatRate(i.passRate)}。`, "");
    out.push(mdTable(["季度", ...INSPECTION_HEADER], i.byQuarter.map((q) => [`第${q.quarter}季度`, ...inspectionCells(q)]), [false, true, true, true, true, true, true]), "");
  }
  return out.join("\n");
}

export function annualSheets(s: AnnualStats): Sheet[] {
  const a = s.accounts;
  const i = s.inspections;
  return [
    {
      name: "总体",
      rows: [
        [annualTitle(s.governmentName, s.year)],
        ["统计截至", s.asOfDate],
        ["账号总数", a.total],
        ["在用账号", a.inUse],
        ...a.byStatus.map((b) => [b.label, b.count]),
        ["本年新开设", s.duringYear.opened],
        ["本年关停注销", s.duringYear.closed],
        ["本年整合", s.duringYear.merged],
        ["抽查轮次", i.rounds],
        ["抽取账号（个次）", i.sampled],
        ["已检查（个次）", i.checked],
        ["合格（个次）", i.passed],
        ["不合格（个次）", i.failed],
        ["合格率", formatRate(i.passRate)],
      ],
    },
    { name: "分平台", rows: [["平台", ...STATUS_HEADER], ...a.byPlatform.map((r) => [r.label, ...statusCells(r)])] },
    { name: "分层级", rows: [["主办单位层级", ...STATUS_HEADER], ...a.byLevel.map((r) => [r.label, ...statusCells(r)])] },
    { name: "抽查", rows: [["季度", ...INSPECTION_HEADER], ...i.byQuarter.map((q) => [`第${q.quarter}季度`, ...inspectionCells(q)])] },
  ];
}
