// Weekly compliance for a set of accounts and weeks: loads the evidence, lets the domain judge.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { posts } from "../schema";
import { judgeWeeks, tallyNeeds, type ComplianceRow, type TallyNeeds, type WeekTally } from "../../domain/compliance";
import type { OrgNode } from "../../domain/orgs";
import type { AccountType, Platform } from "../../domain/platforms";
import type { Week } from "../../domain/weeks";
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
): Promise<ComplianceRow[]> {
  if (list.length === 0 || weeks.length === 0) return [];
  const ids = list.map((a) => a.id);
  const policyFor = await policyResolver(db, index);
  const [periods, counts, firstPosts, coverage] = await Promise.all([
    activePeriods(db, ids),
    weekTallies(db, ids, weeks, tallyNeeds(list, weeks, policyFor)),
    firstPostTimesBySeek(db, ids),
    coverageDates(db, ids, weeks[0]!.start, weeks.at(-1)!.end),
  ]);
  return judgeWeeks(list, weeks, { periods, counts, firstPosts, coverage, policyFor }, now);
}
