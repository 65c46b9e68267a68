// A bounded load test on the embedded database file: 20 clients of a real HTTP server on 127.0.0.1
// doing mixed reads and writes (accounts, filings, tokens, posts) while poll-feeds runs in the server's
// process over 50 feeds that fail at once (and 10 that work), and `npm run job -- poll-feeds` runs in a
// second process against the same file. No 5xx, nothing acknowledged lost, every job run finished.
import { spawn } from "node:child_process";
import http from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJob } from "../jobs";
import { createApp } from "../src/app";
import { openDatabase } from "../src/node-db";
import { nodeJobDeps } from "../src/node-runtime";
import { bootstrap } from "../src/commands/bootstrap";
import { toCsv } from "../src/lib/csv";
import { exceljsCodec } from "../src/lib/spreadsheet-exceljs";

const LOAD_MS = 20_000;
const CLIENTS = 20;
const tsx = join(process.cwd(), "node_modules/.bin/tsx");
const dir = mkdtempSync(join(tmpdir(), "govmedia-load-"));
const url = `file:${join(dir, "load.db")}`;

let opened: Awaited<ReturnType<typeof openDatabase>>;
let server: ServerType;
let base = "";
let feedServer: http.Server;
let feedBase = "";
let feedHits = 0;

beforeAll(async () => {
  // Working feeds: every request shows a new item, so each poll writes posts.
  feedServer = http.createServer((req, res) => {
    feedHits++;
    const n = feedHits;
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://example.gov.cn/</link><description>d</description>` +
        `<item><title>第${n}条</title><guid isPermaLink="false">${req.url}-${n}</guid><pubDate>Mon, 23 Nov 2026 09:00:00 +0800</pubDate></item></channel></rss>`,
    );
  });
  await new Promise<void>((r) => feedServer.listen(0, "127.0.0.1", r));
  feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;

  opened = await openDatabase(url);
  const app = createApp({ db: opened.db, now: () => new Date("2026-11-23T02:00:00Z"), spreadsheet: exceljsCodec });
  await new Promise<void>((r) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => r());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.close();
  feedServer?.close();
  opened?.client.close();
});

