// Feed claims (订阅源领取): before a poller fetches a feed it claims it for a while in feed_state, so
// no two pollers (two Node processes, a Node and a Worker, two queue consumers) fetch the same feed.
// A claim ends when the poll is recorded (recordPoll clears it), when it expires, or — on Node — when
// its process is known dead. Plain SQL that the embedded database and a libSQL server both run.
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../client";
import { accounts, feedState, orgs } from "../schema";
import { IN_USE_STATUSES } from "../../domain/lifecycle";
import { chunks, inIds } from "./monitoring";

export interface ClaimRequest {
  /** The instant the poll runs for: feeds with next_due_at ≤ now are due. */
  now: Date;
  /** Who claims: unique per poller run (`host:pid:…` on Node, an invocation id on Workers). */
  claimer: string;
  limit: number;
  leaseMs: number;
  /** Real time, for the claims' expiry (defaults to `now`; they differ for `npm run job --at …`). */
  wallNow?: Date;
  /** false when a claimer is known dead (a killed process on this host): its claims are free at once. */
  isAlive?: (claimer: string) => boolean | undefined;
}

const inUse = () => and(isNotNull(accounts.feedUrl), inArray(accounts.status, [...IN_USE_STATUSES]));

/**
 * Claims up to `limit` due feeds in one short write transaction and returns their account ids.
 * Due: an in-use account with a feed address that was never polled, whose address changed, or whose
 * next_due_at has come; and not claimed by someone else whose claim still runs.
 */
export async function claimDueFeeds(db: Db, req: ClaimRequest): Promise<string[]> {
  if (req.limit <= 0) return [];
  const wall = (req.wallNow ?? req.now).toISOString();
  const until = new Date((req.wallNow ?? req.now).getTime() + req.leaseMs).toISOString();
  return db.transaction(async (tx) => {
    // Never-polled feeds get their row now (due at once), so the claim below is one UPDATE.
    // (Written out: drizzle's insert-select wants every column of the table.)
    await tx.run(sql`
      INSERT INTO feed_state (account_id, feed_url, next_due_at)
      SELECT ${accounts.id}, ${accounts.feedUrl}, ${req.now.toISOString()} FROM ${accounts}
      WHERE ${inUse()} AND NOT EXISTS (SELECT 1 FROM feed_state s WHERE s.account_id = ${accounts.id})
      ON CONFLICT (account_id) DO NOTHING`);

    // Claims of a dead process (kill -9 of `npm run job`) need not wait for their expiry.
    let dead: string[] = [];
    if (req.isAlive) {
      const holders = await tx
        .selectDistinct({ by: feedState.claimedBy })
        .from(feedState)
        .where(and(isNotNull(feedState.claimedBy), gt(feedState.claimedUntil, wall)));
      dead = holders.map((h) => h.by!).filter((by) => by !== req.claimer && req.isAlive!(by) === false);
    }
    const free = or(isNull(feedState.claimedUntil), lte(feedState.claimedUntil, wall), dead.length ? inArray(feedState.claimedBy, dead) : undefined);
    const due = tx
      .select({ id: feedState.accountId })
      .from(feedState)
      .innerJoin(accounts, eq(accounts.id, feedState.accountId))
      .where(and(inUse(), or(lte(feedState.nextDueAt, req.now.toISOString()), ne(feedState.feedUrl, accounts.feedUrl)), free))
      .orderBy(asc(feedState.nextDueAt), asc(feedState.accountId))
      .limit(req.limit);
    const rows = await tx
      .update(feedState)
      .set({ claimedBy: req.claimer, claimedUntil: until })
      .where(and(inArray(feedState.accountId, due), free))
      .returning({ id: feedState.accountId });
    return rows.map((r) => r.id);
  });
}

/**
 * Keeps the claims this claimer still holds on these feeds for another lease, and returns their ids.
 * A queue consumer calls it first: a feed whose claim was recorded (cleared) or taken over since the
 * message was sent is not polled again.
 */
export async function renewClaims(db: Db, claimer: string, accountIds: readonly string[], until: Date): Promise<string[]> {
  const out: string[] = [];
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .update(feedState)
      .set({ claimedUntil: until.toISOString() })
      .where(and(inIds(feedState.accountId, ids), eq(feedState.claimedBy, claimer)))
      .returning({ id: feedState.accountId });
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

/**
 * Frees what this claimer still holds (of these feeds, or all): a run that stopped early, a batch the
 * queue refused. A recorded poll frees its own feed (saveFeedState).
 */
export async function releaseClaims(db: DbOrTx, claimer: string, accountIds?: readonly string[]): Promise<number> {
  const mine = eq(feedState.claimedBy, claimer);
  if (!accountIds) {
    return (await db.update(feedState).set({ claimedBy: null, claimedUntil: null }).where(mine).returning({ id: feedState.accountId })).length;
  }
  let n = 0;
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .update(feedState)
      .set({ claimedBy: null, claimedUntil: null })
      .where(and(mine, inIds(feedState.accountId, ids)))
      .returning({ id: feedState.accountId });
    n += rows.length;
  }
  return n;
}

/** The claimed feeds to poll: in-use accounts with a feed, their state and org name. */
export async function claimedFeeds(db: DbOrTx, accountIds: readonly string[]) {
  const out = [];
  for (const ids of chunks(accountIds)) {
    out.push(
      ...(await db
        .select({ a: accounts, s: feedState, orgName: orgs.name })
        .from(accounts)
        .innerJoin(orgs, eq(orgs.id, accounts.orgId))
        .leftJoin(feedState, eq(feedState.accountId, accounts.id))
        .where(and(inIds(accounts.id, ids), inUse()))),
    );
  }
  return out;
}
