// 单项否决 (国办秘函〔2019〕19号): the new problem types parse from the clerks' spreadsheet words, the
// quarterly notice lists vetoed accounts apart from the other failures (JSON, Markdown, XLSX), and
// which types are 单项否决 is policy (vetoProblems): an override changes the notice.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseProblemList, PROBLEM_LABELS } from "../../src/domain/inspection";
import { toCsv } from "../../src/lib/csv";
import { makeTestApp, org, token, type TestApp } from "../helpers";

let t: TestApp;
let sup: string;
let admin: string;
let cityId: string;
let jiaId: string;
let round: any;
const ids: Record<string, string> = {};

const enc = encodeURIComponent;
const notice = (gov: string, extra = "") => `/api/reports/quarterly?governmentOrgId=${enc(gov)}&year=2026&quarter=4${extra}`;

// name, platform, platform id, owning unit
const LEDGER = [
  ["甲县发布", "微信公众号", "v1", "甲县人民政府"],
  ["甲县教育", "微博", "v2", "甲县人民政府"],
  ["甲县民政", "抖音", "v3", "甲县人民政府"],
  ["甲县卫健", "微信公众号", "v4", "甲县人民政府"],
];

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-09-20T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  cityId = root.orgId;
  admin = root.token;
  jiaId = await org(t, root.token, "甲县人民政府", "government", "county", cityId);
  sup = await token(t, root.token, cityId, "supervisor");
  const csv = toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...LEDGER.map((r) => [...r, "2025-01-01"])]);
  expect((await t.call(sup, "POST", "/api/accounts/import", csv, { "content-type": "text/csv" })).status).toBe(200);
  const list = await t.call(sup, "GET", "/api/accounts?pageSize=500");
  for (const [name] of LEDGER) ids[name!] = list.body.items.find((a: any) => a.name === name).id;

  // Q4: nobody sampled yet this year, so every account is drawn.
  t.clock.now = new Date("2026-10-01T02:00:00Z");
  const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: jiaId, year: 2026, quarter: 4 });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.items).toHaveLength(4);
  round = r.body;

  t.clock.now = new Date("2026-10-15T02:00:00Z");
  for (const name of Object.keys(ids)) {
    const p = await t.call(sup, "POST", `/api/accounts/${ids[name]}/posts`, { posts: [{ title: `${name}近期发文`, publishedAt: "2026-10-12T10:00:00+08:00" }] });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
  }
  // The results come back in the filled-in list, in the words clerks write.
  const pos = (name: string) => round.items.find((i: any) => i.accountId === ids[name]).position;
  const upload = toCsv([
    ["序号", "账号名称", "检查结果", "问题类型", "整改要求", "整改期限", "检查日期"],
    [pos("甲县发布"), "甲县发布", "不合格", "表述错误；错别字", "更正表述", "2026-10-31", "2026-10-15"],
    [pos("甲县教育"), "甲县教育", "不合格", "无互动功能", "开通留言", "2026-12-31", "2026-10-15"],
    [pos("甲县民政"), "甲县民政", "不合格", "链接错误", "修复链接", "2026-10-31", "2026-10-15"],
    [pos("甲县卫健"), "甲县卫健", "合格", "", "", "", "2026-10-15"],
  ]);
  const up = await t.call(sup, "POST", `/api/sampling-rounds/${round.id}/inspections/import`, upload, { "content-type": "text/csv" });
  expect(up.status, JSON.stringify(up.body)).toBe(200);
  expect(up.body.recorded).toBe(4);
  t.clock.now = new Date("2026-11-20T02:00:00Z");
});

describe("problem types", () => {
  it("parses the new 单项否决 types and 逾期未整改 from the words clerks write", () => {
    expect(parseProblemList("表述错误；泄密、违法内容，无互动功能").categories).toEqual(["serious_error", "secret_leak", "illegal_content", "interaction_broken"]);
    expect(parseProblemList("严重错误、涉密、反动暴力色情、互动功能不可用、逾期未整改").categories).toEqual([
      "serious_error",
      "secret_leak",
      "illegal_content",
      "interaction_broken",
      "overdue_unrectified",
    ]);
    // The labels themselves, and the old codes, still parse.
    expect(parseProblemList("发布或链接反动、暴力、色情等违法内容").categories).toEqual(["illegal_content"]);
    expect(parseProblemList("泄露国家秘密；未提供有效互动功能；更新不及时；错敏词").categories).toEqual(["secret_leak", "interaction_broken", "stale_2w", "typos"]);
    expect(PROBLEM_LABELS.interaction_broken).toBe("未提供有效互动功能");
  });

  it("stores the uploaded words as codes", async () => {
    const r = await t.call(sup, "GET", `/api/sampling-rounds/${round.id}`);
    const problems = Object.fromEntries(r.body.items.map((i: any) => [i.accountName, i.inspection?.problems]));
    expect(problems).toEqual({ 甲县发布: ["serious_error", "typos"], 甲县教育: ["interaction_broken"], 甲县民政: ["bad_links"], 甲县卫健: [] });
  });
});

