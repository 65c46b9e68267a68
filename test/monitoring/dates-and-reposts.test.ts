// Issue 9, points 3 and Build "Undated items"/"Reposts" end to end: feeds in RSSHub's own
// serialisation (test/feeds/rsshub.ts) served on 127.0.0.1, polled by poll-feeds at given instants,
// read back through the API and the account page (docs/规则依据.md#无日期与日期不可靠的条目, #转发).
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDeps } from "../../jobs/deps";
import { pollFeeds } from "../../jobs/poll-feeds";
import { toCsv } from "../../src/lib/csv";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { douyinVideo, kuaishouVideo, rsshubFeed, weiboStatus, type RsshubItem } from "../feeds/rsshub";
import { makeTestApp, token, type TestApp } from "../helpers";

const at = (iso: string) => new Date(iso);
// Polls on Monday, Wednesday and Friday of 2026-W47 (Beijing 10:00).
const POLLS = [at("2026-11-16T02:00:00Z"), at("2026-11-18T02:00:00Z"), at("2026-11-20T02:00:00Z")];

const ks = (n: number) => kuaishouVideo({ userId: "3x1", photoId: `3xks${n}`, caption: `快手视频${n}`, cover: `https://p1.a.yximgs.com/${n}.jpg` });
const dy = (n: number, when?: Date) => douyinVideo({ awemeId: `7300000000000000${n}`, desc: `抖音视频${n}`, ...(when ? { at: when } : {}) });
const me = { uid: "1234567890", author: "某市发布" };
const channel = (title: string) => ({ title, link: "https://example.gov.cn/", description: title });

/** What each path serves at each poll (index = poll number). */
const SERVED: Record<string, RsshubItem[][]> = {
  // Kuaishou: never a date. First poll: three old videos (backfill); a new one by the second poll.
  "/ks": [[ks(1), ks(2), ks(3)], [ks(4), ks(1), ks(2), ks(3)], [ks(4), ks(1), ks(2), ks(3)]],
  // Douyin without dates, one old video only: backfill, so this week has nothing.
  "/dy": [[dy(1)], [dy(1)], [dy(1)]],
  // A route that stamps every item with the fetch time; by the third poll it writes real dates again.
  "/stamp": [
    [dy(11, POLLS[0]), dy(12, POLLS[0]), dy(13, POLLS[0])],
    [dy(14, POLLS[1]), dy(11, POLLS[1]), dy(12, POLLS[1]), dy(13, POLLS[1])],
    [dy(15, at("2026-11-19T04:00:00Z")), dy(14, at("2026-11-17T04:00:00Z")), dy(11, at("2026-11-02T04:00:00Z")), dy(12, at("2026-11-01T04:00:00Z"))],
  ],
  // Weibo: dated originals and reposts (RSSHub's retweet markup, '转发微博').
  "/wb": Array.from({ length: 3 }, () => [
    weiboStatus({ ...me, bid: "O1", at: at("2026-11-13T01:00:00Z"), text: "【通知】本周六全市开展消防演练，请转发周知。" }),
    weiboStatus({ ...me, bid: "R1", at: at("2026-11-14T01:00:00Z"), text: "转发微博", retweet: { uid: "2", author: "省政府发布", text: "全省政务公开工作会议召开" } }),
    weiboStatus({ ...me, bid: "O2", at: at("2026-11-15T01:00:00Z"), text: "市政府常务会议召开" }),
    weiboStatus({ ...me, bid: "R2", at: at("2026-11-16T01:00:00Z"), text: "请关注", retweet: { uid: "3", author: "应急管理部", text: "防汛提示" } }),
  ]),
};

