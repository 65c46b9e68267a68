import type { Db } from "../src/db/client";

/** What every job gets: the database and the clock reading it should act at. */
export interface JobDeps {
  db: Db;
}

/** A job is a plain function of (deps, now): node-cron, the Worker's scheduled handler and `npm run job` call it alike. */
export type Job = (deps: JobDeps, now: Date) => Promise<unknown>;

export interface JobSchedule {
  /** Cron expression in Asia/Shanghai time, for node-cron. */
  cron: string;
  /** The same moment in UTC, for Workers cron triggers (UTC only). */
  utcCron: string;
  run: Job;
}

/** The scheduled jobs by name; monitoring and sampling jobs register here as they land. */
export const JOBS: Record<string, JobSchedule> = {};
