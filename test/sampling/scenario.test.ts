// Issue 4 acceptance: a city with 3 counties (12, 37, 80 accounts), openings and closings during the
// year, the quarterly-sampling job at the four quarter starts: ≥ 50% per county each quarter, 100%
// coverage in the year, reproducible and verifiable, exports readable by a real XLSX reader.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { quarterlySampling } from "../../jobs/quarterly-sampling";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { toCsv } from "../../src/lib/csv";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { ROUND_COLUMNS } from "../../src/export/sampling-list";
import { makeTestApp, org, token, type TestApp } from "../helpers";

let t: TestApp;
let admin: string;
let sup: string;
let cityId: string;
const counties: Record<string, { id: string; size: number }> = {};
const QUARTER_STARTS = ["2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z"];

async function importAccounts(rows: string[][]) {
  const r = await t.call(sup, "POST", "/api/accounts/import", toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...rows]), { "content-type": "text/csv" });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const platforms = ["微信公众号", "微博", "抖音", "今日头条", "移动客户端"];

beforeAll(async () => {
  t = await makeTestApp({ at: "2025-12-20T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  admin = root.token;
  cityId = root.orgId;
  sup = await token(t, admin, cityId, "supervisor");
  for (const [name, size] of [["甲县", 12], ["乙县", 37], ["丙县", 80]] as const) {
    const id = await org(t, admin, `${name}人民政府`, "government", "county", cityId);
    const dept = await org(t, admin, `${name}教育局`, "department", "county", id);
    counties[name] = { id, size };
    const rows: string[][] = [];
    for (let i = 0; i < size; i++) {
      rows.push([`${name}账号${i}`, platforms[i % platforms.length]!, `${name}-${i}`, i % 2 ? `${name}人民政府` : `${name}教育局`, "2025-06-01"]);
    }
    await importAccounts(rows);
    void dept;
  }
});

const deps = () => ({ db: t.db, fetchFeed: createGuardedFetch([]), feedAllowHosts: [], postWebhook: createGuardedPost([]) });

describe("a year of quarterly spot-checks", () => {
  const rounds: Record<string, any[]> = { 甲县: [], 乙县: [], 丙县: [] };

  it("runs the job at each quarter start, with openings and closings in between", async () => {
    for (const [q, start] of QUARTER_STARTS.entries()) {
      t.clock.now = new Date(start);
      const r = await quarterlySampling(deps(), new Date(start));
      expect(r).toMatchObject({ year: 2026, quarter: q + 1, units: 4, created: 4, existing: 0 });
      // Rerun: one round per unit and quarter.
      expect(await quarterlySampling(deps(), new Date(start))).toMatchObject({ created: 0, existing: 4 });
      for (const name of Object.keys(counties)) {
        const list = await t.call(sup, "GET", `/api/sampling-rounds?governmentOrgId=${counties[name]!.id}&year=2026&quarter=${q + 1}`);
        expect(list.body.total).toBe(1);
        rounds[name]!.push(list.body.items[0]);
      }
      // Between quarters: 丙县 opens 6 new accounts, 乙县 closes 3 (its government's, decided by the city).
      t.clock.now = new Date(Date.parse(start) + 40 * 86_400_000);
      await importAccounts(Array.from({ length: 6 }, (_, i) => [`丙县新账号Q${q + 1}-${i}`, "抖音", `new-${q}-${i}`, "丙县人民政府", t.clock.now.toISOString().slice(0, 10)]));
      const yi = (await t.call(sup, "GET", `/api/accounts?orgId=${counties["乙县"]!.id}&status=active&pageSize=500`)).body.items.filter((a: any) => a.orgName === "乙县人民政府");
      for (const a of yi.slice(0, 3)) {
        const f = await t.call(sup, "POST", "/api/filings", { kind: "close", accountId: a.id, reason: "机构改革，账号注销", completed: true });
        expect((await t.call(sup, "POST", `/api/filings/${f.body.id}/decision`, { approve: true })).status).toBe(200);
      }
    }
  }, 120_000);

  it("samples at least half of each county's population every quarter", () => {
    for (const [name, list] of Object.entries(rounds)) {
      const populations = list.map((r) => r.population);
      expect(populations[0]).toBe(counties[name]!.size);
      for (const r of list) {
        expect(r.sampleSize).toBeGreaterThanOrEqual(Math.ceil(0.5 * r.population));
        expect(r.items).toHaveLength(r.sampleSize);
        expect(new Set(r.items.map((i: any) => i.accountId)).size).toBe(r.items.length);
        expect(r.rate).toBe(0.5);
        expect(r.seed).toMatch(/^[0-9a-f]{32}$/);
      }
    }
    // Populations follow the openings and closings, fixed at each quarter start.
    expect(rounds["丙县"]!.map((r) => r.population)).toEqual([80, 86, 92, 98]);
    expect(rounds["乙县"]!.map((r) => r.population)).toEqual([37, 34, 31, 28]);
  });

  it("covers every account present at any quarter start within the year", async () => {
    for (const [name, list] of Object.entries(rounds)) {
      const sampled = new Set(list.flatMap((r) => r.items.map((i: any) => i.accountId)));
      const present = new Set<string>();
      for (const r of list) {
        const row = await t.client.execute({ sql: "SELECT population FROM sampling_rounds WHERE id = ?", args: [r.id] });
        for (const m of JSON.parse(String(row.rows[0]!.population))) present.add(m.accountId);
      }
      const missed = [...present].filter((id) => !sampled.has(id));
      expect(missed, name).toEqual([]);
    }
  });

  it("verifies every stored list, and detects a tampered one", async () => {
    for (const list of Object.values(rounds)) {
      for (const r of list) {
        const v = (await t.call(sup, "GET", `/api/sampling-rounds/${r.id}/verify`)).body;
        expect(v).toMatchObject({ matches: true, differences: [] });
        expect(v.inputs).toMatchObject({ rate: 0.5, quarter: r.quarter, seed: r.seed });
        expect(v.inputs.population.length).toBeGreaterThanOrEqual(r.population);
      }
    }
    const r = rounds["甲县"]![1];
    const other = rounds["甲县"]![1].items.length;
    expect(other).toBeGreaterThan(1);
    await t.client.execute({ sql: "UPDATE sampling_items SET position = position + 100 WHERE round_id = ? AND position = 1", args: [r.id] });
    const v = await t.call(sup, "GET", `/api/sampling-rounds/${r.id}/verify`);
    expect(v.body.matches).toBe(false);
    expect(v.body.differences.length).toBeGreaterThan(0);
    await t.client.execute({ sql: "UPDATE sampling_items SET position = position - 100 WHERE round_id = ? AND position = 101", args: [r.id] });
    expect((await t.call(sup, "GET", `/api/sampling-rounds/${r.id}/verify`)).body.matches).toBe(true);
  });

  it("exports CSV with a BOM and XLSX that exceljs reads back with Chinese intact", async () => {
    const r = rounds["丙县"]![3];
    const csv = await t.call(sup, "GET", `/api/sampling-rounds/${r.id}/export.csv`);
    expect(csv.status).toBe(200);
    const bytes = new Uint8Array(await csv.res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("丙县人民政府");
    expect(text).toContain(`随机种子：${r.seed}`);
    // The job draws own rounds (本级); the header says so.
    expect(r.scope).toBe("own");
    expect(text).toContain("抽查范围：本级");

    const x = await t.call(sup, "GET", `/api/sampling-rounds/${r.id}/export.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const rows: string[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? "" : String(v)))));
    expect(rows[0]![0]).toContain("丙县人民政府");
    expect(rows.flat().join("|")).toContain("抽查比例：50%");
    expect(rows.flat().join("|")).toContain(`账号总数：${r.population}`);
    expect(rows.flat().join("|")).toContain(`抽取数量：${r.sampleSize}`);
    const h = rows.findIndex((row) => row[0] === "序号");
    expect(rows[h]).toEqual([...ROUND_COLUMNS].slice(0, rows[h]!.length));
    expect(rows.length - h - 1).toBe(r.sampleSize);
    expect(rows[h + 1]![1]).toBe(r.items[0].accountName);
    expect(rows[h + 1]![8]).toMatch(/本年度尚未抽查|存在未处理预警|随机抽取/);
  });

  it("takes the filled-in list back: row-numbered errors first, then the results", async () => {
    const r = rounds["甲县"]![3];
    const x = await t.call(sup, "GET", `/api/sampling-rounds/${r.id}/export.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    let header = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).value === "序号") header = n;
    });
    const fill = (n: number, result: string, problems: string) => {
      ws.getRow(header + n).getCell(10).value = result;
      ws.getRow(header + n).getCell(11).value = problems;
      ws.getRow(header + n).getCell(13).value = "张检查";
      ws.getRow(header + n).getCell(14).value = "2026-10-20";
    };
    fill(1, "不合格", "错别字/错敏词；链接错误");
    fill(2, "不合格", "内容太少");
    fill(3, "良好", "");
    // A row for an account that is not on the list.
    const extra = ws.getRow(header + r.items.length + 1);
    extra.getCell(1).value = 999;
    extra.getCell(2).value = "不存在的账号";
    extra.getCell(10).value = "合格";
    const bad = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    t.clock.now = new Date("2026-10-21T02:00:00Z");
    const upload = (body: Uint8Array) =>
      t.call(sup, "POST", `/api/sampling-rounds/${r.id}/inspections/import`, body, { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
    const refused = await upload(bad);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((e: any) => [e.row, e.column])).toEqual([
      [header + 2, "问题类型"],
      [header + 3, "检查结果"],
      [header + r.items.length + 1, "序号"],
    ]);
    expect(Number((await t.client.execute("SELECT count(*) AS n FROM inspections")).rows[0]!.n)).toBe(0);

    fill(2, "不合格", "更新不及时");
    fill(3, "", "");
    extra.getCell(1).value = null;
    extra.getCell(2).value = null;
    extra.getCell(10).value = null;
    const ok = await upload(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.recorded).toBe(2);
    const round = await t.call(sup, "GET", `/api/sampling-rounds/${r.id}`);
    expect(round.body.items[0].inspection).toMatchObject({ result: "fail", problems: ["typos", "bad_links"] });
  });

  it("refuses a pass under the two-week veto without an override note", async () => {
    const r = rounds["甲县"]![3];
    const accountId = r.items[3].accountId;
    const pass = await t.call(sup, "POST", `/api/sampling-rounds/${r.id}/inspections`, { accountId, result: "合格", inspectedOn: "2026-10-20" });
    // Its only post is months old.
    await t.call(sup, "POST", `/api/accounts/${accountId}/posts`, { posts: [{ title: "旧文", publishedAt: "2026-06-01T10:00:00+08:00" }] });
    const again = await t.call(sup, "POST", `/api/sampling-rounds/${r.id}/inspections`, { accountId, result: "合格", inspectedOn: "2026-10-20" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("单项否决");
    const overridden = await t.call(sup, "POST", `/api/sampling-rounds/${r.id}/inspections`, { accountId, result: "合格", inspectedOn: "2026-10-20", overrideNote: "平台故障导致无法发布，已核实" });
    expect(overridden.status).toBe(200);
    expect(pass.status).toBeLessThan(500);
  });

  it("answers bad requests with a clear 4xx", async () => {
    const county = counties["甲县"]!.id;
    const dept = (await t.call(admin, "GET", "/api/orgs")).body.items.find((o: any) => o.name === "甲县教育局").id;
    const cases: [unknown, number][] = [
      [{ governmentOrgId: county, year: 2026, quarter: 5 }, 400],
      [{ governmentOrgId: county, year: 1900, quarter: 1 }, 400],
      [{ governmentOrgId: dept, year: 2026, quarter: 1 }, 400],
      [{ governmentOrgId: county, year: 2027, quarter: 1 }, 400], // not started yet
      [{ governmentOrgId: "nope", year: 2026, quarter: 1 }, 404],
    ];
    for (const [body, status] of cases) {
      const r = await t.call(sup, "POST", "/api/sampling-rounds", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const yiSup = await token(t, admin, counties["乙县"]!.id, "supervisor");
    expect((await t.call(yiSup, "POST", "/api/sampling-rounds", { governmentOrgId: county, year: 2026, quarter: 1 })).status).toBe(404);
    expect((await t.call(yiSup, "GET", `/api/sampling-rounds/${rounds["甲县"]![0].id}`)).status).toBe(404);
    const jiaOp = await token(t, admin, county, "operator");
    expect((await t.call(jiaOp, "POST", "/api/sampling-rounds", { governmentOrgId: county, year: 2026, quarter: 1 })).status).toBe(403);
    // A county supervisor may run (here: re-read) its own round; the city's may run the county's.
    const jiaSup = await token(t, admin, county, "supervisor");
    expect((await t.call(jiaSup, "POST", "/api/sampling-rounds", { governmentOrgId: county, year: 2026, quarter: 1 })).status).toBe(200);
  });

  it("a round created late for an earlier quarter ignores later quarters' rounds", async () => {
    t.clock.now = new Date("2026-11-20T02:00:00Z");
    const ding = await org(t, admin, "丁县人民政府", "government", "county", cityId);
    t.clock.now = new Date("2026-06-01T02:00:00Z");
    await importAccounts(Array.from({ length: 10 }, (_, i) => [`丁县账号${i}`, "微博", `ding-${i}`, "丁县人民政府", "2026-05-01"]));
    t.clock.now = new Date("2026-11-20T02:00:00Z");
    const q4 = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: ding, year: 2026, quarter: 4 });
    expect(q4.status).toBe(201);
    const q3 = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: ding, year: 2026, quarter: 3 });
    expect(q3.status).toBe(201);
    expect(q3.body.population).toBe(10);
    expect(q3.body.items.map((i: any) => i.reason)).toEqual(Array(5).fill("not_sampled_this_year"));
  });
});
