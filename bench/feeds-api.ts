// B2 (poll-feeds), B2r (the poll again with nothing new) and B3 (the API under load), each against a
// floor measured in the same process on the same data:
//  - B2 floor: the same feed URLs fetched with the same fetchFeed (guarded undici fetch, timeout, byte
//    cap) and parsed with the same parseFeed at the same concurrency, storing nothing. So the ratio is
//    what normalising, judging dates and storing (posts, feed state, coverage, alerts) add.
//  - B3 floor: a bare route under /api (so behind the same middleware, token lookup included) that
//    returns a precomputed body of the route's response size.
// The feeds are served by a child process (bench/feed-server.ts); the API server runs in this process
// with autocannon beside it, for the route and its floor alike.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import type { JobDeps } from "../jobs/deps";
import { pollFeeds } from "../jobs/poll-feeds";
import { createApp } from "../src/app";
import { issueToken, newTokenSecret } from "../src/commands/tokens";
import type { Db } from "../src/db/client";
import { accounts } from "../src/db/schema";
import { fastSeed } from "../src/demo/fast-seed";
import { buildPlan } from "../src/demo/plan";
import { addWeeks, weekOf } from "../src/domain/weeks";
import { fetchFeed } from "../src/feeds/fetch-feed";
import { parseFeed } from "../src/feeds/parse-feed";
import { runLimited } from "../src/lib/limit";
import { createGuardedFetch } from "../src/net/guarded-fetch-node";
import { openDatabase } from "../src/node-db";
import { feedPath, startFeedServerProcess } from "./feed-server";

export interface FeedsApiOptions {
  quick: boolean;
  print: (line: string) => void;
  /** B2 feeds; default 2,000 (quick: 200). */
  feeds?: number;
  /** B3 province size in accounts; default 5,000 (quick: 500). */
  accounts?: number;
  /** Seconds of load per route and per floor; default 10 (quick: 3). */
  durationS?: number;
  /** false: skip B3 (the API under load). */
  routes?: boolean;
  /** The poller measured (default the poll-feeds job); lets a change be compared with the code before it. */
  poll?: typeof pollFeeds;
}

/** Wednesday 2026-11-25 12:00 Beijing: last week is 2026-W47. */
const NOW = new Date("2026-11-25T04:00:00Z");
const SEED = "bench";
const ALLOW = ["127.0.0.1"];
/** Poll options of both the job and its floor. Bridges on loopback answer at once; a hang is cut at 1 s. */
const CONCURRENCY = 8;
const PER_HOST = 2;
const TIMEOUT_MS = 1_000;
/** Listeners of the feed server: loopback ports standing for different bridge hosts. */
const LISTENERS = 8;

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const MiB = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

