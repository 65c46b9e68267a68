// A feed's poll, stored in one short transaction: its new posts, its state, the day's coverage,
// and the feed_failing alert as domain/alerts judges it (docs/规则依据.md#没有数据不下结论). Several
// feeds' polls may share a transaction (pollRecorder): each feed's rows are still written together.
import type { Db, DbOrTx } from "../db/client";
import { syncAlertsBulk, type AlertRow, type AlertSyncItem } from "../db/queries/alerts";
import { recordCoverages, saveFeedStates } from "../db/queries/feeds";
import { storePosts, type IncomingPost } from "../db/queries/posts";
import { judgeFeed } from "../domain/alerts";
import { nextFeedState, type FeedState, type PollOutcome } from "../domain/feed-state";

/** What a fetch and parse gave: the new items, or why there are none. */
export type FeedPoll = (PollOutcome & { ok: true; items: IncomingPost[] }) | (PollOutcome & { ok: false });

export interface PollInput {
  account: { id: string; orgId: string };
  feedUrl: string;
  /** The state of the same feed address, or null (never polled, or the address changed). */
  previous: FeedState | null;
  poll: FeedPoll;
}

export async function recordPoll(tx: DbOrTx, now: Date, input: PollInput): Promise<{ inserted: number; state: FeedState; opened: AlertRow[] }> {
  return (await recordPolls(tx, now, [input]))[0]!;
}

/**
 * Several feeds' polls (distinct accounts) in the caller's transaction, with a fixed number of
 * statements for the states, coverage and alerts of them all; posts are stored per feed, and only
 * when there are items (a 304 writes none).
 */
export async function recordPolls(tx: DbOrTx, now: Date, inputs: readonly PollInput[]): Promise<{ inserted: number; state: FeedState; opened: AlertRow[] }[]> {
  const out: { inserted: number; state: FeedState; opened: AlertRow[] }[] = [];
  for (const { account, feedUrl, previous, poll } of inputs) {
    const inserted = poll.ok && poll.items.length > 0 ? (await storePosts(tx, account.id, poll.items, "feed", now)).inserted : 0;
    out.push({ inserted, state: nextFeedState(account.id, feedUrl, previous, poll, now), opened: [] });
  }
  await saveFeedStates(
    tx,
    out.map((r) => r.state),
  );
  await recordCoverages(
    tx,
    inputs.filter((i) => i.poll.ok).map((i) => i.account.id),
    now,
  );
  const alertItems: AlertSyncItem[] = [];
  for (const [i, r] of out.entries()) {
    const judged = judgeFeed(r.state);
    if (judged) alertItems.push({ account: inputs[i]!.account, kinds: judged.kinds, signals: judged.signals });
  }
  if (alertItems.length > 0) {
    const { opened } = await syncAlertsBulk(tx, alertItems, now);
    const byAccount = new Map(inputs.map((input, i) => [input.account.id, out[i]!]));
    for (const alert of opened) byAccount.get(alert.accountId)?.opened.push(alert);
  }
  return out;
}

type Recorded = Awaited<ReturnType<typeof recordPoll>>;

/** Feeds recorded in one transaction at most: a group stays a short hold of the write lock. */
const MAX_GROUP = 50;
/** How long a finished poll may wait for others to share its commit. */
const GATHER_MS = 20;

/**
 * Records the polls of one run several feeds per transaction (group commit): a finished poll waits
 * up to GATHER_MS, or until MAX_GROUP have finished, and they commit together. Each feed's posts and
 * state still commit together, but a commit (a disk flush on the embedded file, a round trip to a
 * libSQL server) is paid per group, not per feed — on the embedded file it costs more than a feed's
 * rows. A failed write ends the recording as a crash would: that group and every poll after it are
 * rejected with its error and nothing more is written (a rerun polls them again). The poller need not
 * wait for the commit: `room()` holds it back only while a full group is already waiting, and
 * `flush()` waits for everything recorded so far.
 */
export function pollRecorder(db: Db, now: Date, opts: { maxGroup?: number; gatherMs?: number } = {}) {
  const max = opts.maxGroup ?? MAX_GROUP;
  const gatherMs = opts.gatherMs ?? GATHER_MS;
  type Waiting = { input: PollInput; resolve: (r: Recorded) => void; reject: (e: unknown) => void };
  const queue: Waiting[] = [];
  let draining: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const roomWaiters: (() => void)[] = [];
  let failure: { error: unknown } | null = null;

  const drain = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    draining ??= (async () => {
      // Yield first: a body that ran to the end synchronously (an empty queue, a failed group) would
      // clear `draining` before `??=` stored this promise, leaving a settled promise that flush()
      // awaits forever in a microtask loop.
      await Promise.resolve();
      try {
        while (queue.length > 0) {
          const group = queue.splice(0, max);
          for (const wake of roomWaiters.splice(0)) wake();
          if (failure) {
            for (const w of group) w.reject(failure.error);
            continue;
          }
          try {
            const results = await db.transaction((tx) =>
              recordPolls(
                tx,
                now,
                group.map((w) => w.input),
              ),
            );
            group.forEach((w, i) => w.resolve(results[i]!));
          } catch (error) {
            failure = { error };
            for (const w of group) w.reject(error);
          }
        }
      } finally {
        draining = null;
        for (const wake of roomWaiters.splice(0)) wake();
      }
    })();
    return draining;
  };

  return {
    /** Queues a feed's poll; resolves once it is committed. */
    record(input: PollInput): Promise<Recorded> {
      return new Promise<Recorded>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (queue.length >= max) void drain();
        else if (!draining && !timer) timer = setTimeout(() => void drain(), gatherMs);
      });
    },
    /** Resolves when fewer than a full group are waiting (back-pressure for the poller). */
    room(): Promise<void> {
      if (queue.length < max) return Promise.resolve();
      return new Promise<void>((resolve) => roomWaiters.push(resolve));
    },
    /** Commits whatever is waiting and resolves when all is written. */
    async flush(): Promise<void> {
      while (queue.length > 0 || draining) await drain();
    },
  };
}
