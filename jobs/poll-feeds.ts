// poll-feeds: fetch every live account's feed that is due, store new posts, keep per-feed state.
// docs/规则依据.md#没有数据不下结论: bridges fail often — keep error state, back off, and never let a broken feed look dormant.
import { recordPoll, type FeedPoll } from "../src/commands/feeds";
import { feedsToPoll } from "../src/db/queries/feeds";
import { judgeFeedDates, trustDates } from "../src/domain/feed-dates";
import { isFeedDue } from "../src/domain/feed-state";
import { fetchFeed } from "../src/feeds/fetch-feed";
import { normaliseItems } from "../src/feeds/normalise";
import { parseFeed } from "../src/feeds/parse-feed";
import { runLimited } from "../src/lib/limit";
import { feedFailingNotice } from "../src/notify/messages";
import { notifyUnitsAndOffices, type AccountNotice } from "../src/notify/recipients";
import type { JobDeps } from "./deps";

export interface PollOptions {
  concurrency?: number;
  perHost?: number;
  timeoutMs?: number;
  maxBytes?: number;
}

export async function pollFeeds(deps: JobDeps, now: Date, opts: PollOptions = {}) {
  const { db } = deps;
  const rows = await feedsToPoll(db);
  const due = rows.filter((r) => isFeedDue(r.a.feedUrl!, r.s, now));

  const failing: AccountNotice[] = [];
  const summary = { due: due.length, ok: 0, failed: 0, newPosts: 0, errors: [] as { accountId: string; reason: string }[] };
  await runLimited(
    due,
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
      // The fetch and parse happen first; then one short transaction holds the feed's posts and state.
      const poll = await pollOne(deps, url, previous, now, opts, r.a.platform);
      const { inserted, opened } = await db.transaction((tx) => recordPoll(tx, now, { account: r.a, feedUrl: url, previous, poll }));
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
    },
  );
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
