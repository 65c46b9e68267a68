// The aggregates the overview and the account page read: per-week summary, this week's pace, one
// account's weeks, and the alerts' counts by kind and unit with the platform on every alert.
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateWeek } from "../../../jobs/evaluate-week";
import { createGuardedFetch } from "../../net/guarded-fetch-node";
import { createGuardedPost } from "../../net/guarded-post-node";
import { makeTestApp, org, token, type TestApp } from "../../../test/helpers";

let t: TestApp;
let sup: string;
let op: string;
let otherOp: string;
let edu: string;
let water: string;
const ids: Record<string, string> = {};

// Wednesday 2026-11-25 12:00 Beijing: week W48 (11-23 … 11-29) is in progress, 2.5 of 7 days gone.
const NOW = "2026-11-25T04:00:00Z";

beforeAll(async () => {
  t = await makeTestApp({ at: NOW });
  const root = await t.bootstrap("某县政府", "county");
  edu = await org(t, root.token, "县教育局", "department", "county", root.orgId);
  water = await org(t, root.token, "县水利局", "department", "county", root.orgId);
  sup = await token(t, root.token, root.orgId, "supervisor");
  op = await token(t, root.token, edu, "operator");
  otherOp = await token(t, root.token, water, "operator");
  const make = async (key: string, orgId: string, platform: string) => {
    const r = await t.call(sup, "POST", "/api/accounts", { orgId, platform, name: `${key}号`, openedOn: "2026-01-05" });
    expect(r.status).toBe(201);
    ids[key] = r.body.id;
  };
  await make("weixin", edu, "wechat"); // 3 a week, on time
  await make("weibo", edu, "weibo"); // 3 a week, behind this week
  await make("douyin", water, "douyin"); // 1 a week, already done this week
  await make("silent", water, "toutiao"); // no feed, nothing pushed: no data source
  const push = async (key: string, dates: string[]) => {
    const posts = dates.map((d, i) => ({ title: `${key}-${i}`, guid: `${key}-${d}-${i}`, publishedAt: d }));
    expect((await t.call(sup, "POST", `/api/accounts/${ids[key]}/posts`, { posts })).body.inserted).toBe(dates.length);
  };
  // W46 (11-09…11-15) and W47 (11-16…11-22): 微信 three times each week, 微博 once in W47 only.
  await push("weixin", ["2026-11-10T10:00:00+08:00", "2026-11-11T10:00:00+08:00", "2026-11-12T10:00:00+08:00", "2026-11-17T10:00:00+08:00", "2026-11-18T10:00:00+08:00", "2026-11-19T10:00:00+08:00"]);
  await push("weibo", ["2026-11-18T10:00:00+08:00"]);
  await push("douyin", ["2026-11-11T10:00:00+08:00", "2026-11-18T10:00:00+08:00", "2026-11-24T10:00:00+08:00"]);
  // This week so far: 微信 twice (pace target ceil(3 × 2.5/7) = 2), 微博 none.
  await push("weixin", ["2026-11-23T10:00:00+08:00", "2026-11-24T10:00:00+08:00"]);
});

describe("GET /api/compliance aggregates", () => {
  it("summarises each week of a range for the trend", async () => {
    const r = await t.call(sup, "GET", "/api/compliance?from=2026-W46&to=2026-W47&pageSize=1");
    expect(r.status).toBe(200);
    const byWeek = r.body.summary.byWeek;
    expect(byWeek.map((w: any) => w.key)).toEqual(["2026-W46", "2026-W47"]);
    // W46: 微信 and 抖音 met it; 微博 had not pushed anything yet and the silent one never did: no source.
    expect(byWeek[0]).toMatchObject({ total: 4, compliant: 2, below: 0, unknown: 2, judged: 2 });
    expect(byWeek[0].unknownReasons.no_source).toBe(2);
    expect(byWeek[1]).toMatchObject({ compliant: 2, below: 1, judged: 3 });
    expect(byWeek[1].rate).toBeCloseTo(2 / 3);
    // A range of complete weeks has no pace.
    expect(r.body.summary.pace).toBeNull();
  });

  it("gives this week's pace: reached, on track, behind, unknown", async () => {
    const r = await t.call(sup, "GET", "/api/compliance?week=2026-W48&pageSize=1");
    expect(r.body.summary.pace).toEqual({ week: "2026-W48", reached: 1, onTrack: 1, behind: 1, unknown: 1, exempt: 0 });
    // Per platform, for the platform mix.
    expect(r.body.summary.byPlatform.map((p: any) => [p.label, p.total])).toEqual([
      ["抖音", 1],
      ["今日头条", 1],
      ["微信公众号", 1],
      ["微博", 1],
    ]);
    // A finished week has none.
    expect((await t.call(sup, "GET", "/api/compliance?week=2026-W47&pageSize=1")).body.summary.pace).toBeNull();
  });

  it("reads one account's weeks, and another unit's account is not found", async () => {
    const r = await t.call(op, "GET", `/api/compliance?accountId=${ids.weibo}&from=2026-W46&to=2026-W48&pageSize=26`);
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: any) => [i.week, i.updates, i.required, i.status])).toEqual([
      ["2026-W46", 0, 3, "unknown"],
      ["2026-W47", 1, 3, "below"],
      ["2026-W48", 0, 3, "unknown"],
    ]);
    const foreign = await t.call(otherOp, "GET", `/api/compliance?accountId=${ids.weibo}&week=2026-W47`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toContain("账号");
    expect((await t.call(sup, "GET", "/api/compliance?accountId=nope&week=2026-W47")).status).toBe(404);
  });
});

describe("GET /api/alerts summary", () => {
  it("counts open alerts by kind and by unit, whatever the page, and names the platform", async () => {
    const deps = { db: t.db, fetchFeed: createGuardedFetch([]), feedAllowHosts: [], postWebhook: createGuardedPost([]) };
    await evaluateWeek(deps, new Date(NOW));
    const r = await t.call(sup, "GET", "/api/alerts?status=open&pageSize=1");
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(1);
    expect(r.body.total).toBe(6);
    const byKind = Object.fromEntries(r.body.summary.byKind.map((k: any) => [k.kind, k.count]));
    expect(byKind.below_minimum).toBe(1);
    expect(r.body.summary.byKind.find((k: any) => k.kind === "below_minimum").label).toBe("更新未达标");
    expect(r.body.summary.byKind.reduce((n: number, k: any) => n + k.count, 0)).toBe(r.body.total);
    expect(r.body.summary.byOrg.reduce((n: number, o: any) => n + o.count, 0)).toBe(r.body.total);
    // The most frequent kind first (the test names do not contain their unit's name: 名称不一致 on all four).
    expect(r.body.summary.byKind[0]).toEqual({ kind: "inconsistent_name", label: "名称不一致", count: 4 });
    expect(byKind.no_data_source).toBe(1);
    // Ties by unit name.
    expect(r.body.summary.byOrg.map((o: any) => [o.orgName, o.count])).toEqual([
      ["县教育局", 3],
      ["县水利局", 3],
    ]);
    const weibo = (await t.call(sup, "GET", `/api/alerts?accountId=${ids.weibo}`)).body.items.find((a: any) => a.kind === "below_minimum");
    expect(weibo.platform).toBe("weibo");
    // Another unit sees none of these.
    const mine = await t.call(otherOp, "GET", "/api/alerts?status=open");
    expect(mine.body.summary.byOrg.every((o: any) => o.orgName === "县水利局")).toBe(true);
  });
});
