// Issue 9, "count what offices count": a WeWe RSS 多图文 push of three articles is one update, the
// unit is policy (push / item / day), a 服务号 is judged against its own minimum, and an unknown week
// says why (no source at all vs. collection failed) — with its own alert for an account without any
// source. Real feed server on 127.0.0.1, poll-feeds, evaluate-week, /api/compliance, /api/policies.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDeps } from "../../jobs/deps";
import { evaluateWeek } from "../../jobs/evaluate-week";
import { pollFeeds } from "../../jobs/poll-feeds";
import { assessAccounts } from "../../src/commands/assess";
import { weekTallies } from "../../src/db/queries/compliance";
import { parseWeekId } from "../../src/domain/weeks";
import { toCsv } from "../../src/lib/csv";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { makeTestApp, org, token, type TestApp } from "../helpers";

const mp = (id: string) => `https://mp.weixin.qq.com/s/${id}`;

/** WeWe RSS `/feeds/MP_WXS_….atom`: one entry per article; a 群发's articles share its publish time. */
const weweAtom = (name: string, entries: { id: string; title: string; at: string }[]) => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
    <id>http://wewe.example/feeds/MP_WXS_${name}.atom</id>
    <title>${name}</title>
    <updated>2026-11-22T16:00:05.000Z</updated>
    <generator>WeWe-RSS</generator>
    <link rel="alternate" href="http://wewe.example/feeds/MP_WXS_${name}.atom"/>
${entries
  .map(
    (a) => `    <entry>
        <title type="html"><![CDATA[${a.title}]]></title>
        <id>${a.id}</id>
        <link href="${mp(a.id)}"/>
        <updated>${a.at}</updated>
    </entry>`,
  )
  .join("\n")}