let poll = 0;
let server: http.Server;
const sockets = new Set<Socket>();
let base = "";
let t: TestApp;
let sup: string;
let deps: JobDeps;
const acc: Record<string, string> = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const items = SERVED[req.url ?? ""]?.[poll];
    if (!items) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/xml; charset=utf-8" });
    res.end(rsshubFeed(channel(req.url!), items));
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
  const rows = [
    ["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"],
    ["某市快手", "快手", "ks", "某市人民政府", `${base}/ks`, "2026-01-01"],
    ["某市抖音", "抖音", "dy", "某市人民政府", `${base}/dy`, "2026-01-01"],
    ["某市抖音二", "抖音", "stamp", "某市人民政府", `${base}/stamp`, "2026-01-01"],
    ["某市发布", "微博", "wb", "某市人民政府", `${base}/wb`, "2026-01-01"],
  ];
  const imported = await t.call(sup, "POST", "/api/accounts/import", toCsv(rows), { "content-type": "text/csv" });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  for (const a of (await t.call(sup, "GET", "/api/accounts?pageSize=100")).body.items) acc[a.platformId] = a.id;
  deps = { db: t.db, fetchFeed: createGuardedFetch(["127.0.0.1"]), feedAllowHosts: ["127.0.0.1"], postWebhook: async () => ({ ok: true }) } as unknown as JobDeps;
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server?.close(() => r()));
  await t?.close();
});

const posts = async (key: string) => (await t.call(sup, "GET", `/api/accounts/${acc[key]}/posts?pageSize=100`)).body.items as any[];
const feed = async (key: string) => (await t.call(sup, "GET", `/api/accounts/${acc[key]}/feed`)).body;
const byUrl = (list: any[]) => Object.fromEntries(list.map((p) => [p.url, p]));

