// Monitoring API: pushed posts, alerts handled by people, webhooks, policies, the midweek reminder.
import { beforeAll, describe, expect, it } from "vitest";
import { midweekReminder } from "../../jobs/midweek-reminder";
import { paceTarget } from "../../src/domain/compliance";
import { toCsv } from "../../src/lib/csv";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { dormancy } from "../../jobs/dormancy";
import { makeTestApp, org, token, type TestApp } from "../helpers";

let t: TestApp;
let sup: string;
let op: string;
let otherOp: string;
let viewer: string;
let rootId: string;
let deptId: string;
let appId: string;

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-11-01T02:00:00Z" });
  const root = await t.bootstrap("某县政府", "county");
  rootId = root.orgId;
  deptId = await org(t, root.token, "县民政局", "department", "county", rootId);
  const other = await org(t, root.token, "县水利局", "department", "county", rootId);
  sup = await token(t, root.token, rootId, "supervisor");
  op = await token(t, root.token, deptId, "operator");
  otherOp = await token(t, root.token, other, "operator");
  viewer = await token(t, root.token, rootId, "viewer");
  const a = await t.call(sup, "POST", "/api/accounts", { orgId: deptId, platform: "app", name: "县民政客户端", openedOn: "2026-01-05" });
  appId = a.body.id;
});

describe("pushed posts", () => {
  it("are idempotent by guid, link, then title+date", async () => {
    const posts = [
      { title: "一", guid: "g1", publishedAt: "2026-10-30T08:00:00+08:00" },
      { title: "二", url: "https://example.gov.cn/2", publishedAt: "2026-10-30T09:00:00Z" },
      { title: "三", publishedAt: "2026-10-31T09:00:00+08:00" },
    ];
    expect((await t.call(op, "POST", `/api/accounts/${appId}/posts`, { posts })).body).toEqual({ inserted: 3, duplicates: 0 });
    expect((await t.call(op, "POST", `/api/accounts/${appId}/posts`, { posts })).body).toEqual({ inserted: 0, duplicates: 3 });
    // The same instant spelled in another zone is the same post.
    const respelled = [{ title: "三", publishedAt: "2026-10-31T01:00:00Z" }];
    expect((await t.call(op, "POST", `/api/accounts/${appId}/posts`, { posts: respelled })).body).toEqual({ inserted: 0, duplicates: 1 });
    const list = await t.call(viewer, "GET", `/api/accounts/${appId}/posts`);
    expect(list.body.total).toBe(3);
    expect(list.body.items[0]).toMatchObject({ title: "三", source: "api", dateSource: "given", publishedAt: "2026-10-31T01:00:00.000Z" });
  });

  it("refuses absurd dates, junk and foreign operators", async () => {
    const bad = [
      { title: "x", publishedAt: "1970-01-01T00:00:00Z" },
      { title: "x", publishedAt: "2999-01-01T00:00:00Z" },
      { title: "x", publishedAt: "yesterday" },
      { title: "x", publishedAt: "2026-10-30T08:00:00" },
      { title: "" },
      { title: "x".repeat(501) },
      { title: "x", url: "javascript:alert(1)" },
    ];
    for (const p of bad) {
      const r = await t.call(op, "POST", `/api/accounts/${appId}/posts`, { posts: [p] });
      expect(r.status, JSON.stringify(p)).toBe(400);
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await t.call(op, "POST", `/api/accounts/${appId}/posts`, { posts: [] })).status).toBe(400);
    // Another unit cannot even see the account.
    expect((await t.call(otherOp, "POST", `/api/accounts/${appId}/posts`, { posts: [{ title: "x" }] })).status).toBe(404);
    expect((await t.call(viewer, "POST", `/api/accounts/${appId}/posts`, { posts: [{ title: "x" }] })).status).toBe(403);
    expect((await t.call(op, "GET", `/api/accounts/${appId}/posts`)).body.total).toBe(3);
  });

  it("imports a posts file with row-numbered errors, all or nothing", async () => {
    t.clock.now = new Date("2026-11-04T02:00:00Z");
    const rows = [["发布时间", "标题", "链接", "唯一标识"], ["2026-11-02 10:00", "四", "", "g4"], ["2026/13/01 10:00", "坏", "", ""], ["2026-11-03 10:00", "五", "ftp://x", ""]];
    const bad = await t.call(op, "POST", `/api/accounts/${appId}/posts/import`, toCsv(rows), { "content-type": "text/csv" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((e: any) => [e.row, e.column])).toEqual([[3, "发布时间"], [4, "链接"]]);
    expect((await t.call(op, "GET", `/api/accounts/${appId}/posts`)).body.total).toBe(3);
    rows.splice(2, 2);
    const ok = await t.call(op, "POST", `/api/accounts/${appId}/posts/import`, toCsv(rows), { "content-type": "text/csv" });
    expect(ok.body).toMatchObject({ inserted: 1, duplicates: 0 });
    const again = await t.call(op, "POST", `/api/accounts/${appId}/posts/import`, toCsv(rows), { "content-type": "text/csv" });
    expect(again.body).toMatchObject({ inserted: 0, duplicates: 1 });
  });
});

