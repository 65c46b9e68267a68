// Re-check (复查) across two quarters: Q1 fails some accounts with a deadline inside Q1, one of them is
// rectified; the Q2 round, drawn after the deadline, puts the unrectified ones first with reason recheck,
// and verify recomputes the same list from the stored population (flags included).
import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../../src/lib/csv";
import { draw, type PopulationMember } from "../../src/domain/sampling";
import { makeTestApp, token, type TestApp } from "../helpers";

let t: TestApp;
let sup: string;
let countyId: string;
let q1: any;
let q2: any;
const failed: Record<"rectified" | "overdue1" | "overdue2" | "notYetDue", string> = {} as never;

beforeAll(async () => {
  t = await makeTestApp({ at: "2025-12-20T02:00:00Z" });
  const root = await t.bootstrap("某县人民政府", "county");
  countyId = root.orgId;
  sup = await token(t, root.token, countyId, "supervisor");
  const rows = Array.from({ length: 20 }, (_, i) => [`县账号${i}`, "微信公众号", `wx-${i}`, "某县人民政府", "2025-06-01"]);
  const r = await t.call(sup, "POST", "/api/accounts/import", toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...rows]), { "content-type": "text/csv" });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
});

describe("re-check of unrectified failures (复查)", () => {
  it("Q1: draws a list and records three failures due in Q1, one due later, and a pass", async () => {
    t.clock.now = new Date("2026-01-05T02:00:00Z");
    const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: countyId, year: 2026, quarter: 1 });
    expect(r.status).toBe(201);
    q1 = r.body;
    expect(q1.scope).toBe("own");
    expect(q1.rechecks).toBe(0);
    expect(q1.items.length).toBeGreaterThanOrEqual(5);
    expect(q1.items.every((i: any) => i.reason !== "recheck")).toBe(true);

    t.clock.now = new Date("2026-01-10T02:00:00Z");
    const ids = q1.items.map((i: any) => i.accountId);
    [failed.rectified, failed.overdue1, failed.overdue2, failed.notYetDue] = ids;
    for (const [accountId, deadline] of [
      [failed.rectified, "2026-02-28"],
      [failed.overdue1, "2026-02-28"],
      [failed.overdue2, "2026-03-15"],
      [failed.notYetDue, "2026-06-30"],
    ] as const) {
      const f = await t.call(sup, "POST", `/api/sampling-rounds/${q1.id}/inspections`, {
        accountId,
        result: "不合格",
        problems: ["stale_2w"],
        requirement: "恢复更新",
        deadline,
        inspectedOn: "2026-01-10",
      });
      expect(f.status, JSON.stringify(f.body)).toBe(200);
    }
    const pass = await t.call(sup, "POST", `/api/sampling-rounds/${q1.id}/inspections`, {
      accountId: ids[4],
      result: "合格",
      inspectedOn: "2026-01-10",
      overrideNote: "平台故障，已核实",
    });
    expect(pass.status, JSON.stringify(pass.body)).toBe(200);

    t.clock.now = new Date("2026-02-21T02:00:00Z");
    const insp = await t.call(sup, "GET", `/api/inspections?accountId=${failed.rectified}`);
    expect(insp.body.items).toHaveLength(1);
    const fixed = await t.call(sup, "POST", `/api/inspections/${insp.body.items[0].id}/rectification`, { rectifiedAt: "2026-02-20", note: "已恢复更新" });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
  });

  it("Q2: the overdue unrectified failures are drawn first with reason recheck; the rectified and not-yet-due ones are not", async () => {
    t.clock.now = new Date("2026-04-01T02:00:00Z");
    const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: countyId, year: 2026, quarter: 2 });
    expect(r.status).toBe(201);
    q2 = r.body;
    expect(q2.rechecks).toBe(2);
    const rechecks = q2.items.filter((i: any) => i.reason === "recheck");
    expect(rechecks.map((i: any) => i.position).sort()).toEqual([1, 2]);
    expect(new Set(rechecks.map((i: any) => i.accountId))).toEqual(new Set([failed.overdue1, failed.overdue2]));
    expect(rechecks[0].reasonLabel).toContain("复查");
    const reasonOf = new Map(q2.items.map((i: any) => [i.accountId, i.reason]));
    expect(reasonOf.get(failed.rectified)).not.toBe("recheck");
    expect(reasonOf.get(failed.notYetDue)).not.toBe("recheck");
    // Re-checks count in the sample: it is still the size the rate and coverage call for (≥ 2 here).
    expect(q2.items).toHaveLength(q2.sampleSize);
    expect(q2.sampleSize).toBe(Math.max(q2.minimumByRate, q2.minimumForCoverage, 2));
  });

  it("verify recomputes the same list from the stored population, re-check flags included", async () => {
    const v = await t.call(sup, "GET", `/api/sampling-rounds/${q2.id}/verify`);
    expect(v.body).toMatchObject({ matches: true, differences: [] });
    const flagged = v.body.inputs.population.filter((m: PopulationMember) => m.recheck).map((m: PopulationMember) => m.accountId);
    expect(new Set(flagged)).toEqual(new Set([failed.overdue1, failed.overdue2]));
    expect(v.body.inputs.scope).toBe("own");
    const again = draw({ ...v.body.inputs, quarter: 2 });
    expect(again.items.map((i) => [i.accountId, i.reason])).toEqual(q2.items.map((i: any) => [i.accountId, i.reason]));

    // Without the flags the same seed gives a different list: the flags are really part of the input.
    const unflagged = draw({ ...v.body.inputs, quarter: 2, population: v.body.inputs.population.map((m: PopulationMember) => ({ ...m, recheck: false })) });
    const top = unflagged.items.slice(0, 2).map((i) => i.accountId);
    expect(top).not.toContain(failed.overdue1);
    expect(top).not.toContain(failed.overdue2);

    // Dropping a stored flag is caught.
    const row = await t.client.execute({ sql: "SELECT population FROM sampling_rounds WHERE id = ?", args: [q2.id] });
    const stored = String(row.rows[0]!.population);
    const tampered = JSON.parse(stored).map((m: any) => ({ ...m, recheck: undefined }));
    await t.client.execute({ sql: "UPDATE sampling_rounds SET population = ? WHERE id = ?", args: [JSON.stringify(tampered), q2.id] });
    const bad = await t.call(sup, "GET", `/api/sampling-rounds/${q2.id}/verify`);
    expect(bad.body.matches).toBe(false);
    expect(bad.body.differences.join("\n")).toContain("复查");
    await t.client.execute({ sql: "UPDATE sampling_rounds SET population = ? WHERE id = ?", args: [stored, q2.id] });
    expect((await t.call(sup, "GET", `/api/sampling-rounds/${q2.id}/verify`)).body.matches).toBe(true);
  });

  it("the Q1 round, stored without any re-check flag, still verifies", async () => {
    const v = await t.call(sup, "GET", `/api/sampling-rounds/${q1.id}/verify`);
    expect(v.body.matches).toBe(true);
    expect(v.body.inputs.population.some((m: PopulationMember) => m.recheck)).toBe(false);
  });

  it("the export names the reason 复查", async () => {
    const csv = await t.call(sup, "GET", `/api/sampling-rounds/${q2.id}/export.csv`);
    const text = new TextDecoder().decode(new Uint8Array(await csv.res.arrayBuffer()));
    expect(text).toContain("抽查范围：本级");
    expect(text.split("\n").filter((l) => l.includes("复查（上次抽查不合格")).length).toBe(2);
  });
});
