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
}

/** A job is a plain function of (deps, now): node-cron, the Worker's scheduled handler and `npm run job` call it alike. */
export type Job = (deps: JobDeps, now: Date) => Promise<unknown>;
