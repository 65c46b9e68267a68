// poll-feeds on the edge: real workerd (wrangler dev, local Cloudflare Queues in miniflare) against a
// real libSQL server (sqld). With the queue bound the cron trigger only claims due feeds and enqueues
// them; the queue consumer polls each exactly once. Without it, one trigger polls a bounded batch.
import http from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { bootstrap } from "../src/commands/bootstrap";
import { createDb } from "../src/db/client";
import { migrate } from "../src/db/migrate";
import { loadMigrations } from "../src/db/migrations-fs";
import { toCsv } from "../src/lib/csv";
import { startSqld, startWrangler, stopChildren } from "./support/worker";

const FEEDS = 30;
const hits = new Map<string, number>();
let feedServer: http.Server;
let sqldUrl = "";
let db: Client;

const one = async (sql: string) => (await db.execute(sql)).rows[0]!;
const count = async (sql: string) => Number((await one(sql)).n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const fire = (worker: string) => fetch(`${worker}/__scheduled?cron=${encodeURIComponent("*/15 * * * *")}`);

beforeAll(async () => {
  feedServer = http.createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
    res.end(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>边缘</title>` +
        `<item><title>${path} 第一条</title><guid>${path}-1</guid><pubDate>Mon, 16 Nov 2026 09:00:00 +0800</pubDate></item>` +
        `<item><title>${path} 第二条</title><guid>${path}-2</guid><pubDate>Tue, 17 Nov 2026 09:00:00 +0800</pubDate></item></channel></rss>`,
    );
  });
  await new Promise<void>((r) => feedServer.listen(0, "127.0.0.1", r));
  const feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;

  sqldUrl = await startSqld();
  db = createClient({ url: sqldUrl });
  await migrate(db, loadMigrations());
  const root = await bootstrap(createDb(db), new Date(), { name: "边缘市", level: "city" });
  // The accounts are registered from Node against the same server, as an import would.
  const app = createApp({ db: createDb(db), now: () => new Date() });
  const post = (tok: string, path: string, body: string, type: string) =>
    app.request(path, { method: "POST", headers: { authorization: `Bearer ${tok}`, "content-type": type }, body });
  const sup = (await (await post(root.token, "/api/tokens", JSON.stringify({ orgId: root.orgId, role: "supervisor", label: "s" }), "application/json")).json()) as { token: string };
  const rows = [["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"]];
  for (let i = 0; i < FEEDS; i++) rows.push([`账号${i}`, "weibo", `k-${i}`, "边缘市", `${feedBase}/f${i}`, "2026-01-01"]);
  const imp = await post(sup.token, "/api/accounts/import", toCsv(rows), "text/csv");
  expect(imp.status).toBe(200);
  expect(await count("SELECT count(*) AS n FROM accounts WHERE feed_url IS NOT NULL")).toBe(FEEDS);
}, 60_000);

afterAll(async () => {
  stopChildren();
  db?.close();
  feedServer?.closeAllConnections();
  await new Promise<void>((r) => feedServer?.close(() => r()));
});

describe("poll-feeds through Cloudflare Queues (wrangler.toml binds FEED_QUEUE)", () => {
  let worker = "";
  beforeAll(async () => {
    worker = await startWrangler({ DATABASE_URL: sqldUrl, FEED_ALLOW_HOSTS: "127.0.0.1" });
  }, 120_000);

  it("the trigger enqueues every due feed; the consumer polls each exactly once; no claim is left", async () => {
    expect((await fire(worker)).status).toBe(200);
    // The producer's run: claimed and queued all 30, fetched nothing (the per-invocation budget is 5).
    await until(async () => (await count("SELECT count(*) AS n FROM job_runs WHERE job = 'poll-feeds' AND status = 'finished'")) === 1, 30_000, "the producer run");
    const result = JSON.parse(String((await one("SELECT result FROM job_runs WHERE job = 'poll-feeds'")).result));
    expect(result).toMatchObject({ queued: FEEDS, more: false });

    await until(async () => (await count("SELECT count(*) AS n FROM feed_state WHERE last_success_at IS NOT NULL AND claimed_by IS NULL")) === FEEDS, 90_000, "every feed polled");
    expect(hits.size).toBe(FEEDS);
    expect([...hits.values()].every((n) => n === 1)).toBe(true);
    expect(await count("SELECT count(*) AS n FROM posts")).toBe(FEEDS * 2);
    expect(await count("SELECT count(*) AS n FROM feed_state WHERE claimed_by IS NOT NULL OR claimed_until IS NOT NULL")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM feed_state WHERE consecutive_failures > 0 OR next_due_at <= strftime('%Y-%m-%dT%H:%M:%fZ','now')")).toBe(0);

    // A second trigger finds nothing due: nothing is queued or fetched again.
    expect((await fire(worker)).status).toBe(200);
    await until(async () => (await count("SELECT count(*) AS n FROM job_runs WHERE job = 'poll-feeds' AND status = 'finished'")) === 2, 30_000, "the second run");
    const again = JSON.parse(String((await one("SELECT result FROM job_runs WHERE job = 'poll-feeds' ORDER BY id DESC LIMIT 1")).result));
    expect(again).toMatchObject({ queued: 0, more: false });
    await sleep(3000);
    expect([...hits.values()].every((n) => n === 1)).toBe(true);
  }, 150_000);
});

describe("poll-feeds without a queue: a bounded claimed batch per trigger", () => {
  let worker = "";
  beforeAll(async () => {
    // The same Worker with the queue blocks left out of its config.
    const dir = mkdtempSync(join(tmpdir(), "govmedia-noqueue-"));
    const toml = readFileSync(join(process.cwd(), "wrangler.toml"), "utf8");
    const noQueue = toml
      .slice(0, toml.indexOf("[[queues.producers]]"))
      .replace(/^main = .*$/m, `main = ${JSON.stringify(join(process.cwd(), "src/worker.ts"))}`);
    expect(noQueue).not.toMatch(/\[\[queues/);
    writeFileSync(join(dir, "wrangler.toml"), noQueue);
    worker = await startWrangler({ DATABASE_URL: sqldUrl, FEED_ALLOW_HOSTS: "127.0.0.1", FEED_BATCH_PER_INVOCATION: "4" }, { config: join(dir, "wrangler.toml") });
  }, 120_000);

  it("polls FEED_BATCH_PER_INVOCATION feeds itself and leaves the rest due, unclaimed, for the next trigger", async () => {
    // Every feed due again.
    await db.execute("UPDATE feed_state SET next_due_at = '2026-01-01T00:00:00.000Z'");
    hits.clear();
    const runs = await count("SELECT count(*) AS n FROM job_runs WHERE job = 'poll-feeds'");
    expect((await fire(worker)).status).toBe(200);
    await until(async () => (await count("SELECT count(*) AS n FROM job_runs WHERE job = 'poll-feeds' AND status = 'finished'")) === runs + 1, 30_000, "the run");
    const result = JSON.parse(String((await one("SELECT result FROM job_runs WHERE job = 'poll-feeds' ORDER BY id DESC LIMIT 1")).result));
    expect(result).toMatchObject({ due: 4, ok: 4, more: true });
    expect(hits.size).toBe(4);
    expect(await count("SELECT count(*) AS n FROM feed_state WHERE next_due_at = '2026-01-01T00:00:00.000Z' AND claimed_by IS NULL")).toBe(FEEDS - 4);
    expect(await count("SELECT count(*) AS n FROM feed_state WHERE claimed_by IS NOT NULL")).toBe(0);
  }, 90_000);
});
