// Worker entry: the same app on workerd, against a libSQL server (Turso/sqld). No Node-only imports.
import { createClient } from "@libsql/client/web";
import { JOBS, JobAlreadyRunning, runJob } from "../jobs";
import { createApp } from "./app";
import { createDb } from "./db/client";
import { parseEnv } from "./env";
import { createWebGuardedFetch } from "./net/guarded-fetch-web";
import { createWebGuardedPost } from "./net/guarded-post-web";

// The two Workers runtime types we use, declared here rather than pulling in all of workers-types.
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props: unknown;
}
interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
}

interface WorkerEnv {
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  FEED_ALLOW_HOSTS?: string;
  WEBHOOK_ALLOW_HOSTS?: string;
  PUBLIC_URL?: string;
  TRUST_PROXY?: string;
}

function open(workerEnv: WorkerEnv) {
  const env = parseEnv({ ...workerEnv });
  const client = createClient({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
  return { env, db: createDb(client) };
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext) {
    // XLSX needs exceljs (Node only): the Worker serves CSV and answers XLSX with 501.
    const { db, env: parsed } = open(env);
    return createApp({
      db,
      now: () => new Date(),
      webhookAllowHosts: parsed.WEBHOOK_ALLOW_HOSTS,
      publicUrl: parsed.PUBLIC_URL,
      trustProxy: parsed.TRUST_PROXY,
    }).fetch(request, env, ctx);
  },
  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext) {
    const { db, env: parsed } = open(env);
    const deps = {
      db,
      fetchFeed: createWebGuardedFetch(parsed.FEED_ALLOW_HOSTS),
      feedAllowHosts: parsed.FEED_ALLOW_HOSTS,
      postWebhook: createWebGuardedPost(parsed.WEBHOOK_ALLOW_HOSTS),
    };
    const now = new Date(controller.scheduledTime);
    const due = Object.entries(JOBS).filter(([, j]) => j.utcCron === controller.cron);
    // A run still going from the previous trigger keeps the lease; this one is skipped and logged.
    ctx.waitUntil(
      Promise.all(
        due.map(([name]) =>
          runJob(name, deps, now).catch((e) => {
            if (e instanceof JobAlreadyRunning) console.warn(e.message);
            else throw e;
          }),
        ),
      ),
    );
  },
};
