// The weekly minimum (每周最低更新次数), SPEC §3. Pure: judges one week from the evidence given.
// seed 001: "两微一端"每周更新不少于3次，其他政务新媒体每周至少更新1次.
import type { Week } from "./weeks";

export const WEEK_STATUSES = ["compliant", "below", "exempt", "unknown"] as const;
export type WeekStatus = (typeof WEEK_STATUSES)[number];

export const WEEK_STATUS_LABELS: Record<WeekStatus, string> = {
  compliant: "达标",
  below: "未达标",
  exempt: "不计入",
  unknown: "无法判断",
};

/** An interval during which the account's status was "active"; `to` null = still active. */
export interface ActivePeriod {
  from: Date;
  /** Exclusive; null while the account is still active. */
  to: Date | null;
}

/** Whether the union of the periods covers the whole week [start, end). */
export function activeThroughout(periods: readonly ActivePeriod[], week: Week): boolean {
  const start = week.start.getTime();
  const end = week.end.getTime();
  const sorted = [...periods].sort((a, b) => a.from.getTime() - b.from.getTime());
  let covered = start; // [start, covered) is covered so far
  for (const p of sorted) {
    if (covered >= end) break;
    const from = p.from.getTime();
    const to = p.to === null ? Infinity : p.to.getTime();
    if (from > covered) return false; // a gap, and every later period starts later still
    if (to > covered) covered = to;
  }
  return covered >= end;
}

export interface WeekEvidence {
  week: Week;
  /** The weekly minimum in force (policy.weeklyMinimum[platform]). */
  required: number;
  /** Posts seen with a publication time inside the week, from any source. */
  posts: number;
  activeThroughout: boolean;
  hasFeed: boolean;
  /** A successful feed fetch happened in [week.start, week.end + 6h). */
  fetchCovered: boolean;
  /** Has a feed, or has ever had pushed/imported posts. */
  hasAnySource: boolean;
}

/**
 * SPEC §3. Not active for the whole week (the partial week in which it opened, weeks suspended or
 * closing) → exempt. Enough posts → compliant, even if the feed failed part of the time. Otherwise a
 * feed that was not fetched successfully, or an account we have no way of seeing at all, is unknown:
 * a broken feed is never "0 posts". Only then below.
 */
export function weekStatus(e: WeekEvidence): WeekStatus {
  if (!e.activeThroughout) return "exempt";
  if (e.required <= 0 || e.posts >= e.required) return "compliant";
  if (e.hasFeed && !e.fetchCovered) return "unknown";
  if (!e.hasFeed && !e.hasAnySource) return "unknown";
  return "below";
}

export interface ComplianceSummaryRow {
  key: string;
  total: number;
  compliant: number;
  below: number;
  exempt: number;
  unknown: number;
  /** compliant / (compliant + below): exempt and unknown weeks are not judged. null if none judged. */
  rate: number | null;
}

/** Counts per group (unit, platform …), sorted by key. */
export function summarise(rows: readonly { status: WeekStatus; groupKey: string }[]): ComplianceSummaryRow[] {
  const groups = new Map<string, ComplianceSummaryRow>();
  for (const r of rows) {
    let g = groups.get(r.groupKey);
    if (!g) {
      g = { key: r.groupKey, total: 0, compliant: 0, below: 0, exempt: 0, unknown: 0, rate: null };
      groups.set(r.groupKey, g);
    }
    g.total += 1;
    g[r.status] += 1;
  }
  const out = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const g of out) {
    const judged = g.compliant + g.below;
    g.rate = judged === 0 ? null : g.compliant / judged;
  }
  return out;
}
