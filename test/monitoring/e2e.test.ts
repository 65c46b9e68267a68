// Issue 3 acceptance: 20 accounts, real feed and webhook servers on 127.0.0.1, poll-feeds and
// evaluate-week run "as if the clock read" given instants; compliance, alerts and webhook messages
// are exactly as expected, and rerunning both changes nothing.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDeps } from "../../jobs/deps";
import { evaluateWeek } from "../../jobs/evaluate-week";
import { pollFeeds } from "../../jobs/poll-feeds";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { toCsv } from "../../src/lib/csv";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { makeTestApp, org, token, type TestApp } from "../helpers";

const rss = (items: { title: string; guid?: string; link?: string; date?: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://example.gov.cn/</link><description>d</description>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title>${i.guid ? `<guid isPermaLink="false">${i.guid}</guid>` : ""}${i.link ? `<link>${i.link}</link>` : ""}${i.date ? `<pubDate>${i.date}</pubDate>` : ""}</item>`,
    )
    .join("")}</channel></rss>`;
const atom = (entries: { title: string; id: string; updated: string }[]) =>
  `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2026-11-22T00:00:00Z</updated>${entries
    .map((e) => `<entry><title>${e.title}</title><id>${e.id}</id><updated>${e.updated}</updated><link href="https://example.gov.cn/${e.id}"/></entry>`)
    .join("")}</feed>`;

/** Feed bodies by path; special behaviours are handled in the server below. */
const FEEDS: Record<string, string> = {
  // 3 posts in W47, one at Sunday 23:59:59+08:00 written in UTC.
  "/wx1": rss([
    { title: "周一", guid: "wx1-a", date: "Mon, 16 Nov 2026 09:00:00 +0800" },
    { title: "周三", guid: "wx1-b", date: "Wed, 18 Nov 2026 02:00:00 GMT" },
    { title: "周日深夜", guid: "wx1-c", date: "Sun, 22 Nov 2026 15:59:59 GMT" },
  ]),
  // 2 in W47; the third is at Monday 00:00:00+08:00, which is W48.
  "/wx2": rss([
    { title: "a", guid: "wx2-a", date: "2026-11-17T10:00:00+08:00" },
    { title: "b", guid: "wx2-b", date: "2026-11-20T10:00:00+08:00" },
    { title: "下周一零点", guid: "wx2-c", date: "2026-11-23T00:00:00+08:00" },
    // The same instant written in UTC: also W48.
    { title: "下周一零点（UTC）", guid: "wx2-d", date: "Sun, 22 Nov 2026 16:00:00 GMT" },
  ]),
  "/wb1": atom([
    { title: "1", id: "wb1-1", updated: "2026-11-16T01:00:00Z" },
    { title: "2", id: "wb1-2", updated: "2026-11-17T01:00:00Z" },
    { title: "3", id: "wb1-3", updated: "2026-11-19T01:00:00+08:00" },
    { title: "4", id: "wb1-4", updated: "2026-11-21T01:00:00Z" },
    // Sunday 23:59:59 written in +08:00: still W47.
    { title: "5", id: "wb1-5", updated: "2026-11-22T23:59:59+08:00" },
  ]),
  // Duplicate entries: 3 entries, 2 distinct posts.
  "/wb2": atom([
    { title: "1", id: "wb2-1", updated: "2026-11-16T01:00:00Z" },
    { title: "1", id: "wb2-1", updated: "2026-11-16T01:00:00Z" },
    { title: "2", id: "wb2-2", updated: "2026-11-18T01:00:00Z" },
  ]),
  "/dy1": rss([{ title: "抖音", link: "https://example.gov.cn/dy1/1", date: "Thu, 19 Nov 2026 12:00:00 +0800" }]),
  // Kuaishou routes give no dates: the item takes the time it was first seen. (The first poll finds the
  // feed empty: an undated item on a feed's first poll would be backfill, never counted.)
  "/ks1": rss([{ title: "快手无日期", link: "https://example.gov.cn/ks1/1" }]),
  "/tt1": rss([{ title: "很久以前", guid: "tt1-a", date: "Sat, 01 Aug 2026 10:00:00 +0800" }]),
  "/tt2": rss([{ title: "三周前", guid: "tt2-a", date: "Tue, 03 Nov 2026 10:00:00 +0800" }]),
  "/wx3": rss([
    { title: "1", guid: "wx3-1", date: "Mon, 16 Nov 2026 10:00:00 +0800" },
    { title: "2", guid: "wx3-2", date: "Tue, 17 Nov 2026 10:00:00 +0800" },
    { title: "3", guid: "wx3-3", date: "Wed, 18 Nov 2026 10:00:00 +0800" },
  ]),
  // A date without an offset is Beijing time.
  "/other1": rss([{ title: "无时区", guid: "o1", date: "2026-11-18 10:00:00" }]),
  "/wb3": rss([{ title: "停更前", guid: "wb3-1", date: "Mon, 16 Nov 2026 10:00:00 +0800" }]),
  "/wx4": rss([{ title: "新开", guid: "wx4-1", date: "Thu, 19 Nov 2026 10:00:00 +0800" }]),
  "/invalid": `<?xml version="1.0"?><rss version="2.0"><channel><title>broken</title><item><title>x</item></channel>`,
};

async function listen(handler: http.RequestListener) {
  const sockets = new Set<Socket>();
  const server = http.createServer(handler);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let feeds: Awaited<ReturnType<typeof listen>>;
let ks1Requests = 0;
let hooks: Awaited<ReturnType<typeof listen>>;
const received: { path: string; body: any; headers: http.IncomingHttpHeaders }[] = [];
let t: TestApp;
let deps: JobDeps & { close(): Promise<void> };
let sup: string;
let rootId: string;
const acc: Record<string, string> = {};

const SPEC: [key: string, platform: string, feed: string | null][] = [
  ["wx1", "微信公众号", "/wx1"],
  ["wx2", "微信公众号", "/wx2"],
  ["wb1", "微博", "/wb1"],
  ["wb2", "微博", "/wb2"],
  ["dy1", "抖音", "/dy1"],
  ["ks1", "快手", "/ks1"],
  ["tt1", "今日头条", "/tt1"],
  ["tt2", "今日头条", "/tt2"],
  ["f500", "哔哩哔哩", "/500"],
  ["badxml", "小红书", "/invalid"],
  ["big", "百家号", "/big"],
  ["redir", "视频号", "/redirect-private"],
  ["wx3", "微信公众号", "/wx3"],
  ["app1", "移动客户端", null],
  ["app2", "移动客户端", null],
  ["other1", "其他", "/other1"],
  ["wb3", "微博", "/wb3"],
  ["wx4", "微信公众号", "/wx4"],
  ["dy2", "抖音", null],
  ["slow", "快手", "/slow"],
];

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  feeds = await listen((req, res) => {
    const path = req.url ?? "/";
    if (path === "/500") return void res.writeHead(500).end("error");
    if (path === "/big") {
      // 20 MB, streamed: the fetcher must stop at its cap.
      res.writeHead(200, { "content-type": "application/rss+xml" });
      const chunk = Buffer.alloc(1024 * 1024, "a");
      let sent = 0;
      const pump = () => {
        while (sent < 20 && res.write(chunk)) sent++;
        if (sent >= 20) res.end();
        else res.once("drain", () => { sent++; pump(); });
      };
      return pump();
    }
    if (path === "/redirect-private") return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    if (path === "/slow") {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write("<?xml version=\"1.0\"?><rss>");
      const timer = setInterval(() => res.write(" "), 200);
      res.on("close", () => clearInterval(timer));
      return;
    }
    const body = path === "/ks1" && ks1Requests++ === 0 ? rss([]) : FEEDS[path];
    if (!body) return void res.writeHead(404).end();
    // wx3 supports conditional GET.
    if (path === "/wx3") {
      if (req.headers["if-none-match"] === '"wx3-v1"') return void res.writeHead(304).end();
      res.setHeader("etag", '"wx3-v1"');
    }
    res.writeHead(200, { "content-type": path.startsWith("/wb") ? "application/atom+xml" : "application/rss+xml; charset=utf-8" });
    res.end(body);
  });
  hooks = await listen((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(data), headers: req.headers });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.url?.startsWith("/wecom") ? '{"errcode":0,"errmsg":"ok"}' : '{"ok":true}');
    });
  });

  t = await makeTestApp({ at: "2026-11-10T02:00:00Z", webhookAllowHosts: ["127.0.0.1"] });
  const root = await t.bootstrap("某市人民政府", "city");
  rootId = root.orgId;
  sup = await token(t, root.token, rootId, "supervisor");
  const units: Record<string, string> = {};
  const rows = [["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"]];
  let wx4Row: string[] = [];
  for (const [key, platform, feed] of SPEC) {
    // One unit per account (no registry flags), except dy1 which belongs to the city government itself.
    const unit = key === "dy1" ? "某市人民政府" : `市${key}局`;
    if (key !== "dy1") units[key] = await org(t, root.token, unit, "department", "city", rootId);
    const row = [`${key}发布`, platform, `id-${key}`, unit, feed ? feeds.base + feed : "", "2026-01-01"];
    if (key !== "wx4") rows.push(row);
    else wx4Row = row;
  }
  const imported = await t.call(sup, "POST", "/api/accounts/import", toCsv(rows), { "content-type": "text/csv" });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  // wx4 opens on Wednesday of W47: its partial first week is exempt.
  t.clock.now = at("2026-11-18T04:00:00Z");
  wx4Row[5] = "2026-11-18";
  const late = await t.call(sup, "POST", "/api/accounts/import", toCsv([rows[0]!, wx4Row]), { "content-type": "text/csv" });
  expect(late.status, JSON.stringify(late.body)).toBe(200);
  const list = await t.call(sup, "GET", "/api/accounts?pageSize=100");
  for (const a of list.body.items) acc[a.name.replace("发布", "")] = a.id;
  expect(Object.keys(acc)).toHaveLength(20);

  // wb3 is suspended on Thursday of W47 (停更公告): the week is exempt.
  t.clock.now = at("2026-11-19T02:00:00Z");
  const f = await t.call(sup, "POST", "/api/filings", { kind: "suspend", accountId: acc.wb3 });
  expect((await t.call(sup, "POST", `/api/filings/${f.body.id}/decision`, { approve: true })).status).toBe(200);

  // Apps push their posts: app1 three in W47; dy2 one a week in W38–W41 and nothing since.
  t.clock.now = at("2026-11-22T12:00:00Z");
  const push = (id: string, posts: unknown[]) => t.call(sup, "POST", `/api/accounts/${id}/posts`, { posts });
  expect((await push(acc.app1!, [
    { title: "一", publishedAt: "2026-11-16T08:00:00+08:00", guid: "a1" },
    { title: "二", publishedAt: "2026-11-18T08:00:00+08:00", guid: "a2" },
    { title: "三", publishedAt: "2026-11-20T08:00:00+08:00", guid: "a3" },
  ])).body).toEqual({ inserted: 3, duplicates: 0 });
  expect((await push(acc.dy2!, ["2026-09-15", "2026-09-22", "2026-09-29", "2026-10-06"].map((d, i) => ({ title: `旧${i}`, publishedAt: `${d}T10:00:00+08:00` })))).body.inserted).toBe(4);

  // Webhooks: a signed generic one at the city office, a WeCom robot at tt2's unit.
  const generic = await t.call(sup, "POST", "/api/webhooks", { orgId: rootId, kind: "generic", label: "市政务公开办", url: `${hooks.base}/generic`, secret: "s3cret" });
  expect(generic.status, JSON.stringify(generic.body)).toBe(201);
  const wecom = await t.call(sup, "POST", "/api/webhooks", { orgId: units.tt2, kind: "wecom", label: "tt2 群", url: `${hooks.base}/wecom/send?key=k` });
  expect(wecom.status).toBe(201);

  deps = {
    db: t.db,
    fetchFeed: createGuardedFetch(["127.0.0.1"]),
    feedAllowHosts: ["127.0.0.1"],
    postWebhook: createGuardedPost(["127.0.0.1"]),
    close: async () => undefined,
  };
}, 120_000);

afterAll(async () => {
  await feeds?.close();
  await hooks?.close();
});

const POLL = { timeoutMs: 1500, maxBytes: 5 * 1024 * 1024 };

async function snapshot() {
  const c = await t.call(sup, "GET", "/api/compliance?week=2026-W47&pageSize=100");
  const alerts = await t.call(sup, "GET", "/api/alerts?pageSize=500");
  const posts = await t.client.execute("SELECT count(*) AS n FROM posts");
  return {
    compliance: c.body,
    alerts: alerts.body.items.map((a: any) => [a.id, a.accountId, a.kind, a.status]).sort(),
    posts: Number(posts.rows[0]!.n),
    received: received.length,
  };
}

describe("monitoring end to end", () => {
  let first: Awaited<ReturnType<typeof snapshot>>;

  it("polls the feeds three times and records every broken feed with its reason", async () => {
    for (const when of ["2026-11-22T10:00:00Z", "2026-11-22T14:00:00Z", "2026-11-22T16:30:00Z"]) {
      const r = await pollFeeds(deps, at(when), POLL);
      expect(r.due).toBe(17);
    }
    const state = async (k: string) => (await t.call(sup, "GET", `/api/accounts/${acc[k]}/feed`)).body;
    expect((await state("f500")).lastError).toContain("500");
    expect((await state("badxml")).lastError).toMatch(/XML/);
    expect((await state("big")).lastErrorCode).toBe("too_large");
    expect((await state("redir")).lastErrorCode).toBe("blocked");
    expect((await state("slow")).lastErrorCode).toBe("timeout");
    for (const k of ["f500", "badxml", "big", "redir", "slow"]) expect((await state(k)).consecutiveFailures).toBe(3);
    expect((await state("wx1")).consecutiveFailures).toBe(0);
    expect((await state("wx3")).etag).toBe('"wx3-v1"');
    const wb2 = await t.call(sup, "GET", `/api/accounts/${acc.wb2}/posts`);
    expect(wb2.body.total).toBe(2);
    const ks1 = await t.call(sup, "GET", `/api/accounts/${acc.ks1}/posts`);
    expect(ks1.body.items).toHaveLength(1);
    expect(ks1.body.items[0]).toMatchObject({ dateSource: "first_seen", publishedAt: "2026-11-22T14:00:00.000Z", backfill: false });
  }, 60_000);

  it("evaluate-week judges W47 exactly", async () => {
    const r = await evaluateWeek(deps, at("2026-11-22T17:00:00Z")); // Monday 01:00 Beijing
    t.clock.now = at("2026-11-22T17:00:00Z");
    expect(r).toMatchObject({ week: "2026-W47", compliant: 7, below: 5, unknown: 6, exempt: 2 });
    const c = await t.call(sup, "GET", "/api/compliance?week=2026-W47&pageSize=100");
    const by = Object.fromEntries(c.body.items.map((i: any) => [Object.entries(acc).find(([, id]) => id === i.accountId)![0], [i.status, i.posts, i.required]]));
    expect(by).toEqual({
      wx1: ["compliant", 3, 3],
      wb1: ["compliant", 5, 3],
      dy1: ["compliant", 1, 1],
      ks1: ["compliant", 1, 1],
      wx3: ["compliant", 3, 3],
      app1: ["compliant", 3, 3],
      other1: ["compliant", 1, 1],
      wx2: ["below", 2, 3],
      wb2: ["below", 2, 3],
      tt1: ["below", 0, 1],
      tt2: ["below", 0, 1],
      dy2: ["below", 0, 1],
      f500: ["unknown", 0, 1],
      badxml: ["unknown", 0, 1],
      big: ["unknown", 0, 1],
      redir: ["unknown", 0, 1],
      slow: ["unknown", 0, 1],
      app2: ["unknown", 0, 3],
      wb3: ["exempt", 1, 3],
      wx4: ["exempt", 1, 3],
    });
    expect(c.body.summary.overall).toMatchObject({ total: 20, compliant: 7, below: 5, unknown: 6, exempt: 2 });
    expect(c.body.summary.overall.rate).toBeCloseTo(7 / 12);
    // W48 has only begun: a post is counted, but nobody is "below" yet.
    const w48 = await t.call(sup, "GET", `/api/compliance?week=2026-W48&pageSize=100`);
    expect(w48.body.items.find((i: any) => i.accountId === acc.wx2)).toMatchObject({ posts: 2, status: "unknown" });
    expect(w48.body.items.find((i: any) => i.accountId === acc.wb1)).toMatchObject({ posts: 0 });
    expect(w48.body.summary.overall.below).toBe(0);
    expect((await t.call(sup, "GET", "/api/compliance?week=2026-W49")).status).toBe(400);
  });

  it("raises exactly the expected alerts, none for broken feeds beyond feed_failing", async () => {
    const alerts = (await t.call(sup, "GET", "/api/alerts?status=open&pageSize=500")).body.items as any[];
    const name = (id: string) => Object.entries(acc).find(([, v]) => v === id)![0];
    const got = alerts.map((a) => `${name(a.accountId)}:${a.kind}`).sort();
    expect(got).toEqual(
      [
        "wx2:below_minimum", "wb2:below_minimum", "tt1:below_minimum", "tt2:below_minimum", "dy2:below_minimum",
        "tt1:no_update_14d", "tt2:no_update_14d", "dy2:no_update_14d",
        "tt1:dormant_90d", "tt1:recommend_close",
        "dy2:recommend_consolidate",
        "f500:feed_failing", "badxml:feed_failing", "big:feed_failing", "redir:feed_failing", "slow:feed_failing",
        // app2 has no feed and nothing pushed: its own alert, not a broken feed (issue 9).
        "app2:no_data_source",
      ].sort(),
    );
    const consolidate = alerts.find((a) => a.kind === "recommend_consolidate");
    expect(consolidate.detail.targetAccountId).toBe(acc.dy1);
    expect(consolidate.message).toContain("整合");
  });

  it("sends the digests and veto messages, signed, to both the unit and the office", async () => {
    const generic = received.filter((r) => r.path === "/generic");
    const wecom = received.filter((r) => r.path.startsWith("/wecom"));
    const events = (list: typeof received) => list.map((r) => r.body.event ?? (r.body.markdown.content.includes("周报") ? "weekly_digest" : "veto")).sort();
    // The office gets one list per event and run, not one message per account.
    expect(events(generic)).toEqual(["feed_failing", "veto", "weekly_digest"]);
    const vetoList = generic.find((r) => r.body.event === "veto")!;
    expect(vetoList.body.title).toContain("3 个账号");
    expect(vetoList.body.data.entries.map((e: any) => e.accountName).sort()).toEqual(["dy2发布（抖音）", "tt1发布（今日头条）", "tt2发布（今日头条）"]);
    expect(generic.find((r) => r.body.event === "feed_failing")!.body.data.entries).toHaveLength(5);
    expect(events(wecom)).toEqual(["veto", "weekly_digest"]);
    const digest = generic.find((r) => r.body.event === "weekly_digest")!;
    expect(digest.body.title).toContain("2026-W47");
    expect(digest.body.data.counts).toMatchObject({ total: 20, compliant: 7, below: 5, unknown: 6, exempt: 2 });
    expect(digest.headers["x-govmedia-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(wecom.find((r) => r.body.markdown.content.includes("两周未更新"))!.body.markdown.content).toContain("tt2发布");
    first = await snapshot();
  });

  it("rerunning both changes nothing", async () => {
    await pollFeeds(deps, at("2026-11-22T18:00:00Z"), POLL);
    await evaluateWeek(deps, at("2026-11-22T17:00:00Z"));
    const again = await snapshot();
    expect(again).toEqual(first);
  }, 60_000);
});
