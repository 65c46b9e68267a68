// The city's roll-up of its counties (includeLower=true; 宝鸡：抽查和整改情况及时上报市政府办公室): a city with
// three counties — 甲县 has not drawn, 乙县 is still inspecting, 丙县 is done with a 单项否决 and an
// overdue rectification. Every figure below is counted by hand.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../../src/lib/csv";
import { makeTestApp, org, token, type TestApp } from "../helpers";

let t: TestApp;
let sup: string;
let yiViewer: string;
let cityId: string;
let jiaId: string;
let yiId: string;
let bingId: string;
const rounds: Record<string, any> = {};
const ids: Record<string, string> = {};

const enc = encodeURIComponent;
const notice = (gov: string, extra = "") => `/api/reports/quarterly?governmentOrgId=${enc(gov)}&year=2026&quarter=4${extra}`;

// name, platform, platform id, owning unit
const LEDGER = [
  ["甲县发布", "微信公众号", "j1", "甲县人民政府"],
  ["乙县发布", "微信公众号", "y1", "乙县人民政府"],
  ["乙县教育", "微博", "y2", "乙县人民政府"],
  ["丙县发布", "微信公众号", "b1", "丙县人民政府"],
  ["丙县教育", "微博", "b2", "丙县人民政府"],
  ["丙县民政", "抖音", "b3", "丙县人民政府"],
];

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-09-20T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  cityId = root.orgId;
  jiaId = await org(t, root.token, "甲县人民政府", "government", "county", cityId);
  yiId = await org(t, root.token, "乙县人民政府", "government", "county", cityId);
  bingId = await org(t, root.token, "丙县人民政府", "government", "county", cityId);
  // A department is not a sampling unit: it never appears in the roll-up.
  await org(t, root.token, "丙县民政局", "department", "county", bingId);
  sup = await token(t, root.token, cityId, "supervisor");
  yiViewer = await token(t, root.token, yiId, "viewer");
  const csv = toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...LEDGER.map((r) => [...r, "2025-01-01"])]);
  expect((await t.call(sup, "POST", "/api/accounts/import", csv, { "content-type": "text/csv" })).status).toBe(200);
  const list = await t.call(sup, "GET", "/api/accounts?pageSize=500");
  for (const [name] of LEDGER) ids[name!] = list.body.items.find((a: any) => a.name === name).id;

  // Q4, nobody sampled yet this year: every account of a drawing county is drawn. 甲县 does not draw.
  t.clock.now = new Date("2026-10-01T02:00:00Z");
  for (const [name, id] of [["yi", yiId], ["bing", bingId]] as const) {
    const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: id, year: 2026, quarter: 4 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    rounds[name] = r.body;
  }
  expect([rounds.yi.items.length, rounds.bing.items.length]).toEqual([2, 3]);

  t.clock.now = new Date("2026-10-15T02:00:00Z");
  for (const name of ["乙县发布", "丙县民政"]) {
    const p = await t.call(sup, "POST", `/api/accounts/${ids[name]}/posts`, { posts: [{ title: "近期发文", publishedAt: "2026-10-12T10:00:00+08:00" }] });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
  }
  const record = async (round: string, name: string, body: Record<string, unknown>) => {
    const r = await t.call(sup, "POST", `/api/sampling-rounds/${rounds[round].id}/inspections`, { accountId: ids[name], inspectedOn: "2026-10-15", ...body });
    expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(200);
  };
  // 乙县: one of two inspected → inspecting.
  await record("yi", "乙县发布", { result: "pass" });
  // 丙县: all three inspected → done. 丙县发布 单项否决 (泄露国家秘密), deadline passed by 11-20 → overdue;
  // 丙县教育 fails with a later deadline → pending, not overdue.
  await record("bing", "丙县发布", { result: "fail", problems: ["secret_leak"], requirement: "删除涉密内容", deadline: "2026-10-20" });
  await record("bing", "丙县教育", { result: "fail", problems: ["typos"], requirement: "更正", deadline: "2026-12-31" });
  await record("bing", "丙县民政", { result: "pass" });
  t.clock.now = new Date("2026-11-20T02:00:00Z");
});