/** Samples this process's RSS while it runs (maxRSS would include whatever ran before in the process). */
function rssSampler() {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    start,
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

function vmHwmMiB(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function tempDatabase(name: string) {
  const dir = mkdtempSync(join(tmpdir(), "govmedia-bench-"));
  const { client, db } = await openDatabase(`file:${join(dir, `${name}.db`)}`);
  return {
    client,
    db,
    dispose: () => {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- B2, B2r -------------------------------------------------------------------------------------

export async function runFeeds(opts: FeedsApiOptions): Promise<void> {
  const n = opts.feeds ?? (opts.quick ? 200 : 2_000);
  const { print } = opts;
  const server = await startFeedServerProcess({ feeds: n, listeners: LISTENERS, now: NOW.toISOString(), seed: SEED });
  const { client, db, dispose } = await tempDatabase("feeds");
  const fetchLike = createGuardedFetch(ALLOW);
  try {
    // A province slice with a few weeks of history; the first n accounts read a loopback feed, the rest none.
    const seeded = await fastSeed(client, db, buildPlan({ accounts: Math.ceil(n * 1.1) + 10, weeks: opts.quick ? 2 : 8, seed: SEED, now: NOW }));
    const ids = (await db.select({ id: accounts.id }).from(accounts).orderBy(accounts.id)).map((r) => r.id);
    if (ids.length < n) throw new Error(`B2: only ${ids.length} accounts for ${n} feeds`);
    // Feeds take the ports in turn, shifted every 200 so that the failing ones (feedKind) spread over all hosts.
    const urls = ids.slice(0, n).map((_, i) => `http://127.0.0.1:${server.ports[(i + Math.floor(i / 200)) % LISTENERS]}${feedPath(i)}`);
    await client.execute("UPDATE accounts SET feed_url = NULL");
    await db.transaction(async (tx) => {
      for (const [i, url] of urls.entries()) await tx.update(accounts).set({ feedUrl: url }).where(eq(accounts.id, ids[i]!));
    });
    print(`B2 setup: ${n} feeds on ${LISTENERS} loopback ports, ${seeded.accounts} accounts, ${seeded.posts} posts of history (not measured)`);

    const rss = rssSampler();
    // Floor: the same bytes fetched and parsed at the same concurrency, nothing stored.
    const fetchAndParse = async (list: string[]) => {
      let items = 0;
      await runLimited(list, { concurrency: CONCURRENCY, perKey: PER_HOST, key: (u) => new URL(u).host }, async (url) => {
        const res = await fetchFeed(url, { fetch: fetchLike, allowHosts: ALLOW, timeoutMs: TIMEOUT_MS });
        if (res.kind !== "ok") return;
        const parsed = await parseFeed(res.body, res.contentType);
        if (parsed.ok) items += parsed.items.length;
      });
      return items;
    };
    // A warm-up (not timed) so the floor, which runs first, does not pay for the connections and the JIT alone.
    await fetchAndParse(urls.slice(0, 100));
    const [floorMs, floorItems] = await timed(() => fetchAndParse(urls));
    const deps: JobDeps = {
      db,
      fetchFeed: fetchLike,
      feedAllowHosts: ALLOW,
      postWebhook: async () => new Response("bench: no webhooks", { status: 503 }),
    };
    const pollOpts = { concurrency: CONCURRENCY, perHost: PER_HOST, timeoutMs: TIMEOUT_MS };
    const poll = opts.poll ?? pollFeeds;
    const [firstMs, first] = await timed(() => poll(deps, NOW, pollOpts));
    // Two hours on, every feed is due again (an hour after a success, an hour after a first failure).
    const again = new Date(NOW.getTime() + 2 * 3_600_000);
    const before = await server.stats();
    const [secondMs, second] = await timed(() => poll(deps, again, pollOpts));
    const after = await server.stats();
    const peak = rss.stop();

    print(`B2 poll-feeds ${n} feeds × 20 items: ${fmt(firstMs)} ms, floor ${fmt(floorMs)} ms, ratio ${(firstMs / floorMs).toFixed(2)}`);
    print(`B2 detail: ${first.due} due, ${first.ok} ok, ${first.failed} failed, ${first.newPosts} new posts; floor parsed ${floorItems} items`);
    print(`B2r poll-feeds again (nothing new): ${fmt(secondMs)} ms, ratio to first ${(secondMs / firstMs).toFixed(2)}`);
    print(
      `B2r detail: ${second.due} due, ${second.ok} ok, ${second.failed} failed, ${second.newPosts} new posts; server answered ${after.notModified - before.notModified} × 304, ${after.ok - before.ok} × 200, ${after.failed - before.failed} errors, ${after.hung - before.hung} hung`,
    );
    const childHwm = vmHwmMiB(server.pid);
    print(`B2 peak RSS ${MiB(peak)} MiB (${MiB(rss.start)} MiB before the floor and the polls${childHwm === null ? "" : `; feed server process ${childHwm} MiB`})`);
  } finally {
    await fetchLike.close();
    await server.close();
    dispose();
  }
}

// ---- B3 ------------------------------------------------------------------------------------------

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

type Autocannon = (o: Record<string, unknown>) => Promise<{
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}>;

async function loadAutocannon(): Promise<Autocannon> {
  // autocannon ships no types; the specifier in a variable keeps the compiler from looking for them.
  const name = "autocannon";
  return ((await import(name)) as { default: Autocannon }).default;
}

async function drive(autocannon: Autocannon, base: string, token: string, paths: string[], durationS: number): Promise<Load> {
  let k = 0;
  const r = await autocannon({
    url: base,
    connections: 32,
    duration: durationS,
    headers: { authorization: `Bearer ${token}` },
    // Each request takes the next path in turn (detail pages of many accounts, not one cached row).
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[k++ % paths.length] }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

export async function runApi(opts: FeedsApiOptions): Promise<void> {
  const n = opts.accounts ?? (opts.quick ? 500 : 5_000);
  const durationS = opts.durationS ?? (opts.quick ? 3 : 10);
  const { print } = opts;
  const { client, db, dispose } = await tempDatabase("api");
  try {
    const [seedMs, seeded] = await timed(() => fastSeed(client, db, buildPlan({ accounts: n, weeks: opts.quick ? 4 : 8, seed: SEED, now: NOW })));
    const token = await adminToken(db, seeded.rootOrgId);
    print(`B3 setup: ${seeded.accounts} accounts, ${seeded.orgs} orgs, ${seeded.posts} posts in ${(seedMs / 1000).toFixed(1)} s (not measured)`);

    const app = createApp({ db, now: () => NOW });
    // The floor: behind the same /api/* middleware (security headers, body limits, the token lookup).
    const bodies = new Map<number, string>();
    app.get("/api/_bench/floor", (c) => {
      const size = Number(c.req.query("size") ?? 0);
      let body = bodies.get(size);
      if (body === undefined) bodies.set(size, (body = JSON.stringify({ data: "x".repeat(Math.max(0, size - 11)) })));
      return c.body(body, 200, { "content-type": "application/json" });
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once("listening", () => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const autocannon = await loadAutocannon();
      const ids = (await db.select({ id: accounts.id }).from(accounts).orderBy(accounts.name).limit(200)).map((r) => r.id);
      const week = addWeeks(weekOf(NOW), -1).id;
      const routes: { name: string; paths: string[] }[] = [
        { name: "GET /api/accounts?page=1&pageSize=50", paths: ["/api/accounts?page=1&pageSize=50"] },
        { name: `GET /api/compliance?week=${week}&pageSize=50`, paths: [`/api/compliance?week=${week}&pageSize=50`] },
        { name: "GET /api/accounts/{id}", paths: ids.map((id) => `/api/accounts/${id}`) },
      ];
      let worst = Infinity;
      for (const route of routes) {
        // The response size (mean over the paths sampled) sets the floor's body; a non-200 stops the run.
        let bytes = 0;
        const sample = route.paths.slice(0, 20);
        for (const p of sample) {
          const res = await fetch(base + p, { headers: { authorization: `Bearer ${token}` } });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`B3 ${p}: HTTP ${res.status} ${text.slice(0, 300)}`);
          bytes += Buffer.byteLength(text);
        }
        const size = Math.round(bytes / sample.length);
        const load = await drive(autocannon, base, token, route.paths, durationS);
        await settle(base, token);
        const floor = await drive(autocannon, base, token, [`/api/_bench/floor?size=${size}`], durationS);
        await settle(base, token);
        if (load.non2xx + load.errors + floor.non2xx + floor.errors > 0) {
          print(`B3 ${route.name}: warning: ${load.non2xx} non-2xx, ${load.errors} errors; floor ${floor.non2xx} non-2xx, ${floor.errors} errors`);
        }
        const ratio = floor.rps > 0 ? load.rps / floor.rps : 0;
        worst = Math.min(worst, ratio);
        print(
          `B3 ${route.name}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, floor ${floor.rps.toFixed(0)} req/s, ratio ${ratio.toFixed(2)} (${size} bytes)`,
        );
      }
      print(`B3 worst ratio ${worst.toFixed(2)}`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    dispose();
  }
}

/**
 * Waits until the server is idle again: when autocannon stops, the requests it left in flight (a slow
 * route's, 32 of them) are still being answered, and the next measurement must not pay for them.
 */
async function settle(base: string, token: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const t = performance.now();
    await fetch(`${base}/api/_bench/floor?size=0`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.arrayBuffer());
    if (performance.now() - t < 50) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A root admin token for the load (fastSeed's bootstrap token is not returned). */
async function adminToken(db: Db, rootOrgId: string): Promise<string> {
  const secret = await newTokenSecret();
  await db.transaction((tx) => issueToken(tx, null, new Date(NOW.getTime() - 86_400_000), { orgId: rootOrgId, role: "admin", label: "基准测试" }, secret));
  return secret.token;
}

export async function run(opts: FeedsApiOptions): Promise<void> {
  await runFeeds(opts);
  if (opts.routes !== false) await runApi(opts);
}
