// Account lifecycle through filings; disallowed transitions answer 4xx and change nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let sup: string; // supervisor of 县政府, the authority of its departments
let op: string; // operator of 县教育局
let edu: string;

beforeAll(async () => {
  t = await makeTestApp();
  const root = await t.bootstrap("某县政府", "county");
  edu = await org(t, root.token, "县教育局", "department", "county", root.orgId);
  sup = await token(t, root.token, root.orgId, "supervisor");
  op = await token(t, root.token, edu, "operator");
});

async function snapshot() {
  const tables = ["accounts", "filings", "audit_log", "orgs", "tokens"];
  const out: Record<string, unknown> = {};
  for (const name of tables) out[name] = (await t.client.execute(`SELECT * FROM ${name} ORDER BY rowid`)).rows;
  return JSON.stringify(out);
}

/** Expects the call to fail with the status and to leave every table as it was. */
async function refused(status: number, call: () => Promise<{ status: number; body: any }>) {
  const before = await snapshot();
  const r = await call();
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(typeof r.body.error.message).toBe("string");
  expect(r.body.error.message.length).toBeGreaterThan(3);
  expect(await snapshot()).toBe(before);
  return r;
}

async function account(name: string, platform = "wechat", platformId?: string) {
  const r = await t.call(sup, "POST", "/api/accounts", { orgId: edu, platform, name, platformId });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

async function file(body: Record<string, unknown>) {
  const r = await t.call(op, "POST", "/api/filings", body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

const decide = (id: string, approve = true, note = "") => t.call(sup, "POST", `/api/filings/${id}/decision`, { approve, note });
const get = async (id: string) => (await t.call(sup, "GET", `/api/accounts/${id}`)).body;

describe("lifecycle", () => {
  it("suspend → resume → close (closing with reason) → closed", async () => {
    const id = await account("县教育发布", "wechat", "edu-wx");
    expect((await decide(await file({ kind: "suspend", accountId: id }))).status).toBe(200);
    expect((await get(id)).status).toBe("suspended");
    expect((await decide(await file({ kind: "resume", accountId: id }))).status).toBe(200);
    expect((await get(id)).status).toBe("active");
    expect((await decide(await file({ kind: "close", accountId: id, reason: "机构改革，正在与平台协调注销" }))).status).toBe(200);
    const closing = await get(id);
    expect(closing).toMatchObject({ status: "closing", closingReason: "机构改革，正在与平台协调注销" });
    await refused(409, () => t.call(op, "POST", "/api/filings", { kind: "close", accountId: id, reason: "再次关停" }));
    expect((await decide(await file({ kind: "close", accountId: id, reason: "平台已注销", completed: true }))).status).toBe(200);
    expect((await get(id)).status).toBe("closed");
    // Closing a closed account.
    await refused(409, () => t.call(op, "POST", "/api/filings", { kind: "close", accountId: id, reason: "x", completed: true }));
  });

  it("approving an already-decided filing is refused", async () => {
    const id = await account("县教育微博", "weibo");
    const f = await file({ kind: "suspend", accountId: id });
    expect((await decide(f)).status).toBe(200);
    await refused(409, () => decide(f));
    await refused(409, () => decide(f, false, "驳回"));
  });

  it("merge: into itself, into a closed account, across platforms are refused; a valid merge points at the target", async () => {
    const a = await account("县教育抖音", "douyin", "edu-dy-1");
    const b = await account("县教育抖音二号", "douyin", "edu-dy-2");
    const closed = await account("旧抖音号", "douyin", "edu-dy-3");
    const other = await account("县教育头条", "toutiao");
    await decide(await file({ kind: "close", accountId: closed, reason: "停用", completed: true }));
    await refused(409, () => t.call(op, "POST", "/api/filings", { kind: "merge", accountId: a, targetAccountId: a }));
    await refused(409, () => t.call(op, "POST", "/api/filings", { kind: "merge", accountId: a, targetAccountId: closed }));
    await refused(409, () => t.call(op, "POST", "/api/filings", { kind: "merge", accountId: a, targetAccountId: other }));
    await refused(404, () => t.call(op, "POST", "/api/filings", { kind: "merge", accountId: a, targetAccountId: "no-such-account" }));
    await refused(400, () => t.call(op, "POST", "/api/filings", { kind: "merge", accountId: a }));
    await refused(400, () => t.call(op, "POST", "/api/filings", { kind: "close", accountId: a }));
    const f = await file({ kind: "merge", accountId: b, targetAccountId: a });
    expect((await decide(f)).status).toBe(200);
    expect(await get(b)).toMatchObject({ status: "merged", mergedIntoId: a });
  });

  it("a filing that no longer applies at decision time is refused and the filing stays submitted", async () => {
    const a = await account("县教育快手", "kuaishou", "ks-1");
    const target = await account("县教育快手二号", "kuaishou", "ks-2");
    const merge = await file({ kind: "merge", accountId: a, targetAccountId: target });
    // The target is closed meanwhile (a filing for another account, so it is allowed).
    await decide(await file({ kind: "close", accountId: target, reason: "停用", completed: true }));
    await refused(409, () => decide(merge));
    expect((await t.call(sup, "GET", `/api/filings/${merge}`)).body.status).toBe("submitted");
    expect((await decide(merge, false, "目标账号已关停")).status).toBe(200);
  });

  it("one open filing per account at a time", async () => {
    const a = await account("县教育B站", "bilibili");
    await file({ kind: "suspend", accountId: a });
    await refused(409, () => t.call(op, "POST", "/api/filings", { kind: "close", accountId: a, reason: "x" }));
  });

  it("a rejected open filing leaves no active account; rejecting needs a note", async () => {
    const r = await t.call(op, "POST", "/api/accounts", { orgId: edu, platform: "xiaohongshu", name: "县教育小红书" });
    expect(r.body.status).toBe("pending");
    const [f] = (await t.call(op, "GET", `/api/filings?accountId=${r.body.id}`)).body.items;
    await refused(400, () => decide(f.id, false, ""));
    expect((await decide(f.id, false, "县级部门原则上不单独开设")).status).toBe(200);
    expect((await get(r.body.id)).status).toBe("rejected");
    const active = await t.call(sup, "GET", "/api/accounts?status=active&platform=xiaohongshu");
    expect(active.body.total).toBe(0);
  });

  it("change filings apply on approval and keep platform ids unique among live accounts", async () => {
    const a = await account("县教育视频号", "wechat_channels", "sph-1");
    const b = await account("县教育视频号B", "wechat_channels", "sph-2");
    await refused(409, () => t.call(op, "POST", "/api/filings", { kind: "change", accountId: b, changes: { platformId: "sph-1" } }));
    await refused(400, () => t.call(op, "POST", "/api/filings", { kind: "change", accountId: b, changes: { status: "closed" } }));
    await refused(400, () => t.call(op, "POST", "/api/filings", { kind: "change", accountId: b, changes: {} }));
    const f = await file({ kind: "change", accountId: b, changes: { name: "县教育视频号（新）", contactPhone: "0427-1234567" } });
    expect((await decide(f)).status).toBe(200);
    expect(await get(b)).toMatchObject({ name: "县教育视频号（新）", contactPhone: "0427-1234567", status: "active" });
    await refused(409, () => t.call(sup, "POST", "/api/accounts", { orgId: edu, platform: "wechat_channels", name: "重复", platformId: "sph-1" }));
    expect(a).toBeTruthy();
  });

  it("no endpoint deletes an account", async () => {
    const id = await account("县教育百家号", "baijiahao");
    for (const who of [sup, op]) {
      const r = await t.call(who, "DELETE", `/api/accounts/${id}`);
      expect(r.status).toBe(404);
    }
    expect((await get(id)).status).toBe("active");
    const spec = (await t.call(null, "GET", "/api/openapi.json")).body;
    const methods = Object.values(spec.paths as Record<string, Record<string, unknown>>).flatMap((p) => Object.keys(p));
    expect(methods).not.toContain("delete");
  });
});