describe("alerts", () => {
  it("a veto alert is raised once, acknowledged and resolved by people with a note", async () => {
    const deps = { db: t.db, fetchFeed: createGuardedFetch([]), feedAllowHosts: [], postWebhook: createGuardedPost([]) };
    await dormancy(deps, new Date("2026-11-20T00:00:00Z"));
    await dormancy(deps, new Date("2026-11-21T00:00:00Z"));
    const list = await t.call(op, "GET", "/api/alerts?kind=no_update_14d");
    expect(list.body.total).toBe(1);
    const alert = list.body.items[0];
    expect(alert).toMatchObject({ accountId: appId, status: "open", kindLabel: "两周未更新" });
    expect((await t.call(otherOp, "GET", "/api/alerts")).body.total).toBe(0);
    expect((await t.call(otherOp, "POST", `/api/alerts/${alert.id}/acknowledge`, { note: "x" })).status).toBe(404);
    expect((await t.call(viewer, "POST", `/api/alerts/${alert.id}/acknowledge`, { note: "x" })).status).toBe(403);
    expect((await t.call(op, "POST", `/api/alerts/${alert.id}/acknowledge`, {})).status).toBe(400);
    const ack = await t.call(op, "POST", `/api/alerts/${alert.id}/acknowledge`, { note: "客户端改版中，下周恢复" });
    expect(ack.body).toMatchObject({ status: "acknowledged", note: "客户端改版中，下周恢复" });
    // Still true the next day: no second alert of the same kind.
    await dormancy(deps, new Date("2026-11-22T00:00:00Z"));
    expect((await t.call(sup, "GET", "/api/alerts?kind=no_update_14d")).body.total).toBe(1);
    // A post arrives: the cause is gone and the alert resolves itself.
    t.clock.now = new Date("2026-11-22T02:00:00Z");
    await t.call(op, "POST", `/api/accounts/${appId}/posts`, { posts: [{ title: "恢复更新", publishedAt: "2026-11-22T09:00:00+08:00" }] });
    await dormancy(deps, new Date("2026-11-23T00:00:00Z"));
    const after = (await t.call(sup, "GET", "/api/alerts?kind=no_update_14d")).body.items[0];
    expect(after).toMatchObject({ status: "resolved", resolvedBy: "auto" });
    expect((await t.call(sup, "POST", `/api/alerts/${after.id}/resolve`, { note: "x" })).status).toBe(409);
    const audit = await t.call(sup, "GET", `/api/audit?entity=alert&entityId=${alert.id}`);
    expect(audit.body.items.map((a: any) => a.action)).toEqual(["alert.acknowledge"]);
  });
});

