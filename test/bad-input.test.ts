// Bad input: a 4xx with a message a clerk can act on, and nothing half-written.
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let admin: string;
let sup: string;
let rootId: string;
let deptId: string;

beforeAll(async () => {
  t = await makeTestApp();
  const root = await t.bootstrap("某市政府", "city");
  admin = root.token;
  rootId = root.orgId;
  deptId = await org(t, admin, "市教育局", "department", "city", rootId);
  sup = await token(t, admin, rootId, "supervisor");
});

async function rowCounts() {
  const out: number[] = [];
  for (const tbl of ["orgs", "accounts", "filings", "tokens", "audit_log"]) {
    out.push(Number((await t.client.execute(`SELECT count(*) AS n FROM ${tbl}`)).rows[0]!.n));
  }
  return out;
}

describe("bad input", () => {
  it("answers 400 with the error shape for wrong types, unknown enums, over-long strings", async () => {
    const before = await rowCounts();
    const cases: [string, string, unknown, string?][] = [
      ["POST", "/api/accounts", { orgId: deptId, platform: "myspace", name: "x" }, "platform"],
      ["POST", "/api/accounts", { orgId: deptId, platform: "wechat", name: 42 }, "name"],
      ["POST", "/api/accounts", { orgId: deptId, platform: "wechat", name: "长".repeat(101) }, "name"],
      ["POST", "/api/accounts", { orgId: deptId, platform: "wechat", name: "  " }, "name"],
      ["POST", "/api/accounts", { orgId: deptId, platform: "wechat", name: "x", feedUrl: "ftp://a/b" }, "feedUrl"],
      ["POST", "/api/accounts", { orgId: deptId, platform: "wechat", name: "x", feedUrl: "javascript:alert(1)" }, "feedUrl"],
      ["POST", "/api/accounts", { orgId: deptId, platform: "wechat", name: "x", openedOn: "2021-13-01" }, "openedOn"],
      ["POST", "/api/accounts", { orgId: deptId, platform: "wechat", name: "x", status: "active" }],
      ["POST", "/api/accounts", { orgId: "x".repeat(65), platform: "wechat", name: "x" }, "orgId"],
      ["POST", "/api/orgs", { name: "区", kind: "ministry", level: "county", parentId: rootId }, "kind"],
      ["POST", "/api/orgs", { name: "区", kind: "government", level: "village", parentId: rootId }, "level"],
      ["POST", "/api/tokens", { orgId: rootId, role: "root", label: "x" }, "role"],
      ["POST", "/api/filings", { kind: "explode", accountId: "a" }, "kind"],
      ["POST", "/api/filings/abc/decision", { approve: "yes" }, "approve"],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await t.call(sup, method, path, body);
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(Array.isArray(r.body.error.details)).toBe(true);
      if (field) expect(JSON.stringify(r.body.error.details)).toContain(field);
    }
    const q = await t.call(sup, "GET", "/api/accounts?pageSize=100000");
    expect(q.status).toBe(400);
    const s = await t.call(sup, "GET", "/api/accounts?status=zombie");
    expect(s.status).toBe(400);
    expect(await rowCounts()).toEqual(before);
  });

  it("answers 400 for malformed JSON and 401 for missing or unknown tokens", async () => {
    const res = await t.app.request("/api/orgs", {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: "{name:",
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBeDefined();
    expect((await t.call(null, "GET", "/api/accounts")).status).toBe(401);
    expect((await t.call("gm_forged", "GET", "/api/accounts")).status).toBe(401);
  });

  it("answers 404 for unknown ids, 409 for a duplicate platform id", async () => {
    for (const path of ["/api/accounts/nope", "/api/filings/nope", "/api/orgs/nope"]) {
      const r = await t.call(sup, "GET", path);
      expect(r.status).toBe(404);
      expect(r.body.error.message).toContain("不存在");
    }
    const a = await t.call(sup, "POST", "/api/accounts", { orgId: deptId, platform: "weibo", name: "市教育发布", platformId: "jy-wb" });
    expect(a.status).toBe(201);
    const before = await rowCounts();
    const dup = await t.call(sup, "POST", "/api/accounts", { orgId: rootId, platform: "weibo", name: "另一个", platformId: "jy-wb" });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain("jy-wb");
    expect(await rowCounts()).toEqual(before);
    // Same id on another platform is a different account.
    expect((await t.call(sup, "POST", "/api/accounts", { orgId: deptId, platform: "douyin", name: "市教育发布", platformId: "jy-wb" })).status).toBe(201);
  });

  it("keeps the org tree well-formed", async () => {
    const before = await rowCounts();
    const bad: [unknown, number][] = [
      [{ name: "某县", kind: "government", level: "township", parentId: rootId }, 400], // skips county
      [{ name: "科室", kind: "department", level: "county", parentId: rootId }, 400], // level mismatch
      [{ name: "某县", kind: "government", level: "county", parentId: deptId }, 400], // government under department
      [{ name: "某县", kind: "government", level: "county", parentId: "missing" }, 404],
    ];
    // Sibling names are unique: ledgers name the 主办单位 by name.
    bad.push([{ name: "市教育局", kind: "department", level: "city", parentId: rootId }, 409]);
    for (const [body, status] of bad) {
      const r = await t.call(admin, "POST", "/api/orgs", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
    }
    expect(await rowCounts()).toEqual(before);
  });
});

describe("orgs: rename and move", () => {
  it("renames, moves a subtree with its paths, and refuses cycles", async () => {
    const a = await org(t, admin, "甲县政府", "government", "county", rootId);
    const b = await org(t, admin, "乙县政府", "government", "county", rootId);
    const dept = await org(t, admin, "甲县水利局", "department", "county", a);
    const sub = await org(t, admin, "甲县水利站", "department", "county", dept);
    const aAdmin = await token(t, admin, a, "admin");

    expect((await t.call(admin, "PATCH", `/api/orgs/${dept}`, { name: "甲县水务局" })).body.name).toBe("甲县水务局");
    expect((await t.call(admin, "PATCH", `/api/orgs/${dept}`, { parentId: sub })).status).toBe(400);
    expect((await t.call(admin, "PATCH", `/api/orgs/${dept}`, {})).status).toBe(400);
    // 甲县's admin cannot move its department into 乙县 (not in its subtree).
    expect((await t.call(aAdmin, "PATCH", `/api/orgs/${dept}`, { parentId: b })).status).toBe(404);
    const moved = await t.call(admin, "PATCH", `/api/orgs/${dept}`, { parentId: b });
    expect(moved.status).toBe(200);
    expect(moved.body.filingAuthorityId).toBe(b);
    // The moved subtree follows: 甲县 no longer sees it, 乙县 does.
    expect((await t.call(aAdmin, "GET", `/api/orgs/${sub}`)).status).toBe(404);
    const bAdmin = await token(t, admin, b, "admin");
    expect((await t.call(bAdmin, "GET", `/api/orgs/${sub}`)).status).toBe(200);
    expect((await t.call(bAdmin, "PATCH", `/api/orgs/${b}`, { parentId: sub })).status).toBe(403);
  });
});
