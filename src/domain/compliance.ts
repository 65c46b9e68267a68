// The weekly minimum (每周最低更新次数), 鹤政办〔2019〕20号第十二条，docs/规则依据.md#每周最低更新次数. Pure: judges one week from the evidence given.
// 鹤政办〔2019〕20号第十二条："两微一端"每周更新不少于3次，其他政务新媒体每周至少更新1次.
import { originalShare } from "./reposts";
import type { AccountType, Platform } from "./platforms";
import { weeklyMinimumFor, type Policy, type UpdateUnit } from "./policy";
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

/**
 * Why a week is "unknown" (docs/规则依据.md#没有数据不下结论), or why it is not judged:
 * no_source — no feed, and nothing pushed or imported up to the week's end; collection_failed — the
 * feed had no successful fetch covering the week; week_in_progress — the week is not over and the
 * minimum not reached yet; not_active — (on exempt weeks) the account was not active all week.
 */
export const UNKNOWN_REASONS = ["no_source", "collection_failed", "week_in_progress", "not_active"] as const;
export type UnknownReason = (typeof UNKNOWN_REASONS)[number];
export const UNKNOWN_REASON_LABELS: Record<UnknownReason, string> = {
  no_source: "未接入数据来源（无订阅地址，也没有推送或导入的发文）",
  collection_failed: "数据采集异常（订阅源本周没有成功抓取）",
  week_in_progress: "本周尚未结束",
  not_active: "本周并非全程正常运营",
};

/** One post as the counting sees it. */
export interface CountedPost {
  publishedAt: Date;
  /** Seen on a feed's first poll without a trustworthy date: never counted. */
  backfill?: boolean;
  /** A repost (转发): counted only when the policy counts reposts. */
  repost?: boolean;
}

/**
 * Updates among posts (docs/规则依据.md#更新的计数单位): backfill never counts; reposts only if
 * countReposts; then push = distinct minutes (an account's items published within the same minute
 * are one 群发), item = items, day = distinct Beijing dates.
 */
export function countUpdates(list: readonly CountedPost[], unit: UpdateUnit, countReposts: boolean): number {
  const counted = list.filter((p) => !p.backfill && (countReposts || !p.repost));
  if (unit === "item") return counted.length;
  const key = unit === "push" ? (p: CountedPost) => String(Math.floor(p.publishedAt.getTime() / 60_000)) : (p: CountedPost) => shanghaiDate(p.publishedAt);
  return new Set(counted.map(key)).size;
}

/**
 * One account's week as the loaders count it (backfill already left out): every unit, with and
 * without reposts, so the policy in force can pick without another query.
 */
export interface WeekTally {
  items: number;
  /** Items that are not reposts. */
  originalItems: number;
  /** Distinct minutes with an item. */
  pushes: number;
  originalPushes: number;
  /** Distinct Beijing dates with an item. */
  days: number;
  originalDays: number;
}

export const EMPTY_TALLY: WeekTally = Object.freeze({ items: 0, originalItems: 0, pushes: 0, originalPushes: 0, days: 0, originalDays: 0 });

/** Which parts of a tally the policies in force use: the loader counts only those. */
export interface TallyNeeds {
  pushes?: boolean;
  days?: boolean;
  originals?: boolean;
}

/** The tally parts judgeWeeks will read for these accounts and weeks (the policy on each week's last day). */
export function tallyNeeds(
  list: readonly { orgId: string }[],
  weeks: readonly Week[],
  policyFor: (orgId: string, date: string) => Policy,
): TallyNeeds {
  const needs: TallyNeeds = {};
  const orgs = [...new Set(list.map((a) => a.orgId))];
  for (const week of weeks) {
    const date = shanghaiDate(new Date(week.end.getTime() - 1));
    for (const orgId of orgs) {
      const p = policyFor(orgId, date);
      if (p.updateUnit === "push") needs.pushes = true;
      if (p.updateUnit === "day") needs.days = true;
      if (!p.countReposts) needs.originals = true;
    }
  }
  return needs;
}

/** The updates of a tallied week under a unit and the repost rule (same result as countUpdates). */
export function updatesOf(t: WeekTally, unit: UpdateUnit, countReposts: boolean): number {
  if (unit === "item") return countReposts ? t.items : t.originalItems;
  if (unit === "push") return countReposts ? t.pushes : t.originalPushes;
  return countReposts ? t.days : t.originalDays;
}

/** The tally of a list of posts (what the SQL loader computes), for tests and small in-memory uses. */
export function tallyOf(list: readonly CountedPost[]): WeekTally {
  const seen = list.filter((p) => !p.backfill);
  return {
    items: countUpdates(seen, "item", true),
    originalItems: countUpdates(seen, "item", false),
    pushes: countUpdates(seen, "push", true),
    originalPushes: countUpdates(seen, "push", false),
    days: countUpdates(seen, "day", true),
    originalDays: countUpdates(seen, "day", false),
  };
}

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
  /** The weekly minimum in force (weeklyMinimumFor: per platform, 服务号 its own). */
  required: number;
  /** Updates counted in the week under the policy's unit (docs/规则依据.md#更新的计数单位). */
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
  return weekVerdict(e).status;
}

