// Node-only: the job dependencies for this runtime (guarded fetches over undici, a host:pid lease holder).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { JobDeps } from "../jobs/deps";
import type { Db } from "./db/client";
import type { LeaseHolder } from "./db/queries/job-runs";
import type { Env } from "./env";
import { createGuardedFetch } from "./net/guarded-fetch-node";
import { createGuardedPost } from "./net/guarded-post-node";

/** Linux: the process has exited and only its table entry is left (state Z or X in /proc/<pid>/stat). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return /^\d+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return false;
  }
}

/**
 * This process as a job lease holder. A holder on this host whose pid is gone is dead at once, so a
 * rerun after `kill -9` need not wait for the lease to expire.
 */
export function nodeLeaseHolder(ttlMs = 60_000): LeaseHolder {
  const host = hostname();
  return {
    holder: `${host}:${process.pid}:${randomUUID().slice(0, 8)}`,
    ttlMs,
    isAlive: (holder) => {
      const [h, pid] = holder.split(":");
      if (h !== host || !pid || !/^\d+$/.test(pid)) return undefined;
      if (Number(pid) === process.pid) return true;
      try {
        process.kill(Number(pid), 0);
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
      }
      // A killed process nobody has reaped yet (common in containers) still answers kill(pid, 0).
      return !isZombie(Number(pid));
    },
  };
}

export function nodeJobDeps(db: Db, env: Pick<Env, "FEED_ALLOW_HOSTS" | "WEBHOOK_ALLOW_HOSTS">): JobDeps & { close(): Promise<void> } {
  const fetchFeed = createGuardedFetch(env.FEED_ALLOW_HOSTS);
  const postWebhook = createGuardedPost(env.WEBHOOK_ALLOW_HOSTS);
  return {
    db,
    fetchFeed,
    feedAllowHosts: env.FEED_ALLOW_HOSTS,
    postWebhook,
    lease: nodeLeaseHolder(),
    close: async () => {
      await Promise.all([fetchFeed.close(), postWebhook.close()]);
    },
  };
}