describe("the notice lists 单项否决 apart", () => {
  it("JSON: vetoed holds the accounts with their veto items; failing only the others; totals count both", async () => {
    const r = await t.call(sup, "GET", notice(jiaId));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const n = r.body;
    expect(n).toMatchObject({ sampled: 4, checked: 4, passed: 1, failed: 3, passRate: 0.25 });
    expect(n.vetoed.map((v: any) => [v.accountName, v.vetoItems, v.problemCodes, v.deadline, v.status])).toEqual([
      ["甲县发布", [{ code: "serious_error", label: "严重表述错误" }], ["serious_error", "typos"], "2026-10-31", "逾期未整改"],
      ["甲县教育", [{ code: "interaction_broken", label: "未提供有效互动功能" }], ["interaction_broken"], "2026-12-31", "整改中"],
    ]);
    expect(n.failing.map((f: any) => f.accountName)).toEqual(["甲县民政"]);
    expect(n.rectification).toEqual({ failing: 3, rectified: 0, overdue: 2, pending: 1 });
  });

  it("Markdown: a 单项否决 table before the other failures", async () => {
    const r = await t.call(sup, "GET", notice(jiaId, "&format=md"));
    const md = await r.res.text();
    expect(md).toContain("本季度不合格账号3个，其中单项否决2个");
    const veto = md.indexOf("### （一）单项否决账号");
    const others = md.indexOf("### （二）其他不合格账号");
    expect(veto).toBeGreaterThan(0);
    expect(others).toBeGreaterThan(veto);
    expect(md).toContain("| 1 | 甲县发布 | 微信公众号 | 甲县人民政府 | 严重表述错误 | 严重表述错误；错别字/错敏词 | 更正表述 | 2026-10-31 | 逾期未整改 |");
    expect(md.slice(others)).toContain("| 1 | 甲县民政 | 抖音 | 甲县人民政府 | 链接错误 | 修复链接 | 2026-10-31 | 逾期未整改 |");
    expect(md.slice(veto, others)).not.toContain("甲县民政");
  });

  it("XLSX: its own sheet", async () => {
    const r = await t.call(sup, "GET", notice(jiaId, "&format=xlsx"));
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await r.res.arrayBuffer()) as ArrayBuffer);
    const sheet = wb.getWorksheet("单项否决")!;
    expect(sheet.getRow(1).getCell(6).value).toBe("单项否决事项");
    expect([2, 3].map((i) => [sheet.getRow(i).getCell(2).value, sheet.getRow(i).getCell(6).value])).toEqual([
      ["甲县发布", "严重表述错误"],
      ["甲县教育", "未提供有效互动功能"],
    ]);
    expect(sheet.rowCount).toBe(3);
    const others = wb.getWorksheet("不合格账号")!;
    expect(others.rowCount).toBe(2);
    expect(others.getRow(2).getCell(2).value).toBe("甲县民政");
  });
});

describe("vetoProblems is policy", () => {
  it("refuses an unknown code with a 400 in Chinese naming it", async () => {
    const r = await t.call(sup, "POST", "/api/policies", { orgId: jiaId, key: "vetoProblems", value: ["stale_2w", "no_such_problem"], effectiveFrom: "2026-01-01" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("no_such_problem");
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const notArray = await t.call(sup, "POST", "/api/policies", { orgId: jiaId, key: "vetoProblems", value: 3, effectiveFrom: "2026-01-01" });
    expect(notArray.status).toBe(400);
  });

  it("shows the default, and an override removing interaction_broken moves that account to the other failures", async () => {
    const before = await t.call(sup, "GET", `/api/policies?orgId=${jiaId}&onDate=2026-10-15`);
    expect(before.body.effective.vetoProblems).toEqual(["stale_2w", "interaction_broken", "serious_error", "secret_leak", "illegal_content"]);

    const value = ["stale_2w", "serious_error", "secret_leak", "illegal_content"];
    const set = await t.call(sup, "POST", "/api/policies", { orgId: jiaId, key: "vetoProblems", value, effectiveFrom: "2026-01-01" });
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    expect(set.body.value).toEqual(value);
    const after = await t.call(sup, "GET", `/api/policies?orgId=${jiaId}&onDate=2026-10-15`);
    expect(after.body.effective.vetoProblems).toEqual(value);
    expect(after.body.overrides.find((o: any) => o.key === "vetoProblems").value).toEqual(value);

    const n = (await t.call(sup, "GET", notice(jiaId))).body;
    expect(n.vetoed.map((v: any) => v.accountName)).toEqual(["甲县发布"]);
    expect(n.failing.map((f: any) => f.accountName)).toEqual(["甲县教育", "甲县民政"]);
    // Totals and rates do not change with the split.
    expect(n).toMatchObject({ checked: 4, passed: 1, failed: 3, passRate: 0.25 });
  });
});

describe("the two-week veto follows the policy too", () => {
  it("a silent account cannot pass while stale_2w is 单项否决, and can once the county's policy drops it", async () => {
    t.clock.now = new Date("2026-11-20T02:00:00Z");
    const yiId = await org(t, admin, "乙县人民政府", "government", "county", cityId);
    const csv = toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ["乙县沉默号", "微信公众号", "s1", "乙县人民政府", "2025-01-01"]]);
    expect((await t.call(sup, "POST", "/api/accounts/import", csv, { "content-type": "text/csv" })).status).toBe(200);
    const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: yiId, year: 2026, quarter: 4 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const accountId = r.body.items[0].accountId;
    // Last post on 2026-09-01: silent far longer than two weeks on 2026-11-20.
    const old = await t.call(sup, "POST", `/api/accounts/${accountId}/posts`, { posts: [{ title: "旧文", publishedAt: "2026-09-01T10:00:00+08:00" }] });
    expect(old.status, JSON.stringify(old.body)).toBe(200);
    const pass = () => t.call(sup, "POST", `/api/sampling-rounds/${r.body.id}/inspections`, { accountId, result: "pass", inspectedOn: "2026-11-20" });
    const refused = await pass();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("veto_requires_override");
    const set = await t.call(sup, "POST", "/api/policies", { orgId: yiId, key: "vetoProblems", value: ["serious_error", "secret_leak", "illegal_content"], effectiveFrom: "2026-11-01" });
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    const accepted = await pass();
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  });
});
