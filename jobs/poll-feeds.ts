// poll-feeds: fetch every live account's feed that is due, store new posts, keep per-feed state.
// docs/规则依据.md#没有数据不下结论: bridges fail often — keep error state, back off, and never let a broken feed look dormant.
import { pollRecorder, type FeedPoll } from "../src/commands/feeds";
import { checkNewPosts, type WordingScanResult } from "../src/commands/wording";
import { claimDueFeeds, claimedFeeds, releaseClaims, renewClaims } from "../src/db/queries/feed-claims";
import { judgeFeedDates, trustDates } from "../src/domain/feed-dates";
import { fetchFeed } from "../src/feeds/fetch-feed";
import { normaliseItems } from "../src/feeds/normalise";
import { parseFeed } from "../src/feeds/parse-feed";
import { runLimited } from "../src/lib/limit";
import { feedFailingNotice } from "../src/notify/messages";
import { notifyUnitsAndOffices, type AccountNotice } from "../src/notify/recipients";
import type { FeedQueue, JobDeps } from "./deps";

export interface PollOptions {
  concurrency?: number;
  perHost?: number;
  timeoutMs?: number;
  maxBytes?: number;
  /** Feeds claimed (and then polled) at a time. */
  batchSize?: number;
  /** How long a claim lasts: after it, a crashed poller's feeds are taken again. */
  leaseMs?: number;
}

// A batch waits for its slowest feed (a timeout), so batches are large; the lease covers the worst
// case of a whole batch timing out at the default concurrency (200 / 8 × 15 s ≈ 6 min).
const BATCH = 200;
const LEASE_MS = 20 * 60_000;
/** A queue message is one feed: it is acked or retried alone. Queues' sendBatch takes ≤ 100 messages. */
const SEND_BATCH = 100;
/** The producer's own bound per run (claims and sends only, a few requests per 100 feeds). */
const MAX_ENQUEUED = 10_000;

type PollRow = Awaited<ReturnType<typeof claimedFeeds>>[number];
export type PollSummary = { due: number; ok: number; failed: number; newPosts: number; errors: { accountId: string; reason: string }[] };

