// The Worker on real workerd (wrangler dev) against a real libSQL server (sqld): the edge deployment.
// The same app serves the API; cron triggers run the same jobs (poll-feeds fetches a real feed).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../src/db/client";
import { migrate } from "../src/db/migrate";
import { loadMigrations } from "../src/db/migrations-fs";
import { bootstrap } from "../src/commands/bootstrap";
import { startSqld, startWrangler, stopChildren } from "./support/worker";

let feedServer: http.Server;
let sqldUrl = "";
let worker = "";
let token = "";
let rootId = "";

beforeAll(async () => {
  feedServer = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>边缘</title><item><title>第一条</title><guid>e1</guid><pubDate>Mon, 16 Nov 2026 09:00:00 +0800</pubDate></item><item><title>第二条</title><guid>e2</guid><pubDate>Tue, 17 Nov 2026 09:00:00 +0800</pubDate></item></channel></rss>`);
  });
  await new Promise<void>((r) => feedServer.listen(0, "127.0.0.1", r));
  const feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed`;

  sqldUrl = await startSqld();

  // Migrate and bootstrap the remote database from Node, as the README says.
  const client = createClient({ url: sqldUrl });
  await migrate(client, loadMigrations());
  const root = await bootstrap(createDb(client), new Date(), { name: "边缘市", level: "city" });
  token = root.token;
  rootId = root.orgId;
  client.close();

  worker = await startWrangler({ DATABASE_URL: sqldUrl, FEED_ALLOW_HOSTS: "127.0.0.1" });
  (globalThis as { feedUrl?: string }).feedUrl = feedUrl;
}, 150_000);

afterAll(async () => {
  stopChildren();
  await new Promise<void>((r) => feedServer?.close(() => r()));
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${worker}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers ?? {}) } });

describe("the Worker on workerd with a libSQL server", () => {
  it("serves the API with the same rules: auth, validation, 404 outside, CSV export; XLSX is 501", async () => {
    expect((await (await fetch(`${worker}/health`)).json()).status).toBe("ok");
    expect((await fetch(`${worker}/api/orgs`)).status).toBe(401);
    const admin = await api("/api/orgs");
    expect((await admin.json()).items[0].name).toBe("边缘市");
    const bad = await api("/api/orgs", { method: "POST", body: JSON.stringify({ name: "", kind: "x", level: "county", parentId: rootId }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("validation_error");
    const sup = await api("/api/tokens", { method: "POST", body: JSON.stringify({ orgId: rootId, role: "supervisor", label: "s" }) });
    token = (await sup.json()).token;
    const acc = await api("/api/accounts", {
      method: "POST",
      body: JSON.stringify({ orgId: rootId, platform: "weibo", name: "边缘发布", feedUrl: (globalThis as { feedUrl?: string }).feedUrl, openedOn: "2026-01-01" }),
    });
    expect(acc.status).toBe(201);
    expect((await acc.json()).status).toBe("active");
    const csv = await api("/api/accounts/export.csv");
    expect([...new Uint8Array(await csv.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((await api("/api/accounts/export.xlsx")).status).toBe(501);
    expect((await api("/api/accounts/nope")).status).toBe(404);
  });

  it("runs poll-feeds from the cron trigger: fetches the feed, parses it in workerd, stores the posts", async () => {
    const r = await fetch(`${worker}/__scheduled?cron=${encodeURIComponent("*/15 * * * *")}`);
    expect(r.status).toBe(200);
    const accounts = await (await api("/api/accounts")).json();
    const id = accounts.items[0].id;
    let posts: { total: number; items: { title: string }[] } = { total: 0, items: [] };
    for (let i = 0; i < 50 && posts.total < 2; i++) {
      await new Promise((res) => setTimeout(res, 200));
      posts = await (await api(`/api/accounts/${id}/posts`)).json();
    }
    expect(posts.total).toBe(2);
    expect(posts.items.map((p) => p.title).sort()).toEqual(["第一条", "第二条"]);
    const feed = await (await api(`/api/accounts/${id}/feed`)).json();
    expect(feed).toMatchObject({ consecutiveFailures: 0, lastError: null });
  }, 30_000);
});