</feed>`;

const FEEDS: Record<string, string> = {
  // A 订阅号: one article in W46; in W47 a 3-article push on Sunday 23:30 Beijing; Monday 00:00:05 is W48.
  "/wx": weweAtom("3941633310", [
    { id: "Old0Art1", title: "上周要闻", at: "2026-11-11T02:00:00.000Z" },
    { id: "Push1Art1", title: "头条：全市冬季供暖工作会议召开", at: "2026-11-22T15:30:00.000Z" },
    { id: "Push1Art2", title: "次条：供暖服务热线公布", at: "2026-11-22T15:30:00.000Z" },
    { id: "Push1Art3", title: "三条：温馨提示", at: "2026-11-22T15:30:00.000Z" },
    { id: "Mon0Art1", title: "周一零点", at: "2026-11-22T16:00:05.000Z" },
  ]),
  // A 服务号: one 群发 of two articles in W47 (Wednesday 20:00 Beijing), one in W46.
  "/svc": weweAtom("2875510001", [
    { id: "Svc0Art1", title: "服务号上周推送", at: "2026-11-12T12:00:00.000Z" },
    { id: "Svc1Art1", title: "办事指南更新", at: "2026-11-18T12:00:00.000Z" },
    { id: "Svc1Art2", title: "预约办理说明", at: "2026-11-18T12:00:00.000Z" },
  ]),
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
let t: TestApp;
let deps: JobDeps;
let sup: string;
let rootId: string;
const acc: Record<string, string> = {};
const at = (iso: string) => new Date(iso);
const POLL = { timeoutMs: 1500, maxBytes: 1024 * 1024 };

beforeAll(async () => {
  feeds = await listen((req, res) => {
    const body = FEEDS[req.url ?? ""];
    if (!body) return void res.writeHead(req.url === "/broken" ? 500 : 404).end("error");
    res.writeHead(200, { "content-type": "application/atom+xml; charset=utf-8" });
    res.end(body);
  });
  t = await makeTestApp({ at: "2026-11-10T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  rootId = root.orgId;
  sup = await token(t, root.token, rootId, "supervisor");
  await org(t, root.token, "市信息中心", "department", "city", rootId);
  // The ledger says 服务号 in the 平台 column for one and in the 账号类型 column for none (订阅号 by default).
  const rows = [
    ["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期", "账号类型"],
    ["某市发布", "微信公众号", "wx-1", "市信息中心", `${feeds.base}/wx`, "2026-01-01", ""],
    ["某市政务服务", "微信服务号", "wx-2", "市信息中心", `${feeds.base}/svc`, "2026-01-01", ""],
    ["某市客户端", "移动客户端", "app-1", "市信息中心", "", "2026-01-01", ""],
    ["某市头条", "今日头条", "tt-1", "市信息中心", `${feeds.base}/broken`, "2026-01-01", ""],
  ];
  const imported = await t.call(sup, "POST", "/api/accounts/import", toCsv(rows), { "content-type": "text/csv" });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  for (const a of (await t.call(sup, "GET", "/api/accounts?pageSize=100")).body.items) acc[a.platformId] = a.id;
  deps = { db: t.db, fetchFeed: createGuardedFetch(["127.0.0.1"]), feedAllowHosts: ["127.0.0.1"], postWebhook: createGuardedPost(["127.0.0.1"]) };
}, 60_000);

afterAll(async () => {
  await feeds?.close();
});

const item = async (week: string, id: string) => {
  const r = await t.call(sup, "GET", `/api/compliance?week=${week}&pageSize=100`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.items.find((i: any) => i.accountId === acc[id]);
};

describe("counting what offices count", () => {
  it("stores the account types from the ledger and shows them", async () => {
    const list = (await t.call(sup, "GET", "/api/accounts?pageSize=100")).body.items;
    const type = Object.fromEntries(list.map((a: any) => [a.platformId, a.accountType]));
    expect(type).toEqual({ "wx-1": "subscription", "wx-2": "service", "app-1": null, "tt-1": null });
    const services = await t.call(sup, "GET", "/api/accounts?accountType=service");
    expect(services.body.items.map((a: any) => a.platformId)).toEqual(["wx-2"]);
    const csv = new TextDecoder().decode(new Uint8Array(await (await t.call(sup, "GET", "/api/accounts/export.csv")).res.arrayBuffer()));
    expect(csv).toContain("账号类型");
    expect(csv).toMatch(/某市政务服务,微信公众号,wx-2,.*,服务号,.*,正常,/);
  });

  it("a 3-article push on Sunday 23:30 is one update in W47; the Monday 00:00:05 item is W48", async () => {
    for (const when of ["2026-11-22T16:30:00Z", "2026-11-22T16:40:00Z", "2026-11-22T16:50:00Z"]) await pollFeeds(deps, at(when), POLL);
    const r = await evaluateWeek(deps, at("2026-11-22T17:00:00Z")); // Monday 01:00 Beijing
    t.clock.now = at("2026-11-22T17:00:00Z");
    expect(r).toMatchObject({ week: "2026-W47" });
    expect(await item("2026-W47", "wx-1")).toMatchObject({ posts: 3, updates: 1, updateUnit: "push", required: 3, status: "below", unknownReason: null, accountType: "subscription" });
    // The below_minimum alert speaks of updates, with the items beside them.
    const alerts = (await t.call(sup, "GET", "/api/alerts?status=open&pageSize=100")).body.items;
    expect(alerts.find((a: any) => a.accountId === acc["wx-1"] && a.kind === "below_minimum").message).toContain("更新 1 次（发文 3 条）");
    t.clock.now = at("2026-11-30T17:00:00Z");
    expect(await item("2026-W48", "wx-1")).toMatchObject({ posts: 1, updates: 1 });
  });

  it("a 服务号 with one push in the week is compliant under the default minimum", async () => {
    expect(await item("2026-W47", "wx-2")).toMatchObject({ posts: 2, updates: 1, required: 0, status: "compliant", accountType: "service" });
  });

  it("says why a week is unknown: no source at all, or a failing feed", async () => {
    expect(await item("2026-W47", "app-1")).toMatchObject({ posts: 0, updates: 0, status: "unknown", unknownReason: "no_source" });
    expect(await item("2026-W47", "tt-1")).toMatchObject({ status: "unknown", unknownReason: "collection_failed" });
    const s = (await t.call(sup, "GET", "/api/compliance?week=2026-W47")).body.summary.overall;
    // 4 accounts, 2 judged (wx-1 below, wx-2 compliant): the rate is over those 2 only.
    expect(s).toMatchObject({ total: 4, judged: 2, compliant: 1, below: 1, unknown: 2, unknownReasons: { no_source: 1, collection_failed: 1, week_in_progress: 0 }, rate: 0.5 });
    // The web pages say how many were judged and why the others were not.
    const page = async (path: string) => (await t.app.request(path, { headers: { cookie: `gm_token=${sup}` } })).text();
    const overview = await page("/");
    expect(overview).toContain("4 个账号中 2 个可判断（无数据来源 1，数据采集异常 1）；达标率只按可判断的账号计算");
    const week = await page("/compliance?week=2026-W47");
    expect(week).toContain("微信公众号（服务号）");
    expect(week).toContain("未接入数据来源");
    expect(week).toContain("<th>更新（次）</th>");
  });

  it("raises no_data_source once for the account without any source, and resolves it when posts arrive", async () => {
    const open = async () =>
      (await t.call(sup, "GET", "/api/alerts?pageSize=100")).body.items.filter((a: any) => a.accountId === acc["app-1"] && a.kind === "no_data_source");
    expect((await open()).map((a: any) => a.status)).toEqual(["open"]);
    // Another week, another daily assessment: still the one alert, not a new one.
    await evaluateWeek(deps, at("2026-11-29T17:00:00Z"));
    await assessAccounts(t.db, at("2026-11-30T17:00:00Z"));
    const still = await open();
    expect(still).toHaveLength(1);
    expect(still[0].status).toBe("open");
    expect(still[0].kindLabel).toBe("无数据来源");
    // The feed-less account with a failing feed's neighbour never gets it.
    const others = (await t.call(sup, "GET", "/api/alerts?pageSize=100")).body.items.filter((a: any) => a.kind === "no_data_source" && a.accountId !== acc["app-1"]);
    expect(others).toEqual([]);
    const pushed = await t.call(sup, "POST", `/api/accounts/${acc["app-1"]}/posts`, { posts: [{ title: "客户端发布", publishedAt: "2026-11-30T10:00:00+08:00", guid: "app-1-a" }] });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    await assessAccounts(t.db, at("2026-12-01T02:00:00Z"));
    expect((await open()).map((a: any) => a.status)).toEqual(["resolved"]);
  });

  it("the unit is policy: item counts 3, day counts 1; words in, words out", async () => {
    t.clock.now = at("2026-12-01T02:00:00Z");
    const setUnit = async (value: unknown) => {
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      return t.call(sup, "POST", "/api/policies", { orgId: rootId, key: "updateUnit", value, effectiveFrom: "2026-01-01" });
    };
    const asItems = await setUnit("item");
    expect(asItems.status, JSON.stringify(asItems.body)).toBe(201);
    expect(asItems.body.value).toBe("item");
    expect(await item("2026-W47", "wx-1")).toMatchObject({ posts: 3, updates: 3, updateUnit: "item", status: "compliant" });
    expect((await setUnit("day")).status).toBe(201);
    expect(await item("2026-W47", "wx-1")).toMatchObject({ posts: 3, updates: 1, updateUnit: "day", status: "below" });
    const listed = await t.call(sup, "GET", `/api/policies?orgId=${rootId}`);
    expect(listed.body.overrides.map((o: any) => o.value)).toEqual(["item", "day"]);
    expect(listed.body.effective).toMatchObject({ updateUnit: "day", countReposts: true, serviceWeeklyMinimum: 0 });
    expect((await setUnit("push")).status).toBe(201);
  });

  it("backfill never counts, and reposts only while countReposts is true", async () => {
    await t.client.execute({ sql: "UPDATE posts SET repost = 1 WHERE account_id = ? AND title = '周一零点'", args: [acc["wx-1"]!] });
    expect(await item("2026-W48", "wx-1")).toMatchObject({ posts: 1, updates: 1 });
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const off = await t.call(sup, "POST", "/api/policies", { orgId: rootId, key: "countReposts", value: false, effectiveFrom: "2026-01-01" });
    expect(off.status, JSON.stringify(off.body)).toBe(201);
    expect(off.body.value).toBe(false);
    expect(await item("2026-W48", "wx-1")).toMatchObject({ posts: 1, updates: 0 });
    await t.client.execute({ sql: "UPDATE posts SET backfill = 1 WHERE account_id = ? AND title LIKE '三条%'", args: [acc["wx-1"]!] });
    expect(await item("2026-W47", "wx-1")).toMatchObject({ posts: 2, updates: 1 });
  });
});

describe("bad input for account types and policies", () => {
  it("refuses an unknown accountType, or one on another platform, in Chinese with the allowed values", async () => {
    const body = { orgId: rootId, platform: "wechat", name: "某市测试", accountType: "enterprise" };
    const unknown = await t.call(sup, "POST", "/api/accounts", body);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("subscription（订阅号）或 service（服务号）");
    const weibo = await t.call(sup, "POST", "/api/accounts", { ...body, platform: "weibo", accountType: "service" });
    expect(weibo.status).toBe(400);
    expect(weibo.body.error.message).toContain("只适用于微信公众号");
    const ok = await t.call(sup, "POST", "/api/accounts", { ...body, platformId: "wx-new", accountType: "service" });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.accountType).toBe("service");
    // A change filing may switch the type, only on WeChat.
    const change = await t.call(sup, "POST", "/api/filings", { kind: "change", accountId: ok.body.id, changes: { accountType: "subscription" } });
    expect(change.status, JSON.stringify(change.body)).toBe(201);
    expect((await t.call(sup, "POST", `/api/filings/${change.body.id}/decision`, { approve: true })).status).toBe(200);
    expect((await t.call(sup, "GET", `/api/accounts/${ok.body.id}`)).body.accountType).toBe("subscription");
    const wrong = await t.call(sup, "POST", "/api/filings", { kind: "change", accountId: acc["tt-1"], changes: { accountType: "service" } });
    expect(wrong.status).toBe(400);
    const ledger = toCsv([["账号名称", "平台", "主办单位", "账号类型"], ["某市抖音", "抖音", "市信息中心", "服务号"], ["某市微信", "微信公众号", "市信息中心", "企业号"]]);
    const imp = await t.call(sup, "POST", "/api/accounts/import?dryRun=true", ledger, { "content-type": "text/csv" });
    expect(imp.body.errors.map((e: any) => [e.row, e.column])).toEqual([[2, "账号类型"], [3, "账号类型"]]);
    expect(imp.body.errors[1].message).toContain("订阅号、服务号");
  });

  it("refuses an unknown updateUnit or countReposts value with the allowed values in Chinese", async () => {
    const post = (key: string, value: unknown) => t.call(sup, "POST", "/api/policies", { orgId: rootId, key, value, effectiveFrom: "2026-12-01" });
    const week = await post("updateUnit", "week");
    expect(week.status).toBe(400);
    expect(week.body.error.message).toMatch(/push（按推送.*item（按条目.*day（按天/);
    expect((await post("updateUnit", 2)).status).toBe(400);
    const yes = await post("countReposts", "yes");
    expect(yes.status).toBe(400);
    expect(yes.body.error.message).toContain("true（计入）或 false");
    expect((await post("serviceWeeklyMinimum", -1)).status).toBe(400);
    expect((await post("vetoDays", "14")).status).toBe(400);
  });
});

describe("weekTallies at the week boundary", () => {
  it("puts Sunday 23:59:59.999 Beijing in its week and Monday 00:00:00.000 in the next, for consecutive and scattered weeks", async () => {
    const ins = (id: string, iso: string) =>
      t.client.execute({
        sql: "INSERT INTO posts (id, account_id, identity, title, published_at, date_source, source, first_seen_at) VALUES (?,?,?,?,?,?,?,?)",
        args: [id, "edge", id, "t", new Date(iso).toISOString(), "given", "api", new Date(iso).toISOString()],
      });
    await ins("e1", "2026-11-22T23:59:59.999+08:00");
    await ins("e2", "2026-11-23T00:00:00.000+08:00");
    await ins("e3", "2026-11-16T00:00:00.000+08:00");
    const [w46, w47, w48, w50] = ["2026-W46", "2026-W47", "2026-W48", "2026-W50"].map((id) => parseWeekId(id)!);
    const consecutive = (await weekTallies(t.db, ["edge"], [w46!, w47!, w48!])).get("edge")!;
    expect(consecutive.map((x) => x.items)).toEqual([0, 2, 1]);
    expect(consecutive.map((x) => x.pushes)).toEqual([0, 2, 1]);
    const scattered = (await weekTallies(t.db, ["edge"], [w47!, w50!])).get("edge")!;
    expect(scattered.map((x) => x.items)).toEqual([2, 0]);
  });
});
