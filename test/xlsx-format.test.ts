// Spreadsheets people like to open: every XLSX export has column widths, a frozen header with an
// auto-filter, drop-downs where a column takes fixed words, and dates as dates — and still reads back.
import ExcelJS from "exceljs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplingRounds } from "../src/db/schema";
import { PROBLEM_LABELS } from "../src/domain/inspection";
import { ledgerSheet } from "../src/export/ledger-table";
import { roundSheet, roundTable } from "../src/export/sampling-list";
import { toCsv } from "../src/lib/csv";
import { exceljsCodec } from "../src/lib/spreadsheet-exceljs";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let sup = "";
let cityId = "";
let roundId = "";
const XLSX = { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };

async function open(bytes: Uint8Array | ArrayBuffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes instanceof Uint8Array ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer) : bytes);
  return wb;
}
type Validations = { model: Record<string, { type: string; formulae: string[]; errorStyle?: string }> };
const validations = (ws: ExcelJS.Worksheet) => (ws as unknown as { dataValidations: Validations }).dataValidations.model;
/** The validation whose range starts at a cell ("J6"), whatever the range's end. */
const validationAt = (ws: ExcelJS.Worksheet, cell: string) => Object.entries(validations(ws)).find(([range]) => range.split(":")[0] === cell)?.[1];
const col = (n: number) => String.fromCharCode(64 + n);
const headerIndex = (ws: ExcelJS.Worksheet, row: number, name: string) => (ws.getRow(row).values as unknown[]).indexOf(name);

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-11-23T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  cityId = root.orgId;
  await org(t, root.token, "市教育局", "department", "city", cityId);
  sup = await token(t, root.token, cityId, "supervisor");
  const rows = [1, 2, 3, 4].map((i) => [`教育账号${i}`, "微信公众号", `jy-${i}`, "市教育局", "2026-01-05"]);
  const imp = await t.call(sup, "POST", "/api/accounts/import", toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...rows]), { "content-type": "text/csv" });
  expect(imp.status, JSON.stringify(imp.body)).toBe(200);
  const round = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 4 });
  expect(round.status, JSON.stringify(round.body)).toBe(201);
  roundId = round.body.id;
});
afterAll(() => t.close());

