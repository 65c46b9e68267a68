// The annual statistics (年度报告): accounts at year end by platform, level and status; openings,
// closings and mergers in the year; spot-check rounds and pass rates. Build only: layouts are in
// src/export/annual-statistics.ts.
import type { InspectionResult } from "../inspection";
import { ACCOUNT_STATUS_LABELS, isInUse, type AccountStatus } from "../lifecycle";
import { ORG_LEVELS, ORG_LEVEL_LABELS, type OrgLevel } from "../orgs";
import { PLATFORMS, PLATFORM_LABELS, type Platform } from "../platforms";
import { passRate } from "./rates";
import { averageUnitScores, type AnnualUnitScore, type UnitScore } from "./scores";

/** Statuses an account can have at year end, in table order; `rejected` openings are not accounts. */
export const REPORT_STATUSES = ["active", "suspended", "closing", "closed", "merged", "pending"] as const satisfies readonly AccountStatus[];
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export interface AnnualAccountInput {
  accountId: string;
  platform: Platform;
  level: OrgLevel;
  /** Status at the report instant; null when the account did not exist yet. */
  status: AccountStatus | null;
  /**
   * Registered as an account that already existed (存量登记 open filing, or a ledger import): its
   * registration is not an opening (docs/规则依据.md#开设日期与存量登记). Absent = false.
   */
  existing?: boolean;
  /** The opening date it declared (YYYY-MM-DD), if any. */
  openedOn?: string | null;
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
  /** 单位得分 of each quarter that had a round (the quarterly notices' unitScores). Absent = none. */
  quarterScores?: readonly { quarter: number; unitScores: readonly UnitScore[] }[];
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
  /** The year's average 单位得分 per unit over the quarters it was scored in. */
  unitScores: AnnualUnitScore[];
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
  // A voided account (作废, registered in error) never existed for the statistics: neither counted at
  // year end nor opened or closed in any year, whenever it was voided.
  const voided = new Set(input.changes.filter((c) => c.status === "voided").map((c) => c.accountId));
  const counted = input.accounts.filter((a) => !voided.has(a.accountId) && a.status !== "voided");
  const present = counted.filter((a): a is AnnualAccountInput & { status: ReportStatus } => isReportStatus(a.status));
  const ids = new Set(counted.map((a) => a.accountId));
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
  // 本年新开设: the account's in-use history starts in the year. An existing account's history starts at
  // its declared opening date (recordStatus), so it counts in the year it really opened; one that
  // declared none started at its registration, which is not an opening — never counted.
  const existingUndated = new Set(counted.filter((a) => a.existing && !a.openedOn).map((a) => a.accountId));
  const opened = [...firstActive.entries()].filter(([id, at]) => !existingUndated.has(id) && inYear(at)).length;

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
    unitScores: averageUnitScores(input.quarterScores ?? []),
  };
}

