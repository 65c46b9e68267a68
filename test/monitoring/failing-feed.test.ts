// A feed that fails for a whole week is "unknown" and failing — never compliant, never dormant.
// And the SSRF guard: without FEED_ALLOW_HOSTS a feed on 127.0.0.1 is refused with a clear reason.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDeps } from "../../jobs/deps";
import { dormancy } from "../../jobs/dormancy";
import { evaluateWeek } from "../../jobs/evaluate-week";
import { pollFeeds } from "../../jobs/poll-feeds";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { makeTestApp, token, type TestApp } from "../helpers";

let server: http.Server;
let base = "";
let broken = false;
const DAY = 86_400_000;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    if (broken) return void res.writeHead(503).end("bridge down");
    res.writeHead(200, { "content-type": "application/rss+xml" });
    // One post a week up to W45 (Sunday 2026-11-08), nothing after.
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${["2026-10-20", "2026-10-27", "2026-11-03", "2026-11-07"]
      .map((d, i) => `<item><title>p${i}</title><guid>g${i}</guid><pubDate>${new Date(`${d}T10:00:00+08:00`).toUTCString()}</pubDate></item>`)
      .join("")}</channel></rss>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function jobDeps(t: TestApp, allow: string[]): JobDeps {
  return { db: t.db, fetchFeed: createGuardedFetch(allow), feedAllowHosts: allow, postWebhook: createGuardedPost([]) };
}

async function oneAccount(t: TestApp) {
  const root = await t.bootstrap("某县政府", "county");
  const sup = await token(t, root.token, root.orgId, "supervisor");
  const a = await t.call(sup, "POST", "/api/accounts", { orgId: root.orgId, platform: "douyin", name: "某县发布", feedUrl: `${base}/feed`, openedOn: "2026-01-01" });
  expect(a.status).toBe(201);
  return { sup, id: a.body.id as string };
}

describe("a feed that fails for a week", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ at: "2026-10-01T00:00:00Z" });
  });

  it("is unknown and failing, not compliant and not dormant", async () => {
    const { sup, id } = await oneAccount(t);
    const deps = jobDeps(t, ["127.0.0.1"]);
    // Healthy polls every day through W46 …
    broken = false;
    for (let d = Date.parse("2026-11-02T02:00:00Z"); d < Date.parse("2026-11-16T00:00:00Z"); d += DAY) {
      await pollFeeds(deps, new Date(d));
    }
    // … then the bridge is down for all of W47 (polled daily, and backing off).
    broken = true;
    for (let d = Date.parse("2026-11-16T02:00:00Z"); d < Date.parse("2026-11-23T00:00:00Z"); d += DAY) {
      await pollFeeds(deps, new Date(d));
    }
    const monday = new Date("2026-11-22T17:00:00Z");
    await evaluateWeek(deps, monday);
    await dormancy(deps, monday);
    t.clock.now = monday;

    const c = await t.call(sup, "GET", "/api/compliance?from=2026-W45&to=2026-W47");
    expect(c.body.items.map((i: any) => [i.week, i.status])).toEqual([
      ["2026-W45", "compliant"],
      ["2026-W46", "below"],
      ["2026-W47", "unknown"],
    ]);
    const feed = await t.call(sup, "GET", `/api/accounts/${id}/feed`);
    expect(feed.body.lastError).toContain("503");
    expect(feed.body.consecutiveFailures).toBeGreaterThanOrEqual(3);
    const kinds = (await t.call(sup, "GET", "/api/alerts?status=open")).body.items.map((a: any) => a.kind).sort();
    // Last post 2026-11-07: 16 days before the check, yet no veto — the feed cannot be read.
    // (W47 is unknown, so evaluate-week raises no below_minimum either.)
    expect(kinds).toEqual(["feed_failing"]);

    // The bridge comes back: feed_failing resolves itself, and now the veto is a real finding.
    broken = false;
    await pollFeeds(deps, new Date("2026-11-23T02:00:00Z"));
    await dormancy(deps, new Date("2026-11-23T03:00:00Z"));
    const after = (await t.call(sup, "GET", "/api/alerts?pageSize=50")).body.items;
    expect(after.find((a: any) => a.kind === "feed_failing")).toMatchObject({ status: "resolved", resolvedBy: "auto" });
    expect(after.filter((a: any) => a.status === "open").map((a: any) => a.kind).sort()).toEqual(["no_update_14d"]);
  }, 60_000);
});

describe("SSRF guard on feeds", () => {
  it("refuses 127.0.0.1 without FEED_ALLOW_HOSTS, with a clear per-feed error; fetches it when allowed", async () => {
    const t = await makeTestApp({ at: "2026-11-01T00:00:00Z" });
    const { sup, id } = await oneAccount(t);
    broken = false;
    const refused = await pollFeeds(jobDeps(t, []), new Date("2026-11-20T02:00:00Z"));
    expect(refused).toMatchObject({ due: 1, ok: 0, failed: 1 });
    const state = (await t.call(sup, "GET", `/api/accounts/${id}/feed`)).body;
    expect(state.lastErrorCode).toBe("blocked");
    expect(state.lastError).toContain("127.0.0.1");
    expect(state.lastError).toContain("FEED_ALLOW_HOSTS");
    expect((await t.call(sup, "GET", `/api/accounts/${id}/posts`)).body.total).toBe(0);

    const allowed = await pollFeeds(jobDeps(t, ["127.0.0.1"]), new Date("2026-11-20T04:00:00Z"));
    expect(allowed).toMatchObject({ due: 1, ok: 1, failed: 0, newPosts: 4 });
  });
});
