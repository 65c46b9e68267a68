// Feed claims: due feeds are claimed in bounded batches with a lease in the database, so two pollers
// (two Node processes, a Node and a Worker, queue consumers) never fetch the same feed.
import http from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FeedMessage, JobDeps } from "../jobs/deps";
import { pollFeeds, pollQueuedFeeds } from "../jobs/poll-feeds";
import { createApp } from "../src/app";
import { bootstrap } from "../src/commands/bootstrap";
import { createDb, type Db } from "../src/db/client";
import { openEmbedded } from "../src/db/embedded";
import { migrate } from "../src/db/migrate";
import { loadMigrations } from "../src/db/migrations-fs";
import { claimDueFeeds, releaseClaims } from "../src/db/queries/feed-claims";
import { toCsv } from "../src/lib/csv";
import { createGuardedFetch } from "../src/net/guarded-fetch-node";

const FEEDS = 12;
const AT = new Date("2026-11-23T02:00:00Z");
const LATER = new Date("2026-11-23T04:00:00Z"); // after the hourly interval: every feed due again

/** Fetches per feed path: the point of the claims is that each is 1 per round. */
const hits = new Map<string, number>();
let server: http.Server;
let base = "";

type Conn = Awaited<ReturnType<typeof openEmbedded>>;
let url = "";
let a: { client: Conn; db: Db };
let b: { client: Conn; db: Db };
let ids: string[] = [];

async function open() {
  const client = await openEmbedded(url, { gateWaitMs: 20_000 });
  return { client, db: createDb(client) };
}

const deps = (db: Db, extra: Partial<JobDeps> = {}): JobDeps => ({
  db,
  fetchFeed: createGuardedFetch(["127.0.0.1"]),
  feedAllowHosts: ["127.0.0.1"],
  postWebhook: (async () => ({ ok: true })) as never,
  ...extra,
});

const claims = async () =>
  (await a.client.execute("SELECT account_id, claimed_by, claimed_until FROM feed_state WHERE claimed_by IS NOT NULL OR claimed_until IS NOT NULL")).rows;

