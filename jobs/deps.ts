import type { Db } from "../src/db/client";
import type { LeaseHolder } from "../src/db/queries/job-runs";
import type { FetchLike, PostFn } from "../src/net/types";

/** What every job gets. Runtime pieces (guarded fetches, the lease holder) are injected by the entry point. */
export interface JobDeps {
  db: Db;
  /** Guarded GET for feeds: refuses private addresses unless allowed (FEED_ALLOW_HOSTS). */
  fetchFeed: FetchLike;
  feedAllowHosts: string[];
  /** Guarded POST for webhooks. */
  postWebhook: PostFn;
  /** Who takes the job lease; a random holder with a 60 s lease when absent. */
  lease?: LeaseHolder;
  /**
   * poll-feeds' limits per run (Workers: subrequests and CPU time per invocation). Absent on Node:
   * the run goes on until no feed is due.
   */
  feedBudget?: { maxFeeds?: number; maxMs?: number };
  /**
   * check-links' limit per run (Workers: subrequests per invocation). Absent on Node (5,000 a run); the
   * least recently checked go first, so a small budget still reaches every account over a few days.
   */
  linkBudget?: { maxLinks: number };
  /**
   * Workers with Cloudflare Queues: poll-feeds only claims the due feeds and hands them to this queue;
   * the queue's consumer polls them (jobs/poll-feeds.ts pollQueuedFeeds).
   */
  feedQueue?: FeedQueue;
}

/** One queue message: feeds claimed by `claimer`, to be polled by a consumer. */
export interface FeedMessage {
  claimer: string;
  accountIds: string[];
}

export interface FeedQueue {
  /** Sends up to 100 messages at once (Queues' sendBatch limit). */
  sendBatch(messages: FeedMessage[]): Promise<void>;
  /** How long a claim handed to the queue lasts: longer than the queue's delivery and retries. */
  leaseMs: number;
}

/** A job is a plain function of (deps, now): node-cron, the Worker's scheduled handler and `npm run job` call it alike. */
export type Job = (deps: JobDeps, now: Date) => Promise<unknown>;
