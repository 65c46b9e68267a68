// Two WeChat accounts of one unit (duplicate_platform): the daily assessment advises the less active one to
// consolidate into the more active one (长安区：同一平台上开设的多个账号要进行功能整合), with the evidence.
import { beforeAll, describe, expect, it } from "vitest";
import { dormancy } from "../../jobs/dormancy";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { makeTestApp, org, token, type TestApp } from "../helpers";

let t: TestApp;
let sup: string;
let busyId: string;
let quietId: string;

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-11-22T02:00:00Z" });
  const root = await t.bootstrap("某县政府", "county");
  const dept = await org(t, root.token, "县民政局", "department", "county", root.orgId);
  sup = await token(t, root.token, root.orgId, "supervisor");
  const busy = await t.call(sup, "POST", "/api/accounts", { orgId: dept, platform: "wechat", name: "县民政发布", openedOn: "2026-09-28" });
  const quiet = await t.call(sup, "POST", "/api/accounts", { orgId: dept, platform: "wechat", name: "县民政服务", openedOn: "2026-11-09" });
  expect(busy.status).toBe(201);
  expect(quiet.status).toBe(201);
  busyId = busy.body.id;
  quietId = quiet.body.id;
  // Both meet the weekly minimum (3 for WeChat): not chronic, so only the duplicate speaks.
  // 县民政发布: 4 posts a week for the 8 weeks W40–W47; 县民政服务 (opened in W46): 3 a week.
  const day = (monday: string, plus: number) => new Date(Date.parse(`${monday}T09:00:00+08:00`) + plus * 86_400_000).toISOString();
  const mondays = ["2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"];
  const busyPosts = mondays.flatMap((m, w) => [0, 1, 2, 3].map((d) => ({ title: `动态${w}-${d}`, publishedAt: day(m, d) })));
  expect((await t.call(sup, "POST", `/api/accounts/${busyId}/posts`, { posts: busyPosts })).status).toBe(200);
  const quietPosts = ["2026-11-09", "2026-11-16"].flatMap((m, w) => [0, 1, 2].map((d) => ({ title: `通知${w}-${d}`, publishedAt: day(m, d) })));
  expect((await t.call(sup, "POST", `/api/accounts/${quietId}/posts`, { posts: quietPosts })).status).toBe(200);
});

describe("duplicate_platform → recommend_consolidate", () => {
  it("opens recommend_consolidate on the less active account, naming the more active one as target", async () => {
    const deps = { db: t.db, fetchFeed: createGuardedFetch([]), feedAllowHosts: [], postWebhook: createGuardedPost([]) };
    await dormancy(deps, new Date("2026-11-23T02:00:00Z"));
    const dup = (await t.call(sup, "GET", "/api/alerts?kind=duplicate_platform")).body;
    expect(dup.items.map((a: { accountId: string }) => a.accountId).sort()).toEqual([busyId, quietId].sort());
    const list = (await t.call(sup, "GET", "/api/alerts?kind=recommend_consolidate")).body;
    expect(list.total).toBe(1);
    const alert = list.items[0];
    expect(alert.accountId).toBe(quietId);
    expect(alert.message).toContain("“县民政发布”");
    expect(alert.message).toContain("近8周发文6条");
    expect(alert.message).toContain("近8周发文32条");
    expect(alert.detail).toMatchObject({ targetAccountId: busyId, windowWeeks: 8, recentPosts: 6, targetRecentPosts: 32 });
  });
});
