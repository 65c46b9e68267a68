// Weekly compliance for a set of accounts and weeks: loads the evidence, lets the domain judge.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { posts, weekTallies as keptTallies } from "../schema";
import { EMPTY_TALLY, judgeWeeks, type ActivePeriod, tallyNeeds, type ComplianceRow, type TallyNeeds, type WeekTally } from "../../domain/compliance";
import type { OrgNode } from "../../domain/orgs";
import type { AccountType, Platform } from "../../domain/platforms";
import { shanghaiDate, type Week } from "../../domain/weeks";
import { coverageDates } from "./feeds";
import { activePeriods, chunks, inIds, policyResolver } from "./monitoring";

const WEEK_MS = 7 * 86_400_000;

/**
 * Per account and week, the counts every update unit needs (domain/compliance WeekTally), in one
 * grouped query per chunk of accounts. Backfill posts are never counted in any week
 * (docs/规则依据.md#更新的计数单位); minutes and days are taken from the stored UTC instant, days
 * shifted to Beijing. Accounts without posts in the range are absent.
 */
export async function weekTallies(
  db: DbOrTx,
  accountIds: readonly string[],
  weeks: readonly Week[],
  /** Only what the policies in force use is counted (distinct counts cost); the rest stay 0. */
  needs: TallyNeeds = { pushes: true, days: true, originals: true },
): Promise<Map<string, WeekTally[]>> {
  const out = new Map<string, WeekTally[]>();
  if (weeks.length === 0 || accountIds.length === 0) return out;
  const from = weeks[0]!.start.toISOString();
  const to = weeks.at(-1)!.end.toISOString();
  // The week of each post: arithmetic on whole seconds when the weeks are consecutive (always, from
  // weekRange; a CASE over many weeks costs twice the whole query), else a CASE. Truncating the
  // milliseconds keeps 23:59:59.999 on the Sunday.
  const consecutive = weeks.every((w, i) => w.start.getTime() === weeks[0]!.start.getTime() + i * WEEK_MS && w.end.getTime() === w.start.getTime() + WEEK_MS);
  const weekIndex = consecutive
    ? // Integer literals (not bound parameters, which the driver may send as REAL): integer division.
      sql`(unixepoch(${posts.publishedAt}) - ${sql.raw(String(Math.trunc(weeks[0]!.start.getTime() / 1000)))}) / ${sql.raw(String(WEEK_MS / 1000))}`
    : sql`case ${sql.join(
        weeks.map((w, i) => sql`when ${posts.publishedAt} >= ${w.start.toISOString()} and ${posts.publishedAt} < ${w.end.toISOString()} then ${i}`),
        sql` `,
      )} end`;
  for (const ids of chunks(accountIds)) {
    // Minutes from the stored UTC instant (Beijing is a whole 8 hours ahead), days shifted to Beijing.
    const x = db
      .select({
        a: posts.accountId,
        r: sql<number>`${posts.repost}`.as("r"),
        m: sql<string>`${needs.pushes ? sql`substr(${posts.publishedAt}, 1, 16)` : sql`null`}`.as("m"),
        d: sql<string>`${needs.days ? sql`date(${posts.publishedAt}, '+8 hours')` : sql`null`}`.as("d"),
        w: sql<number | null>`${weekIndex}`.as("w"),
      })
      .from(posts)
      .where(and(inIds(posts.accountId, ids), gte(posts.publishedAt, from), lt(posts.publishedAt, to), eq(posts.backfill, false)))
      .as("x");
    const rows = await db
      .select({
        a: x.a,
        w: x.w,
        items: sql<number>`count(*)`,
        // Always: the original share (原创占比) is reported whatever countReposts says.
        originalItems: sql<number>`sum(case when ${x.r} = 0 then 1 else 0 end)`,
        pushes: needs.pushes ? sql<number>`count(distinct ${x.m})` : sql<number>`0`,
        originalPushes: needs.pushes && needs.originals ? sql<number>`count(distinct case when ${x.r} = 0 then ${x.m} end)` : sql<number>`0`,
        days: needs.days ? sql<number>`count(distinct ${x.d})` : sql<number>`0`,
        originalDays: needs.days && needs.originals ? sql<number>`count(distinct case when ${x.r} = 0 then ${x.d} end)` : sql<number>`0`,
      })
      .from(x)
      .where(sql`${x.w} is not null`)
      .groupBy(x.a, sql`${x.w}`);
    for (const r of rows) {
      let list = out.get(r.a);
      if (!list) out.set(r.a, (list = weeks.map(() => ({ items: 0, originalItems: 0, pushes: 0, originalPushes: 0, days: 0, originalDays: 0 }))));
      list[Number(r.w)] = {
        items: Number(r.items),
        originalItems: Number(r.originalItems ?? 0),
        pushes: Number(r.pushes),
        originalPushes: Number(r.originalPushes),
        days: Number(r.days),
        originalDays: Number(r.originalDays),
      };
    }
  }
  return out;
}

