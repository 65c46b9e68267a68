// Re-check (复查) outcome: an account failed in 2025 Q4 with a deadline of 2025-12-31 and drawn again in
// 2026 Q1 as a recheck. Still unrectified at the re-check: a pass is refused (400, record the 整改
// first), a fail gets 逾期未整改, and the notice counts it 不合格. Rectified in time: the pass stands.
import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../../src/lib/csv";
import { newId } from "../../src/lib/ids";
import { makeTestApp, org, token, type TestApp } from "../helpers";

let t: TestApp;
let sup: string;
let jiaId: string;
let earlierRound: any;
let recheckRound: any;
const ids: Record<string, string> = {};
const earlier: Record<string, any> = {};

const LEDGER = [
  ["甲县发布", "微信公众号", "r1", "甲县人民政府"],
  ["甲县教育", "微博", "r2", "甲县人民政府"],
  ["甲县民政", "抖音", "r3", "甲县人民政府"],
];

/**
 * Makes the account a recheck item of the round. Until the draw produces recheck items (another change),
 * the test writes the sampling_items row itself; if the draw already listed the account, its reason is set.
 */
async function markRecheck(roundId: string, accountId: string) {
  const existing = await t.client.execute({ sql: "SELECT id FROM sampling_items WHERE round_id = ? AND account_id = ?", args: [roundId, accountId] });
  if (existing.rows.length > 0) {
    await t.client.execute({ sql: "UPDATE sampling_items SET reason = 'recheck' WHERE round_id = ? AND account_id = ?", args: [roundId, accountId] });
    return;
  }
  const max = await t.client.execute({ sql: "SELECT coalesce(max(position), 0) AS p FROM sampling_items WHERE round_id = ?", args: [roundId] });
  await t.client.execute({
    sql: "INSERT INTO sampling_items (id, round_id, account_id, position, reason) VALUES (?, ?, ?, ?, 'recheck')",
    args: [newId(), roundId, accountId, Number(max.rows[0]!.p) + 1],
  });
}

const inspect = (round: any, name: string, body: Record<string, unknown>) =>
  t.call(sup, "POST", `/api/sampling-rounds/${round.id}/inspections`, { accountId: ids[name], ...body });

beforeAll(async () => {
  t = await makeTestApp({ at: "2025-09-20T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  jiaId = await org(t, root.token, "甲县人民政府", "government", "county", root.orgId);
  sup = await token(t, root.token, root.orgId, "supervisor");
  const csv = toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...LEDGER.map((r) => [...r, "2025-01-01"])]);
  expect((await t.call(sup, "POST", "/api/accounts/import", csv, { "content-type": "text/csv" })).status).toBe(200);
  const list = await t.call(sup, "GET", "/api/accounts?pageSize=500");
  for (const [name] of LEDGER) ids[name!] = list.body.items.find((a: any) => a.name === name).id;

  // 2025 Q4: everyone drawn; 甲县发布 and 甲县教育 fail with a deadline of 2025-12-31.
  t.clock.now = new Date("2025-10-01T02:00:00Z");
  const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: jiaId, year: 2025, quarter: 4 });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  earlierRound = r.body;
  t.clock.now = new Date("2025-10-16T02:00:00Z");
  for (const name of ["甲县发布", "甲县教育"]) {
    const f = await inspect(earlierRound, name, { result: "fail", problems: ["typos"], requirement: "更正错别字", deadline: "2025-12-31", inspectedOn: "2025-10-15" });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    earlier[name] = f.body;
  }

  // 2026 Q1: both drawn again as re-checks.
  t.clock.now = new Date("2026-01-01T02:00:00Z");
  const q1 = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: jiaId, year: 2026, quarter: 1 });
  expect(q1.status, JSON.stringify(q1.body)).toBe(201);
  recheckRound = q1.body;
  for (const name of ["甲县发布", "甲县教育"]) await markRecheck(recheckRound.id, ids[name]!);

  // 甲县教育 records its rectification (after the deadline, before the re-check); 甲县发布 does not.
  t.clock.now = new Date("2026-01-05T02:00:00Z");
  const fix = await t.call(sup, "POST", `/api/inspections/${earlier["甲县教育"].id}/rectification`, { rectifiedAt: "2026-01-05", note: "已更正" });
  expect(fix.status, JSON.stringify(fix.body)).toBe(200);

  t.clock.now = new Date("2026-01-16T02:00:00Z");
  for (const name of ["甲县发布", "甲县教育"]) {
    const p = await t.call(sup, "POST", `/api/accounts/${ids[name]}/posts`, { posts: [{ title: "近期发文", publishedAt: "2026-01-12T10:00:00+08:00" }] });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
  }
});

