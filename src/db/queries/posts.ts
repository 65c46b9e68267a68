// Posts (发文记录): storing them idempotently, and the counts and times the monitoring rules read.
import { and, gte, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { posts } from "../schema";
import type { Week } from "../../domain/weeks";
import { newId } from "../../lib/ids";
import { chunks } from "./monitoring";

export interface IncomingPost {
  identity: string;
  guid: string | null;
  url: string | null;
  title: string;
  publishedAt: Date;
  dateSource: "feed" | "given" | "first_seen";
}

/**
 * Stores posts idempotently: the (account, identity) unique index drops anything seen before, so a
 * rerun or an overlapping feed window never duplicates a post.
 */
export async function storePosts(
  db: DbOrTx,
  accountId: string,
  incoming: readonly IncomingPost[],
  source: "feed" | "api" | "import",
  at: Date,
): Promise<{ inserted: number; duplicates: number }> {
  let inserted = 0;
  for (let i = 0; i < incoming.length; i += 200) {
    const chunk = incoming.slice(i, i + 200);
    const res = await db
      .insert(posts)
      .values(
        chunk.map((p) => ({
          id: newId(),
          accountId,
          identity: p.identity,
          guid: p.guid,
          url: p.url,
          title: p.title,
          publishedAt: p.publishedAt.toISOString(),
          dateSource: p.dateSource,
          source,
          firstSeenAt: at.toISOString(),
        })),
      )
      .onConflictDoNothing()
      .returning({ id: posts.id });
    inserted += res.length;
  }
  return { inserted, duplicates: incoming.length - inserted };
}

/** Latest post at or before `asOf` per account (absent if none): jobs may run for a past instant. */
export async function lastPostTimes(db: DbOrTx, accountIds: readonly string[], asOf: Date): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const ids = accountIds.slice(i, i + 500);
    const rows = await db
      .select({ accountId: posts.accountId, last: sql<string>`max(${posts.publishedAt})` })
      .from(posts)
      .where(sql`${posts.accountId} IN ${ids} AND ${posts.publishedAt} <= ${asOf.toISOString()}`)
      .groupBy(posts.accountId);
    for (const r of rows) out.set(r.accountId, new Date(r.last));
  }
  return out;
}

/** Posts per account per week, counted with exact string bounds on the stored UTC instants. */
export async function postCountsByWeek(
  db: DbOrTx,
  accountIds: readonly string[],
  weeks: readonly Week[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (weeks.length === 0) return out;
  const from = weeks[0]!.start.toISOString();
  const to = weeks.at(-1)!.end.toISOString();
  const sums = weeks.map(
    (w) =>
      sql<number>`sum(case when ${posts.publishedAt} >= ${w.start.toISOString()} and ${posts.publishedAt} < ${w.end.toISOString()} then 1 else 0 end)`,
  );
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select({ accountId: posts.accountId, ...Object.fromEntries(sums.map((s, i) => [`w${i}`, s])) })
      .from(posts)
      .where(and(inArray(posts.accountId, ids), gte(posts.publishedAt, from), lt(posts.publishedAt, to)))
      .groupBy(posts.accountId);
    for (const r of rows as Record<string, unknown>[]) {
      out.set(String(r.accountId), weeks.map((_, i) => Number(r[`w${i}`] ?? 0)));
    }
  }
  return out;
}

/**
 * The earliest known post per account. For accounts without a feed, data starts there: weeks before
 * it are "unknown" (nobody was pushing yet), not "0 posts".
 */
export async function firstPostTimes(db: DbOrTx, accountIds: readonly string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select({ id: posts.accountId, first: sql<string>`min(${posts.publishedAt})` })
      .from(posts)
      .where(inArray(posts.accountId, ids))
      .groupBy(posts.accountId);
    for (const r of rows) out.set(r.id, new Date(r.first));
  }
  return out;
}

/** Posts per account published in [from, to) (ISO instants); accounts with none are absent. */
export async function postCountsBetween(db: DbOrTx, accountIds: readonly string[], from: string, to: string): Promise<Map<string, number>> {
  if (accountIds.length === 0) return new Map();
  const counts = await db
    .select({ id: posts.accountId, n: sql<number>`count(*)` })
    .from(posts)
    .where(and(inArray(posts.accountId, [...accountIds]), gte(posts.publishedAt, from), lt(posts.publishedAt, to)))
    .groupBy(posts.accountId);
  return new Map(counts.map((c) => [c.id, Number(c.n)]));
}
