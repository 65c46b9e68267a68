// Feeds (订阅源): per-feed polling state and the dates a feed was read successfully.
import { and, eq, gte, inArray, isNotNull, lt } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, feedCoverage, feedState, orgs } from "../schema";
import type { FeedState } from "../../domain/feed-state";
import { IN_USE_STATUSES } from "../../domain/lifecycle";
import { shanghaiDate } from "../../domain/weeks";
import { chunks, inIds } from "./monitoring";

export type FeedStateRow = typeof feedState.$inferSelect;

/** In-use accounts that have a feed, with their feed state (if polled before) and org name. */
export async function feedsToPoll(db: DbOrTx) {
  return db
    .select({ a: accounts, s: feedState, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .leftJoin(feedState, eq(feedState.accountId, accounts.id))
    .where(and(isNotNull(accounts.feedUrl), inArray(accounts.status, [...IN_USE_STATUSES])));
}

/** The feed state of each given account that was ever polled. */
export async function feedStates(db: DbOrTx, accountIds: readonly string[]): Promise<Map<string, FeedStateRow>> {
  const out = new Map<string, FeedStateRow>();
  for (const ids of chunks(accountIds)) {
    for (const s of await db.select().from(feedState).where(inIds(feedState.accountId, ids))) out.set(s.accountId, s);
  }
  return out;
}

export async function saveFeedState(db: DbOrTx, state: FeedState): Promise<void> {
  await db.insert(feedState).values(state).onConflictDoUpdate({ target: feedState.accountId, set: state });
}

/** Notes that the account's feed was read successfully on this Shanghai date. */
export async function recordCoverage(db: DbOrTx, accountId: string, at: Date): Promise<void> {
  await db.insert(feedCoverage).values({ accountId, date: shanghaiDate(at) }).onConflictDoNothing();
}

/** Shanghai dates with a successful fetch, per account, between two instants. */
export async function coverageDates(
  db: DbOrTx,
  accountIds: readonly string[],
  from: Date,
  to: Date,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select()
      .from(feedCoverage)
      .where(
        and(
          inIds(feedCoverage.accountId, ids),
          gte(feedCoverage.date, shanghaiDate(from)),
          lt(feedCoverage.date, shanghaiDate(new Date(to.getTime() + 86_400_000))),
        ),
      );
    for (const r of rows) out.set(r.accountId, (out.get(r.accountId) ?? new Set()).add(r.date));
  }
  return out;
}
