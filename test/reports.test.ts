// Quarterly notice (通报) and annual statistics over the API: a city with two counties, accounts from
// a ledger import, a Q4 2026 round per sampling unit, inspections with hand-computed pass rates.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { toCsv } from "../src/lib/csv";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let sup: string;
let yiViewer: string;
let cityId: string;
let jiaId: string;
let yiId: string;
let jiaDeptId: string;
const ids: Record<string, string> = {};

// code, name, platform, platform id, owning unit, opened on
const LEDGER: [string, string, string, string, string, string][] = [
  ["C1", "某市发布", "微信公众号", "c1", "某市人民政府", "2022-01-01"],
  ["J1", "甲县政务", "微信公众号", "j1", "甲县人民政府", "2025-03-01"],
  ["J2", "甲县发布", "微博", "j2", "甲县人民政府", "2026-02-01"],
  ["J3", "甲县民政", "微信公众号", "j3", "甲县民政局", "2024-06-01"],
  ["J4", "甲县民政抖音", "抖音", "j4", "甲县民政局", "2026-05-10"],
  ["J5", "甲县旧公众号", "微信公众号", "j5", "甲县人民政府", "2024-05-01"],
  ["Y1", "乙县政务", "微信公众号", "y1", "乙县人民政府", "2023-01-01"],
  ["Y2", "乙县抖音", "抖音", "y2", "乙县人民政府", "2026-07-01"],
  ["Y3", "乙县教育", "微博", "y3", "乙县教育局", "2025-08-01"],
  ["Y4", "乙县头条", "今日头条", "y4", "乙县人民政府", "2020-01-01"],
];

const enc = encodeURIComponent;
const quarterly = (gov: string, extra = "") => `/api/reports/quarterly?governmentOrgId=${enc(gov)}&year=2026&quarter=4${extra}`;
const annual = (gov: string, extra = "") => `/api/reports/annual?governmentOrgId=${enc(gov)}&year=2026${extra}`;

