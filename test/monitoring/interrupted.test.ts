// A job interrupted half-way and rerun gives the same result as one uninterrupted run:
// no duplicate posts, alerts or messages.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JobDeps } from "../../jobs/deps";
import { evaluateWeek } from "../../jobs/evaluate-week";
import { pollFeeds } from "../../jobs/poll-feeds";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { makeTestApp, token, type TestApp } from "../helpers";

let server: http.Server;
let base = "";
const received: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.method === "POST") {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => {
        received.push(data);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
      return;
    }
    const n = Number((req.url ?? "/0").slice(1));
    res.writeHead(200, { "content-type": "application/rss+xml" });
    // Feed n has n posts in W47 (0..5).
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>${Array.from({ length: n }, (_, i) => `<item><title>p${i}</title><guid>${n}-${i}</guid><pubDate>${new Date(Date.UTC(2026, 10, 16 + i, 2)).toUTCString()}</pubDate></item>`).join("")}</channel></rss>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function world() {
  const t = await makeTestApp({ at: "2026-11-01T00:00:00Z", webhookAllowHosts: ["127.0.0.1"] });
  const root = await t.bootstrap("某县政府", "county");
  const sup = await token(t, root.token, root.orgId, "supervisor");
  for (let n = 0; n < 6; n++) {
    const r = await t.call(sup, "POST", "/api/accounts", { orgId: root.orgId, platform: n % 2 ? "weibo" : "douyin", name: `账号${n}`, feedUrl: `${base}/${n}`, openedOn: "2026-01-01" });
    expect(r.status).toBe(201);
  }
  await t.call(sup, "POST", "/api/webhooks", { orgId: root.orgId, kind: "generic", label: "办公室", url: `${base}/hook` });
  const deps: JobDeps = { db: t.db, fetchFeed: createGuardedFetch(["127.0.0.1"]), feedAllowHosts: ["127.0.0.1"], postWebhook: createGuardedPost(["127.0.0.1"]) };
  return { t, deps };
}

/** A database that "crashes" on the k-th transaction, as a process killed mid-run would leave it. */
function crashingAt(deps: JobDeps, k: number): JobDeps {
  let n = 0;
  const db = new Proxy(deps.db, {
    get(target, prop, receiver) {
      if (prop === "transaction") {
        return (fn: never) => {
          if (++n === k) throw new Error("simulated crash");
          return target.transaction(fn);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { ...deps, db };
}

async function state(t: TestApp) {
  // Ids are random per world: compare what they point at, not their spelling.
  const q = async (sql: string) =>
    (await t.client.execute(sql)).rows.map((r) => Object.values(r).join("|").replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<id>"));
  return {
    posts: await q("SELECT a.name, p.identity FROM posts p JOIN accounts a ON a.id = p.account_id ORDER BY 1, 2"),
    alerts: await q("SELECT a.name, al.kind, al.status FROM alerts al JOIN accounts a ON a.id = al.account_id ORDER BY 1, 2"),
    deliveries: await q("SELECT event_key, status FROM webhook_deliveries ORDER BY 1"),
  };
}

it("poll-feeds and evaluate-week, crashed half-way and rerun, end where one clean run ends", async () => {
  const poll = new Date("2026-11-22T16:30:00Z");
  const monday = new Date("2026-11-22T17:00:00Z");

  const clean = await world();
  await pollFeeds(clean.deps, poll, { concurrency: 1 });
  await evaluateWeek(clean.deps, monday);
  const expected = await state(clean.t);
  const sentClean = received.length;
  expect(expected.posts).toHaveLength(15);
  expect(expected.alerts.some((a) => a.includes("below_minimum"))).toBe(true);

  const crashed = await world();
  // Transaction 1 claims the due feeds, 2 records the first group of polls: crash there.
  await expect(pollFeeds(crashingAt(crashed.deps, 2), poll, { concurrency: 1 })).rejects.toThrow("simulated crash");
  await pollFeeds(crashed.deps, poll, { concurrency: 1 });
  await expect(evaluateWeek(crashingAt(crashed.deps, 1), monday)).rejects.toThrow("simulated crash");
  await evaluateWeek(crashed.deps, monday);
  await evaluateWeek(crashed.deps, monday);
  expect(await state(crashed.t)).toEqual(expected);
  // The crashed world sent the same messages as the clean one, once each.
  expect(received.length - sentClean).toBe(sentClean);
});
