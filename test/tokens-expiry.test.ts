// Token expiry and last use (令牌有效期、最近使用时间), and the audit log's filters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findActor } from "../src/lib/auth";
import { makeTestApp, org, type TestApp } from "./helpers";

let t: TestApp;
let admin = "";
let rootId = "";

const lastUsed = async (id: string) => (await t.client.execute({ sql: "SELECT last_used_at FROM tokens WHERE id = ?", args: [id] })).rows[0]!.last_used_at as string | null;

/** The last-use write is not awaited by the request (it is a hint): wait for it to land. */
async function settled(id: string, expected: string | null) {
  for (let i = 0; i < 50 && (await lastUsed(id)) !== expected; i++) await new Promise((r) => setTimeout(r, 10));
  return lastUsed(id);
}

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-11-23T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  admin = root.token;
  rootId = root.orgId;
});
afterAll(() => t.close());

describe("token expiry", () => {
  it("issues a token with an expiry, lists it, and refuses it once expired (401)", async () => {
    const r = await t.call(admin, "POST", "/api/tokens", { orgId: rootId, role: "supervisor", label: "季度抽查", expiresAt: "2026-12-01T00:00:00+08:00" });
    expect(r.status).toBe(201);
    expect(r.body.expiresAt).toBe("2026-11-30T16:00:00.000Z");
    const list = await t.call(admin, "GET", "/api/tokens");
    expect(list.body.items.find((x: { id: string }) => x.id === r.body.id).expiresAt).toBe("2026-11-30T16:00:00.000Z");
    expect((await t.call(r.body.token, "GET", "/api/me")).status).toBe(200);

    t.clock.now = new Date("2026-11-30T16:00:00Z");
    const expired = await t.call(r.body.token, "GET", "/api/me");
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain("已过期");
    // The admin's own token has no expiry and still works.
    expect((await t.call(admin, "GET", "/api/me")).status).toBe(200);
    expect(await findActor(t.db, r.body.token, new Date("2026-11-30T15:59:59Z"))).toBeDefined();
    expect(await findActor(t.db, r.body.token, new Date("2026-11-30T16:00:00Z"))).toBeUndefined();
    t.clock.now = new Date("2026-11-23T02:00:00Z");
  });

  it("refuses an expiry in the past, too far out or unreadable with a 400 a clerk can act on", async () => {
    const past = await t.call(admin, "POST", "/api/tokens", { orgId: rootId, role: "viewer", label: "x", expiresAt: "2026-11-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain("晚于当前时间");
    const far = await t.call(admin, "POST", "/api/tokens", { orgId: rootId, role: "viewer", label: "x", expiresAt: "2032-01-01T00:00:00Z" });
    expect(far.status).toBe(400);
    expect(far.body.error.message).toContain("最长5年");
    const bad = await t.call(admin, "POST", "/api/tokens", { orgId: rootId, role: "viewer", label: "x", expiresAt: "下个月" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain("有效期格式不正确");
    // Nothing was issued by the refused requests.
    expect((await t.call(admin, "GET", "/api/tokens")).body.items.filter((x: { label: string }) => x.label === "x")).toHaveLength(0);
  });

  it("sets last_used_at on use and does not rewrite it within the hour", async () => {
    const r = await t.call(admin, "POST", "/api/tokens", { orgId: rootId, role: "viewer", label: "只读" });
    expect(r.body.expiresAt).toBeNull();
    expect(await lastUsed(r.body.id)).toBeNull();
    await t.call(r.body.token, "GET", "/api/me");
    expect(await settled(r.body.id, "2026-11-23T02:00:00.000Z")).toBe("2026-11-23T02:00:00.000Z");

    t.clock.now = new Date("2026-11-23T02:59:00Z");
    await t.call(r.body.token, "GET", "/api/me");
    await new Promise((res) => setTimeout(res, 100));
    expect(await lastUsed(r.body.id)).toBe("2026-11-23T02:00:00.000Z");

    t.clock.now = new Date("2026-11-23T03:01:00Z");
    await t.call(r.body.token, "GET", "/api/me");
    expect(await settled(r.body.id, "2026-11-23T03:01:00.000Z")).toBe("2026-11-23T03:01:00.000Z");
    const list = await t.call(admin, "GET", "/api/tokens");
    expect(list.body.items.find((x: { id: string }) => x.id === r.body.id).lastUsedAt).toBe("2026-11-23T03:01:00.000Z");
    t.clock.now = new Date("2026-11-23T02:00:00Z");
  });

  it("refuses a revoked token like an expired one", async () => {
    const r = await t.call(admin, "POST", "/api/tokens", { orgId: rootId, role: "viewer", label: "将吊销", expiresAt: "2027-01-01T00:00:00+08:00" });
    expect((await t.call(admin, "POST", `/api/tokens/${r.body.id}/revoke`)).status).toBe(200);
    expect((await t.call(r.body.token, "GET", "/api/me")).status).toBe(401);
  });
});

describe("audit log filters", () => {
  it("filters by action, org and Beijing dates, names the actor, and never shows a token's hash", async () => {
    t.clock.now = new Date("2026-11-24T15:30:00Z"); // 2026-11-24 23:30 Beijing
    const county = await org(t, admin, "某县人民政府", "government", "county", rootId);
    t.clock.now = new Date("2026-11-24T16:30:00Z"); // 2026-11-25 00:30 Beijing
    expect((await t.call(admin, "PATCH", `/api/orgs/${county}`, { name: "某县政府" })).status).toBe(200);

    const renames = await t.call(admin, "GET", "/api/audit?action=org.rename");
    expect(renames.body.total).toBe(1);
    expect(renames.body.items[0].before.name).toBe("某县人民政府");
    expect(renames.body.items[0].after.name).toBe("某县政府");
    expect(renames.body.items[0].actorLabel).toBe("初始管理员");
    expect(renames.body.items[0].actorOrgName).toBe("某市人民政府");

    const day24 = await t.call(admin, "GET", "/api/audit?entity=org&from=2026-11-24&to=2026-11-24");
    expect(day24.body.items.map((i: { action: string }) => i.action)).toEqual(["org.create"]);
    const day25 = await t.call(admin, "GET", "/api/audit?entity=org&from=2026-11-25");
    expect(day25.body.items.map((i: { action: string }) => i.action)).toEqual(["org.rename"]);
    const below = await t.call(admin, "GET", `/api/audit?orgId=${county}`);
    expect(below.body.items.every((i: { orgId: string }) => i.orgId === county)).toBe(true);
    expect(below.body.total).toBe(2);

    const reversed = await t.call(admin, "GET", "/api/audit?from=2026-11-25&to=2026-11-24");
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toContain("起始日期不能晚于截止日期");
    expect((await t.call(admin, "GET", "/api/audit?from=2026-13-40")).status).toBe(400);

    const tokenRows = await t.call(admin, "GET", "/api/audit?entity=token");
    expect(tokenRows.body.total).toBeGreaterThan(0);
    expect(JSON.stringify(tokenRows.body)).not.toMatch(/"hash"/);
    t.clock.now = new Date("2026-11-23T02:00:00Z");
  });
});
