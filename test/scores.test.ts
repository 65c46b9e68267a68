// Unit scores (单位得分) over the API: a hand-computed fixture (test/support/score-fixture.ts), an
// override of the points, and the annual average.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreFixture, type ScoreFixture } from "./support/score-fixture";

let f: ScoreFixture;
const notice = (format = "json") => `/api/reports/quarterly?governmentOrgId=${f.cityId}&year=2026&quarter=4&format=${format}`;

beforeAll(async () => {
  f = await scoreFixture();
});
afterAll(() => f.t.close());

describe("unit scores", () => {
  it("match the hand-computed scores under the default table", async () => {
    const r = await f.t.call(f.sup, "GET", notice());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // 甲局: typos on 2 accounts 2×2 = 4, bad_links 1×2 = 2, owner_mismatch 1×3 = 3 → 100 − 9 = 91; no veto.
    // 乙局: interaction_broken 1×5 = 5 (a 单项否决 item by default), the open 两周未更新 alert 1×2 = 2,
    //       乙局微博 below 3/week in 6 complete weeks 6×0.5 = 3 → 100 − 10 = 90; vetoed.
    expect(r.body.unitScores).toEqual([
      {
        orgId: f.jiaId,
        orgName: "甲局",
        score: 91,
        vetoed: false,
        verdictLabel: "合格",
        deductions: [
          { item: "typos", label: "错别字/错敏词", count: 2, points: 4 },
          { item: "bad_links", label: "链接错误", count: 1, points: 2 },
          { item: "owner_mismatch", label: "认证主体与主办单位不一致", count: 1, points: 3 },
        ],
      },
      {
        orgId: f.yiId,
        orgName: "乙局",
        score: 90,
        vetoed: true,
        verdictLabel: "不合格（单项否决）",
        deductions: [
          { item: "interaction_broken", label: "未提供有效互动功能", count: 1, points: 5 },
          { item: "below_minimum_week", label: "更新未达标（账号·周）", count: 6, points: 3 },
          { item: "open_veto_alert", label: "未处置的两周未更新预警", count: 1, points: 2 },
        ],
      },
    ]);
  });

  it("prints the ranked table in the Markdown notice and a sheet of the workbook", async () => {
    const md = await f.t.app.request(notice("md"), { headers: { authorization: `Bearer ${f.sup}` } });
    const text = await md.text();
    expect(text).toContain("### 单位得分");
    expect(text).toMatch(/\| 1 \| 甲局 \| 91 \| 合格 \|/);
    expect(text).toMatch(/\| 2 \| 乙局 \| 90 \| 不合格（单项否决） \|/);
    const xlsx = await f.t.app.request(notice("xlsx"), { headers: { authorization: `Bearer ${f.sup}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheet = wb.getWorksheet("单位得分")!;
    expect(sheet.getRow(1).values).toEqual([undefined, "名次", "主办单位", "得分", "结论", "扣分情况"]);
    expect((sheet.getRow(2).values as unknown[]).slice(1, 5)).toEqual([1, "甲局", 91, "合格"]);
    expect((sheet.getRow(3).values as unknown[]).slice(1, 5)).toEqual([2, "乙局", 90, "不合格（单项否决）"]);
  });

  it("rejects an unknown item and points out of range in Chinese", async () => {
    const bad = await f.t.call(f.sup, "POST", "/api/score-rules", { orgId: f.cityId, item: "nonsense", points: 1, effectiveFrom: "2026-10-01" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("扣分项“nonsense”不存在");
    const big = await f.t.call(f.sup, "POST", "/api/score-rules", { orgId: f.cityId, item: "typos", points: 101, effectiveFrom: "2026-10-01" });
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).toContain("0–100");
    const op = await f.t.call(f.operator, "POST", "/api/score-rules", { orgId: f.yiId, item: "typos", points: 1, effectiveFrom: "2026-10-01" });
    expect(op.status).toBe(403);
  });

  it("an override of the city changes the score of a unit below it, and is audited", async () => {
    const r = await f.t.call(f.sup, "POST", "/api/score-rules", { orgId: f.cityId, item: "typos", points: 5, effectiveFrom: "2026-10-01" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const audit = await f.t.client.execute({ sql: "SELECT action, entity FROM audit_log WHERE entity_id = ?", args: [r.body.id] });
    expect(audit.rows.map((x) => [x.action, x.entity])).toEqual([["score_rule.create", "score_rule"]]);
    // Not yet in force on the quarter's scoring day: a rule from 2027 changes nothing.
    await f.t.call(f.sup, "POST", "/api/score-rules", { orgId: f.jiaId, item: "bad_links", points: 50, effectiveFrom: "2027-01-01" });

    const n = (await f.t.call(f.sup, "GET", notice())).body;
    // 甲局: typos 2×5 = 10 (the cap of 10 holds), bad_links 2, owner_mismatch 3 → 85; now below 乙局's 90.
    expect(n.unitScores.map((s: any) => [s.orgName, s.score])).toEqual([
      ["乙局", 90],
      ["甲局", 85],
    ]);
    const listed = await f.t.call(f.sup, "GET", `/api/score-rules?orgId=${f.jiaId}&onDate=2026-11-20`);
    expect(listed.status).toBe(200);
    expect(listed.body.rules).toHaveLength(2);
    expect(listed.body.effective.find((e: any) => e.item === "typos")).toMatchObject({ points: 5, cap: 10 });
    expect(listed.body.effective.find((e: any) => e.item === "bad_links")).toMatchObject({ points: 2 });
  });

  it("the annual statistics average the quarters that had a round", async () => {
    const r = await f.t.call(f.sup, "GET", `/api/reports/annual?governmentOrgId=${f.cityId}&year=2026`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Only Q4 had a round: the average is the Q4 score (after the override above).
    expect(r.body.unitScores).toEqual([
      { orgId: f.yiId, orgName: "乙局", averageScore: 90, quarters: [4], vetoedQuarters: [4] },
      { orgId: f.jiaId, orgName: "甲局", averageScore: 85, quarters: [4], vetoedQuarters: [] },
    ]);
  });
});
