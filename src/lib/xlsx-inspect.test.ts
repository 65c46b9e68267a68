// Hostile and odd XLSX files, built byte by byte: the inspector refuses them cheaply, the codec
// refuses what only reading reveals, and ordinary files read exactly as before.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { exceljsCodec } from "./spreadsheet-exceljs";
import { makeZip, type ZipFile } from "../../test/support/zip";
import { columnName, columnNumber, inspectXlsx, XLSX_LIMITS } from "./xlsx-inspect";


const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const WS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const workbookXml = (sheets: string[]) =>
  `<?xml version="1.0"?><workbook ${NS}><sheets>${sheets.map((_, i) => `<sheet name="表${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("")}</sheets></workbook>`;
const relsXml = (sheets: string[]) =>
  `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
    .map((target, i) => `<Relationship Id="rId${i + 1}" Type="${WS_TYPE}" Target="${target}"/>`)
    .join("")}</Relationships>`;
const sheetXml = (rows: string, dimension?: string, tail = "") =>
  `<?xml version="1.0"?><worksheet ${NS}>${dimension ? `<dimension ref="${dimension}"/>` : ""}<sheetData>${rows}</sheetData>${tail}</worksheet>`;
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** A one-sheet workbook around the given sheet entry. */
function xlsx(sheet: Omit<ZipFile, "name">, more: ZipFile[] = []): Uint8Array {
  return makeZip([
    { name: "xl/workbook.xml", data: workbookXml(["s"]) },
    { name: "xl/_rels/workbook.xml.rels", data: relsXml(["worksheets/sheet1.xml"]) },
    { name: "xl/worksheets/sheet1.xml", ...sheet },
    ...more,
  ]);
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  const err = e as AppError;
  expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
  return err;
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await f();
  return { value, ms: performance.now() - start };
}