describe("undated and unreliably dated items, reposts", () => {
  it("first poll: undated items and fetch-time stamps are kept as backfill; the stamping feed is 日期不可靠", async () => {
    poll = 0;
    const r = await pollFeeds(deps, POLLS[0]!, { timeoutMs: 2000 });
    expect(r).toMatchObject({ due: 4, ok: 4, failed: 0, newPosts: 3 + 1 + 3 + 4 });
    for (const key of ["ks", "dy", "stamp"]) {
      const list = await posts(key);
      expect(list.length).toBeGreaterThan(0);
      for (const p of list) expect(p, key).toMatchObject({ backfill: true, dateSource: "first_seen", publishedAt: POLLS[0]!.toISOString(), repost: false });
    }
    expect(await feed("stamp")).toMatchObject({ datesUnreliable: true });
    expect(await feed("ks")).toMatchObject({ datesUnreliable: false });
    // Real dates are believed from the first poll on.
    expect((await posts("wb")).every((p) => p.backfill === false && p.dateSource === "feed")).toBe(true);
  }, 30_000);

  it("later polls: a new undated item counts at its first-seen time; still-stamped items too", async () => {
    poll = 1;
    const r = await pollFeeds(deps, POLLS[1]!, { timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: 4, newPosts: 2 });
    const ks4 = byUrl(await posts("ks"))["https://www.kuaishou.com/short-video/3xks4?authorId=3x1"];
    expect(ks4).toMatchObject({ backfill: false, dateSource: "first_seen", publishedAt: POLLS[1]!.toISOString() });
    const stamp = byUrl(await posts("stamp"));
    expect(stamp["https://www.douyin.com/video/730000000000000014"]).toMatchObject({ backfill: false, dateSource: "first_seen", publishedAt: POLLS[1]!.toISOString() });
    // The old ones are not re-dated by the new stamp.
    expect(stamp["https://www.douyin.com/video/730000000000000011"]).toMatchObject({ backfill: true, publishedAt: POLLS[0]!.toISOString() });
    expect(await feed("stamp")).toMatchObject({ datesUnreliable: true });
  }, 30_000);

  it("distinct dates again clear the flag, and new items take their real date", async () => {
    poll = 2;
    const r = await pollFeeds(deps, POLLS[2]!, { timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: 4, newPosts: 1 });
    expect(await feed("stamp")).toMatchObject({ datesUnreliable: false });
    expect(byUrl(await posts("stamp"))["https://www.douyin.com/video/730000000000000015"]).toMatchObject({
      backfill: false,
      dateSource: "feed",
      publishedAt: "2026-11-19T04:00:00.000Z",
    });
  }, 30_000);

  it("RSSHub weibo retweets are stored as reposts and listed with the flag", async () => {
    const wb = byUrl(await posts("wb"));
    expect(Object.fromEntries(Object.entries(wb).map(([u, p]: [string, any]) => [u.split("/").pop(), p.repost]))).toEqual({ O1: false, R1: true, O2: false, R2: true });
  });

  it("pushed posts carry an explicit repost mark, which wins over the title", async () => {
    t.clock.now = at("2026-11-21T02:00:00Z");
    const pushed = await t.call(sup, "POST", `/api/accounts/${acc.wb}/posts`, {
      posts: [
        { title: "转载：省里的通知", guid: "push-1", publishedAt: "2026-11-21T09:00:00+08:00", repost: true },
        { title: "转发微博", guid: "push-2", publishedAt: "2026-11-21T09:30:00+08:00", repost: false },
        { title: "转发 @省政府发布：会议召开", guid: "push-3", publishedAt: "2026-11-21T10:00:00+08:00" },
      ],
    });
    expect(pushed.body).toEqual({ inserted: 3, duplicates: 0 });
    const list = Object.fromEntries((await posts("wb")).filter((p) => p.guid?.startsWith("push-")).map((p) => [p.guid, p.repost]));
    expect(list).toEqual({ "push-1": true, "push-2": false, "push-3": true });
    const bad = await t.call(sup, "POST", `/api/accounts/${acc.wb}/posts`, { posts: [{ title: "x", repost: "yes" }] });
    expect(bad.status).toBe(400);
  });

  it("backfill is never counted in a week: W47 counts only what was published or first seen in it", async () => {
    t.clock.now = at("2026-11-23T02:00:00Z");
    const c = await t.call(sup, "GET", "/api/compliance?week=2026-W47&pageSize=100");
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    const by = Object.fromEntries(c.body.items.map((i: any) => [Object.entries(acc).find(([, id]) => id === i.accountId)![0], [i.status, i.posts]]));
    // ks: only ks4 (first seen Wednesday); dy: only backfill; stamp: #14 (first seen) and #15 (dated Thursday).
    expect(by.ks).toEqual(["compliant", 1]);
    expect(by.dy).toEqual(["below", 0]);
    expect(by.stamp).toEqual(["compliant", 2]);
  });

  it("reports the original share (原创占比) per account and pooled per unit", async () => {
    t.clock.now = at("2026-11-23T02:00:00Z");
    const c = await t.call(sup, "GET", "/api/compliance?week=2026-W47&pageSize=100");
    const wb = c.body.items.find((i: any) => i.accountId === acc.wb);
    // W47 on the weibo account: R2 (feed, retweet) and three pushes, two of them marked reposts.
    expect(wb).toMatchObject({ posts: 4, reposts: 3, originalShare: 0.25 });
    const posts = c.body.items.reduce((n: number, i: any) => n + i.posts, 0);
    const reposts = c.body.items.reduce((n: number, i: any) => n + i.reposts, 0);
    expect(c.body.summary.overall.originalShare).toBeCloseTo((posts - reposts) / posts, 10);
    for (const g of c.body.summary.byOrg) expect(g.originalShare === null || (g.originalShare >= 0 && g.originalShare <= 1)).toBe(true);
    // The week's page shows it too.
    const page = await (await t.app.request("/compliance?week=2026-W47", { headers: { cookie: `gm_token=${sup}` } })).text();
    expect(page).toContain("<th>原创占比</th>");
    expect(page).toContain("25%（转发 3）");
  });

  it("the account page shows 日期不可靠 while the flag is set, and marks backfill and reposts", async () => {
    const page = async (key: string) => (await t.app.request(`/accounts/${acc[key]}`, { headers: { cookie: `gm_token=${sup}` } })).text();
    // R1, R2 from the feed; push-1, push-3 pushed.
    expect((await page("wb")).match(/<span class="tag">转发<\/span>/g)).toHaveLength(4);
    expect(await page("dy")).toContain("历史条目，不计入");
    expect(await page("stamp")).not.toContain("日期不可靠");
    // Stamped again: the flag is back and shown.
    poll = 1;
    await pollFeeds(deps, at("2026-11-23T04:00:00Z"), { timeoutMs: 2000 });
    expect(await feed("stamp")).toMatchObject({ datesUnreliable: false }); // POLLS[1] is days away from this poll: a real shared date
    SERVED["/stamp"]![3] = [dy(11, at("2026-11-23T05:59:00Z")), dy(12, at("2026-11-23T05:59:00Z")), dy(13, at("2026-11-23T05:59:00Z"))];
    poll = 3;
    await pollFeeds(deps, at("2026-11-23T06:00:00Z"), { timeoutMs: 2000 });
    expect(await feed("stamp")).toMatchObject({ datesUnreliable: true });
    expect(await page("stamp")).toContain("日期不可靠");
  }, 30_000);
});
