// Worker entry: the same app on workerd, against a libSQL server (Turso/sqld). No Node-only imports.
import { createClient } from "@libsql/client/web";
import { JOBS, JobAlreadyRunning, runJob, type JobDeps } from "../jobs";
import type { FeedMessage } from "../jobs/deps";
import { pollQueuedFeeds } from "../jobs/poll-feeds";
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
// Cloudflare Queues: the producer binding and what the consumer receives.
interface Queue<Body> {
  sendBatch(messages: { body: Body }[]): Promise<void>;
}
interface QueueMessage<Body> {
  readonly id: string;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}
interface MessageBatch<Body> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
}

interface WorkerEnv {
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  FEED_ALLOW_HOSTS?: string;
  WEBHOOK_ALLOW_HOSTS?: string;
  PUBLIC_URL?: string;
  TRUST_PROXY?: string;
  /** Feeds one scheduled invocation polls itself when no queue is bound (subrequest limit: 50 free, 1000 paid). */
  FEED_BATCH_PER_INVOCATION?: string;
  /** check-links per scheduled invocation (subrequests). */
  LINK_CHECKS_PER_INVOCATION?: string;
  /** Bound in wrangler.toml: poll-feeds then only claims due feeds and enqueues them; `queue` polls them. */
  FEED_QUEUE?: Queue<FeedMessage>;
}

/**
 * Each polled feed costs one fetch plus a few database requests, all subrequests on Workers: the
 * default stays well inside the free plan's 50; raise it on a paid plan (1000).
 */
const DEFAULT_FEEDS_PER_INVOCATION = 5;
/** A claim handed to the queue outlasts delivery and the consumer's retries (max_retries in wrangler.toml). */
const QUEUE_LEASE_MS = 30 * 60_000;
/** Wall time one scheduled invocation spends polling, below the cron handler's limit. */
const POLL_MAX_MS = 60_000;

/** Links one scheduled invocation checks: each is a subrequest (free plan: 50 in all, with the database's). */
const DEFAULT_LINKS_PER_INVOCATION = 15;

/** A bad value is logged and the default used: one mistyped setting must not stop every other job. */
function linksPerInvocation(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_LINKS_PER_INVOCATION;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 1) return n;
  console.error(`配置错误：LINK_CHECKS_PER_INVOCATION 应为正整数，现为 "${raw}"，按默认 ${DEFAULT_LINKS_PER_INVOCATION} 执行`);
  return DEFAULT_LINKS_PER_INVOCATION;
}

function feedsPerInvocation(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_FEEDS_PER_INVOCATION;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`配置错误：FEED_BATCH_PER_INVOCATION 应为正整数，现为 "${raw}"`);
  return n;
}

function open(workerEnv: WorkerEnv) {
  // Bindings (the queue) are not settings.
  const { FEED_QUEUE: _queue, ...vars } = workerEnv;
  const env = parseEnv(vars);
  const client = createClient({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
  return { env, db: createDb(client) };
}

function jobDeps(workerEnv: WorkerEnv): JobDeps {
  const { db, env } = open(workerEnv);
  return {
    db,
    fetchFeed: createWebGuardedFetch(env.FEED_ALLOW_HOSTS),
    feedAllowHosts: env.FEED_ALLOW_HOSTS,
    postWebhook: createWebGuardedPost(env.WEBHOOK_ALLOW_HOSTS),
  };
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
    const queue = env.FEED_QUEUE;
    const deps: JobDeps = {
      ...jobDeps(env),
      linkBudget: { maxLinks: linksPerInvocation(env.LINK_CHECKS_PER_INVOCATION) },
      // With a queue, poll-feeds claims and enqueues (the consumer fetches); without one it polls a
      // bounded batch itself and leaves the rest due for the next trigger.
      ...(queue
        ? { feedQueue: { leaseMs: QUEUE_LEASE_MS, sendBatch: (messages: FeedMessage[]) => queue.sendBatch(messages.map((body) => ({ body }))) } }
        : { feedBudget: { maxFeeds: feedsPerInvocation(env.FEED_BATCH_PER_INVOCATION), maxMs: POLL_MAX_MS } }),
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
  /**
   * The feed queue's consumer: each message is a feed claimed by the producer. Acked once its poll is
   * recorded (a failed fetch is recorded too); retried later when the poll could not be recorded.
   */
  async queue(batch: MessageBatch<FeedMessage>, env: WorkerEnv, _ctx: ExecutionContext) {
    const deps = jobDeps(env);
    const now = new Date();
    await Promise.all(
      batch.messages.map(async (m) => {
        try {
          await pollQueuedFeeds(deps, now, m.body.claimer, m.body.accountIds, { leaseMs: QUEUE_LEASE_MS });
          m.ack();
        } catch (e) {
          console.error(`poll-feeds queue: message ${m.id} (attempt ${m.attempts}) failed, retrying`, e);
          m.retry({ delaySeconds: 30 });
        }
      }),
    );
  },
};
