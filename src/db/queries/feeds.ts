// Feeds (订阅源): per-feed polling state and the dates a feed was read successfully.
import { and, eq, getTableColumns, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
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

/** Stores the state after a poll; the same write frees the poller's claim on the feed (feed-claims.ts). */
export async function saveFeedState(db: DbOrTx, state: FeedState): Promise<void> {
  const row = { ...state, claimedBy: null, claimedUntil: null };
  await db.insert(feedState).values(row).onConflictDoUpdate({ target: feedState.accountId, set: row });
}

/** The states after many polls in one statement per 500 feeds (as saveFeedState: each frees its claim). */
export async function saveFeedStates(db: DbOrTx, states: readonly FeedState[]): Promise<void> {
  const set = Object.fromEntries(
    Object.entries(getTableColumns(feedState))
      .filter(([key]) => key !== "accountId")
      .map(([key, column]) => [key, sql.raw(`excluded.${column.name}`)]),
  );
  for (let i = 0; i < states.length; i += 500) {
    const rows = states.slice(i, i + 500).map((s) => ({ ...s, claimedBy: null, claimedUntil: null }));
    await db.insert(feedState).values(rows).onConflictDoUpdate({ target: feedState.accountId, set });
  }
}

/** recordCoverage for many accounts at once. */
export async function recordCoverages(db: DbOrTx, accountIds: readonly string[], at: Date): Promise<void> {
  const date = shanghaiDate(at);
  for (let i = 0; i < accountIds.length; i += 500) {
    await db
      .insert(feedCoverage)
      .values(accountIds.slice(i, i + 500).map((accountId) => ({ accountId, date })))
      .onConflictDoNothing();
  }
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
