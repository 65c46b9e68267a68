// 作废 (void): a registration made in error leaves no trace in the statistics, the monitoring or the
// spot-check population; only the filing authority's supervisors may do it, and only within the window.
import { beforeAll, describe, expect, it } from "vitest";
import { VOID_WINDOW_DAYS } from "../src/domain/lifecycle";
import { toCsv } from "../src/lib/csv";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let admin: string;
let sup: string;
let op: string;
let countySup: string;
let cityId: string;
let deptId: string;

const annual = async (year: number) => {
  const r = await t.call(sup, "GET", `/api/reports/annual?governmentOrgId=${cityId}&year=${year}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { accounts: r.body.accounts, duringYear: r.body.duringYear };
};

async function register(name: string, platformId: string, by = sup, openedOn = "2025-06-01") {
  const r = await t.call(by, "POST", "/api/accounts", { orgId: deptId, platform: "douyin", name, platformId, openedOn });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; status: string };
}

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-03-10T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  admin = root.token;
  cityId = root.orgId;
  sup = await token(t, admin, cityId, "supervisor");
  deptId = await org(t, admin, "某市教育局", "department", "city", cityId);
  const county = await org(t, admin, "甲县人民政府", "government", "county", cityId);
  countySup = await token(t, admin, county, "supervisor");
  op = await token(t, admin, deptId, "operator");
  // The year's other accounts, from the old ledger.
  const rows = [1, 2, 3, 4, 5].map((i) => [`旧账号${i}`, "微博", `old-${i}`, "某市教育局", "2025-03-01"]);
  const imp = await t.call(sup, "POST", "/api/accounts/import", toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...rows]), { "content-type": "text/csv" });
  expect(imp.status, JSON.stringify(imp.body)).toBe(200);
});

describe("voiding a registration made in error", () => {
  it("within the window: voided, audited, out of the annual statistics, compliance and a new population; its platform id is free", async () => {
    const before2025 = await annual(2025);
    const before2026 = await annual(2026);
    const a = await register("误登记的抖音号", "dy-wrong");
    expect(a.status).toBe("active");
    // The registration does count until it is voided (so the comparison below can fail).
    expect((await annual(2025)).duringYear.opened).toBe(before2025.duringYear.opened + 1);
    const weekBefore = await t.call(sup, "GET", `/api/compliance?accountId=${a.id}&week=2026-W10`);
    expect(weekBefore.body.items.map((i: { accountId: string }) => i.accountId)).toEqual([a.id]);

    t.clock.now = new Date("2026-03-20T02:00:00Z");
    const r = await t.call(sup, "POST", `/api/accounts/${a.id}/void`, { reason: "重复登记，应为旧账号1" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: a.id, status: "voided" });
    expect((await t.call(sup, "GET", `/api/accounts/${a.id}`)).body.status).toBe("voided");

    const audit = await t.client.execute({ sql: "SELECT action, after FROM audit_log WHERE entity_id = ? ORDER BY id", args: [a.id] });
    const last = audit.rows.at(-1)!;
    expect(last.action).toBe("account.void");
    expect(JSON.parse(String(last.after))).toMatchObject({ status: "voided", voidReason: "重复登记，应为旧账号1" });

    expect(await annual(2025)).toEqual(before2025);
    expect(await annual(2026)).toEqual(before2026);
    const weekAfter = await t.call(sup, "GET", `/api/compliance?week=2026-W10&pageSize=100`);
    expect(weekAfter.body.items.map((i: { accountId: string }) => i.accountId)).not.toContain(a.id);
    expect(weekAfter.body.items.length).toBe(5);

    // Its history says "active since 2025-06-01" at the quarter's start, yet it is out of the population.
    const round = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 1 });
    expect(round.status, JSON.stringify(round.body)).toBe(201);
    const verify = await t.call(sup, "GET", `/api/sampling-rounds/${round.body.id}/verify`);
    const population = verify.body.inputs.population.map((m: { accountId: string }) => m.accountId);
    expect(population).toHaveLength(5);
    expect(population).not.toContain(a.id);

    // The platform id can be registered again.
    expect((await register("正确的抖音号", "dy-wrong")).status).toBe("active");
  });

  it("withdraws a pending account's open filing", async () => {
    const p = await register("待审核的误登记", "dy-pending", op);
    expect(p.status).toBe("pending");
    const r = await t.call(sup, "POST", `/api/accounts/${p.id}/void`, { reason: "登记错单位" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.withdrawnFilings).toBe(1);
    const filings = await t.call(sup, "GET", `/api/filings?accountId=${p.id}`);
    expect(filings.body.items[0]).toMatchObject({ kind: "open", status: "rejected" });
    expect(filings.body.items[0].decisionNote).toContain("登记错单位");
  });

  it(`after ${VOID_WINDOW_DAYS} days: 400 in Chinese`, async () => {
    const b = await register("登记已久的账号", "dy-old");
    t.clock.now = new Date(t.clock.now.getTime() + (VOID_WINDOW_DAYS + 1) * 86_400_000);
    const r = await t.call(sup, "POST", `/api/accounts/${b.id}/void`, { reason: "误登记" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(`超过${VOID_WINDOW_DAYS}天`);
    expect((await t.call(sup, "GET", `/api/accounts/${b.id}`)).body.status).toBe("active");
  });

  it("refuses operators (403), supervisors who do not decide its filings (404/403), an empty reason and an account with a later filing", async () => {
    const c = await register("另一个账号", "dy-other");
    const byOp = await t.call(op, "POST", `/api/accounts/${c.id}/void`, { reason: "误登记" });
    expect(byOp.status).toBe(403);
    expect(byOp.body.error.message).toContain("主管");
    // A county supervisor cannot even see a city department's account.
    expect((await t.call(countySup, "POST", `/api/accounts/${c.id}/void`, { reason: "误登记" })).status).toBe(404);
    const empty = await t.call(sup, "POST", `/api/accounts/${c.id}/void`, { reason: " " });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain("作废原因");

    const f = await t.call(sup, "POST", "/api/filings", { kind: "change", accountId: c.id, changes: { name: "另一个账号（改名）" } });
    expect(f.status, JSON.stringify(f.body)).toBe(201);
    expect((await t.call(sup, "POST", `/api/filings/${f.body.id}/decision`, { approve: true })).status).toBe(200);
    const later = await t.call(sup, "POST", `/api/accounts/${c.id}/void`, { reason: "误登记" });
    expect(later.status).toBe(400);
    expect(later.body.error.message).toContain("已办理过开设以外的备案");
    expect((await t.call(sup, "GET", `/api/accounts/${c.id}`)).body.status).toBe("active");
  });
});