describe("webhooks and policies", () => {
  it("refuses private webhook URLs and hides secrets", async () => {
    for (const url of ["http://127.0.0.1:9/x", "http://10.1.2.3/hook", "http://169.254.169.254/", "http://localhost/x", "file:///etc/passwd"]) {
      const r = await t.call(sup, "POST", "/api/webhooks", { orgId: deptId, kind: "generic", label: "x", url });
      expect(r.status, url).toBe(400);
    }
    const ok = await t.call(op, "POST", "/api/webhooks", { orgId: deptId, kind: "dingtalk", label: "民政群", url: "https://oapi.dingtalk.com/robot/send?access_token=tokqrs", secret: "SECxyz" });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ hasSecret: true, active: true });
    expect(ok.body.secret).toBeUndefined();
    expect((await t.call(otherOp, "POST", "/api/webhooks", { orgId: deptId, kind: "generic", label: "x", url: "https://example.com/h" })).status).toBe(404);
    expect((await t.call(viewer, "POST", "/api/webhooks", { orgId: deptId, kind: "generic", label: "x", url: "https://example.com/h" })).status).toBe(403);
    expect((await t.call(otherOp, "GET", `/api/webhooks/${ok.body.id}/deliveries`)).status).toBe(404);
    // The robot's access token is never shown back, to any role.
    expect(ok.body.url).toBe("https://oapi.dingtalk.com/robot/send?access_token=***");
    const listed = await t.call(viewer, "GET", "/api/webhooks");
    expect(JSON.stringify(listed.body)).not.toContain("tokqrs"); // not hex: a random uuid in the answer cannot contain it
    const off = await t.call(op, "PATCH", `/api/webhooks/${ok.body.id}`, { active: false });
    expect(off.body.active).toBe(false);
  });

  it("policies are versioned and applied from their date, nearest government first", async () => {
    expect((await t.call(op, "POST", "/api/policies", { orgId: rootId, key: "weeklyMinimum", platform: "app", value: 5, effectiveFrom: "2026-12-01" })).status).toBe(404);
    expect((await t.call(viewer, "POST", "/api/policies", { orgId: rootId, key: "weeklyMinimum", platform: "app", value: 5, effectiveFrom: "2026-12-01" })).status).toBe(403);
    expect((await t.call(sup, "POST", "/api/policies", { orgId: deptId, key: "weeklyMinimum", value: 5, effectiveFrom: "2026-12-01" })).status).toBe(400);
    expect((await t.call(sup, "POST", "/api/policies", { orgId: rootId, key: "weeklyMinimum", value: -1, effectiveFrom: "2026-12-01" })).status).toBe(400);
    expect((await t.call(sup, "POST", "/api/policies", { orgId: rootId, key: "vetoDays", platform: "app", value: 10, effectiveFrom: "2026-12-01" })).status).toBe(400);
    const p = await t.call(sup, "POST", "/api/policies", { orgId: rootId, key: "weeklyMinimum", platform: "app", value: 5, effectiveFrom: "2026-12-01" });
    expect(p.status).toBe(201);
    const before = await t.call(viewer, "GET", `/api/policies?orgId=${deptId}&onDate=2026-11-30`);
    expect(before.body.effective.weeklyMinimum.app).toBe(3);
    const after = await t.call(viewer, "GET", `/api/policies?orgId=${deptId}&onDate=2026-12-01`);
    expect(after.body.effective.weeklyMinimum.app).toBe(5);
    expect(after.body.effective.weeklyMinimum.wechat).toBe(3);
    t.clock.now = new Date("2026-12-14T00:00:00Z");
    const w49 = await t.call(sup, "GET", "/api/compliance?week=2026-W49");
    expect(w49.body.items.find((i: any) => i.accountId === appId).required).toBe(5);
    const w48 = await t.call(sup, "GET", "/api/compliance?week=2026-W48");
    expect(w48.body.items.find((i: any) => i.accountId === appId).required).toBe(3);
  });
});

describe("midweek reminder", () => {
  it("computes the pace target and names accounts behind it", async () => {
    const monday = new Date("2026-11-22T16:00:00Z");
    expect(paceTarget(3, monday, new Date("2026-11-26T01:00:00Z"))).toBe(2); // Thursday 09:00
    expect(paceTarget(1, monday, new Date("2026-11-26T01:00:00Z"))).toBe(1);
    expect(paceTarget(3, monday, monday)).toBe(0);
    const deps = { db: t.db, fetchFeed: createGuardedFetch([]), feedAllowHosts: [], postWebhook: createGuardedPost([]) };
    const r = await midweekReminder(deps, new Date("2026-11-26T01:00:00Z"));
    expect(r).toMatchObject({ week: "2026-W48", behindAccounts: 1, units: 1 });
  });
});
