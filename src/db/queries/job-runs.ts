// The job lease and the job_runs record: one run of a job name at a time across every process that
// shares the database, and no run left "running" after its process died.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { jobLeases, jobRuns } from "../schema";

export interface LeaseHolder {
  /** Unique per runner; on Node `host:pid:nonce` so a dead process is recognised at once. */
  holder: string;
  /** A lease not renewed for this long is free to take. */
  ttlMs: number;
  /** true/false when this runtime can tell whether a holder still lives; undefined when it cannot. */
  isAlive?: (holder: string) => boolean | undefined;
}

export type StartOutcome =
  | { started: true; runId: number; abandoned: number }
  | { started: false; heldBy: { holder: string; acquiredAt: string; expiresAt: string } };

export const ABANDONED_REASON = "运行中断：进程退出或被终止，没有记录结束；下一次运行开始时标记";

function isLive(lease: { holder: string; expiresAt: string }, wallNow: Date, h: LeaseHolder): boolean {
  if (new Date(lease.expiresAt) <= wallNow) return false;
  return h.isAlive?.(lease.holder) !== false;
}

/**
 * Takes the lease for `job` if it is free (absent, expired, or held by a dead process), marks any run
 * of that job still "running" as abandoned (nobody else can be running it now), and records the new
 * run — all in one short transaction. `at` is the instant the job runs for; `wallNow` is real time.
 */
export async function startRun(db: Db, job: string, at: Date, wallNow: Date, h: LeaseHolder): Promise<StartOutcome> {
  return db.transaction(async (tx) => {
    const [lease] = await tx.select().from(jobLeases).where(eq(jobLeases.job, job));
    if (lease && lease.holder !== h.holder && isLive(lease, wallNow, h)) {
      return { started: false, heldBy: { holder: lease.holder, acquiredAt: lease.acquiredAt, expiresAt: lease.expiresAt } };
    }
    const abandoned = await tx
      .update(jobRuns)
      .set({ status: "abandoned", finishedAt: wallNow.toISOString(), error: ABANDONED_REASON })
      .where(and(eq(jobRuns.job, job), eq(jobRuns.status, "running")))
      .returning({ id: jobRuns.id });
    const [run] = await tx
      .insert(jobRuns)
      .values({ job, at: at.toISOString(), startedAt: wallNow.toISOString(), status: "running", holder: h.holder })
      .returning({ id: jobRuns.id });
    const row = {
      job,
      holder: h.holder,
      runId: run!.id,
      acquiredAt: wallNow.toISOString(),
      expiresAt: new Date(wallNow.getTime() + h.ttlMs).toISOString(),
    };
    await tx.insert(jobLeases).values(row).onConflictDoUpdate({ target: jobLeases.job, set: row });
    return { started: true, runId: run!.id, abandoned: abandoned.length };
  });
}

/** Heartbeat: pushes the lease's expiry on. false if the lease is no longer ours. */
export async function renewLease(db: Db, job: string, wallNow: Date, h: LeaseHolder): Promise<boolean> {
  const r = await db
    .update(jobLeases)
    .set({ expiresAt: new Date(wallNow.getTime() + h.ttlMs).toISOString() })
    .where(and(eq(jobLeases.job, job), eq(jobLeases.holder, h.holder)))
    .returning({ job: jobLeases.job });
  return r.length > 0;
}

/** Records how the run ended and frees the lease, in one transaction. */
export async function finishRun(
  db: Db,
  job: string,
  runId: number,
  wallNow: Date,
  h: LeaseHolder,
  outcome: { status: "finished"; result: unknown } | { status: "failed"; error: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(jobRuns)
      .set({
        status: outcome.status,
        finishedAt: wallNow.toISOString(),
        result: outcome.status === "finished" ? outcome.result : null,
        error: outcome.status === "failed" ? outcome.error : null,
      })
      .where(eq(jobRuns.id, runId));
    await tx.delete(jobLeases).where(and(eq(jobLeases.job, job), eq(jobLeases.holder, h.holder)));
  });
}

/**
 * On start-up: every run still "running" whose lease is gone, expired or held by a dead process is
 * marked abandoned. Runs of a live holder (another instance, a `npm run job`) are left alone.
 */
export async function sweepAbandonedRuns(db: Db, wallNow: Date, h: LeaseHolder): Promise<number> {
  return db.transaction(async (tx) => {
    const running = await tx.select({ id: jobRuns.id, job: jobRuns.job, holder: jobRuns.holder }).from(jobRuns).where(eq(jobRuns.status, "running"));
    if (running.length === 0) return 0;
    const leases = new Map((await tx.select().from(jobLeases)).map((l) => [l.job, l]));
    const dead = running.filter((r) => {
      const lease = leases.get(r.job);
      return !lease || lease.holder !== r.holder || !isLive(lease, wallNow, h);
    });
    if (dead.length === 0) return 0;
    await tx
      .update(jobRuns)
      .set({ status: "abandoned", finishedAt: wallNow.toISOString(), error: ABANDONED_REASON })
      .where(inArray(jobRuns.id, dead.map((r) => r.id)));
    return dead.length;
  });
}