beforeAll(async () => {
  // Each feed answers a little late, so two runs at once really overlap.
  server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
      res.end(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>${path} 第一条</title><guid>${path}-1</guid><pubDate>Mon, 16 Nov 2026 09:00:00 +0800</pubDate></item></channel></rss>`,
      );
    }, 30);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  url = `file:${join(mkdtempSync(join(tmpdir(), "govmedia-claims-")), "claims.db")}`;
  a = await open();
  await migrate(a.client, loadMigrations());
  b = await open();
  const root = await bootstrap(a.db, new Date("2026-11-01T00:00:00Z"), { name: "某市人民政府", level: "city" });
  const app = createApp({ db: a.db, now: () => AT });
  const call = (tok: string, path: string, body: string, type: string) =>
    app.request(path, { method: "POST", headers: { authorization: `Bearer ${tok}`, "content-type": type }, body });
  const sup = (await (await call(root.token, "/api/tokens", JSON.stringify({ orgId: root.orgId, role: "supervisor", label: "s" }), "application/json")).json()) as { token: string };
  const rows = [["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"]];
  for (let i = 0; i < FEEDS; i++) rows.push([`账号${i}`, "weibo", `k-${i}`, "某市人民政府", `${base}/f${i}`, "2026-01-01"]);
  rows.push(["无订阅", "weibo", "k-none", "某市人民政府", "", "2026-01-01"]);
  expect((await call(sup.token, "/api/accounts/import", toCsv(rows), "text/csv")).status).toBe(200);
  ids = (await a.client.execute("SELECT id FROM accounts WHERE feed_url IS NOT NULL ORDER BY id")).rows.map((r) => String(r.id));
  expect(ids).toHaveLength(FEEDS);
}, 60_000);

afterAll(async () => {
  a?.client.close();
  b?.client.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()));
});

beforeEach(async () => {
  // Every test starts from never-polled feeds.
  await a.client.execute("DELETE FROM feed_state");
  hits.clear();
});

describe("claimDueFeeds", () => {
  it("includes never-polled feeds, claims at most `limit`, and two claimers never share a feed", async () => {
    const first = await claimDueFeeds(a.db, { now: AT, claimer: "p1", limit: 5, leaseMs: 60_000 });
    expect(first).toHaveLength(5);
    // The accounts without a feed address get no row; every feed does (due at once).
    expect(Number((await a.client.execute("SELECT count(*) AS n FROM feed_state")).rows[0]!.n)).toBe(FEEDS);
    const second = await claimDueFeeds(b.db, { now: AT, claimer: "p2", limit: 100, leaseMs: 60_000 });
    expect(second).toHaveLength(FEEDS - 5);
    expect(new Set([...first, ...second]).size).toBe(FEEDS);
    expect(await claimDueFeeds(a.db, { now: AT, claimer: "p3", limit: 100, leaseMs: 60_000 })).toEqual([]);
    expect(await releaseClaims(a.db, "p1")).toBe(5);
    expect((await claimDueFeeds(a.db, { now: AT, claimer: "p3", limit: 100, leaseMs: 60_000 })).sort()).toEqual([...first].sort());
  });

  it("claims taken at the same moment over two connections are disjoint", async () => {
    const got = await Promise.all(
      Array.from({ length: 6 }, (_, i) => claimDueFeeds((i % 2 ? b : a).db, { now: AT, claimer: `c${i}`, limit: 3, leaseMs: 60_000 })),
    );
    const all = got.flat();
    expect(all).toHaveLength(FEEDS);
    expect(new Set(all).size).toBe(FEEDS);
    expect(got.every((g) => g.length <= 3)).toBe(true);
  });

  it("a claim expires after its lease (a crashed poller's feeds are taken again); a dead claimer's at once", async () => {
    const t0 = new Date("2026-12-01T00:00:00Z");
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const crashed = await claimDueFeeds(a.db, { now: AT, claimer: "crashed", limit: 4, leaseMs: 1000, wallNow: t0 });
    expect(await claimDueFeeds(a.db, { now: AT, claimer: "x", limit: 100, leaseMs: 1000, wallNow: at(999) })).toHaveLength(FEEDS - 4);
    const retaken = await claimDueFeeds(a.db, { now: AT, claimer: "y", limit: 100, leaseMs: 1000, wallNow: at(1000) });
    expect(retaken.sort()).toEqual(crashed.sort());
    // Claimed by "y" until t0+2000; a process known dead loses its claims before that.
    expect(await claimDueFeeds(a.db, { now: AT, claimer: "z", limit: 100, leaseMs: 1000, wallNow: at(1500), isAlive: (c) => c !== "x" })).toHaveLength(FEEDS - 4);
    expect(await claimDueFeeds(a.db, { now: AT, claimer: "w", limit: 100, leaseMs: 1000, wallNow: at(1500), isAlive: () => undefined })).toEqual([]);
  });

  it("only due feeds: a recorded poll frees the claim and moves next_due_at on; a changed address is due at once", async () => {
    const r = await pollFeeds(deps(a.db), AT, { batchSize: 5 });
    expect(r).toMatchObject({ due: FEEDS, ok: FEEDS, failed: 0, more: false });
    expect(await claims()).toEqual([]);
    expect(await claimDueFeeds(a.db, { now: AT, claimer: "again", limit: 100, leaseMs: 60_000 })).toEqual([]);
    const was = String((await a.client.execute({ sql: "SELECT feed_url FROM accounts WHERE id = ?", args: [ids[0]!] })).rows[0]!.feed_url);
    await a.client.execute({ sql: "UPDATE accounts SET feed_url = ? WHERE id = ?", args: [`${base}/moved`, ids[0]!] });
    expect(await claimDueFeeds(a.db, { now: AT, claimer: "again", limit: 100, leaseMs: 60_000 })).toEqual([ids[0]]);
    await a.client.execute({ sql: "UPDATE accounts SET feed_url = ? WHERE id = ?", args: [was, ids[0]!] });
    // An hour on, the others are due again (the one still claimed by "again" is not).
    expect(await claimDueFeeds(a.db, { now: LATER, claimer: "later", limit: 100, leaseMs: 60_000, wallNow: AT })).toHaveLength(FEEDS - 1);
  });
});

describe("poll-feeds with claims", () => {
  it("two runs at once over the same database fetch every feed exactly once", async () => {
    const [r1, r2] = await Promise.all([pollFeeds(deps(a.db), AT, { batchSize: 2 }), pollFeeds(deps(b.db), AT, { batchSize: 2 })]);
    expect(r1.due + r2.due).toBe(FEEDS);
    expect(r1.ok + r2.ok).toBe(FEEDS);
    // Both really took part.
    expect(r1.due).toBeGreaterThan(0);
    expect(r2.due).toBeGreaterThan(0);
    expect([...hits.values()]).toEqual(Array(FEEDS).fill(1));
    expect(hits.size).toBe(FEEDS);
    expect(await claims()).toEqual([]);
    expect(Number((await a.client.execute("SELECT count(*) AS n FROM posts")).rows[0]!.n)).toBe(FEEDS);
  });

  it("a budget bounds one run (Workers): the rest is left due and unclaimed for the next", async () => {
    const r = await pollFeeds(deps(a.db, { feedBudget: { maxFeeds: 5 } }), AT, { batchSize: 2 });
    expect(r).toMatchObject({ due: 5, ok: 5, more: true });
    expect(hits.size).toBe(5);
    expect(await claims()).toEqual([]);
    const rest = await pollFeeds(deps(a.db, { feedBudget: { maxFeeds: 100 } }), AT);
    expect(rest).toMatchObject({ due: FEEDS - 5, more: false });
    expect([...hits.values()]).toEqual(Array(FEEDS).fill(1));
  });

  it("a run that fails half-way frees its claims for the rerun", async () => {
    let n = 0;
    const failing = deps(a.db);
    failing.db = new Proxy(a.db, {
      get(target, prop, receiver) {
        if (prop === "transaction") return (fn: never) => (++n === 3 ? Promise.reject(new Error("simulated failure")) : target.transaction(fn));
        return Reflect.get(target, prop, receiver);
      },
    });
    await expect(pollFeeds(failing, AT, { concurrency: 1, batchSize: 4 })).rejects.toThrow("simulated failure");
    expect(await claims()).toEqual([]);
    const rerun = await pollFeeds(deps(a.db), AT);
    // How many polls the failed run recorded depends on how they were grouped; the rerun does the rest.
    expect(rerun.ok).toBeGreaterThan(0);
    expect(Number((await a.client.execute("SELECT count(*) AS n FROM feed_state WHERE last_success_at IS NULL")).rows[0]!.n)).toBe(0);
    expect(await claims()).toEqual([]);
  });
});

describe("poll-feeds through a queue (the Worker's producer and consumer)", () => {
  it("the producer claims and enqueues without fetching; the consumer polls each message once", async () => {
    const sent: FeedMessage[][] = [];
    const queue = { leaseMs: 30 * 60_000, sendBatch: async (m: FeedMessage[]) => void sent.push(m) };
    const produced = await pollFeeds(deps(a.db, { feedQueue: queue }), AT);
    expect(produced).toMatchObject({ queued: FEEDS, more: false });
    expect(hits.size).toBe(0);
    const messages = sent.flat();
    expect(messages.map((m) => m.accountIds).flat().sort()).toEqual(ids);
    expect(sent.every((s) => s.length <= 100)).toBe(true);
    // Claimed for the queue: another poller leaves them alone.
    expect((await claims()).every((c) => String(c.claimed_until) > new Date(Date.now() + 20 * 60_000).toISOString())).toBe(true);
    expect((await pollFeeds(deps(b.db), AT)).due).toBe(0);

    const polled = await Promise.all(messages.map((m) => pollQueuedFeeds(deps(b.db), AT, m.claimer, m.accountIds)));
    expect(polled.reduce((n, p) => n + p.ok, 0)).toBe(FEEDS);
    expect([...hits.values()]).toEqual(Array(FEEDS).fill(1));
    expect(await claims()).toEqual([]);
    // A message delivered twice (at-least-once delivery) does not fetch again.
    expect(await pollQueuedFeeds(deps(b.db), AT, messages[0]!.claimer, messages[0]!.accountIds)).toMatchObject({ due: 0, skipped: 1 });
    expect(hits.get("/f0")).toBe(1);
  });

  it("a batch the queue refuses is freed at once", async () => {
    const queue = {
      leaseMs: 30 * 60_000,
      sendBatch: async () => {
        throw new Error("queue unavailable");
      },
    };
    await expect(pollFeeds(deps(a.db, { feedQueue: queue }), AT)).rejects.toThrow("queue unavailable");
    expect(await claims()).toEqual([]);
  });
});
