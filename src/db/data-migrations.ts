// Data migrations: changes to stored rows (not to the schema) that a new rule needs, run once after
// the SQL migrations and recorded in the same `_migrations` table under a `data:` tag. Each works in
// short batches, one small write transaction each, because the database may be shared with a running
// server (db/embedded.ts serialises writes: a long transaction would stall every request). A run cut
// short is simply run again: each migration only touches rows it has not yet converted, and the tag
// is written at the end.
import type { Client, Row, Transaction } from "@libsql/client";
import { postIdentity, sameArticle } from "../domain/post-identity";
import { parseFeedDate } from "../feeds/normalise";

export interface DataMigrationReport {
  tag: string;
  /** What was done, in counts (e.g. rekeyed, merged). */
  counts: Record<string, number>;
}

export interface DataMigration {
  tag: string;
  run(client: Client, now: () => Date): Promise<DataMigrationReport>;
}

const BATCH = 100;

/**
 * data:0001_rekey_posts — post identities as domain/post-identity computes them (issue 9: the same
 * WeChat article was `g:AbCdEf1` from WeWe RSS Atom and `g:https://mp.weixin.qq.com/s/AbCdEf1` from
 * its RSS, so a change of format double-counted). Rows still under the old keys (`g:` guid, `l:`
 * link, `t:` title|raw date) get the new key; where an account then holds two rows with one key, the
 * one first seen earlier is kept and the other is recorded in post_merges (its full row) and deleted.
 */
