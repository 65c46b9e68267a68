// The acceptance scenario of issue 2: 市政府 → {市公安局, 大洼区政府 → {大洼区教育局, 某街道}, 盘山县政府}.
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
type OrgKey = "city" | "police" | "dawa" | "dawaEdu" | "street" | "panshan" | "eduAccount" | "dawaAccount" | "streetAccount";
type TokenKey = "admin" | "citySup" | "dawaSup" | "dawaAdmin" | "eduOp" | "panSup" | "panOp" | "panViewer" | "panAdmin";
const ids = {} as Record<OrgKey, string>;
const tok = {} as Record<TokenKey, string>;

beforeAll(async () => {
  t = await makeTestApp();
  const root = await t.bootstrap("市政府", "city");
  ids.city = root.orgId;
  tok.admin = root.token;
  ids.police = await org(t, tok.admin, "市公安局", "department", "city", ids.city);
  ids.dawa = await org(t, tok.admin, "大洼区政府", "government", "county", ids.city);
  ids.dawaEdu = await org(t, tok.admin, "大洼区教育局", "department", "county", ids.dawa);
  ids.street = await org(t, tok.admin, "某街道", "government", "township", ids.dawa);
  ids.panshan = await org(t, tok.admin, "盘山县政府", "government", "county", ids.city);
  tok.citySup = await token(t, tok.admin, ids.city, "supervisor");
  tok.dawaSup = await token(t, tok.admin, ids.dawa, "supervisor");
  tok.dawaAdmin = await token(t, tok.admin, ids.dawa, "admin");
  tok.eduOp = await token(t, tok.admin, ids.dawaEdu, "operator");
  tok.panSup = await token(t, tok.admin, ids.panshan, "supervisor");
  tok.panOp = await token(t, tok.admin, ids.panshan, "operator");
  tok.panViewer = await token(t, tok.admin, ids.panshan, "viewer");
  tok.panAdmin = await token(t, tok.admin, ids.panshan, "admin");
});