async function api(token: string, method: string, path: string, body?: unknown) {
  const started = performance.now();
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, ms: performance.now() - started };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe("load beside running jobs", () => {
  it("answers every request without 5xx, loses no acknowledged write, and finishes both poll-feeds runs", async () => {
    const { db } = opened;
    const root = await bootstrap(db, new Date("2026-11-01T00:00:00Z"), { name: "某市人民政府", level: "city" });
    const admin = root.token;
    const supRes = await api(admin, "POST", "/api/tokens", { orgId: root.orgId, role: "supervisor", label: "sup" });
    const sup = supRes.body.token as string;
    const dept = await api(admin, "POST", "/api/orgs", { name: "市教育局", kind: "department", level: "city", parentId: root.orgId });
    expect(dept.status).toBe(201);
    const opRes = await api(admin, "POST", "/api/tokens", { orgId: dept.body.id, role: "operator", label: "op" });
    const operator = opRes.body.token as string;

    // 50 feeds the address guard refuses at once, 10 that answer.
    const rows = [["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"]];
    for (let i = 0; i < 50; i++) rows.push([`失效源${i}`, "今日头条", `bad-${i}`, "市教育局", `http://10.${i}.0.1/feed`, "2026-01-01"]);
    for (let i = 0; i < 10; i++) rows.push([`正常源${i}`, "微博", `ok-${i}`, "市教育局", `${feedBase}/f${i}`, "2026-01-01"]);
    const imp = await fetch(`${base}/api/accounts/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${sup}`, "content-type": "text/csv" },
      body: toCsv(rows),
    });
    expect(imp.status, await imp.clone().text()).toBe(200);
    const list = await api(sup, "GET", "/api/accounts?pageSize=100");
    const pushTargets: string[] = list.body.items.filter((a: { name: string }) => a.name.startsWith("正常源")).map((a: { id: string }) => a.id);
    expect(pushTargets).toHaveLength(10);

    const deps = { ...nodeJobDeps(db, { FEED_ALLOW_HOSTS: ["127.0.0.1"], WEBHOOK_ALLOW_HOSTS: [] }) };
    const stop = Date.now() + LOAD_MS;

    // poll-feeds in this (the server's) process, again and again, each run for a later instant so every feed is due.
    // (After the second process has polled "as of" day 60, these move past it so feeds are due again.)
    let secondDone = false;
    const inProcess = (async () => {
      let runs = 0;
      for (let i = 0; Date.now() < stop; i++) {
        const day = (secondDone ? 62 : 0) + i * 2;
        await runJob("poll-feeds", deps, new Date(Date.parse("2026-11-23T02:00:00Z") + day * 86_400_000), { waitMs: 60_000 });
        runs++;
        await new Promise((r) => setTimeout(r, 400));
      }
      return runs;
    })();

    // The same job from a second process, as `npm run job -- poll-feeds` beside `npm start`.
    const second = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      setTimeout(() => {
        const child = spawn(tsx, ["src/cli.ts", "job", "poll-feeds", "--at", "2027-01-22T02:00:00Z"], {
          env: { ...process.env, DATABASE_URL: url, FEED_ALLOW_HOSTS: "127.0.0.1" },
          stdio: "pipe",
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => {
          secondDone = true;
          resolve({ code, stdout, stderr });
        });
      }, 1_000);
    });

    const latencies: number[] = [];
    const fivexx: string[] = [];
    const acked = { accounts: [] as string[], tokens: [] as string[], posts: [] as { accountId: string; guid: string }[], approved: [] as string[] };
    let requests = 0;
    let writes = 0;
    let seq = 0;
    const statuses: Record<string, number> = {};

    async function client(c: number) {
      while (Date.now() < stop) {
        const op = (seq++ + c) % 8;
        const n = seq;
        let r: Awaited<ReturnType<typeof api>>;
        let write = true;
        if (op === 0) {
          r = await api(operator, "POST", "/api/accounts", { orgId: dept.body.id, platform: "douyin", name: `负载账号${n}`, platformId: `load-${n}` });
          if (r.status === 201) acked.accounts.push(r.body.id);
        } else if (op === 1) {
          r = await api(admin, "POST", "/api/tokens", { orgId: dept.body.id, role: "viewer", label: `负载${n}` });
          if (r.status === 201) acked.tokens.push(r.body.id);
        } else if (op === 2) {
          const accountId = pushTargets[n % pushTargets.length]!;
          const guid = `push-${n}`;
          r = await api(sup, "POST", `/api/accounts/${accountId}/posts`, { posts: [{ title: `推送${n}`, guid, publishedAt: "2026-11-23T09:00:00+08:00" }] });
          if (r.status === 200) acked.posts.push({ accountId, guid });
        } else if (op === 3) {
          write = false;
          const pending = await api(sup, "GET", "/api/filings?status=submitted&pageSize=3");
          requests++;
          latencies.push(pending.ms);
          if (pending.status >= 500) fivexx.push(`GET /api/filings ${pending.status}`);
          statuses[`3:${pending.status}`] = (statuses[`3:${pending.status}`] ?? 0) + 1;
          const f = pending.body?.items?.[c % Math.max(1, pending.body.items.length)];
          if (f) {
            write = true;
            r = await api(sup, "POST", `/api/filings/${f.id}/decision`, { approve: true });
            // Two clients may decide the same filing: the second gets 409, which is right.
            if (r.status === 200) acked.approved.push(f.id);
          } else continue;
        } else {
          write = false;
          const path = ["/api/accounts?pageSize=20", "/api/compliance?pageSize=20", "/api/alerts", "/api/filings?pageSize=20"][op % 4]!;
          r = await api(sup, "GET", path);
        }
        requests++;
        if (write) writes++;
        statuses[`${op}:${r.status}`] = (statuses[`${op}:${r.status}`] ?? 0) + 1;
        latencies.push(r.ms);
        if (r.status >= 500) fivexx.push(`${op} ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const inProcessRuns = await inProcess;
    const secondRun = await second;
    await deps.close();

    // Every acknowledged write is there.
    const count = async (sql: string, args: string[]) => Number((await opened.client.execute({ sql, args })).rows[0]!.n);
    let lost = 0;
    for (const id of acked.accounts) lost += 1 - (await count("SELECT count(*) AS n FROM accounts WHERE id = ?", [id]));
    for (const id of acked.tokens) lost += 1 - (await count("SELECT count(*) AS n FROM tokens WHERE id = ?", [id]));
    for (const p of acked.posts) lost += 1 - (await count("SELECT count(*) AS n FROM posts WHERE account_id = ? AND guid = ?", [p.accountId, p.guid]));
    for (const id of acked.approved) lost += 1 - (await count("SELECT count(*) AS n FROM filings WHERE id = ? AND status = 'approved'", [id]));

    const runs = (await opened.client.execute("SELECT status, holder, error FROM job_runs WHERE job = 'poll-feeds'")).rows;
    const finished = runs.filter((r) => r.status === "finished").length;
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `load: ${requests} requests, ${writes} writes, ${fivexx.length} 5xx, ${lost} lost, job runs ${finished}/${runs.length} finished ` +
        `(${inProcessRuns} in-process, second process exit ${secondRun.code}); p50 ${percentile(sorted, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
    );

    expect(fivexx).toEqual([]);
    // Only the answers a client expects: 200/201, and 409 where two clients decided the same filing.
    expect(Object.keys(statuses).filter((k) => !/:(200|201)$/.test(k) && k !== "3:409")).toEqual([]);
    expect(lost).toBe(0);
    expect(secondRun.code, secondRun.stderr).toBe(0);
    expect(JSON.parse(secondRun.stdout).due).toBeGreaterThan(0);
    expect(inProcessRuns).toBeGreaterThan(1);
    expect(runs.length).toBe(inProcessRuns + 1);
    expect(runs.filter((r) => r.status !== "finished")).toEqual([]);
    expect(new Set(runs.map((r) => String(r.holder).split(":")[1])).size).toBe(2);
    expect(writes).toBeGreaterThan(100);
    expect(Object.values(acked).map((a) => a.length > 0), JSON.stringify(statuses)).toEqual([true, true, true, true]);
  }, 120_000);
});