describe("inspectXlsx", () => {
  it("passes an ordinary workbook and hands on only the parts the reader needs", async () => {
    const bytes = xlsx({ data: sheetXml(inline("A1", "标题") + inline("B1", "x"), "A1:B1", '<mergeCells count="1"><mergeCell ref="A2:A4"/></mergeCells>') });
    const { zip, merges } = await inspectXlsx(bytes);
    expect(zip).not.toBeNull();
    expect(merges).toEqual([{ top: 2, left: 1, bottom: 4, right: 1 }]);
    const text = Buffer.from(zip!).toString("latin1");
    const order = ["xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"].map((n) => text.indexOf(n));
    expect(order.every((p, i) => p >= 0 && (i === 0 || p > order[i - 1]!))).toBe(true);
  });

  it("refuses a first sheet that declares 16384 columns (the 10 KB file that stopped the server)", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `<row r="${i + 1}">${inline(`XFD${i + 1}`, "x")}</row>`).join("");
    const bytes = xlsx({ data: sheetXml(rows, "A1:XFD1000") });
    expect(bytes.length).toBeLessThan(20_000);
    const { value: e, ms } = await timed(() => refusal(inspectXlsx(bytes)));
    expect(e.status).toBe(413);
    expect(e.code).toBe("too_large");
    expect(e.message).toContain("16384 列");
    expect(e.message).toContain("上限 200 列");
    // Speed is a figure, not an assertion (a loaded machine would flake it); the refusal text shows where it stopped.
    console.info(`xlsx refusal: ${Math.round(ms)} ms`);
  });

  it("refuses a first sheet that declares more rows than a header plus 20000", async () => {
    const e = await refusal(inspectXlsx(xlsx({ data: sheetXml(`<row r="1">${inline("A1", "x")}</row>`, "A1:C400000") })));
    expect(e.status).toBe(413);
    expect(e.message).toContain("400000 行");
  });

  it("refuses an honest zip bomb by its compression ratio: 20 MB of zeros in 20 KB", async () => {
    const bomb = new Uint8Array(20 * 1024 * 1024);
    const bytes = xlsx({ data: sheetXml("") }, [{ name: "xl/media/image1.png", data: bomb }]);
    expect(bytes.length).toBeLessThan(100_000);
    const { value: e, ms } = await timed(() => refusal(inspectXlsx(bytes)));
    expect(e.status).toBe(413);
    expect(e.message).toContain("xl/media/image1.png");
    expect(e.message).toMatch(/\d+ 倍/);
    // Speed is a figure, not an assertion (a loaded machine would flake it); the refusal text shows where it stopped.
    console.info(`xlsx refusal: ${Math.round(ms)} ms`);
  });

  it("refuses a central directory that claims a huge size, directly or through zip64", async () => {
    const huge = xlsx({ data: sheetXml(""), claim: 0xfffffff0 });
    expect((await refusal(inspectXlsx(huge))).status).toBe(413);
    const zip64 = xlsx({ data: sheetXml(""), zip64Claim: 5 * 2 ** 30 });
    expect((await refusal(inspectXlsx(zip64))).status).toBe(413);
  });

  it("refuses more than 50 MB in total even when no single part looks like a bomb", async () => {
    // 1 MB of incompressible bytes claiming 60 MB: a ratio of 60, under the bomb threshold.
    const noise = new Uint8Array(1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    const e = await refusal(inspectXlsx(xlsx({ data: sheetXml("") }, [{ name: "xl/media/a.bin", data: noise, store: true, claim: 60 * 1024 * 1024 }])));
    expect(e.status).toBe(413);
    expect(e.message).toContain("上限 50 MB");
  });

  it("refuses oversized shared strings on the declared size", async () => {
    const noise = new Uint8Array(512 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    const e = await refusal(inspectXlsx(xlsx({ data: sheetXml("") }, [{ name: "xl/sharedStrings.xml", data: noise, store: true, claim: 21 * 1024 * 1024 }])));
    expect(e.status).toBe(413);
    expect(e.message).toContain("文字");
  });

  it("refuses too many parts before reading them", async () => {
    const parts = Array.from({ length: XLSX_LIMITS.maxEntries }, (_, i) => ({ name: `x/${i}`, data: "", store: true }));
    const e = await refusal(inspectXlsx(xlsx({ data: sheetXml("") }, parts)));
    expect(e.status).toBe(413);
    expect(e.message).toContain("部件");
  });

  it("refuses a part that inflates past the size its headers claim (a lying bomb), stopping early", async () => {
    const rows = `<row r="1">${inline("A1", "x".repeat(1000))}</row>`.repeat(20_000); // ~20 MB of XML
    const bytes = xlsx({ data: sheetXml(rows), claim: 4000 });
    const { value: e, ms } = await timed(() => refusal(inspectXlsx(bytes)));
    expect(e.status).toBe(400);
    expect(e.code).toBe("invalid_file");
    expect(e.message).toContain("xl/worksheets/sheet1.xml");
    // Speed is a figure, not an assertion (a loaded machine would flake it); the refusal text shows where it stopped.
    console.info(`xlsx refusal: ${Math.round(ms)} ms`);
  });

  it("answers 400 for files that are not an XLSX at all", async () => {
    for (const bytes of [
      new TextEncoder().encode("账号名称,平台\n"),
      xlsx({ data: sheetXml("") }).subarray(0, 200), // truncated
      makeZip([{ name: "xl/worksheets/sheet1.xml", data: sheetXml("") }]), // no workbook
      makeZip([{ name: "a", data: "1" }, { name: "a", data: "2" }, { name: "xl/workbook.xml", data: "" }]),
    ]) {
      const e = await refusal(inspectXlsx(bytes));
      expect([e.status, e.code]).toEqual([400, "invalid_file"]);
    }
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect((await refusal(inspectXlsx(ole))).message).toContain("旧版 .xls");
  });

  it("names columns as Excel does", () => {
    expect([1, 26, 27, 200, 16384].map(columnName)).toEqual(["A", "Z", "AA", "GR", "XFD"]);
    expect(["A", "Z", "AA", "GR", "XFD"].map(columnNumber)).toEqual([1, 26, 27, 200, 16384]);
  });
});

