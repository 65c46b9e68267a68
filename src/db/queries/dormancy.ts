// The evidence the dormancy finding reads (last posts, active periods, feed state), loaded once for
// the daily assessment and for the inspection's veto check, then judged by domain/dormancy.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { posts } from "../schema";
import { assessAccount } from "../../domain/dormancy";
import { shanghaiDate, shanghaiDayEnd } from "../../domain/weeks";
import { accountById } from "./accounts";
import { feedStates } from "./feeds";
import { activePeriods, chunks, policyResolver } from "./monitoring";
import { loadOrgIndex } from "./org-tree";

/** Last post at or before `asOf`, active periods and feed state of each account. */
export async function dormancySources(db: DbOrTx, accountIds: readonly string[], asOf: Date) {
  const [lastPosts, periods, feeds] = await Promise.all([
    lastPostTimes(db, accountIds, asOf),
    activePeriods(db, accountIds),
    feedStates(db, accountIds),
  ]);
  return { lastPosts, periods, feeds };
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

/** Whether the account had the two-week veto at the end of the inspection day (or now, if earlier). */
export async function vetoedAt(db: DbOrTx, accountId: string, inspectedOn: string, now: Date): Promise<boolean> {
  const endOfDay = shanghaiDayEnd(inspectedOn);
  const at = endOfDay < now ? endOfDay : now;
  const account = await accountById(db, accountId);
  if (!account) return false;
  const [{ lastPosts, periods, feeds }, index] = await Promise.all([dormancySources(db, [accountId], at), loadOrgIndex(db)]);
  const policy = (await policyResolver(db, index))(account.orgId, shanghaiDate(at));
  // Same finding as the daily alerts: no verdict without readable data.
  return assessAccount({
    now: at,
    account,
    feed: feeds.get(accountId),
    lastPostAt: lastPosts.get(accountId) ?? null,
    periods: periods.get(accountId) ?? [],
    recentWeeks: [],
    policy,
  }).veto;
}
