// kill -9 of `npm run job -- poll-feeds` half-way, then a restart and a rerun: the killed run is marked
// abandoned, the rerun finishes, the database file is intact, and no post or alert exists twice.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/node-db";
import { bootstrap } from "../src/commands/bootstrap";
import { toCsv } from "../src/lib/csv";
import { createApp } from "../src/app";

const run = promisify(execFile);
const tsx = join(process.cwd(), "node_modules/.bin/tsx");
const dir = mkdtempSync(join(tmpdir(), "govmedia-kill-"));
const url = `file:${join(dir, "kill.db")}`;
const FEEDS = 24;
const ITEMS = 5;
const AT = "2026-11-23T02:00:00Z";
const env = { ...process.env, DATABASE_URL: url, FEED_ALLOW_HOSTS: "127.0.0.1", RUN_JOBS: "true" };

let feedServer: http.Server;
let feedBase = "";
let slow = true;
/** Items each feed shows now: three before the crash, five after (new posts arrive). */
let itemsNow = 3;
let server: ChildProcess | undefined;
let check: Client;

beforeAll(async () => {
  // Each working feed answers after 400 ms (while `slow`), so the job is still running when it is killed.
  feedServer = http.createServer((req, res) => {
    const path = req.url ?? "/";
    const answer = () => {
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
      const items = Array.from(
        { length: itemsNow },
        (_, i) => `<item><title>${path} 第${i}条</title><guid isPermaLink="false">${path}-${i}</guid><pubDate>Mon, 2${i} Nov 2026 09:00:00 +0800</pubDate></item>`,
      ).join("");
      res.end(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://example.gov.cn/</link><description>d</description>${items}</channel></rss>`);
    };
    if (slow) setTimeout(answer, 400);
    else answer();
  });
  await new Promise<void>((r) => feedServer.listen(0, "127.0.0.1", r));
  feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;

  const { db, client } = await openDatabase(url);
  const root = await bootstrap(db, new Date("2026-11-01T00:00:00Z"), { name: "某市人民政府", level: "city" });
  const app = createApp({ db, now: () => new Date(AT) });
  const sup = await app.request("/api/tokens", {
    method: "POST",
    headers: { authorization: `Bearer ${root.token}`, "content-type": "application/json" },
    body: JSON.stringify({ orgId: root.orgId, role: "supervisor", label: "sup" }),
  });
  const supToken = ((await sup.json()) as { token: string }).token;
  const rows = [["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"]];
  for (let i = 0; i < FEEDS; i++) rows.push([`账号${i}`, "weibo", `k-${i}`, "某市人民政府", `${feedBase}/f${i}`, "2026-01-01"]);
  // Three feeds the address guard refuses: they fail on every run and open feed_failing alerts.
  for (let i = 0; i < 3; i++) rows.push([`失效${i}`, "toutiao", `bad-${i}`, "某市人民政府", `http://10.9.9.${i}/feed`, "2026-01-01"]);
  const imp = await app.request("/api/accounts/import", {
    method: "POST",
    headers: { authorization: `Bearer ${supToken}`, "content-type": "text/csv" },
    body: toCsv(rows),
  });
  expect(imp.status).toBe(200);
  client.close();
  check = createClient({ url });
}, 60_000);

afterAll(async () => {
  server?.kill("SIGTERM");
  feedServer?.close();
  check?.close();
});

const one = async (sql: string) => (await check.execute(sql)).rows[0]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("kill -9 of a running job", () => {
  it("is marked abandoned on restart; the rerun completes; integrity ok; no duplicate posts or alerts", async () => {
    // Two clean runs first, so the failing feeds have alerts open before the crash.
    slow = false;
    for (const at of ["2026-11-21T02:00:00Z", "2026-11-22T02:00:00Z"]) {
      await run(tsx, ["src/cli.ts", "job", "poll-feeds", "--at", at], { env });
    }
    expect(Number((await one("SELECT count(*) AS n FROM posts")).n)).toBe(FEEDS * 3);
    // New items arrive, slowly: the third run is killed half-way.
    slow = true;
    itemsNow = ITEMS;
    const child = spawn(tsx, ["src/cli.ts", "job", "poll-feeds", "--at", AT], { env, stdio: "ignore", detached: true });
    await waitFor(async () => Number((await one("SELECT count(*) AS n FROM feed_state WHERE last_attempt_at = '2026-11-23T02:00:00.000Z' AND last_error IS NULL")).n) >= 4, 30_000, "the job to be half-way");
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const done = Number((await one("SELECT count(*) AS n FROM feed_state WHERE last_attempt_at = '2026-11-23T02:00:00.000Z'")).n);
    expect(done).toBeLessThan(FEEDS + 3);
    expect((await check.execute("SELECT status FROM job_runs WHERE at = '2026-11-23T02:00:00.000Z'")).rows.map((r) => r.status)).toEqual(["running"]);

    // Restart: the server marks the dead run abandoned as it starts.
    const port = 20000 + Math.floor(Math.random() * 20000);
    server = spawn(tsx, ["src/node.ts"], { env: { ...env, PORT: String(port) }, stdio: "ignore" });
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok).catch(() => false)),
      30_000,
      "the server",
    );
    const killed = (await check.execute("SELECT status, error FROM job_runs WHERE at = '2026-11-23T02:00:00.000Z'")).rows;
    expect(killed.map((r) => r.status)).toEqual(["abandoned"]);
    expect(String(killed[0]!.error)).toMatch(/中断/);

    // The rerun for the same instant completes, beside the running server.
    slow = false;
    const rerun = await run(tsx, ["src/cli.ts", "job", "poll-feeds", "--at", AT], { env });
    const summary = JSON.parse(rerun.stdout);
    // The rerun picks up the feeds the killed run had not reached.
    expect(summary.ok).toBeGreaterThan(0);
    expect(summary.ok).toBeLessThanOrEqual(FEEDS - 4);

    const runs = (await check.execute("SELECT status FROM job_runs ORDER BY id")).rows.map((r) => r.status);
    expect(runs).toEqual(["finished", "finished", "abandoned", "finished"]);
    expect((await one("PRAGMA integrity_check")).integrity_check).toBe("ok");
    // Every item of every working feed exactly once.
    expect(Number((await one("SELECT count(*) AS n FROM posts")).n)).toBe(FEEDS * ITEMS);
    expect(Number((await one("SELECT count(*) AS n FROM (SELECT account_id, identity FROM posts GROUP BY 1, 2 HAVING count(*) > 1)")).n)).toBe(0);
    // One open alert per failing feed, none twice.
    const alerts = (await check.execute("SELECT account_id, kind, count(*) AS n FROM alerts WHERE status IN ('open','acknowledged') GROUP BY 1, 2")).rows;
    expect(alerts.filter((a) => a.kind === "feed_failing")).toHaveLength(3);
    expect(alerts.every((a) => Number(a.n) === 1)).toBe(true);
    expect(Number((await one("SELECT count(*) AS n FROM job_leases")).n)).toBe(0);
  }, 120_000);
});
