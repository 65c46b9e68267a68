// Wording checks (错敏词, docs/规则依据.md#错敏词): the rules in force, the posts to read, and the hits
// and alerts they leave. Reads here run outside any transaction; the writes are short.
import { and, asc, count, eq, gt, gte, inArray, isNull, like, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, alerts, orgs, posts, wordingHits, wordRules } from "../schema";
import { OPEN_ALERT_STATUSES } from "../../domain/alerts";
import type { WordRule } from "../../domain/wording";
import { chunks } from "./monitoring";

export type WordRuleRow = typeof wordRules.$inferSelect;
export type WordingHitRow = typeof wordingHits.$inferSelect;
export type NewWordingHit = typeof wordingHits.$inferInsert;

/** A post as the wording check reads it, with what its alert and notice need. */
export interface WordingPost {
  id: string;
  accountId: string;
  title: string;
  summary: string | null;
  publishedAt: string;
  accountName: string;
  accountStatus: string;
  orgId: string;
  orgName: string;
  /** The account's org path ("/root/…/org/"): the jurisdictions whose rules apply. */
  orgPath: string;
}

export const toWordRule = (r: WordRuleRow): WordRule => ({ id: r.id, orgId: r.orgId, wrong: r.wrong, key: r.key, correct: r.correct, kind: r.kind, note: r.note });

/** Live rules of these orgs, or of every org. */
export async function liveWordRules(db: DbOrTx, orgIds?: readonly string[]): Promise<WordRuleRow[]> {
  if (orgIds && orgIds.length === 0) return [];
  const live = isNull(wordRules.deletedAt);
  return db
    .select()
    .from(wordRules)
    .where(orgIds ? and(live, inArray(wordRules.orgId, [...orgIds])) : live)
    .orderBy(asc(wordRules.createdAt), asc(wordRules.id));
}

export async function wordRuleById(db: DbOrTx, id: string): Promise<WordRuleRow | undefined> {
  const [row] = await db.select().from(wordRules).where(eq(wordRules.id, id)).limit(1);
  return row;
}

const postColumns = {
  id: posts.id,
  accountId: posts.accountId,
  title: posts.title,
  summary: posts.summary,
  publishedAt: posts.publishedAt,
  accountName: accounts.name,
  accountStatus: accounts.status,
  orgId: accounts.orgId,
  orgName: orgs.name,
  orgPath: orgs.path,
};

/**
 * Posts not read yet, published since `since`, oldest first: the partial index
 * posts_wording_unchecked_idx finds them without scanning the table.
 */
export async function uncheckedPosts(db: DbOrTx, since: Date, limit: number, accountId?: string): Promise<WordingPost[]> {
  return db
    .select(postColumns)
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(and(sql`${posts.wordingCheckedAt} IS NULL`, gte(posts.publishedAt, since.toISOString()), accountId === undefined ? undefined : eq(posts.accountId, accountId)))
    .orderBy(asc(posts.publishedAt), asc(posts.id))
    .limit(limit);
}

/** Posts not read yet whose account is gone: marked read so they leave the index. */
export async function orphanUncheckedPostIds(db: DbOrTx, since: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: posts.id })
    .from(posts)
    .leftJoin(accounts, eq(accounts.id, posts.accountId))
    .where(and(sql`${posts.wordingCheckedAt} IS NULL`, gte(posts.publishedAt, since.toISOString()), isNull(accounts.id)))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Marks up to `limit` unread posts published before `before` as read, without reading them: they are
 * outside the wording window (posts there before the check existed, late imports of old posts), and
 * would otherwise stay in the unread index for good. Returns how many were marked.
 */
export async function markOutOfWindowChecked(db: DbOrTx, before: Date, limit: number, at: Date): Promise<number> {
  const res = await db.run(
    sql`update ${posts} set wording_checked_at = ${at.toISOString()} where ${posts.id} in
        (select id from ${posts} where wording_checked_at is null and published_at < ${before.toISOString()} limit ${limit})`,
  );
  return Number(res.rowsAffected ?? 0);
}

/** One page of the posts of a subtree's accounts published since `since`, in (publishedAt, id) order after `after`. */
export async function subtreePostsSince(
  db: DbOrTx,
  orgPath: string,
  since: Date,
  after: { publishedAt: string; id: string } | null,
  limit: number,
): Promise<WordingPost[]> {
  const window = gte(posts.publishedAt, since.toISOString());
  const page = after ? or(gt(posts.publishedAt, after.publishedAt), and(eq(posts.publishedAt, after.publishedAt), gt(posts.id, after.id))) : undefined;
  return db
    .select(postColumns)
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.accountId))
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(and(like(orgs.path, `${orgPath}%`), window, page))
    .orderBy(asc(posts.publishedAt), asc(posts.id))
    .limit(limit);
}

/** Stores hits; the ones already there (same post and key) are left alone. Returns only the new ones. */
export async function insertHits(db: DbOrTx, hits: readonly NewWordingHit[]): Promise<WordingHitRow[]> {
  const out: WordingHitRow[] = [];
  for (const batch of chunks([...hits], 100)) {
    out.push(...(await db.insert(wordingHits).values(batch).onConflictDoNothing().returning()));
  }
  return out;
}

export async function markPostsChecked(db: DbOrTx, postIds: readonly string[], at: Date): Promise<void> {
  for (const ids of chunks([...postIds], 500)) {
    await db.update(posts).set({ wordingCheckedAt: at.toISOString() }).where(inArray(posts.id, ids));
  }
}

/** The open wording alert of each of these accounts, by account. */
export async function openWordingAlerts(db: DbOrTx, accountIds: readonly string[]): Promise<Map<string, typeof alerts.$inferSelect>> {
  const out = new Map<string, typeof alerts.$inferSelect>();
  for (const ids of chunks([...accountIds], 500)) {
    const rows = await db
      .select()
      .from(alerts)
      .where(and(inArray(alerts.accountId, ids), eq(alerts.kind, "wording"), inArray(alerts.status, [...OPEN_ALERT_STATUSES])));
    for (const r of rows) out.set(r.accountId, r);
  }
  return out;
}

/** How many hits each alert holds. */
export async function hitCountsByAlert(db: DbOrTx, open: readonly { id: string; accountId: string }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const batch of chunks([...open], 500)) {
    // By account first: wording_hits_account_idx narrows it to these accounts' hits.
    const rows = await db
      .select({ alertId: wordingHits.alertId, n: count() })
      .from(wordingHits)
      .where(and(inArray(wordingHits.accountId, batch.map((a) => a.accountId)), inArray(wordingHits.alertId, batch.map((a) => a.id))))
      .groupBy(wordingHits.alertId);
    for (const r of rows) if (r.alertId) out.set(r.alertId, r.n);
  }
  return out;
}

export async function setHitsAlert(db: DbOrTx, hitIds: readonly number[], alertId: string): Promise<void> {
  for (const ids of chunks([...hitIds], 500)) {
    await db.update(wordingHits).set({ alertId }).where(inArray(wordingHits.id, ids));
  }
}
