// poll-feeds: fetch every live account's feed that is due, store new posts, keep per-feed state.
// SPEC §7: bridges fail often — keep error state, back off, and never let a broken feed look dormant.
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { accounts, feedCoverage, feedState, orgs } from "../src/db/schema";
import { IN_USE_STATUSES } from "../src/domain/lifecycle";
import { shanghaiDate } from "../src/domain/weeks";
import { fetchFeed } from "../src/feeds/fetch-feed";
import { normaliseItems } from "../src/feeds/normalise";
import { parseFeed } from "../src/feeds/parse-feed";
import { runLimited } from "../src/lib/limit";
import { syncAlerts } from "../src/services/alerts";
import { FEED_FAILING_AFTER } from "../src/services/assess";
import { storePosts, type IncomingPost } from "../src/services/posts";
import { notifyUnitsAndOffices, type AccountNotice } from "../src/services/recipients";
import type { JobDeps } from "./deps";

export const POLL_INTERVAL_MS = 60 * 60_000;
const MAX_BACKOFF_MS = 24 * 60 * 60_000;
/** Consecutive failures before a feed_failing alert: one blip is normal for RSS bridges. */
export { FEED_FAILING_AFTER };

export interface PollOptions {
  concurrency?: number;
  perHost?: number;
  timeoutMs?: number;
  maxBytes?: number;
}

type FeedOutcome =
  | { ok: true; etag: string | null; lastModified: string | null; items: IncomingPost[] }
  | { ok: false; reason: string; code: string };

export async function pollFeeds(deps: JobDeps, now: Date, opts: PollOptions = {}) {
  const { db } = deps;
  const rows = await db
    .select({ a: accounts, s: feedState, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .leftJoin(feedState, eq(feedState.accountId, accounts.id))
    .where(and(isNotNull(accounts.feedUrl), inArray(accounts.status, [...IN_USE_STATUSES])));
  const due = rows.filter((r) => !r.s || r.s.feedUrl !== r.a.feedUrl || new Date(r.s.nextDueAt) <= now);

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
      const sameFeed = r.s?.feedUrl === url;
      // The fetch and parse happen first; then one short transaction holds the feed's posts and state.
      const outcome = await pollOne(deps, url, sameFeed ? r.s : null, now, opts);
      await db.transaction(async (tx) => {
        if (outcome.ok) {
          const { inserted } = await storePosts(tx, r.a.id, outcome.items, "feed", now);
          summary.ok++;
          summary.newPosts += inserted;
          const state = {
            accountId: r.a.id,
            feedUrl: url,
            etag: outcome.etag ?? (sameFeed ? r.s?.etag ?? null : null),
            lastModified: outcome.lastModified ?? (sameFeed ? r.s?.lastModified ?? null : null),
            lastAttemptAt: now.toISOString(),
            lastSuccessAt: now.toISOString(),
            lastError: null,
            lastErrorCode: null,
            consecutiveFailures: 0,
            nextDueAt: new Date(now.getTime() + POLL_INTERVAL_MS).toISOString(),
          };
          await tx.insert(feedState).values(state).onConflictDoUpdate({ target: feedState.accountId, set: state });
          await tx.insert(feedCoverage).values({ accountId: r.a.id, date: shanghaiDate(now) }).onConflictDoNothing();
          await syncAlerts(tx, r.a, ["feed_failing"], [], now);
        } else {
          summary.failed++;
          summary.errors.push({ accountId: r.a.id, reason: outcome.reason });
          const failures = (sameFeed ? r.s?.consecutiveFailures ?? 0 : 0) + 1;
          const backoff = Math.min(POLL_INTERVAL_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);
          const state = {
            accountId: r.a.id,
            feedUrl: url,
            etag: sameFeed ? r.s?.etag ?? null : null,
            lastModified: sameFeed ? r.s?.lastModified ?? null : null,
            lastAttemptAt: now.toISOString(),
            lastSuccessAt: sameFeed ? r.s?.lastSuccessAt ?? null : null,
            lastError: outcome.reason,
            lastErrorCode: outcome.code,
            consecutiveFailures: failures,
            nextDueAt: new Date(now.getTime() + backoff).toISOString(),
          };
          await tx.insert(feedState).values(state).onConflictDoUpdate({ target: feedState.accountId, set: state });
          if (failures >= FEED_FAILING_AFTER) {
            const message = `订阅源连续 ${failures} 次抓取失败：${outcome.reason}`;
            const res = await syncAlerts(tx, r.a, ["feed_failing"], [{ kind: "feed_failing", message, detail: { failures, reason: outcome.reason, code: outcome.code } }], now);
            for (const alert of res.opened) {
              failing.push({
                key: `feed_failing:${alert.id}`,
                account: r.a,
                notice: {
                  event: "feed_failing",
                  title: `【订阅源异常】${r.orgName} ${r.a.name}`,
                  lines: [message, "更新情况暂时无法判断，请检查订阅地址或改用接口推送/表格导入。"],
                  data: { accountId: r.a.id, alertId: alert.id, reason: outcome.reason },
                },
                entry: { orgName: r.orgName, accountName: r.a.name, detail: outcome.reason },
              });
            }
          }
        }
      });
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
  state: { etag: string | null; lastModified: string | null } | null,
  now: Date,
  opts: PollOptions,
): Promise<FeedOutcome> {
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
  const items = normaliseItems(parsed.items, { firstSeenAt: now, now });
  return { ok: true, etag: res.etag, lastModified: res.lastModified, items };
}