describe("includeLower", () => {
  it("rolls up the counties: status, figures, vetoes, overdue rectifications, who has not drawn or finished", async () => {
    const r = await t.call(sup, "GET", notice(cityId, "&includeLower=true"));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const lower = r.body.lower;
    const row = (u: any) => [u.orgName, u.status, u.roundId, u.sampled, u.inspected, u.passed, u.failed, u.vetoed, u.passRate, u.overdueRectifications];
    expect(lower.units.map(row)).toEqual([
      ["丙县人民政府", "done", rounds.bing.id, 3, 3, 1, 2, 1, 1 / 3, 1],
      ["甲县人民政府", "not_drawn", null, 0, 0, 0, 0, 0, null, 0],
      ["乙县人民政府", "inspecting", rounds.yi.id, 2, 1, 1, 0, 0, 1, 0],
    ]);
    expect(lower.notDrawn).toEqual([jiaId]);
    expect(lower.notFinished).toEqual([yiId]);
    expect(lower.totals).toEqual({
      units: 3,
      notDrawn: 1,
      inspecting: 1,
      done: 1,
      sampled: 5,
      inspected: 4,
      passed: 2,
      failed: 2,
      vetoed: 1,
      passRate: 0.5,
      overdueRectifications: 1,
    });
    // The notice itself is unchanged by the roll-up.
    const plain = (await t.call(sup, "GET", notice(cityId))).body;
    expect(plain.lower).toBeUndefined();
    const { lower: _lower, ...rest } = r.body;
    expect(rest).toEqual(plain);
    expect(plain.vetoed.map((v: any) => v.accountName)).toEqual(["丙县发布"]);
  });

  it("Markdown section 各县（区）抽查情况 and an XLSX sheet", async () => {
    const md = await (await t.call(sup, "GET", notice(cityId, "&includeLower=true&format=md"))).res.text();
    expect(md).toContain("## 六、各县（区）抽查情况");
    expect(md).toContain("尚未抽取：甲县人民政府。");
    expect(md).toContain("尚未完成检查：乙县人民政府。");
    expect(md).toContain("| 丙县人民政府 | 已完成 | 3 | 3 | 1 | 2 | 1 | 33.3% | 1 |");
    expect(md).toContain("| 合计 |  | 5 | 4 | 2 | 2 | 1 | 50.0% | 1 |");
    const plainMd = await (await t.call(sup, "GET", notice(cityId, "&format=md"))).res.text();
    expect(plainMd).not.toContain("各县（区）抽查情况");

    const x = await t.call(sup, "GET", notice(cityId, "&includeLower=true&format=xlsx"));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await x.res.arrayBuffer()) as ArrayBuffer);
    const sheet = wb.getWorksheet("各县（区）抽查情况")!;
    expect(sheet.getRow(1).values).toEqual([undefined, "抽查单位", "抽查状态", "抽取", "已检查", "合格", "不合格", "单项否决", "合格率", "逾期未整改"]);
    expect(sheet.getRow(3).values).toEqual([undefined, "甲县人民政府", "未抽取", 0, 0, 0, 0, 0, "—", 0]);
    expect(sheet.getRow(5).values).toEqual([undefined, "合计", "", 5, 4, 2, 2, 1, "50.0%", 1]);
  });

  it("a county has no units below; other branches stay hidden", async () => {
    const own = await t.call(yiViewer, "GET", notice(yiId, "&includeLower=true"));
    expect(own.status).toBe(200);
    expect(own.body.lower).toMatchObject({ units: [], notDrawn: [], notFinished: [], totals: { units: 0, sampled: 0, passRate: null } });
    expect((await t.call(yiViewer, "GET", notice(cityId, "&includeLower=true"))).status).toBe(404);
    const bad = await t.call(sup, "GET", notice(cityId, "&includeLower=yes"));
    expect(bad.status).toBe(400);
  });
});
