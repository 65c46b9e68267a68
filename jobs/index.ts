// The job registry: every scheduled job by name, with its Beijing and UTC schedules, and the runner
// that all three callers (node-cron, the Worker's scheduled handler, `npm run job`) share.
import { finishRun, renewLease, startRun, type LeaseHolder } from "../src/db/queries/job-runs";
import { jobAlreadyRunningMessage } from "../src/notify/messages";
import { checkNewPosts } from "../src/commands/wording";
import { checkLinks } from "./check-links";
import { deliverWebhooks } from "./deliver-webhooks";
import type { Job, JobDeps } from "./deps";
import { dormancy } from "./dormancy";
import { evaluateWeek } from "./evaluate-week";
import { midweekReminder } from "./midweek-reminder";
import { pollFeeds } from "./poll-feeds";
import { quarterlySampling } from "./quarterly-sampling";

export type { Job, JobDeps } from "./deps";

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
  // Daily 03:30 Beijing = 19:30 UTC the day before: homepages and recent post links (外链/死链).
  "check-links": { cron: "30 3 * * *", utcCron: "30 19 * * *", run: (deps, now) => checkLinks(deps, now, deps.linkBudget ? { maxLinks: deps.linkBudget.maxLinks } : {}) },
  // Daily 08:00 Beijing = 00:00 UTC (the dormancy trigger): a safety net for posts the polls, pushes
  // and imports left unread (错敏词); each normally reads its own new posts at once.
  "check-wording": { cron: "0 8 * * *", utcCron: "0 0 * * *", run: (deps, now) => checkNewPosts(deps.db, now) },
};

/** The same job is running elsewhere (another process or instance) and did not finish in time. */
export class JobAlreadyRunning extends Error {
  constructor(
    readonly job: string,
    readonly heldBy: { holder: string; acquiredAt: string },
  ) {
    super(jobAlreadyRunningMessage(job, heldBy));
  }
}

export interface RunOptions {
  /** How long to wait for a run of the same job elsewhere to finish (0: give up at once). */
  waitMs?: number;
  /** Told once when the run has to wait. */
  onWait?: (heldBy: { holder: string; acquiredAt: string }) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function defaultHolder(): LeaseHolder {
  return { holder: `runner:${crypto.randomUUID()}`, ttlMs: 60_000 };
}

/**
 * Runs a job by name under its lease and keeps a row in job_runs: what ran, for which instant, how it
 * ended and what it did. A run left "running" by a dead process is marked abandoned when this starts.
 */
export async function runJob(name: string, deps: JobDeps, now: Date, opts: RunOptions = {}): Promise<unknown> {
  const job = JOBS[name];
  if (!job) throw new Error(`unknown job ${name}`);
  const lease = deps.lease ?? defaultHolder();
  const deadline = Date.now() + (opts.waitMs ?? 0);
  let told = false;
  let runId: number;
  for (;;) {
    const start = await startRun(deps.db, name, now, new Date(), lease);
    if (start.started) {
      runId = start.runId;
      break;
    }
    if (Date.now() >= deadline) throw new JobAlreadyRunning(name, start.heldBy);
    if (!told) opts.onWait?.(start.heldBy);
    told = true;
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
  const heartbeat = setInterval(() => {
    renewLease(deps.db, name, new Date(), lease).catch((e) => console.error(`job ${name}: lease renewal failed`, e));
  }, Math.max(1000, lease.ttlMs / 3));
  (heartbeat as { unref?: () => void }).unref?.();
  try {
    const result = await job.run(deps, now);
    await finishRun(deps.db, name, runId, new Date(), lease, { status: "finished", result });
    return result;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    await finishRun(deps.db, name, runId, new Date(), lease, { status: "failed", error }).catch((e2) =>
      console.error(`job ${name}: could not record the failure`, e2),
    );
    throw e;
  } finally {
    clearInterval(heartbeat);
  }
}
