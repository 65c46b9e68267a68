// A feed that stamps every item with the fetch time and gives no guid or link (a CMS list page
// turned into RSS): marked 日期不可靠, its items keep one identity across polls (the stamp is not
// part of it), so nothing is stored twice (docs/规则依据.md#无日期与日期不可靠的条目).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JobDeps } from "../../jobs/deps";
import { pollFeeds } from "../../jobs/poll-feeds";
import { toCsv } from "../../src/lib/csv";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { makeTestApp, token, type TestApp } from "../helpers";

let stamp = new Date(0);
let titles = ["通知一", "通知二", "通知三"];
const feed = () =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>某县政府网站</title><link>https://example.gov.cn/</link><description>d</description>${titles
    .map((t) => `<item><title>${t}</title><pubDate>${stamp.toUTCString()}</pubDate></item>`)
    .join("")}</channel></rss>`;

let server: http.Server;
let t: TestApp;
let sup: string;
let id: string;
let deps: JobDeps;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/rss+xml" }).end(feed()));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await makeTestApp({ at: "2026-11-10T02:00:00Z" });
  const root = await t.bootstrap("某县人民政府", "county");
  sup = await token(t, root.token, root.orgId, "supervisor");
  const csv = toCsv([["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"], ["某县网站", "其他", "site", "某县人民政府", `${base}/rss`, "2026-01-01"]]);
  expect((await t.call(sup, "POST", "/api/accounts/import", csv, { "content-type": "text/csv" })).status).toBe(200);
  id = (await t.call(sup, "GET", "/api/accounts")).body.items[0].id;
  deps = { db: t.db, fetchFeed: createGuardedFetch(["127.0.0.1"]), feedAllowHosts: ["127.0.0.1"], postWebhook: (async () => ({ ok: true })) as never };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

it("stores each item once although its stamp changes at every poll", async () => {
  for (const [i, iso] of ["2026-11-16T02:00:00Z", "2026-11-17T02:00:00Z", "2026-11-18T02:00:00Z"].entries()) {
    stamp = new Date(new Date(iso).getTime() - 60_000);
    if (i === 2) titles = ["通知四", ...titles];
    await pollFeeds(deps, new Date(iso), { timeoutMs: 2000 });
  }
  expect((await t.call(sup, "GET", `/api/accounts/${id}/feed`)).body.datesUnreliable).toBe(true);
  const posts = (await t.call(sup, "GET", `/api/accounts/${id}/posts`)).body.items as any[];
  expect(posts.map((p) => [p.title, p.backfill, p.publishedAt]).sort()).toEqual([
    ["通知一", true, "2026-11-16T02:00:00.000Z"],
    ["通知三", true, "2026-11-16T02:00:00.000Z"],
    ["通知二", true, "2026-11-16T02:00:00.000Z"],
    ["通知四", false, "2026-11-18T02:00:00.000Z"],
  ]);
}, 30_000);