describe("re-check outcome", () => {
  it("refuses a pass while the earlier failure is overdue, telling the clerk to record the rectification first", async () => {
    const r = await inspect(recheckRound, "甲县发布", { result: "pass", inspectedOn: "2026-01-15" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("逾期未整改");
    expect(r.body.error.message).toContain("2025年第4季度");
    expect(r.body.error.message).toContain("先登记");
  });

  it("refuses it in an uploaded list too, on the row", async () => {
    const round = (await t.call(sup, "GET", `/api/sampling-rounds/${recheckRound.id}`)).body;
    const item = round.items.find((i: any) => i.accountId === ids["甲县发布"]);
    expect(item.reason).toBe("recheck");
    const csv = toCsv([
      ["序号", "账号名称", "检查结果", "问题类型", "检查日期"],
      [item.position, "甲县发布", "合格", "", "2026-01-15"],
    ]);
    const up = await t.call(sup, "POST", `/api/sampling-rounds/${recheckRound.id}/inspections/import`, csv, { "content-type": "text/csv" });
    expect(up.status).toBe(400);
    expect(JSON.stringify(up.body)).toContain("逾期未整改");
  });

  it("a fail gets 逾期未整改 added; a rectified earlier failure lets the pass stand", async () => {
    const fail = await inspect(recheckRound, "甲县发布", { result: "fail", problems: ["typos"], requirement: "立即整改", deadline: "2026-01-31", inspectedOn: "2026-01-15" });
    expect(fail.status, JSON.stringify(fail.body)).toBe(200);
    expect(fail.body.problems).toEqual(["typos", "overdue_unrectified"]);
    const pass = await inspect(recheckRound, "甲县教育", { result: "pass", inspectedOn: "2026-01-15" });
    expect(pass.status, JSON.stringify(pass.body)).toBe(200);
    expect(pass.body.result).toBe("pass");
  });

  it("the notice lists the re-checks and counts the overdue one 不合格", async () => {
    t.clock.now = new Date("2026-01-20T02:00:00Z");
    const n = (await t.call(sup, "GET", `/api/reports/quarterly?governmentOrgId=${jiaId}&year=2026&quarter=1`)).body;
    const rechecks = Object.fromEntries(
      n.rechecks.map((r: any) => [r.accountName, [r.earlierRoundId, r.earlierQuarter, r.deadline, r.rectifiedAt, r.result, r.overdueUnrectified, r.resultLabel]]),
    );
    expect(rechecks).toEqual({
      甲县发布: [earlierRound.id, "2025年第4季度", "2025-12-31", null, "fail", true, "不合格（逾期未整改）"],
      甲县教育: [earlierRound.id, "2025年第4季度", "2025-12-31", "2026-01-05", "pass", false, "合格"],
    });
    const overdueFail = [...n.vetoed, ...n.failing].find((f: any) => f.accountName === "甲县发布");
    expect(overdueFail.problems).toContain("逾期未整改");
    expect(n.problems.find((p: any) => p.category === "overdue_unrectified")).toEqual({ category: "overdue_unrectified", label: "逾期未整改", count: 1 });
    // Inspected: 甲县发布 fail, 甲县教育 pass, plus whatever else the draw listed (not inspected).
    expect(n).toMatchObject({ checked: 2, passed: 1, failed: 1, passRate: 0.5 });
    const md = await (await t.call(sup, "GET", `/api/reports/quarterly?governmentOrgId=${jiaId}&year=2026&quarter=1&format=md`)).res.text();
    expect(md).toContain("复查时仍未整改的1个，按逾期未整改判为不合格");
    expect(md).toContain("| 甲县发布 | 甲县人民政府 | 2025年第4季度 | 2025-12-31 |  | 不合格（逾期未整改） |");
  });
});
