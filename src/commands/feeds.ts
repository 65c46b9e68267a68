// One feed's poll, stored in one short transaction: its new posts, its state, the day's coverage,
// and the feed_failing alert as domain/alerts judges it (docs/规则依据.md#没有数据不下结论).
import type { DbOrTx } from "../db/client";
import { syncAlerts, type AlertRow } from "../db/queries/alerts";
import { recordCoverage, saveFeedState } from "../db/queries/feeds";
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

export async function recordPoll(tx: DbOrTx, now: Date, { account, feedUrl, previous, poll }: PollInput): Promise<{ inserted: number; state: FeedState; opened: AlertRow[] }> {
  const inserted = poll.ok ? (await storePosts(tx, account.id, poll.items, "feed", now)).inserted : 0;
  const state = nextFeedState(account.id, feedUrl, previous, poll, now);
  await saveFeedState(tx, state);
  if (poll.ok) await recordCoverage(tx, account.id, now);
  const judged = judgeFeed(state);
  const opened = judged ? (await syncAlerts(tx, account, judged.kinds, judged.signals, now)).opened : [];
  return { inserted, state, opened };
}
