// Issue 9, "one post however it arrives": the same articles through WeWe RSS Atom, then (after a
// `change` filing) its RSS, then the push API, count once; so do RSSHub weibo posts seen through
// another bridge's links and pushed with m.weibo.cn links. Real feed server on 127.0.0.1, poll-feeds,
// /api/accounts/{id}/posts and /api/compliance.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDeps } from "../../jobs/deps";
import { pollFeeds } from "../../jobs/poll-feeds";
import { toCsv } from "../../src/lib/csv";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { makeTestApp, org, token, type TestApp } from "../helpers";

// Four articles of one 公众号 in 2026-W47 (Mon 16 – Sun 22 Nov), on four days.
const ARTICLES = [
  { id: "AbCdEf1", title: "市政府常务会议召开", at: "2026-11-16T01:00:00.000Z" },
  { id: "Gh2IjKlMn", title: "关于开展冬季安全生产检查的通知", at: "2026-11-18T03:30:00.000Z" },
  { id: "Op3QrStU-v", title: "政务服务“一网通办”再提速", at: "2026-11-20T09:15:00.000Z" },
  { id: "Wx4Yz_AbC", title: "周末天气提示", at: "2026-11-21T23:45:00.000Z" },
];
const mp = (id: string) => `https://mp.weixin.qq.com/s/${id}`;
const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** WeWe RSS `/feeds/MP_WXS_….atom` (the `feed` package's Atom serialisation). */
const weweAtom = () => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
    <id>http://wewe.example/feeds/MP_WXS_3941633310.atom</id>
    <title>某市发布</title>
    <updated>2026-11-22T00:00:00.000Z</updated>
    <generator>WeWe-RSS</generator>
    <link rel="alternate" href="http://wewe.example/feeds/MP_WXS_3941633310.atom"/>
    <subtitle>某市人民政府新闻办公室</subtitle>
${ARTICLES.map(
  (a) => `    <entry>
        <title type="html"><![CDATA[${a.title}]]></title>
        <id>${a.id}</id>
        <link href="${mp(a.id)}"/>
        <updated>${a.at}</updated>
    </entry>`,
).join("\n")}
</feed>`;

/** The same feed as `/feeds/MP_WXS_….rss`: the guid is the article URL. */
const weweRss = () => `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
    <channel>
        <title>某市发布</title>
        <link>http://wewe.example/feeds/MP_WXS_3941633310.rss</link>
        <description>某市人民政府新闻办公室</description>
        <lastBuildDate>Sun, 22 Nov 2026 00:00:00 GMT</lastBuildDate>
        <docs>https://validator.w3.org/feed/docs/rss2.html</docs>
        <generator>WeWe-RSS</generator>
${ARTICLES.map(
  (a) => `        <item>
            <title><![CDATA[${a.title}]]></title>
            <link>${mp(a.id)}</link>
            <guid>${mp(a.id)}</guid>
            <pubDate>${rfc822(a.at)}</pubDate>
        </item>`,
).join("\n")}
    </channel>
</rss>`;

// Three weibo posts: mid and the bid weibo.com shows for it (base 62 in groups).
const WEIBO = [
  { mid: "3501756485200075", bid: "z0JH2lOMb", title: "【发布】全市重点项目建设推进会召开", at: "Tue, 17 Nov 2026 10:00:00 +0800" },
  { mid: "5104437160400004", bid: "P1RqI1G3G", title: "【提醒】明起部分路段交通管制", at: "Thu, 19 Nov 2026 18:30:00 +0800" },
  { mid: "5105175395800001", bid: "P2aDpokQp", title: "【服务】医保缴费指南", at: "Sat, 21 Nov 2026 09:00:00 +0800" },
];

/** RSSHub `/weibo/user/:uid`: guid = link = weibo.com/<uid>/<bid>. */
const rsshubWeibo = () => `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title><![CDATA[某市发布的微博]]></title>
    <link>https://weibo.com/1642591402/</link>
    <atom:link href="http://rsshub.example/weibo/user/1642591402" rel="self" type="application/rss+xml"/>
    <description><![CDATA[某市人民政府新闻办公室官方微博 - Powered by RSSHub]]></description>
    <generator>RSSHub</generator>
    <ttl>5</ttl>
${WEIBO.map(
  (w) => `    <item>
      <title><![CDATA[${w.title}]]></title>
      <description><![CDATA[${w.title}<br><br>]]></description>
      <pubDate>${w.at}</pubDate>
      <guid isPermaLink="false">https://weibo.com/1642591402/${w.bid}</guid>
      <link>https://weibo.com/1642591402/${w.bid}</link>
      <author><![CDATA[某市发布]]></author>
    </item>`,
).join("\n")}
  </channel>
</rss>`;

/** Another bridge for the same account, writing mobile links with the numeric mid. */
const otherWeiboBridge = () => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>某市发布</title><link>https://m.weibo.cn/u/1642591402</link><description>d</description>
${WEIBO.map((w) => `<item><title>${w.title}</title><link>https://m.weibo.cn/status/${w.mid}</link><pubDate>${w.at}</pubDate></item>`).join("\n")}
</channel></rss>`;

/** An RSSHub WeChat route for the same 公众号: long links (__biz/mid/idx), which carry no short id. */
const rsshubWechat = () => `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title><![CDATA[某市发布]]></title>
    <link>https://mp.weixin.qq.com/</link>
    <description><![CDATA[某市发布 - Powered by RSSHub]]></description>
    <generator>RSSHub</generator>
${ARTICLES.map((a, i) => {
  const long = `https://mp.weixin.qq.com/s?__biz=MzA3NjQ4MzE2MA==&amp;mid=26512345${60 + i}&amp;idx=1&amp;sn=0c9f1e2d3b4a5c6d7e8f${i}&amp;chksm=84a1b2c3#rd`;
  return `    <item>
      <title><![CDATA[${a.title}]]></title>
      <description><![CDATA[<p>${a.title}</p>]]></description>
      <pubDate>${rfc822(new Date(Date.parse(a.at) + 20_000).toISOString())}</pubDate>
      <guid isPermaLink="false">${long}</guid>
      <link>${long}</link>
    </item>`;
}).join("\n")}
  </channel>
</rss>`;

const FEEDS: Record<string, () => string> = {
  "/rsshub/wechat/mp/MzA3NjQ4MzE2MA==": rsshubWechat,
  "/feeds/MP_WXS_3941633310.atom": weweAtom,
  "/feeds/MP_WXS_3941633310.rss": weweRss,
  "/weibo/user/1642591402": rsshubWeibo,
  "/other/weibo/1642591402": otherWeiboBridge,
};

let server: http.Server;
const sockets = new Set<Socket>();
let base: string;
let t: TestApp;
let sup: string;
let deps: JobDeps;
const acc: Record<string, string> = {};
const POLL = { timeoutMs: 2000, maxBytes: 5 * 1024 * 1024 };
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = FEEDS[req.url ?? ""];
    if (!body) return void res.writeHead(404).end();
    const atom = req.url!.endsWith(".atom");
    res.writeHead(200, { "content-type": atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8" });
    res.end(body());
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  t = await makeTestApp({ at: "2026-11-10T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  sup = await token(t, root.token, root.orgId, "supervisor");
  await org(t, root.token, "市政府新闻办公室", "department", "city", root.orgId);
  const rows = [
    ["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"],
    ["某市发布", "微信公众号", "gh_3941633310", "市政府新闻办公室", `${base}/feeds/MP_WXS_3941633310.atom`, "2020-01-01"],
    ["某市发布微博", "微博", "1642591402", "市政府新闻办公室", `${base}/weibo/user/1642591402`, "2020-01-01"],
  ];
  const imported = await t.call(sup, "POST", "/api/accounts/import", toCsv(rows), { "content-type": "text/csv" });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  for (const a of (await t.call(sup, "GET", "/api/accounts?pageSize=100")).body.items) acc[a.platform] = a.id;
  deps = { db: t.db, fetchFeed: createGuardedFetch(["127.0.0.1"]), feedAllowHosts: ["127.0.0.1"], postWebhook: createGuardedPost(["127.0.0.1"]) };
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server?.close(() => r()));
  await t?.close();
});

async function counts(platform: "wechat" | "weibo") {
  const id = acc[platform]!;
  const list = await t.call(sup, "GET", `/api/accounts/${id}/posts?pageSize=100`);
  const week = await t.call(sup, "GET", "/api/compliance?week=2026-W47&pageSize=100");
  const item = week.body.items.find((i: { accountId: string }) => i.accountId === id);
  return { total: list.body.total as number, week: item.posts as number };
}

/** A `change` filing of the feed address, approved: how the product moves an account to another feed. */
async function changeFeed(platform: string, path: string) {
  const f = await t.call(sup, "POST", "/api/filings", { kind: "change", accountId: acc[platform], changes: { feedUrl: `${base}${path}` } });
  expect(f.status, JSON.stringify(f.body)).toBe(201);
  const d = await t.call(sup, "POST", `/api/filings/${f.body.id}/decision`, { approve: true });
  expect(d.status, JSON.stringify(d.body)).toBe(200);
  expect((await t.call(sup, "GET", `/api/accounts/${acc[platform]}`)).body.feedUrl).toBe(`${base}${path}`);
}

describe("post identity across bridges and formats", () => {
  it("WeWe RSS Atom, then RSS after a change filing: 4 posts, not 8", async () => {
    t.clock.now = at("2026-11-22T10:00:00Z");
    const first = await pollFeeds(deps, t.clock.now, POLL);
    expect(first).toMatchObject({ ok: 2, failed: 0, newPosts: 4 + 3 });
    expect(await counts("wechat")).toEqual({ total: 4, week: 4 });
    const stored = (await t.call(sup, "GET", `/api/accounts/${acc.wechat}/posts?pageSize=100`)).body.items;
    expect(stored.map((p: { identity: string }) => p.identity).sort()).toEqual(ARTICLES.map((a) => `wx:${a.id}`).sort());

    t.clock.now = at("2026-11-22T11:00:00Z");
    await changeFeed("wechat", "/feeds/MP_WXS_3941633310.rss");
    const second = await pollFeeds(deps, at("2026-11-22T11:05:00Z"), POLL);
    expect(second.errors).toEqual([]);
    expect(second.newPosts).toBe(0);
    expect(await counts("wechat")).toEqual({ total: 4, week: 4 });
  });

  it("the same articles pushed through the API are duplicates", async () => {
    t.clock.now = at("2026-11-22T12:00:00Z");
    const pushed = ARTICLES.map((a) => ({ title: a.title, publishedAt: a.at, url: `${mp(a.id)}?scene=1&click_id=3` }));
    const r = await t.call(sup, "POST", `/api/accounts/${acc.wechat}/posts`, { posts: pushed });
    expect(r.body).toEqual({ inserted: 0, duplicates: 4 });
    // A bare article id as the guid, as a clerk might copy it from WeWe RSS, is the same post too.
    const byId = await t.call(sup, "POST", `/api/accounts/${acc.wechat}/posts`, { posts: [{ title: "x", guid: ARTICLES[0]!.id }] });
    expect(byId.body).toEqual({ inserted: 0, duplicates: 1 });
    // A clerk's push with title and time only (no link): the same title in the same minute.
    const bare = ARTICLES.map((a) => ({ title: a.title, publishedAt: new Date(Date.parse(a.at) + 15_000).toISOString() }));
    expect((await t.call(sup, "POST", `/api/accounts/${acc.wechat}/posts`, { posts: bare })).body).toEqual({ inserted: 0, duplicates: 4 });
    expect(await counts("wechat")).toEqual({ total: 4, week: 4 });
  });

  it("an imported posts file with the same links adds nothing", async () => {
    const rows = [["发布时间", "标题", "链接", "唯一标识"], ...ARTICLES.map((a) => ["", a.title, mp(a.id).replace("https:", "http:"), ""])];
    const r = await t.call(sup, "POST", `/api/accounts/${acc.wechat}/posts/import`, toCsv(rows), { "content-type": "text/csv" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ inserted: 0, duplicates: 4 });
    expect(await counts("wechat")).toEqual({ total: 4, week: 4 });
  });

  it("moving to an RSSHub WeChat route (long links, no short id) adds nothing: same title, same minute", async () => {
    t.clock.now = at("2026-11-22T12:30:00Z");
    await changeFeed("wechat", "/rsshub/wechat/mp/MzA3NjQ4MzE2MA==");
    const r = await pollFeeds(deps, at("2026-11-22T12:35:00Z"), POLL);
    expect(r.errors).toEqual([]);
    expect(r.newPosts).toBe(0);
    expect(await counts("wechat")).toEqual({ total: 4, week: 4 });
  });

  it("RSSHub weibo (weibo.com/<uid>/<bid>), another bridge (m.weibo.cn/status/<mid>) and pushes count once", async () => {
    expect(await counts("weibo")).toEqual({ total: 3, week: 3 });
    t.clock.now = at("2026-11-22T13:00:00Z");
    await changeFeed("weibo", "/other/weibo/1642591402");
    const r = await pollFeeds(deps, at("2026-11-22T13:05:00Z"), POLL);
    expect(r.errors).toEqual([]);
    expect(r.newPosts).toBe(0);
    expect(await counts("weibo")).toEqual({ total: 3, week: 3 });
    const pushed = WEIBO.map((w) => ({ title: w.title, url: `https://m.weibo.cn/detail/${w.mid}` }));
    expect((await t.call(sup, "POST", `/api/accounts/${acc.weibo}/posts`, { posts: pushed })).body).toEqual({ inserted: 0, duplicates: 3 });
    expect(await counts("weibo")).toEqual({ total: 3, week: 3 });
  });
});
