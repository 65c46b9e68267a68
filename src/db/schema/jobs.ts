import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** running → finished | failed; a run whose process died is marked abandoned by the next run. */
export const JOB_RUN_STATUSES = ["running", "finished", "failed", "abandoned"] as const;

/** One row per job run: what ran, for which instant, and what it did. */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    job: text("job").notNull(),
    at: text("at").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    status: text("status", { enum: JOB_RUN_STATUSES }).notNull().default("running"),
    /** Who ran it: host:pid on Node, so a dead holder is recognised at once. */
    holder: text("holder"),
    result: text("result", { mode: "json" }),
    error: text("error"),
  },
  (t) => [index("job_runs_job_idx").on(t.job, t.at), index("job_runs_status_idx").on(t.status)],
);

/**
 * One row per job name while it runs, in any process: the lease that lets one `poll-feeds` run at a
 * time whether it is the server's scheduler, `npm run job` or a second instance. Kept alive by a
 * heartbeat; an expired lease (or a dead holder on this host) can be taken over.
 */
export const jobLeases = sqliteTable("job_leases", {
  job: text("job").primaryKey(),
  holder: text("holder").notNull(),
  runId: integer("run_id"),
  acquiredAt: text("acquired_at").notNull(),
  expiresAt: text("expires_at").notNull(),
});