/** Per run, not per process: two runs in one process (or a Node and a Worker) never share claims. */
function newClaimer(deps: JobDeps): string {
  return `${deps.lease?.holder ?? "runner"}:${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Claims due feeds in batches and polls each batch, until none is due or the budget (deps.feedBudget,
 * Workers only) is spent; `more` tells that feeds may still be due. With deps.feedQueue (Workers with
 * Queues) it only claims and enqueues them. Whatever runs it, no two pollers fetch one feed at once.
 */
export async function pollFeeds(
  deps: JobDeps,
  now: Date,
  opts: PollOptions = {},
): Promise<PollSummary & { more: boolean; queued?: number; wording?: WordingScanResult }> {
  if (deps.feedQueue) return enqueueDueFeeds(deps, now, deps.feedQueue);
  const { db } = deps;
  const claimer = newClaimer(deps);
  const maxFeeds = deps.feedBudget?.maxFeeds ?? Infinity;
  const deadline = Date.now() + (deps.feedBudget?.maxMs ?? Infinity);
  const summary: PollSummary & { more: boolean } = { due: 0, ok: 0, failed: 0, newPosts: 0, errors: [], more: true };
  try {
    while (summary.due < maxFeeds && Date.now() < deadline) {
      const limit = Math.min(opts.batchSize ?? BATCH, maxFeeds - summary.due);
      const ids = await claimDueFeeds(db, { now, claimer, limit, leaseMs: opts.leaseMs ?? LEASE_MS, wallNow: new Date(), isAlive: deps.lease?.isAlive });
      if (ids.length === 0) {
        summary.more = false;
        break;
      }
      const done = await pollRows(deps, await claimedFeeds(db, ids), now, opts);
      summary.due += ids.length;
      summary.ok += done.ok;
      summary.failed += done.failed;
      summary.newPosts += done.newPosts;
      summary.errors.push(...done.errors);
    }
  } finally {
    // Each recorded poll freed its feed; this frees what an error left claimed, for the rerun.
    await releaseClaims(db, claimer).catch((e) => console.error("poll-feeds: could not free the claims", e));
  }
  // The run's new posts are stored: read their titles and summaries for wrong wording (错敏词).
  return { ...summary, wording: await checkNewPosts(db, now) };
}

/**
 * Workers with Queues, the producer: claims the due feeds with a lease that outlasts the queue's
 * delivery and retries, and sends one message per feed. Fetches nothing itself.
 */
async function enqueueDueFeeds(deps: JobDeps, now: Date, queue: FeedQueue) {
  const claimer = newClaimer(deps);
  let queued = 0;
  const result = (more: boolean) => ({ due: queued, ok: 0, failed: 0, newPosts: 0, errors: [], queued, more });
  for (;;) {
    const limit = Math.min(SEND_BATCH, MAX_ENQUEUED - queued);
    if (limit <= 0) return result(true);
    const ids = await claimDueFeeds(deps.db, { now, claimer, limit, leaseMs: queue.leaseMs, wallNow: new Date() });
    if (ids.length === 0) return result(false);
    try {
      await queue.sendBatch(ids.map((id) => ({ claimer, accountIds: [id] })));
    } catch (e) {
      // Not sent: free this batch at once rather than leave it claimed for the whole lease.
      await releaseClaims(deps.db, claimer, ids);
      throw e;
    }
    queued += ids.length;
  }
}

/**
 * Workers with Queues, the consumer: polls the feeds of one message that its claimer still holds
 * (a feed recorded or taken over since the message was sent is skipped). A throw means "retry".
 */
export async function pollQueuedFeeds(deps: JobDeps, now: Date, claimer: string, accountIds: readonly string[], opts: PollOptions = {}) {
  const held = await renewClaims(deps.db, claimer, accountIds, new Date(Date.now() + (opts.leaseMs ?? LEASE_MS)));
  const done = held.length ? await pollRows(deps, await claimedFeeds(deps.db, held), now, opts) : { due: 0, ok: 0, failed: 0, newPosts: 0, errors: [] };
  // Not a reason to retry the message (its posts are stored): what is left unread waits for the next run.
  const wording = done.newPosts > 0 ? await checkNewPosts(deps.db, now).catch((e: unknown) => (console.error("poll-feeds: wording check failed", e), undefined)) : undefined;
  return { ...done, skipped: accountIds.length - held.length, wording };
}

/** Polls claimed feeds (fetch, parse, store; each recorded poll frees its claim) and sends the failing-feed notices. */
async function pollRows(deps: JobDeps, due: PollRow[], now: Date, opts: PollOptions): Promise<PollSummary> {
  const { db } = deps;
  const failing: AccountNotice[] = [];
  const recorder = pollRecorder(db, now);
  let storeError: unknown;
  const summary: PollSummary = { due: due.length, ok: 0, failed: 0, newPosts: 0, errors: [] };
  // Feeds that failed last time go first: a hang waits out its timeout while the others are polled,
  // not after them at the end of the run.
  const ordered = [...due].sort((x, y) => Number((y.s?.consecutiveFailures ?? 0) > 0) - Number((x.s?.consecutiveFailures ?? 0) > 0));
  try {
    await runLimited(
      ordered,
      {
        concurrency: opts.concurrency ?? 8,
        perKey: opts.perHost ?? 2,
        key: (r) => {
          try {
            return new URL(r.a.feedUrl!).host;
          } catch {
            return r.a.feedUrl!;
          }
        },
      },
      async (r) => {
        const url = r.a.feedUrl!;
        const previous = r.s?.feedUrl === url ? r.s : null;
        // The fetch and parse happen first; then the feed's posts and state are written together, in a
        // transaction shared with the polls that finish meanwhile (one commit per group, not per feed).
        // The slot goes on to the next feed meanwhile, unless a full group is already waiting.
        const poll = await pollOne(deps, url, previous, now, opts, r.a.platform);
        // A failed write stops the run, as it did when each feed had its own transaction.
        if (storeError !== undefined) throw storeError;
        recorder
          .record({ account: r.a, feedUrl: url, previous, poll })
          .then(({ inserted, opened }) => {
            if (poll.ok) {
              summary.ok++;
              summary.newPosts += inserted;
              return;
            }
            summary.failed++;
            summary.errors.push({ accountId: r.a.id, reason: poll.reason });
            for (const alert of opened) {
              failing.push({
                key: `feed_failing:${alert.id}`,
                account: r.a,
                notice: feedFailingNotice({ orgName: r.orgName, accountName: r.a.name, accountId: r.a.id, alertId: alert.id, message: alert.message, reason: poll.reason }),
                entry: { orgName: r.orgName, accountName: r.a.name, detail: poll.reason },
              });
            }
          })
          .catch((e: unknown) => {
            storeError ??= e;
          });
        await recorder.room();
      },
    );
  } finally {
    await recorder.flush();
  }
  if (storeError !== undefined) throw storeError;
  // Newly failing feeds: a message to each unit, one list to each supervising office. (Queued after
  // the feeds are done; a crash before this line loses the messages, not the alerts.)
  await notifyUnitsAndOffices(db, "feed_failing", failing, now);
  return summary;
}

async function pollOne(
  deps: JobDeps,
  url: string,
  state: { etag: string | null; lastModified: string | null; lastSuccessAt: string | null; datesUnreliable: boolean } | null,
  now: Date,
  opts: PollOptions,
  platform: string,
): Promise<FeedPoll> {
  const res = await fetchFeed(url, {
    fetch: deps.fetchFeed,
    allowHosts: deps.feedAllowHosts,
    etag: state?.etag ?? null,
    lastModified: state?.lastModified ?? null,
    timeoutMs: opts.timeoutMs,
    maxBytes: opts.maxBytes,
  });
  if (res.kind === "error") return { ok: false, reason: res.reason, code: res.code };
  if (res.kind === "not_modified") return { ok: true, etag: null, lastModified: null, items: [] };
  const parsed = await parseFeed(res.body, res.contentType);
  if (!parsed.ok) return { ok: false, reason: parsed.reason, code: "parse" };
  // The account's platform: a bare article id (WeWe RSS Atom <id>) keys like its URL (domain/post-identity).
  let items = normaliseItems(parsed.items, { firstSeenAt: now, now, platform });
  // docs/规则依据.md#无日期与日期不可靠的条目: one shared stamp means the dates are not real; an item
  // without a real date seen on the feed's first successful poll is backfill, never counted.
  const datesUnreliable = judgeFeedDates(items, now);
  const unreliable = datesUnreliable ?? state?.datesUnreliable ?? false;
  // Fetch-time stamps must not reach an identity either (title + minute would change every poll).
  if (unreliable) items = normaliseItems(parsed.items.map(({ date: _stamp, ...item }) => item), { firstSeenAt: now, now, platform });
  const stored = trustDates(items, { firstPoll: !state?.lastSuccessAt, unreliable, firstSeenAt: now });
  return { ok: true, etag: res.etag, lastModified: res.lastModified, items: stored, datesUnreliable };
}
