import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { posts } from "../db/schema";
import { newId } from "../lib/ids";

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
