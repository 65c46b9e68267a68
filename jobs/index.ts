import { eq } from "drizzle-orm";
import type { Db } from "../src/db/client";
import { jobRuns } from "../src/db/schema";
import type { FetchLike } from "../src/feeds/types";
import type { PostFn } from "../src/services/webhooks";
import { deliverWebhooks } from "./deliver-webhooks";
import { dormancy } from "./dormancy";
import { evaluateWeek } from "./evaluate-week";
import { midweekReminder } from "./midweek-reminder";
import { pollFeeds } from "./poll-feeds";
import { quarterlySampling } from "./quarterly-sampling";

/** What every job gets. Runtime pieces (guarded fetches) are injected by the entry point. */
export interface JobDeps {
  db: Db;
  /** Guarded GET for feeds: refuses private addresses unless allowed (SPEC §9 FEED_ALLOW_HOSTS). */
  fetchFeed: FetchLike;
  feedAllowHosts: string[];
  /** Guarded POST for webhooks. */
  postWebhook: PostFn;
}

/** A job is a plain function of (deps, now): node-cron, the Worker's scheduled handler and `npm run job` call it alike. */
export type Job = (deps: JobDeps, now: Date) => Promise<unknown>;

export interface JobSchedule {
  /** Cron expression in Asia/Shanghai time, for node-cron. */
  cron: string;
  /** The same moments in UTC, for Workers cron triggers (UTC only). */
  utcCron: string;
  run: Job;
}

export const JOBS: Record<string, JobSchedule> = {
  "poll-feeds": { cron: "*/15 * * * *", utcCron: "*/15 * * * *", run: pollFeeds },
  // Monday 01:00 Beijing = Sunday 17:00 UTC.
  "evaluate-week": { cron: "0 1 * * 1", utcCron: "0 17 * * 0", run: evaluateWeek },
  // Thursday 09:00 Beijing = Thursday 01:00 UTC.
  "midweek-reminder": { cron: "0 9 * * 4", utcCron: "0 1 * * 4", run: midweekReminder },
  // Daily 08:00 Beijing = 00:00 UTC.
  dormancy: { cron: "0 8 * * *", utcCron: "0 0 * * *", run: dormancy },
  // First day of each quarter, 08:00 Beijing = 00:00 UTC.
  "quarterly-sampling": { cron: "0 8 1 1,4,7,10 *", utcCron: "0 0 1 1,4,7,10 *", run: quarterlySampling },
  "deliver-webhooks": { cron: "*/5 * * * *", utcCron: "*/5 * * * *", run: deliverWebhooks },
};

/** Runs a job by name and keeps a row in job_runs: what ran, for which instant, and what it did. */
export async function runJob(name: string, deps: JobDeps, now: Date): Promise<unknown> {
  const job = JOBS[name];
  if (!job) throw new Error(`unknown job ${name}`);
  const [run] = await deps.db
    .insert(jobRuns)
    .values({ job: name, at: now.toISOString(), startedAt: new Date().toISOString() })
    .returning({ id: jobRuns.id });
  try {
    const result = await job.run(deps, now);
    await deps.db.update(jobRuns).set({ finishedAt: new Date().toISOString(), result }).where(eq(jobRuns.id, run!.id));
    return result;
  } catch (e) {
    await deps.db
      .update(jobRuns)
      .set({ finishedAt: new Date().toISOString(), error: e instanceof Error ? e.message : String(e) })
      .where(eq(jobRuns.id, run!.id));
    throw e;
  }
}
