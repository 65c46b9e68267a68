// The weekly minimum (每周最低更新次数), 鹤政办〔2019〕20号第十二条，docs/规则依据.md#每周最低更新次数. Pure: judges one week from the evidence given.
// 鹤政办〔2019〕20号第十二条："两微一端"每周更新不少于3次，其他政务新媒体每周至少更新1次.
import type { Platform } from "./platforms";
import type { Policy } from "./policy";
import { shanghaiDate, type Week } from "./weeks";

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export const WEEK_STATUSES = ["compliant", "below", "exempt", "unknown"] as const;
export type WeekStatus = (typeof WEEK_STATUSES)[number];

export const WEEK_STATUS_LABELS: Record<WeekStatus, string> = {
  compliant: "达标",
  below: "未达标",
  // The one name for a week that is not judged (the UI, the API descriptions and the digests).
  exempt: "免于考核",
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
 * docs/规则依据.md#不计入的周. Not active for the whole week (the partial week in which it opened, weeks suspended or
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

/** Posts expected by now at an even pace: ceil(required × elapsed share of the week). */
export function paceTarget(required: number, weekStart: Date, now: Date): number {
  const share = Math.min(1, Math.max(0, (now.getTime() - weekStart.getTime()) / WEEK_MS));
  return Math.ceil(required * share);
}

/** A successful fetch during the week or on the Monday after it covers the week (feeds list recent items). */
export function weekCovered(dates: ReadonlySet<string> | undefined, week: Week): boolean {
  if (!dates) return false;
  for (let t = week.start.getTime(); t <= week.end.getTime(); t += DAY_MS) {
    if (dates.has(shanghaiDate(new Date(t)))) return true;
  }
  return false;
}

/** What the weekly judgement needs about a set of accounts, as the monitoring loaders return it. */
export interface ComplianceEvidence {
  periods: ReadonlyMap<string, readonly ActivePeriod[]>;
  /** Posts per account, one count per week in the order of the weeks judged. */
  counts: ReadonlyMap<string, readonly number[]>;
  firstPosts: ReadonlyMap<string, Date>;
  /** Shanghai dates with a successful fetch. */
  coverage: ReadonlyMap<string, ReadonlySet<string>>;
  policyFor: (orgId: string, date: string) => Policy;
}

export interface ComplianceRow {
  accountId: string;
  week: string;
  posts: number;
  required: number;
  status: WeekStatus;
}

/**
 * Every account × week. The policy in force on the week's last day decides the minimum. Weeks not
 * over at `now` are not judged below yet: short of the minimum, they are "unknown".
 */
export function judgeWeeks(
  list: readonly { id: string; orgId: string; platform: Platform; feedUrl: string | null }[],
  weeks: readonly Week[],
  e: ComplianceEvidence,
  now?: Date,
): ComplianceRow[] {
  const rows: ComplianceRow[] = [];
  for (const a of list) {
    for (const [i, week] of weeks.entries()) {
      const required = e.policyFor(a.orgId, shanghaiDate(new Date(week.end.getTime() - 1))).weeklyMinimum[a.platform];
      const posts = e.counts.get(a.id)?.[i] ?? 0;
      const unfinished = now !== undefined && week.end > now;
      rows.push({
        accountId: a.id,
        week: week.id,
        posts,
        required,
        status: unfinished && posts < required ? "unknown" : weekStatus({
          week,
          required,
          posts,
          activeThroughout: activeThroughout(e.periods.get(a.id) ?? [], week),
          hasFeed: a.feedUrl !== null,
          fetchCovered: weekCovered(e.coverage.get(a.id), week),
          hasAnySource: a.feedUrl !== null || (e.firstPosts.get(a.id)?.getTime() ?? Infinity) < week.end.getTime(),
        }),
      });
    }
  }
  return rows;
}