describe("tiered filing", () => {
  it("computes each org's filing authority from the tree", async () => {
    const { body } = await t.call(tok.admin, "GET", "/api/orgs");
    const byName = Object.fromEntries(body.items.map((o: any) => [o.name, o]));
    expect(byName["大洼区教育局"].filingAuthorityId).toBe(ids.dawa);
    expect(byName["某街道"].filingAuthorityId).toBe(ids.dawa);
    expect(byName["大洼区政府"].filingAuthorityId).toBe(ids.city);
    expect(byName["市公安局"].filingAuthorityId).toBe(ids.city);
    expect(byName["市政府"].filingAuthorityId).toBeNull();
  });

  it("routes a 大洼区教育局 open filing to 大洼区政府, whose supervisors decide it (not the city's)", async () => {
    const created = await t.call(tok.eduOp, "POST", "/api/accounts", {
      orgId: ids.dawaEdu, platform: "wechat", name: "大洼教育", platformId: "dw-edu",
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("pending");
    const filings = await t.call(tok.eduOp, "GET", `/api/filings?accountId=${created.body.id}`);
    expect(filings.body.total).toBe(1);
    const filing = filings.body.items[0];
    expect(filing).toMatchObject({ kind: "open", status: "submitted", authorityOrgId: ids.dawa });

    const byCity = await t.call(tok.citySup, "POST", `/api/filings/${filing.id}/decision`, { approve: true, note: "" });
    expect(byCity.status).toBe(403);
    expect(byCity.body.error.message).toContain("大洼区政府");

    const byDawa = await t.call(tok.dawaSup, "POST", `/api/filings/${filing.id}/decision`, { approve: true, note: "同意" });
    expect(byDawa.status).toBe(200);
    expect(byDawa.body.status).toBe("approved");
    const acc = await t.call(tok.eduOp, "GET", `/api/accounts/${created.body.id}`);
    expect(acc.body.status).toBe("active");
    ids.eduAccount = created.body.id;
  });

  it("routes a 大洼区政府 filing to the city", async () => {
    const op = await token(t, tok.admin, ids.dawa, "operator");
    const created = await t.call(op, "POST", "/api/accounts", { orgId: ids.dawa, platform: "weibo", name: "大洼发布" });
    expect(created.status).toBe(201);
    const [filing] = (await t.call(op, "GET", `/api/filings?accountId=${created.body.id}`)).body.items;
    expect(filing.authorityOrgId).toBe(ids.city);
    expect((await t.call(tok.dawaSup, "POST", `/api/filings/${filing.id}/decision`, { approve: true })).status).toBe(403);
    expect((await t.call(tok.citySup, "POST", `/api/filings/${filing.id}/decision`, { approve: true })).status).toBe(200);
    ids.dawaAccount = created.body.id;
  });

  it("a supervisor of the authority registers directly: active, with an approved filing on record", async () => {
    const r = await t.call(tok.dawaSup, "POST", "/api/accounts", {
      orgId: ids.street, platform: "douyin", name: "某街道发布", platformId: "street-dy",
    });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe("active");
    expect(r.body.flags).toEqual([]);
    const f = await t.call(tok.dawaSup, "GET", `/api/filings?accountId=${r.body.id}`);
    expect(f.body.items).toHaveLength(1);
    expect(f.body.items[0]).toMatchObject({ kind: "open", status: "approved" });
    ids.streetAccount = r.body.id;
  });
});

describe("visibility: 盘山县 sees nothing of 大洼区", () => {
  it("answers 404 for every 大洼区 account, filing and audit entry", async () => {
    const filings = (await t.call(tok.dawaSup, "GET", "/api/filings")).body.items as any[];
    const audit = (await t.call(tok.dawaSup, "GET", "/api/audit?pageSize=500")).body.items as any[];
    expect(filings.length).toBeGreaterThan(0);
    expect(audit.length).toBeGreaterThan(0);
    for (const who of [tok.panSup, tok.panOp, tok.panViewer, tok.panAdmin]) {
      for (const id of [ids.eduAccount, ids.dawaAccount, ids.streetAccount]) {
        expect((await t.call(who, "GET", `/api/accounts/${id}`)).status).toBe(404);
        expect(
          (await t.call(who, "POST", "/api/filings", { kind: "suspend", accountId: id })).status,
        ).toBe(404);
      }
      for (const f of filings) {
        expect((await t.call(who, "GET", `/api/filings/${f.id}`)).status).toBe(404);
        expect((await t.call(who, "POST", `/api/filings/${f.id}/decision`, { approve: true })).status).toBe(404);
      }
      expect((await t.call(who, "GET", `/api/orgs/${ids.dawa}`)).status).toBe(404);
      const list = await t.call(who, "GET", "/api/accounts");
      expect(list.body.items.map((a: any) => a.id)).not.toContain(ids.eduAccount);
      expect((await t.call(who, "GET", `/api/accounts?orgId=${ids.dawa}`)).status).toBe(404);
      expect((await t.call(who, "GET", `/api/filings`)).body.items.filter((f: any) => f.orgId !== ids.panshan)).toEqual([]);
    }
    for (const who of [tok.panSup, tok.panAdmin]) {
      for (const a of audit) {
        const r = await t.call(who, "GET", `/api/audit?entity=${a.entity}&entityId=${a.entityId}`);
        expect(r.status).toBe(200);
        expect(r.body.total).toBe(0);
      }
      const all = (await t.call(who, "GET", "/api/audit?pageSize=500")).body.items as any[];
      const dawaIds = new Set([ids.dawa, ids.dawaEdu, ids.street]);
      expect(all.filter((a) => dawaIds.has(a.orgId))).toEqual([]);
    }
  });

  it("answers 403 where the role forbids, inside its own subtree", async () => {
    expect((await t.call(tok.panViewer, "POST", "/api/accounts", { orgId: ids.panshan, platform: "wechat", name: "盘山发布" })).status).toBe(403);
    expect((await t.call(tok.panOp, "POST", "/api/orgs", { name: "x", kind: "department", level: "county", parentId: ids.panshan })).status).toBe(403);
    expect((await t.call(tok.panSup, "POST", "/api/tokens", { orgId: ids.panshan, role: "admin", label: "x" })).status).toBe(403);
    expect((await t.call(tok.panOp, "GET", "/api/audit")).status).toBe(403);
    expect((await t.call(tok.panViewer, "GET", "/api/audit")).status).toBe(403);
    const acc = await t.call(tok.panOp, "POST", "/api/accounts", { orgId: ids.panshan, platform: "wechat", name: "盘山发布" });
    expect(acc.status).toBe(201);
    const [f] = (await t.call(tok.panOp, "GET", `/api/filings?accountId=${acc.body.id}`)).body.items;
    // 盘山县政府 files with the city: its own supervisors may see but not decide.
    expect((await t.call(tok.panSup, "POST", `/api/filings/${f.id}/decision`, { approve: true })).status).toBe(403);
    expect((await t.call(tok.panOp, "POST", `/api/filings/${f.id}/decision`, { approve: true })).status).toBe(403);
  });

  it("pages the org list and filters audit rows by a subtree", async () => {
    const page = await t.call(tok.admin, "GET", "/api/orgs?page=2&pageSize=2");
    expect(page.body.total).toBe(6);
    expect(page.body.items).toHaveLength(2);
    expect((await t.call(tok.admin, "GET", "/api/orgs")).body.items).toHaveLength(6);
    const audit = await t.call(tok.dawaSup, "GET", `/api/audit?orgId=${ids.dawa}&pageSize=500`);
    const orgIds = new Set(audit.body.items.map((a: any) => a.orgId));
    expect(orgIds.has(ids.dawaEdu)).toBe(true);
    expect([...orgIds].every((o) => [ids.dawa, ids.dawaEdu, ids.street].includes(o as string))).toBe(true);
    expect((await t.call(tok.panSup, "GET", `/api/audit?orgId=${ids.dawa}`)).status).toBe(404);
  });

  it("refuses a revoked token", async () => {
    const extra = await token(t, tok.admin, ids.panshan, "viewer", "temp");
    expect((await t.call(extra, "GET", "/api/orgs")).status).toBe(200);
    const list = await t.call(tok.admin, "GET", "/api/tokens");
    const row = list.body.items.find((x: any) => x.label === "temp");
    expect(row.hash).toBeUndefined();
    expect((await t.call(tok.panAdmin, "POST", `/api/tokens/${row.id}/revoke`)).status).toBe(200);
    const r = await t.call(extra, "GET", "/api/orgs");
    expect(r.status).toBe(401);
    expect(r.body.error.message).toContain("吊销");
    // 大洼区's admin cannot revoke 盘山县's tokens: not in its subtree.
    const other = list.body.items.find((x: any) => x.orgId === ids.panshan && x.role === "supervisor");
    expect((await t.call(tok.dawaAdmin, "POST", `/api/tokens/${other.id}/revoke`)).status).toBe(404);
  });
});
