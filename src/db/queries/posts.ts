// Posts (发文记录): storing them idempotently, and the counts and times the monitoring rules read.
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { posts } from "../schema";
import type { Week } from "../../domain/weeks";
import { identityKind, titleMinute } from "../../domain/post-identity";
import { newId } from "../../lib/ids";
import { chunks, inIds } from "./monitoring";

export interface IncomingPost {
  identity: string;
  guid: string | null;
  url: string | null;
  title: string;
  publishedAt: Date;
  dateSource: "feed" | "given" | "first_seen";
  /** Kept and shown, never counted: undated on its feed's first poll (domain/feed-dates). Default false. */
  backfill?: boolean;
  /** A repost (转发) as the bridge or the pusher marks it. Default false. */
  repost?: boolean;
  /** The content's text (≤ 2,000 characters) and links (≤ 20), from domain/post-text summarise; nothing else of it is kept. */
  summary?: string | null;
  links?: string[] | null;
}

/**
 * Stores posts idempotently: the (account, identity) unique index drops anything seen before, so a
 * rerun or an overlapping feed window never duplicates a post. Every source computes the identity
 * with domain/post-identity, so the same article arriving by another feed format, bridge, push or
 * import is a duplicate here too (the first arrival's row is kept as it is).
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
    const chunk = await withoutTwins(db, accountId, incoming.slice(i, i + 200));
    if (chunk.length === 0) continue;
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
          backfill: p.backfill ?? false,
          repost: p.repost ?? false,
          summary: p.summary ?? null,
          links: p.links && p.links.length > 0 ? p.links : null,
          // wordingCheckedAt stays null: the wording check reads new posts after they land.
        })),
      )
      .onConflictDoNothing()
      .returning({ id: posts.id });
    inserted += res.length;
  }
  return { inserted, duplicates: incoming.length - inserted };
}

/**
 * Drops incoming posts that are an article already stored (or earlier in the chunk) under a key of
 * another kind with the same title and publication minute (domain/post-identity sameArticle): e.g.
 * the long WeChat link of an RSSHub route after WeWe RSS's short one, or a push with only a title and
 * time. Only given dates take part: a first-seen time says nothing about the article.
 */
async function withoutTwins(db: DbOrTx, accountId: string, chunk: IncomingPost[]): Promise<IncomingPost[]> {
  const dated = chunk.filter((p) => p.dateSource !== "first_seen");
  if (dated.length === 0) return chunk;
  const times = dated.map((p) => p.publishedAt.getTime());
  const from = new Date(Math.floor(Math.min(...times) / 60_000) * 60_000).toISOString();
  const to = new Date(Math.floor(Math.max(...times) / 60_000) * 60_000 + 60_000).toISOString();
  const stored = await db
    .select({ identity: posts.identity, title: posts.title, publishedAt: posts.publishedAt })
    .from(posts)
    .where(and(eq(posts.accountId, accountId), gte(posts.publishedAt, from), lt(posts.publishedAt, to), inArray(posts.dateSource, ["feed", "given"])));
  const keys = new Set(stored.map((s) => s.identity));
  const kinds = new Map<string, Set<string>>(); // title|minute → kinds of key stored for it
  const note = (identity: string, title: string, publishedAt: Date) => {
    const tm = titleMinute(title, publishedAt);
    kinds.set(tm, (kinds.get(tm) ?? new Set()).add(identityKind(identity)));
  };
  for (const s of stored) note(s.identity, s.title, new Date(s.publishedAt));
  return chunk.filter((p) => {
    // A first-seen date, or a key already stored: the unique index decides.
    if (p.dateSource === "first_seen" || keys.has(p.identity)) return true;
    const other = kinds.get(titleMinute(p.title, p.publishedAt));
    if (other && [...other].some((k) => k !== identityKind(p.identity))) return false;
    keys.add(p.identity);
    note(p.identity, p.title, p.publishedAt);
    return true;
  });
}

/**
 * Each account's last post at or before `asOf` (backfill is never a last post), by one backward
 * index seek per account (posts_account_published_idx): a grouped max() reads every post the
 * accounts ever had, and the daily job's cost would grow with the history.
 */
export async function lastPostTimes(db: DbOrTx, accountIds: readonly string[], asOf: Date): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (const ids of chunks(accountIds)) {
    const rows = await db.all<{ id: string; last: string | null }>(
      sql`select j.value as id, (select p.published_at from ${posts} p where p.account_id = j.value and p.published_at <= ${asOf.toISOString()} and p.backfill = 0 order by p.published_at desc limit 1) as last from json_each(${JSON.stringify(ids)}) j`,
    );
    for (const r of rows) if (r.last !== null) out.set(r.id, new Date(r.last));
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
      .where(and(inIds(posts.accountId, ids), gte(posts.publishedAt, from), lt(posts.publishedAt, to), eq(posts.backfill, false)))
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
      .where(inIds(posts.accountId, ids))
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
    .where(and(inIds(posts.accountId, accountIds), gte(posts.publishedAt, from), lt(posts.publishedAt, to), eq(posts.backfill, false)))
    .groupBy(posts.accountId);
  return new Map(counts.map((c) => [c.id, Number(c.n)]));
}