const ALL_NEEDS: TallyNeeds = { pushes: true, days: true, originals: true };
/** Accounts per write transaction when keeping tallies: each holds the write lock for tens of ms. */
const KEEP_CHUNK = 1000;

/**
 * weekTallies, read from the kept counts (week_tallies) where present and counted from posts where
 * not. With `keepAt`, the counts of weeks over at that instant that had to be counted are kept for
 * the next reader: each week's count and write share one short transaction, so no post can land in
 * between (the triggers on posts drop a kept row whenever its week's posts change). The weekly job
 * then reads one new week of posts, not the whole chronic window (docs/开发.md#周计数).
 */
export async function keptWeekTallies(
  db: DbOrTx,
  accountIds: readonly string[],
  weeks: readonly Week[],
  needs: TallyNeeds,
  keepAt?: Date,
): Promise<Map<string, WeekTally[]>> {
  const out = new Map<string, WeekTally[]>();
  if (weeks.length === 0 || accountIds.length === 0) return out;
  const keys = weeks.map((w) => shanghaiDate(w.start));
  const at = new Map(keys.map((k, i) => [k, i]));
  const put = (accountId: string, i: number, t: WeekTally) => {
    if (t.items === 0) return; // absent means nothing counted, as weekTallies answers
    let list = out.get(accountId);
    if (!list) out.set(accountId, (list = weeks.map(() => EMPTY_TALLY)));
    list[i] = t;
  };
  const kept = new Map<string, Set<number>>();
  const sorted = [...keys].sort();
  for (const ids of chunks(accountIds)) {
    // One row per account (its weeks joined in a string): the driver's cost is per row returned.
    const rows = await db.all<{ a: string; t: string }>(
      sql`select ${keptTallies.accountId} as a, group_concat(${keptTallies.week} || ',' || ${keptTallies.items} || ',' || ${keptTallies.originalItems} || ',' || ${keptTallies.pushes} || ',' || ${keptTallies.originalPushes} || ',' || ${keptTallies.days} || ',' || ${keptTallies.originalDays}, ';') as t
          from ${keptTallies} where ${inIds(keptTallies.accountId, ids)} and ${keptTallies.week} >= ${sorted[0]!} and ${keptTallies.week} <= ${sorted.at(-1)!}
          group by ${keptTallies.accountId}`,
    );
    for (const { a, t } of rows) {
      const set = new Set<number>();
      kept.set(a, set);
      for (const part of t.split(";")) {
        const [week, items, originalItems, pushes, originalPushes, days, originalDays] = part.split(",");
        const i = at.get(week!);
        if (i === undefined) continue;
        set.add(i);
        put(a, i, { items: Number(items), originalItems: Number(originalItems), pushes: Number(pushes), originalPushes: Number(originalPushes), days: Number(days), originalDays: Number(originalDays) });
      }
    }
  }
  const missingIn = (i: number) => accountIds.filter((id) => !kept.get(id)?.has(i));
  const keepable = (i: number) => keepAt !== undefined && weeks[i]!.end.getTime() <= keepAt.getTime();
  // Weeks that will be kept: the accounts missing the same span of them counted together, a slice of
  // accounts per transaction; every (account, week) of the span is written (a fresh count replaces a
  // kept one exactly).
  const countedAt = keepAt?.toISOString();
  const spans = new Map<string, string[]>();
  for (const id of accountIds) {
    let first = -1;
    let last = -1;
    for (let i = 0; i < weeks.length; i++) {
      if (!keepable(i) || kept.get(id)?.has(i)) continue;
      if (first < 0) first = i;
      last = i;
    }
    if (first < 0) continue;
    const key = `${first}:${last}`;
    const group = spans.get(key);
    if (group) group.push(id);
    else spans.set(key, [id]);
  }
  for (const [key, group] of spans) {
    const [first, last] = key.split(":").map(Number) as [number, number];
    const span = weeks.slice(first, last + 1);
    for (const ids of chunks(group, Math.max(100, Math.floor((8 * KEEP_CHUNK) / span.length)))) {
      const counted = await db.transaction(async (tx) => {
        const m = await weekTallies(tx, ids, span, ALL_NEEDS);
        const values = ids.flatMap((accountId) =>
          span.map((_, j) => ({ accountId, week: keys[first + j]!, countedAt: countedAt!, ...(m.get(accountId)?.[j] ?? EMPTY_TALLY) })),
        );
        for (let v = 0; v < values.length; v += KEEP_CHUNK) {
          await tx
            .insert(keptTallies)
            .values(values.slice(v, v + KEEP_CHUNK))
            .onConflictDoUpdate({
              target: [keptTallies.accountId, keptTallies.week],
              set: {
                items: sql`excluded.items`,
                originalItems: sql`excluded.original_items`,
                pushes: sql`excluded.pushes`,
                originalPushes: sql`excluded.original_pushes`,
                days: sql`excluded.days`,
                originalDays: sql`excluded.original_days`,
                countedAt: sql`excluded.counted_at`,
              },
            });
        }
        return m;
      });
      for (const id of ids) {
        const set = kept.get(id) ?? new Set<number>();
        kept.set(id, set);
        span.forEach((_, j) => {
          if (!set.has(first + j)) put(id, first + j, counted.get(id)?.[j] ?? EMPTY_TALLY);
          set.add(first + j);
        });
      }
    }
  }
  // The rest (weeks not over, or a reader that keeps nothing): one count over the missing weeks'
  // span for the accounts missing any of them, as before.
  const rest = weeks.map((_, i) => ({ i, ids: keepable(i) ? [] : missingIn(i) })).filter((w) => w.ids.length > 0);
  const missing = new Set(rest.flatMap((w) => w.ids));
  if (missing.size > 0) {
    const first = rest[0]!.i;
    const last = rest.at(-1)!.i;
    const span = weeks.slice(first, last + 1);
    const counted = await weekTallies(db, [...missing], span, needs);
    for (const [accountId, list] of counted) {
      list.forEach((t, j) => {
        const i = first + j;
        if (!kept.get(accountId)?.has(i)) put(accountId, i, t);
      });
    }
  }
  return out;
}