describe("exceljsCodec.readRows", () => {
  it("gives hyperlink cells' http(s) targets beside the rows (not enumerable), reading the sheet's rels part", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("a");
    ws.addRow(["名称", "链接"]);
    ws.addRow(["x", ""]);
    ws.getCell("B2").value = { text: "微博主页", hyperlink: "https://weibo.com/u/1?a=1&b=2" };
    ws.getCell("A2").value = { text: "内部", hyperlink: "#a!A1" };
    const rows = await exceljsCodec.readRows(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    expect(rows).toEqual([
      ["名称", "链接"],
      ["内部", "微博主页"],
    ]);
    expect(rows.links).toEqual([{ row: 2, col: 2, target: "https://weibo.com/u/1?a=1&b=2" }]);
    expect(Object.keys(rows)).toEqual(["0", "1"]);
  });

  it("refuses content past column 200 while reading, when the dimension lies", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `<row r="${i + 1}">${inline(`XFD${i + 1}`, "x")}</row>`).join("");
    const { value: e, ms } = await timed(() => refusal(exceljsCodec.readRows(xlsx({ data: sheetXml(rows, "A1:A1000") }))));
    expect(e.status).toBe(413);
    expect(e.message).toContain("第1行");
    expect(e.message).toContain("XFD 列");
    // Speed is a figure, not an assertion (a loaded machine would flake it); the refusal text shows where it stopped.
    console.info(`xlsx refusal: ${Math.round(ms)} ms`);
  });

  it("ignores empty cells far to the right (formatting, not data)", async () => {
    const rows = `<row r="1">${inline("A1", "标题")}<c r="XFD1" s="1"/></row><row r="2">${inline("A2", "一")}</row>`;
    expect(await exceljsCodec.readRows(xlsx({ data: sheetXml(rows) }))).toEqual([["标题"], ["一"]]);
  });

  it("refuses the 20002nd row while reading, when the dimension lies; blank rows past it are tolerated", async () => {
    const row = (n: number) => `<row r="${n}"><c r="A${n}"><v>${n}</v></c></row>`;
    const ok = Array.from({ length: 20_001 }, (_, i) => row(i + 1)).join("") + '<row r="20002"/><row r="20003"/>';
    expect((await exceljsCodec.readRows(xlsx({ data: sheetXml(ok, "A1") }))).length).toBe(20_001);
    const tooMany = Array.from({ length: 25_000 }, (_, i) => row(i + 1)).join("");
    const e = await refusal(exceljsCodec.readRows(xlsx({ data: sheetXml(tooMany, "A1") })));
    expect(e.status).toBe(413);
    expect(e.message).toContain("第20002行");
  });

  it("refuses a cell longer than 10000 characters", async () => {
    const rows = `<row r="1">${inline("A1", "标题")}</row><row r="2">${inline("B2", "长".repeat(10_001))}</row>`;
    const e = await refusal(exceljsCodec.readRows(xlsx({ data: sheetXml(rows) })));
    expect(e.status).toBe(413);
    expect(e.message).toContain("第2行");
    expect(e.message).toContain("B 列");
  });

  it("reads the first tab in workbook order, whatever its file is called", async () => {
    const bytes = makeZip([
      { name: "xl/workbook.xml", data: workbookXml(["b", "a"]) },
      { name: "xl/_rels/workbook.xml.rels", data: relsXml(["worksheets/sheet2.xml", "/xl/worksheets/sheet1.xml"]) },
      { name: "xl/worksheets/sheet1.xml", data: sheetXml(`<row r="1">${inline("A1", "第二个")}</row>`) },
      { name: "xl/worksheets/sheet2.xml", data: sheetXml(`<row r="1">${inline("A1", "第一个")}</row>`) },
    ]);
    expect(await exceljsCodec.readRows(bytes)).toEqual([["第一个"]]);
  });

  it("keeps Chinese text intact across inflate chunks (the streaming reader alone garbles it)", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("表");
    const expected = [["标题"], ...Array.from({ length: 3000 }, (_, i) => [`盘锦市政务微博第${i}条发文：中文长文本`.repeat(3)])];
    for (const r of expected) ws.addRow(r);
    const rows = await exceljsCodec.readRows(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    expect(rows).toEqual(expected);
  });

  it("reads cells as the whole-workbook reader did: dates, formula results, rich text, links, merged ranges", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("a");
    ws.addRow(["h1", "h2", "h3"]);
    ws.addRow(["org", "x", { formula: "1/0", result: { error: "#DIV/0!" } }]);
    ws.addRow([null, "y", 3.5]);
    ws.getCell("D2").value = { formula: "A1-A1", result: 0 };
    ws.getCell("E2").value = { formula: "DATE(2026,1,2)", result: new Date(Date.UTC(2026, 0, 2)) };
    ws.getCell("E2").numFmt = "yyyy-mm-dd";
    ws.getCell("F3").value = new Date(Date.UTC(2025, 11, 31));
    ws.getCell("G3").value = { richText: [{ text: "富" }, { text: "文本" }] };
    ws.getCell("H3").value = { text: "链接", hyperlink: "https://example.com" };
    ws.mergeCells("A2:A4");
    ws.mergeCells("B5:C6");
    ws.getCell("B5").value = "合并";
    wb.addWorksheet("b").addRow(["second"]);
    const rows = await exceljsCodec.readRows(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    expect(rows).toEqual([
      ["h1", "h2", "h3"],
      ["org", "x", "", "0", "2026-01-02"],
      ["org", "y", "3.5", "", "", "2025-12-31", "富文本", "链接"],
      ["org"],
      ["", "合并", "合并"],
      ["", "合并", "合并"],
    ]);
  });

  it("reads a workbook without sheets as no rows", async () => {
    expect(await exceljsCodec.readRows(new Uint8Array((await new ExcelJS.Workbook().xlsx.writeBuffer()) as ArrayBuffer))).toEqual([]);
  });
});