export const rekeyPosts: DataMigration = {
  tag: "data:0001_rekey_posts",
  async run(client, now) {
    const counts = { scanned: 0, rekeyed: 0, merged: 0 };
    let cursor = 0;
    // Old keys of rows re-keyed in this run: a row re-keyed here and then merged into one seen earlier
    // is recorded as it was stored, not as this run left it.
    const original = new Map<string, string>();
    for (;;) {
      const tx = await client.transaction("write");
      try {
        const rs = await tx.execute({
          sql: `SELECT p.rowid AS _rowid, p.*, a.platform AS _platform FROM posts p LEFT JOIN accounts a ON a.id = p.account_id
                WHERE p.rowid > ? AND substr(p.identity, 1, 2) IN ('g:', 'l:', 't:') ORDER BY p.rowid LIMIT ?`,
          args: [cursor, BATCH],
        });
        for (const r of rs.rows) {
          counts.scanned++;
          const row = plain(r, rs.columns);
          const after = newIdentity(row);
          const hit = await tx.execute({ sql: "SELECT * FROM posts WHERE account_id = ? AND identity = ?", args: [String(row.account_id), after] });
          const exact = hit.rows[0] ? plain(hit.rows[0], hit.columns) : undefined;
          const twin = exact ?? (await findTwin(tx, row, after));
          if (!twin) {
            await tx.execute({ sql: "UPDATE posts SET identity = ? WHERE id = ?", args: [after, String(row.id)] });
            original.set(String(row.id), String(row.identity));
            counts.rekeyed++;
            continue;
          }
          // The same article stored twice: keep the one seen first (ties: the one already re-keyed).
          const keepRow = String(row.first_seen_at) < String(twin.first_seen_at);
          const [keep, dropped] = keepRow ? [row, twin] : [twin, row];
          const drop: Record<string, unknown> = { ...dropped, identity: original.get(String(dropped.id)) ?? dropped.identity };
          const identityAfter = keepRow ? after : String(twin.identity);
          await tx.execute({
            sql: `INSERT INTO post_merges (account_id, merged_post_id, into_post_id, identity_before, identity_after, merged_row, reason, merged_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            args: [
              String(row.account_id),
              String(drop.id),
              String(keep.id),
              String(drop.identity),
              identityAfter,
              JSON.stringify(Object.fromEntries(Object.entries(drop).filter(([k]) => !k.startsWith("_")))),
              exact
                ? `${rekeyPosts.tag}：新身份规则下与保留的发文为同一篇（同一文章编号、标识或链接）`
                : `${rekeyPosts.tag}：标题与发布时间（到分钟）与保留的发文相同，只是识别方式不同（如微信长链接与短链接）`,
              now().toISOString(),
            ],
          });
          await tx.execute({ sql: "DELETE FROM posts WHERE id = ?", args: [String(drop.id)] });
          if (keepRow) {
            await tx.execute({ sql: "UPDATE posts SET identity = ? WHERE id = ?", args: [after, String(row.id)] });
            original.set(String(row.id), String(row.identity));
          }
          counts.merged++;
          // `rekeyed` counts the posts kept under a new key: one re-keyed earlier in this run and now merged away no longer does.
          if (keepRow) counts.rekeyed++;
          if (original.delete(String(drop.id))) counts.rekeyed--;
        }
        await tx.commit();
        if (rs.rows.length < BATCH) break;
        cursor = Number(rs.rows.at(-1)!._rowid);
      } finally {
        tx.close();
      }
    }
    return { tag: rekeyPosts.tag, counts };
  },
};

/**
 * A post of the same account, already under a new key of another kind, with the same title and
 * publication minute (domain/post-identity sameArticle, as storePosts matches new arrivals). Rows
 * still under old keys are compared when their own turn comes.
 */
async function findTwin(tx: Transaction, row: Record<string, unknown>, after: string): Promise<Record<string, unknown> | undefined> {
  if (row.date_source === "first_seen") return undefined;
  const at = new Date(String(row.published_at));
  if (Number.isNaN(at.getTime())) return undefined;
  const from = Math.floor(at.getTime() / 60_000) * 60_000;
  const rs = await tx.execute({
    sql: `SELECT * FROM posts WHERE account_id = ? AND published_at >= ? AND published_at < ? AND date_source IN ('feed', 'given')
          AND substr(identity, 1, 2) NOT IN ('g:', 'l:', 't:') AND id <> ? ORDER BY first_seen_at, rowid`,
    args: [String(row.account_id), new Date(from).toISOString(), new Date(from + 60_000).toISOString(), String(row.id)],
  });
  const me = { identity: after, title: String(row.title), publishedAt: at };
  return rs.rows
    .map((r) => plain(r, rs.columns))
    .find((c) => sameArticle(me, { identity: String(c.identity), title: String(c.title), publishedAt: new Date(String(c.published_at)) }));
}

/**
 * The new key of a row stored under an old one, from what was stored: the guid and url columns, the
 * link and raw date kept inside the old key (`l:<link as written>`, `t:<title>|<raw date>`), and the
 * account's platform. The same inputs normaliseItems would see on the next poll.
 */
export function newIdentity(row: Record<string, unknown>): string {
  const old = String(row.identity);
  const body = old.slice(2);
  // A capped old key ends in "#<fnv hex>": the text inside is then incomplete; use the columns.
  const capped = old.length >= 1000 && /#[0-9a-f]{16}$/.test(old);
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  const link = old.startsWith("l:") && !capped ? body : str(row.url);
  let publishedAt: Date | null = null;
  if (old.startsWith("t:") && !capped) {
    const raw = body.slice(body.lastIndexOf("|") + 1);
    publishedAt = raw === "" ? null : parseFeedDate(raw);
  } else if (row.date_source !== "first_seen") {
    publishedAt = new Date(String(row.published_at));
  }
  return postIdentity({ guid: str(row.guid), link, title: String(row.title ?? ""), publishedAt }, str(row._platform));
}

/** A result row as a plain object (bigint → number, so it can be JSON). */
function plain(r: Row, columns: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of columns) {
    const v = r[k];
    out[k] = typeof v === "bigint" ? Number(v) : v;
  }
  return out;
}

export const DATA_MIGRATIONS: readonly DataMigration[] = [rekeyPosts];

/**
 * Runs the data migrations not yet recorded in `_migrations`, in order; returns their reports (empty
 * when there was nothing to do). Run after the SQL migrations: the tables must exist.
 */
export async function runDataMigrations(
  client: Client,
  migrations: readonly DataMigration[] = DATA_MIGRATIONS,
  now: () => Date = () => new Date(),
): Promise<DataMigrationReport[]> {
  await client.execute("CREATE TABLE IF NOT EXISTS _migrations (tag TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)");
  const done = new Set((await client.execute("SELECT tag FROM _migrations")).rows.map((r) => String(r.tag)));
  const reports: DataMigrationReport[] = [];
  for (const m of migrations) {
    if (done.has(m.tag)) continue;
    reports.push(await m.run(client, now));
    await client.execute({
      sql: "INSERT INTO _migrations (tag, applied_at) VALUES (?, ?) ON CONFLICT(tag) DO NOTHING",
      args: [m.tag, now().toISOString()],
    });
  }
  return reports;
}