/**
 * Each account's first post (any source, backfill included), by one index seek per account
 * (posts_account_published_idx) rather than a grouped min() that reads every post the accounts ever
 * had: the weekly job's cost follows the week's posts, not the history's.
 */
async function firstPostTimesBySeek(db: DbOrTx, accountIds: readonly string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (const ids of chunks(accountIds)) {
    const rows = await db.all<{ id: string; first: string | null }>(
      sql`select j.value as id, (select min(p.published_at) from ${posts} p where p.account_id = j.value) as first from json_each(${JSON.stringify(ids)}) j`,
    );
    for (const r of rows) if (r.first !== null) out.set(r.id, new Date(r.first));
  }
  return out;
}

export interface MonitoredAccount {
  id: string;
  orgId: string;
  name: string;
  platform: Platform;
  /** WeChat: 订阅号 or 服务号 (the weekly minimum differs); null elsewhere. */
  accountType?: AccountType | null;
  feedUrl: string | null;
}

export async function computeCompliance(
  db: DbOrTx,
  list: readonly MonitoredAccount[],
  weeks: readonly Week[],
  index: ReadonlyMap<string, OrgNode>,
  /** Weeks not over at this instant are not judged below yet: short of the minimum, they are "unknown". */
  now?: Date,
  opts: {
    /** Keep the counts of weeks over at this instant (the jobs do; a request only reads them). */
    keepAt?: Date;
    /** The accounts' active periods, when the caller has read them already. */
    periods?: Map<string, ActivePeriod[]>;
  } = {},
): Promise<ComplianceRow[]> {
  if (list.length === 0 || weeks.length === 0) return [];
  const ids = list.map((a) => a.id);
  const policyFor = await policyResolver(db, index);
  const [periods, counts, firstPosts, coverage] = await Promise.all([
    opts.periods ?? activePeriods(db, ids),
    keptWeekTallies(db, ids, weeks, tallyNeeds(list, weeks, policyFor), opts.keepAt),
    firstPostTimesBySeek(db, ids),
    coverageDates(db, ids, weeks[0]!.start, weeks.at(-1)!.end),
  ]);
  return judgeWeeks(list, weeks, { periods, counts, firstPosts, coverage, policyFor }, now);
}