/** weekStatus with the reason of an unknown (or exempt) week; null for compliant and below. */
export function weekVerdict(e: WeekEvidence): { status: WeekStatus; unknownReason: UnknownReason | null } {
  if (!e.activeThroughout) return { status: "exempt", unknownReason: "not_active" };
  if (e.required <= 0 || e.posts >= e.required) return { status: "compliant", unknownReason: null };
  if (e.hasFeed && !e.fetchCovered) return { status: "unknown", unknownReason: "collection_failed" };
  if (!e.hasFeed && !e.hasAnySource) return { status: "unknown", unknownReason: "no_source" };
  return { status: "below", unknownReason: null };
}

export interface ComplianceSummaryRow {
  key: string;
  total: number;
  compliant: number;
  below: number;
  exempt: number;
  unknown: number;
  /** compliant + below: the rows that could be judged ("7 个账号中 4 个可判断"). */
  judged: number;
  /** The unknown rows by their reason. */
  unknownReasons: Record<Exclude<UnknownReason, "not_active">, number>;
  /** compliant / judged: exempt and unknown weeks are not judged. null if none judged. */
  rate: number | null;
}

/** Counts per group (unit, platform …), sorted by key. */
export function summarise(rows: readonly { status: WeekStatus; groupKey: string; unknownReason?: UnknownReason | null }[]): ComplianceSummaryRow[] {
  const groups = new Map<string, ComplianceSummaryRow>();
  for (const r of rows) {
    let g = groups.get(r.groupKey);
    if (!g) {
      g = { key: r.groupKey, total: 0, compliant: 0, below: 0, exempt: 0, unknown: 0, judged: 0, unknownReasons: { no_source: 0, collection_failed: 0, week_in_progress: 0 }, rate: null };
      groups.set(r.groupKey, g);
    }
    g.total += 1;
    g[r.status] += 1;
    if (r.status === "unknown" && r.unknownReason && r.unknownReason !== "not_active") g.unknownReasons[r.unknownReason] += 1;
  }
  const out = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const g of out) {
    g.judged = g.compliant + g.below;
    g.rate = g.judged === 0 ? null : g.compliant / g.judged;
  }
  return out;
}

/** Updates expected by now at an even pace: ceil(required × elapsed share of the week). */
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
  /** Per account, one tally per week in the order of the weeks judged (backfill left out). */
  counts: ReadonlyMap<string, readonly WeekTally[]>;
  firstPosts: ReadonlyMap<string, Date>;
  /** Shanghai dates with a successful fetch. */
  coverage: ReadonlyMap<string, ReadonlySet<string>>;
  policyFor: (orgId: string, date: string) => Policy;
}

export interface ComplianceRow {
  accountId: string;
  week: string;
  /** Items published in the week (backfill left out). */
  posts: number;
  /** Updates in the policy's unit: what the status is judged on. */
  updates: number;
  updateUnit: UpdateUnit;
  required: number;
  status: WeekStatus;
  unknownReason: UnknownReason | null;
  /** Of the posts, reposts (转发) where the bridge or the pusher marked them. */
  reposts: number;
  /** originals / posts in the week; null without posts. */
  originalShare: number | null;
}

/**
 * Every account × week. The policy in force on the week's last day decides the minimum. Weeks not
 * over at `now` are not judged below yet: short of the minimum, they are "unknown".
 */
export function judgeWeeks(
  list: readonly { id: string; orgId: string; platform: Platform; accountType?: AccountType | null; feedUrl: string | null }[],
  weeks: readonly Week[],
  e: ComplianceEvidence,
  now?: Date,
): ComplianceRow[] {
  const rows: ComplianceRow[] = [];
  for (const a of list) {
    for (const [i, week] of weeks.entries()) {
      const policy = e.policyFor(a.orgId, shanghaiDate(new Date(week.end.getTime() - 1)));
      const required = weeklyMinimumFor(policy, a.platform, a.accountType);
      const tally = e.counts.get(a.id)?.[i] ?? EMPTY_TALLY;
      const updates = updatesOf(tally, policy.updateUnit, policy.countReposts);
      const unfinished = now !== undefined && week.end > now;
      const verdict = weekVerdict({
        week,
        required,
        posts: updates,
        activeThroughout: activeThroughout(e.periods.get(a.id) ?? [], week),
        hasFeed: a.feedUrl !== null,
        fetchCovered: weekCovered(e.coverage.get(a.id), week),
        hasAnySource: a.feedUrl !== null || (e.firstPosts.get(a.id)?.getTime() ?? Infinity) < week.end.getTime(),
      });
      // Not over and short of the minimum: not below yet; a missing source still says so.
      const pending = unfinished && updates < required;
      rows.push({
        accountId: a.id,
        week: week.id,
        posts: tally.items,
        updates,
        reposts: tally.items - tally.originalItems,
        originalShare: originalShare({ posts: tally.items, reposts: tally.items - tally.originalItems }),
        updateUnit: policy.updateUnit,
        required,
        status: pending ? "unknown" : verdict.status,
        unknownReason: pending ? (verdict.status === "unknown" ? verdict.unknownReason : "week_in_progress") : verdict.unknownReason,
      });
    }
  }
  return rows;
}