async function fileBody(res: Response) {
  return new Uint8Array(await res.arrayBuffer());
}

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-09-20T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  cityId = root.orgId;
  jiaId = await org(t, root.token, "甲县人民政府", "government", "county", cityId);
  yiId = await org(t, root.token, "乙县人民政府", "government", "county", cityId);
  jiaDeptId = await org(t, root.token, "甲县民政局", "department", "county", jiaId);
  await org(t, root.token, "乙县教育局", "department", "county", yiId);
  sup = await token(t, root.token, cityId, "supervisor");
  yiViewer = await token(t, root.token, yiId, "viewer");

  const csv = toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...LEDGER.map(([, ...rest]) => rest)]);
  const imp = await t.call(sup, "POST", "/api/accounts/import", csv, { "content-type": "text/csv" });
  expect(imp.status, JSON.stringify(imp.body)).toBe(200);
  expect(imp.body.imported).toBe(LEDGER.length);
  const list = await t.call(sup, "GET", "/api/accounts?pageSize=500");
  for (const [code, name] of LEDGER) ids[code] = list.body.items.find((a: any) => a.name === name).id;

  // Before Q4: 乙县头条 is closed, 甲县旧公众号 merged into 甲县政务.
  t.clock.now = new Date("2026-09-25T02:00:00Z");
  const close = await t.call(sup, "POST", "/api/filings", { kind: "close", accountId: ids.Y4, reason: "机构改革，账号注销", completed: true });
  expect(close.status, JSON.stringify(close.body)).toBe(201);
  expect((await t.call(sup, "POST", `/api/filings/${close.body.id}/decision`, { approve: true })).status).toBe(200);
  t.clock.now = new Date("2026-09-26T02:00:00Z");
  const merge = await t.call(sup, "POST", "/api/filings", { kind: "merge", accountId: ids.J5, targetAccountId: ids.J1, reason: "功能相近，整合" });
  expect(merge.status, JSON.stringify(merge.body)).toBe(201);
  expect((await t.call(sup, "POST", `/api/filings/${merge.body.id}/decision`, { approve: true })).status).toBe(200);

  // Q4 rounds: the last quarter, nobody sampled yet this year, so every account is drawn.
  t.clock.now = new Date("2026-10-01T02:00:00Z");
  const rounds: Record<string, any> = {};
  for (const [name, id] of [["city", cityId], ["jia", jiaId], ["yi", yiId]] as const) {
    const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: id, year: 2026, quarter: 4 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.items).toHaveLength(r.body.population);
    rounds[name] = r.body;
  }
  expect([rounds.city.population, rounds.jia.population, rounds.yi.population]).toEqual([1, 4, 3]);

  // Recent posts, so nobody is under the two-week veto.
  t.clock.now = new Date("2026-10-15T02:00:00Z");
  for (const code of ["C1", "J1", "J2", "J3", "J4", "Y1", "Y2", "Y3"]) {
    const p = await t.call(sup, "POST", `/api/accounts/${ids[code]}/posts`, { posts: [{ title: `${code}近期发文`, publishedAt: "2026-10-12T10:00:00+08:00" }] });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
  }
  const record = async (round: string, code: string, body: Record<string, unknown>) => {
    const r = await t.call(sup, "POST", `/api/sampling-rounds/${rounds[round].id}/inspections`, { accountId: ids[code], inspectedOn: "2026-10-15", ...body });
    expect(r.status, `${code}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  await record("city", "C1", { result: "pass" });
  await record("jia", "J1", { result: "pass" });
  await record("jia", "J2", { result: "pass" });
  await record("jia", "J3", { result: "fail", problems: ["stale_2w"], requirement: "恢复正常更新", deadline: "2026-10-31" });
  await record("jia", "J4", { result: "pass" });
  await record("yi", "Y1", { result: "pass" });
  await record("yi", "Y2", { result: "fail", problems: ["typos", "interaction_broken"], requirement: "更正错别字，修复留言功能", deadline: "2026-12-31" });
  const y3 = await record("yi", "Y3", { result: "fail", problems: ["bad_links"], requirement: "修复失效链接", deadline: "2026-10-20" });
  t.clock.now = new Date("2026-10-18T02:00:00Z");
  const fix = await t.call(sup, "POST", `/api/inspections/${y3.id}/rectification`, { rectifiedAt: "2026-10-18", note: "已修复" });
  expect(fix.status, JSON.stringify(fix.body)).toBe(200);

  // The notice is read after J3's deadline has passed.
  t.clock.now = new Date("2026-11-20T02:00:00Z");
});

describe("quarterly notice", () => {
  it("aggregates both counties into the city's notice with the hand-computed pass rates", async () => {
    const r = await t.call(sup, "GET", quarterly(cityId));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const n = r.body;
    expect(n).toMatchObject({ governmentOrgId: cityId, governmentName: "某市人民政府", year: 2026, quarter: 4, aggregate: true });
    // 8 inspected, 5 passed.
    expect(n).toMatchObject({ sampled: 8, checked: 8, passed: 5, failed: 3, passRate: 0.625 });
    expect(n.rounds.map((x: any) => [x.unitName, x.population, x.sampleSize, typeof x.seed, x.rate])).toEqual([
      ["某市人民政府", 1, 1, "string", 0.5],
      ["甲县人民政府", 4, 4, "string", 0.5],
      ["乙县人民政府", 3, 3, "string", 0.5],
    ]);
    const rates = (rows: any[]) => Object.fromEntries(rows.map((x) => [x.label, [x.checked, x.passed, x.passRate]]));
    // wechat: C1 J1 Y1 pass, J3 fail; weibo: J2 pass, Y3 fail; douyin: J4 pass, Y2 fail.
    expect(rates(n.byPlatform)).toEqual({ 微信公众号: [4, 3, 0.75], 微博: [2, 1, 0.5], 抖音: [2, 1, 0.5] });
    expect(n.byPlatform.map((x: any) => x.key)).toEqual(["wechat", "weibo", "douyin"]);
    expect(rates(n.bySamplingUnit)).toEqual({ 某市人民政府: [1, 1, 1], 甲县人民政府: [4, 3, 0.75], 乙县人民政府: [3, 1, 1 / 3] });
    expect(n.bySamplingUnit.map((x: any) => x.key)).toEqual([cityId, jiaId, yiId]);
    expect(rates(n.byUnit)).toEqual({
      某市人民政府: [1, 1, 1],
      甲县人民政府: [2, 2, 1],
      甲县民政局: [2, 1, 0.5],
      乙县人民政府: [2, 1, 0.5],
      乙县教育局: [1, 0, 0],
    });
    expect(n.byUnit.find((x: any) => x.label === "甲县民政局").key).toBe(jiaDeptId);
    // One account each; ties in category order.
    expect(n.problems).toEqual([
      { category: "stale_2w", label: "更新不及时（超过2周）", count: 1 },
      { category: "typos", label: "错别字/错敏词", count: 1 },
      { category: "interaction_broken", label: "未提供有效互动功能", count: 1 },
      { category: "bad_links", label: "链接错误", count: 1 },
    ]);
    // 单项否决 (default vetoProblems, 国办秘函〔2019〕19号): 甲县民政 (两周未更新) and 乙县抖音 (未提供有效互动功能)
    // are listed in `vetoed`; `failing` keeps only the other failure. Totals and rates count all three.
    const vetoed = Object.fromEntries(n.vetoed.map((f: any) => [f.accountName, [f.platformLabel, f.orgName, f.vetoItems.map((v: any) => v.code), f.problems, f.deadline, f.rectifiedAt, f.status]]));
    expect(vetoed).toEqual({
      甲县民政: ["微信公众号", "甲县民政局", ["stale_2w"], ["更新不及时（超过2周）"], "2026-10-31", null, "逾期未整改"],
      乙县抖音: ["抖音", "乙县人民政府", ["interaction_broken"], ["错别字/错敏词", "未提供有效互动功能"], "2026-12-31", null, "整改中"],
    });
    const failing = Object.fromEntries(n.failing.map((f: any) => [f.accountName, [f.platformLabel, f.orgName, f.problems, f.deadline, f.rectifiedAt, f.status]]));
    expect(failing).toEqual({
      乙县教育: ["微博", "乙县教育局", ["链接错误"], "2026-10-20", "2026-10-18", "已整改"],
    });
    expect(n.vetoed.find((f: any) => f.accountName === "乙县抖音").requirement).toBe("更正错别字，修复留言功能");
    expect(n.rectification).toEqual({ failing: 3, rectified: 1, overdue: 1, pending: 1 });
    expect(n.rechecks).toEqual([]);
    expect(n.lower).toBeUndefined();
  });

  it("aggregate=false keeps only the government's own round; a county's notice has its own figures", async () => {
    const own = await t.call(sup, "GET", quarterly(cityId, "&aggregate=false"));
    expect(own.body).toMatchObject({ aggregate: false, sampled: 1, checked: 1, passed: 1, passRate: 1, failing: [] });
    expect(own.body.rounds).toHaveLength(1);
    const jia = await t.call(sup, "GET", quarterly(jiaId));
    expect(jia.body).toMatchObject({ checked: 4, passed: 3, passRate: 0.75 });
    expect(jia.body.rectification).toEqual({ failing: 1, rectified: 0, overdue: 1, pending: 0 });
    // A county viewer reads its own notice.
    const yi = await t.call(yiViewer, "GET", quarterly(yiId));
    expect(yi.status).toBe(200);
    expect(yi.body).toMatchObject({ checked: 3, passed: 1, passRate: 1 / 3 });
  });

  it("renders a publishable Markdown notice", async () => {
    const r = await t.call(sup, "GET", quarterly(cityId, "&format=md"));
    expect(r.status).toBe(200);
    expect(r.res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const cd = r.res.headers.get("content-disposition")!;
    expect(cd).toMatch(/^[\x20-\x7e]+$/);
    expect(cd).toContain(`filename="notice-2026-Q4.md"`);
    expect(decodeURIComponent(cd.split("filename*=UTF-8''")[1]!)).toBe("某市人民政府2026年第4季度政务新媒体抽查情况通报.md");
    const md = await r.res.text();
    expect(md.split("\n")[0]).toBe("# 关于2026年第4季度政务新媒体抽查情况的通报");
    for (const h of ["## 一、总体情况", "## 二、分平台情况", "## 三、分单位情况", "## 四、存在的问题", "## 五、整改要求"]) expect(md).toContain(h);
    expect(md).toContain("合格5个、不合格3个，合格率62.5%");
    expect(md).toContain("| 微信公众号 | 4 | 4 | 3 | 1 | 75.0% |");
    expect(md).toContain("| 乙县教育局 | 1 | 1 | 0 | 1 | 0.0% |");
    expect(md).toContain("本季度不合格账号3个，其中单项否决2个");
    expect(md.indexOf("### （一）单项否决账号")).toBeLessThan(md.indexOf("### （二）其他不合格账号"));
    expect(md).toMatch(/\| \d \| 甲县民政 \| 微信公众号 \| 甲县民政局 \| 更新不及时（超过2周） \| 更新不及时（超过2周） \| 恢复正常更新 \| 2026-10-31 \| 逾期未整改 \|/);
    expect(md).toMatch(/\| 1 \| 乙县教育 \| 微博 \| 乙县教育局 \| 链接错误 \| 修复失效链接 \| 2026-10-20 \| 已整改（2026-10-18） \|/);
    expect(md).toContain("已整改1个，整改中1个，逾期未整改1个");
  });

  it("exports a workbook a real reader opens with Chinese intact", async () => {
    const r = await t.call(sup, "GET", quarterly(cityId, "&format=xlsx"));
    expect(r.status).toBe(200);
    expect(r.res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const cd = r.res.headers.get("content-disposition")!;
    expect(cd).toMatch(/^attachment; filename="notice-2026-Q4\.xlsx"; filename\*=UTF-8''[\x21-\x7e]+$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await fileBody(r.res)).buffer as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["总体", "分平台", "分单位", "单项否决", "不合格账号", "单位得分"]);
    expect(wb.getWorksheet("总体")!.getCell("A1").value).toBe("关于2026年第4季度政务新媒体抽查情况的通报");
    const platforms = wb.getWorksheet("分平台")!;
    expect(platforms.getRow(2).values).toEqual([undefined, "微信公众号", 4, 4, 3, 1, "75.0%"]);
    const vetoed = wb.getWorksheet("单项否决")!;
    expect(vetoed.rowCount).toBe(3);
    expect(new Set([2, 3].map((i) => vetoed.getRow(i).getCell(2).value))).toEqual(new Set(["甲县民政", "乙县抖音"]));
    const failing = wb.getWorksheet("不合格账号")!;
    expect(failing.rowCount).toBe(2);
    expect(failing.getRow(2).getCell(2).value).toBe("乙县教育");
  });

  it("answers 501 in Chinese when the deployment has no spreadsheet codec", async () => {
    const bare = createApp({ db: t.db, now: () => t.clock.now });
    const res = await bare.request(quarterly(cityId, "&format=xlsx"), { headers: { authorization: `Bearer ${sup}` } });
    expect(res.status).toBe(501);
    expect((await res.json()).error.message).toMatch(/XLSX/);
  });

  it("hides governments outside the caller's subtree and refuses bad parameters", async () => {
    expect((await t.call(yiViewer, "GET", quarterly(jiaId))).status).toBe(404);
    expect((await t.call(yiViewer, "GET", quarterly(cityId))).status).toBe(404);
    expect((await t.call(sup, "GET", quarterly("no-such-org"))).status).toBe(404);
    const bad = [
      `/api/reports/quarterly?governmentOrgId=${cityId}&year=2026&quarter=5`,
      `/api/reports/quarterly?governmentOrgId=${cityId}&year=1900&quarter=4`,
      `/api/reports/quarterly?governmentOrgId=${cityId}&year=2026`,
      `/api/reports/quarterly?governmentOrgId=${cityId}&year=2026&quarter=4&format=pdf`,
      quarterly(jiaDeptId),
    ];
    for (const path of bad) {
      const r = await t.call(sup, "GET", path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.message, path).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await t.call(null, "GET", quarterly(cityId))).status).toBe(401);
  });
});

describe("annual statistics", () => {
  it("counts the city's accounts at year end, the year's openings, closures, mergers and inspections", async () => {
    const r = await t.call(sup, "GET", annual(cityId));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const s = r.body;
    // The year is not over: the figures describe now.
    expect(s).toMatchObject({ governmentName: "某市人民政府", year: 2026, asOf: "2026-11-20T02:00:00.000Z", asOfDate: "2026-11-20" });
    expect(s.accounts).toMatchObject({ total: 10, inUse: 8 });
    expect(Object.fromEntries(s.accounts.byStatus.map((b: any) => [b.label, b.count]))).toEqual({ 正常: 8, 停更: 0, 关停中: 0, 已关停: 1, 已整合: 1, 待审核: 0 });
    expect(s.accounts.byPlatform.map((p: any) => [p.label, p.total, p.inUse])).toEqual([
      ["微信公众号", 5, 4],
      ["微博", 2, 2],
      ["抖音", 2, 2],
      ["今日头条", 1, 0],
    ]);
    expect(s.accounts.byLevel.map((l: any) => [l.label, l.total])).toEqual([
      ["市级", 1],
      ["县级", 9],
    ]);
    // Opened in 2026: 甲县发布, 甲县民政抖音, 乙县抖音.
    expect(s.duringYear).toEqual({ opened: 3, closed: 1, merged: 1 });
    expect(s.inspections).toMatchObject({ rounds: 3, sampled: 8, checked: 8, passed: 5, failed: 3, passRate: 0.625 });
    expect(s.inspections.byQuarter).toEqual([{ quarter: 4, rounds: 3, sampled: 8, checked: 8, passed: 5, failed: 3, passRate: 0.625 }]);
  });

  it("a county's statistics cover its subtree only", async () => {
    const s = (await t.call(sup, "GET", annual(jiaId))).body;
    expect(s.accounts).toMatchObject({ total: 5, inUse: 4 });
    expect(s.duringYear).toEqual({ opened: 2, closed: 0, merged: 1 });
    expect(s.inspections).toMatchObject({ rounds: 1, checked: 4, passed: 3, passRate: 0.75 });
  });

  it("as of the end of a past year, from the status history", async () => {
    const s = (await t.call(sup, "GET", `/api/reports/annual?governmentOrgId=${cityId}&year=2025`)).body;
    expect(s.asOf).toBe("2025-12-31T15:59:59.999Z");
    // Accounts opened by the end of 2025: C1 J1 J3 J5 Y1 Y3 Y4 (all active then).
    expect(s.accounts).toMatchObject({ total: 7, inUse: 7 });
    expect(s.duringYear).toEqual({ opened: 2, closed: 0, merged: 0 });
    expect(s.inspections).toMatchObject({ rounds: 0, checked: 0, passRate: null });
  });

  it("renders Markdown and XLSX with Chinese labels", async () => {
    const md = await t.call(sup, "GET", annual(cityId, "&format=md"));
    expect(md.res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const text = await md.res.text();
    expect(text).toContain("# 某市人民政府2026年度政务新媒体工作统计");
    expect(text).toContain("| 微信公众号 | 5 | 4 | 4 | 0 | 0 | 0 | 1 | 0 |");
    expect(text).toContain("2026年新开设账号3个，关停注销1个，整合1个");
    const x = await t.call(sup, "GET", annual(cityId, "&format=xlsx"));
    expect(x.res.headers.get("content-disposition")).toMatch(/^[\x20-\x7e]+$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await fileBody(x.res)).buffer as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["总体", "分平台", "分层级", "抽查", "单位得分"]);
    expect(wb.getWorksheet("分层级")!.getRow(3).values).toEqual([undefined, "县级", 9, 7, 7, 0, 0, 1, 1, 0]);
  });

  it("hides other branches and refuses departments and bad years", async () => {
    expect((await t.call(yiViewer, "GET", annual(cityId))).status).toBe(404);
    expect((await t.call(yiViewer, "GET", annual(jiaId))).status).toBe(404);
    expect((await t.call(yiViewer, "GET", annual(yiId))).status).toBe(200);
    expect((await t.call(sup, "GET", annual(jiaDeptId))).status).toBe(400);
    expect((await t.call(sup, "GET", `/api/reports/annual?governmentOrgId=${cityId}&year=1900`)).status).toBe(400);
    expect((await t.call(sup, "GET", `/api/reports/annual?governmentOrgId=${cityId}&year=2027`)).status).toBe(400);
  });
});

describe("OpenAPI", () => {
  it("documents both reports with their three formats", async () => {
    const spec = (await t.call(null, "GET", "/api/openapi.json")).body;
    for (const path of ["/api/reports/quarterly", "/api/reports/annual"]) {
      const op = spec.paths[path]?.get;
      expect(op, path).toBeDefined();
      expect(Object.keys(op.responses["200"].content)).toEqual(["application/json", "text/markdown", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
    }
    expect(spec.paths["/api/reports/quarterly"].get.parameters.map((p: any) => p.name)).toEqual(["governmentOrgId", "year", "quarter", "format", "aggregate", "includeLower"]);
    expect(Object.keys(spec.components.schemas.ReportStatusCountRow.properties)).toEqual(["key", "label", "total", "inUse", "active", "suspended", "closing", "closed", "merged", "pending"]);
  });
});
