// Per-feed polling state (订阅源状态), docs/规则依据.md#没有数据不下结论: bridges fail often — keep the error state, back off,
// and never let a broken feed look dormant. Pure: poll-feeds stores what these decide.

export const POLL_INTERVAL_MS = 60 * 60_000;
const MAX_BACKOFF_MS = 24 * 60 * 60_000;
/** Consecutive failures that make a feed "failing" (feed_failing alert): one blip is normal for RSS bridges. */
export const FEED_FAILING_AFTER = 3;

/** What is kept per account between polls (the feed_state row). */
export interface FeedState {
  accountId: string;
  feedUrl: string;
  etag: string | null;
  lastModified: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  nextDueAt: string;
  /** 日期不可靠: the feed stamps every item with one time (the fetch time), docs/规则依据.md#无日期与日期不可靠的条目. */
  datesUnreliable: boolean;
}

export type PollOutcome =
  /** `datesUnreliable`: what this poll showed (see judgeFeedDates); null or absent = it could not tell, the flag stays. */
  | { ok: true; etag: string | null; lastModified: string | null; datesUnreliable?: boolean | null }
  | { ok: false; reason: string; code: string };

/** Due when never polled, when the account's feed address changed, or when its next time has come. */
export function isFeedDue(feedUrl: string, state: Pick<FeedState, "feedUrl" | "nextDueAt"> | null | undefined, now: Date): boolean {
  return !state || state.feedUrl !== feedUrl || new Date(state.nextDueAt) <= now;
}

/** The wait before the next poll: the interval after a success, doubling per consecutive failure, at most a day. */
export function pollDelayMs(consecutiveFailures: number): number {
  return Math.min(POLL_INTERVAL_MS * 2 ** Math.max(0, consecutiveFailures - 1), MAX_BACKOFF_MS);
}

/**
 * The state after a poll. `previous` is the state of the same feed address (null after the address
 * changed): its validators and last success carry over.
 */
export function nextFeedState(accountId: string, feedUrl: string, previous: FeedState | null, outcome: PollOutcome, now: Date): FeedState {
  const at = now.toISOString();
  if (outcome.ok) {
    return {
      accountId,
      feedUrl,
      etag: outcome.etag ?? previous?.etag ?? null,
      lastModified: outcome.lastModified ?? previous?.lastModified ?? null,
      lastAttemptAt: at,
      lastSuccessAt: at,
      lastError: null,
      lastErrorCode: null,
      consecutiveFailures: 0,
      nextDueAt: new Date(now.getTime() + pollDelayMs(0)).toISOString(),
      datesUnreliable: outcome.datesUnreliable ?? previous?.datesUnreliable ?? false,
    };
  }
  const failures = (previous?.consecutiveFailures ?? 0) + 1;
  return {
    accountId,
    feedUrl,
    etag: previous?.etag ?? null,
    lastModified: previous?.lastModified ?? null,
    lastAttemptAt: at,
    lastSuccessAt: previous?.lastSuccessAt ?? null,
    lastError: outcome.reason,
    lastErrorCode: outcome.code,
    consecutiveFailures: failures,
    nextDueAt: new Date(now.getTime() + pollDelayMs(failures)).toISOString(),
    datesUnreliable: previous?.datesUnreliable ?? false,
  };
}

export function isFeedFailing(consecutiveFailures: number): boolean {
  return consecutiveFailures >= FEED_FAILING_AFTER;
}

/** The feed at this address has been read successfully and is not failing now. */
export function feedReadable(
  feedUrl: string | null,
  state: Pick<FeedState, "feedUrl" | "lastSuccessAt" | "consecutiveFailures"> | null | undefined,
): boolean {
  return !!state && state.feedUrl === feedUrl && state.lastSuccessAt !== null && !isFeedFailing(state.consecutiveFailures);
}

/**
 * No verdict without data (docs/规则依据.md#没有数据不下结论): an account whose feed is not readable now, or one with no feed
 * and nothing ever pushed or imported, is "unknown" — never dormant, never vetoed.
 */
export function lacksData(
  feedUrl: string | null,
  state: Pick<FeedState, "feedUrl" | "lastSuccessAt" | "consecutiveFailures"> | null | undefined,
  lastPostAt: Date | null,
): boolean {
  return feedUrl ? !feedReadable(feedUrl, state) : lastPostAt === null;
}