describe("XLSX for people", () => {
  it("the spot-check list: frozen header under the title block, filter, widths, 合格/不合格 and problem drop-downs, date cells", async () => {
    const [round] = await t.db.select().from(samplingRounds).where(eq(samplingRounds.id, roundId));
    const table = await roundTable(t.db, round!, "某市人民政府", t.clock.now);
    const sheet = roundSheet(table);
    const wb = await open(await exceljsCodec.write([sheet]));
    const ws = wb.worksheets[0]!;
    const h = table.headerBlock.length + 1;
    expect(ws.getRow(h).getCell(1).value).toBe("序号");
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: h });
    expect(ws.autoFilter).toBe(`A${h}:${col(table.header.length)}${h}`);

    const result = headerIndex(ws, h, "检查结果");
    const problem = headerIndex(ws, h, "问题类型");
    const resultList = validationAt(ws, `${col(result)}${h + 1}`);
    expect(resultList).toMatchObject({ type: "list", formulae: ['"合格,不合格"'] });
    const problemList = validationAt(ws, `${col(problem)}${h + 1}`);
    expect(problemList?.formulae[0]).toContain(PROBLEM_LABELS.bad_links);
    // Several problems in one cell stay possible: the list warns, it does not refuse.
    expect(problemList?.errorStyle).toBe("warning");
    expect(problemList!.formulae[0]!.length).toBeLessThan(255);

    // Widths from content: 账号名称 is wider than 序号, and none is absurd.
    const name = headerIndex(ws, h, "账号名称");
    expect(ws.getColumn(name).width).toBeGreaterThan(ws.getColumn(1).width!);
    for (let c = 1; c <= table.header.length; c++) expect(ws.getColumn(c).width).toBeLessThanOrEqual(50);
    // The long title above the header does not widen column A.
    expect(ws.getColumn(1).width).toBeLessThan(15);
    // 检查日期 is formatted as a date for the clerk to type into.
    expect(ws.getRow(h + 1).getCell(headerIndex(ws, h, "检查日期")).numFmt).toBe("yyyy-mm-dd");
  });

  it("the filled-in list still imports: export → fill (choices, a real date cell) → import", async () => {
    const [round] = await t.db.select().from(samplingRounds).where(eq(samplingRounds.id, roundId));
    const table = await roundTable(t.db, round!, "某市人民政府", t.clock.now);
    const wb = await open(await exceljsCodec.write([roundSheet(table)]));
    const ws = wb.worksheets[0]!;
    const h = table.headerBlock.length + 1;
    const at = (n: string) => headerIndex(ws, h, n);
    ws.getRow(h + 1).getCell(at("检查结果")).value = "合格";
    ws.getRow(h + 1).getCell(at("检查日期")).value = new Date(Date.UTC(2026, 10, 20));
    ws.getRow(h + 2).getCell(at("检查结果")).value = "不合格";
    ws.getRow(h + 2).getCell(at("问题类型")).value = `${PROBLEM_LABELS.bad_links}；${PROBLEM_LABELS.typos}`;
    ws.getRow(h + 2).getCell(at("检查日期")).value = new Date(Date.UTC(2026, 10, 21));
    ws.getRow(h + 2).getCell(at("整改期限")).value = new Date(Date.UTC(2026, 11, 21));
    const filled = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const r = await t.call(sup, "POST", `/api/sampling-rounds/${roundId}/inspections/import`, filled, XLSX);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.recorded).toBe(2);
    const after = await t.call(sup, "GET", `/api/sampling-rounds/${roundId}`);
    const byPosition = new Map(after.body.items.map((i: { position: number; inspection: unknown }) => [i.position, i.inspection]));
    expect(byPosition.get(1)).toMatchObject({ result: "pass" });
    expect(byPosition.get(2)).toMatchObject({ result: "fail", problems: ["bad_links", "typos"], deadline: "2026-12-21" });
    // The typed date cells arrive as the dates they show.
    const days = await t.client.execute("SELECT inspected_on FROM inspections ORDER BY inspected_on");
    expect(days.rows.map((r) => r.inspected_on)).toEqual(["2026-11-20", "2026-11-21"]);
  });

  it("the ledger export: widths, frozen header, filter, platform drop-down, 开设日期 as a date that reads back the same", async () => {
    // The rows the export writes (accounts.handlers builds its sheet with ledgerSheet once it declares them).
    const raw = await t.call(sup, "GET", "/api/accounts/export.xlsx");
    const table = await exceljsCodec.readRows(new Uint8Array(await raw.res.arrayBuffer()));
    const wb = await open(await exceljsCodec.write([ledgerSheet(table)]));
    const ws = wb.worksheets[0]!;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBe(`A1:${col(table[0]!.length)}1`);
    const opened = headerIndex(ws, 1, "开设日期");
    const cell = ws.getRow(2).getCell(opened);
    expect(cell.type).toBe(ExcelJS.ValueType.Date);
    expect(cell.numFmt).toBe("yyyy-mm-dd");
    expect((cell.value as Date).toISOString()).toBe("2026-01-05T00:00:00.000Z");
    expect(validationAt(ws, `${col(headerIndex(ws, 1, "平台"))}2`)?.formulae[0]).toContain("微信公众号");
    expect(ws.getColumn(headerIndex(ws, 1, "账号名称")).width).toBeGreaterThanOrEqual(10);
    // Read back, the date cell is the text the import takes.
    const back = await exceljsCodec.readRows(await wb.xlsx.writeBuffer().then((b) => new Uint8Array(b as ArrayBuffer)));
    expect(back[1]![opened - 1]).toBe("2026-01-05");
  });

  it("the import template declares the same (through the API)", async () => {
    const x = await t.call(sup, "GET", "/api/accounts/import-template.xlsx");
    expect(x.status).toBe(200);
    const ws = (await open(await x.res.arrayBuffer())).worksheets[0]!;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getRow(2).getCell(headerIndex(ws, 1, "开设日期")).type).toBe(ExcelJS.ValueType.Date);
  });

  it("the quarterly notice and annual statistics sheets (through the API): frozen, filtered, dates as dates", async () => {
    const q = await t.call(sup, "GET", `/api/reports/quarterly?governmentOrgId=${cityId}&year=2026&quarter=4&format=xlsx`);
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    const qb = await open(await q.res.arrayBuffer());
    const failing = qb.getWorksheet("不合格账号")!;
    expect(failing.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(failing.autoFilter).toBe("A1:J1");
    const deadline = failing.getRow(2).getCell(headerIndex(failing, 1, "整改期限"));
    expect(deadline.type).toBe(ExcelJS.ValueType.Date);
    expect(deadline.numFmt).toBe("yyyy-mm-dd");
    const overall = qb.getWorksheet("总体")!;
    let asOf: ExcelJS.Cell | undefined;
    overall.eachRow((row) => {
      if (row.getCell(1).value === "统计日期") asOf = row.getCell(2);
    });
    expect(asOf?.type).toBe(ExcelJS.ValueType.Date);

    const a = await t.call(sup, "GET", `/api/reports/annual?governmentOrgId=${cityId}&year=2026&format=xlsx`);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    const ab = await open(await a.res.arrayBuffer());
    const byPlatform = ab.getWorksheet("分平台")!;
    expect(byPlatform.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(byPlatform.autoFilter).toBeTruthy();
    expect(byPlatform.getColumn(1).width).toBeGreaterThanOrEqual(6);
  });
});

