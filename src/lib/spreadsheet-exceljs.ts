// Node-only XLSX adapter (exceljs). Workers get no spreadsheet codec and answer XLSX requests with 501.
import { Readable } from "node:stream";
import type ExcelJS from "exceljs";
import { cellTooLongMessage, neutraliseCell, tooManyColumnsMessage, tooManyRowsMessage } from "./csv";
import type { SheetOut, SheetRows, SpreadsheetCodec } from "./types";
import { columnName, inspectXlsx, tooLarge, XLSX_LIMITS, type CellRange, type XlsxLimits } from "./xlsx-inspect";

// exceljs is loaded on first use: it adds ~30 MB to every process that never touches a spreadsheet.
let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => (excel ??= import("exceljs").then((m) => (m as unknown as { default: typeof ExcelJS }).default ?? (m as unknown as typeof ExcelJS)));
/** The server loads it once it is listening, so the first upload does not wait for it. */
export const preloadSpreadsheets = () => void loadExcel();
/** ValueType.Formula in exceljs's enum. */
const FORMULA = 6;

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return "";
  if (v instanceof Date) {
    // Excel stores dates as local-less serials; exceljs gives UTC midnight for a date cell.
    return v.toISOString().slice(0, 10);
  }
  // The streaming reader gives an error-valued formula result as NaN, where load() gave { error }.
  if (typeof v === "number" && Number.isNaN(v)) return "";
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((r) => r.text).join("");
    if ("text" in v && typeof v.text === "string") return v.text;
    if ("result" in v) return cellText(v.result as ExcelJS.CellValue);
    if ("error" in v) return "";
  }
  return String(v);
}

/** exceljs's own test for a date number format: date letters outside quotes and brackets. */
const isDateFormat = (fmt: string | undefined) => !!fmt && /[ymdhMsb]/.test(fmt.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));

/**
 * A cell's value. For a formula, its result from the cell itself (the value object drops a 0 or
 * error result); dates where the format says so, since the streaming reader leaves serial numbers.
 */
function cellValue(cell: ExcelJS.Cell, date1904: boolean): ExcelJS.CellValue {
  if (cell.type !== FORMULA) return cell.value;
  const result = cell.result as ExcelJS.CellValue;
  if (typeof result === "number" && isDateFormat(cell.numFmt)) {
    return new Date(Math.round((result - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
  }
  return result ?? null;
}

/** A limit passed at a row: the row goes in the details, as for CSV. */
const rowTooLarge = (row: number, message: string) => tooLarge(message, [{ row, message }]);

/** One row's texts, refusing content past the column limit or too long; blanks inside as "". */
function rowTexts(row: ExcelJS.Row, n: number, limits: XlsxLimits, date1904: boolean): string[] {
  const cells: string[] = [];
  // eachCell visits only cells that hold a value: a lone cell at XFD is one visit, not 16384.
  row.eachCell((cell, col) => {
    const text = cellText(cellValue(cell, date1904));
    if (text === "") return;
    if (col > limits.maxColumns) throw rowTooLarge(n, tooManyColumnsMessage(n, `${columnName(col)} 列（第 ${col} 列）`, limits.maxColumns));
    if (text.length > limits.maxCellChars) throw rowTooLarge(n, cellTooLongMessage(n, `${columnName(col)} 列`, limits.maxCellChars));
    cells[col - 1] = text;
  });
  // As wide as the row's last cell, like the whole-workbook reader gave it, unless that is an empty
  // formatted cell past the limit.
  const width = row.cellCount <= limits.maxColumns ? row.cellCount : cells.length;
  for (let i = 0; i < width; i++) cells[i] ??= "";
  return cells;
}

/** Each cell of a merged range reads as the range's value, as the whole-workbook reader gave it. */
function fillMerges(rows: string[][], merges: CellRange[], limits: XlsxLimits) {
  let budget = limits.maxMergedCells;
  for (const m of merges) {
    const value = rows[m.top - 1]?.[m.left - 1] ?? "";
    const bottom = Math.min(m.bottom, limits.maxRows);
    const right = Math.min(m.right, limits.maxColumns);
    if (value === "" || bottom < m.top || right < m.left) continue;
    budget -= (bottom - m.top + 1) * (right - m.left + 1);
    if (budget < 0) throw tooLarge(`表格过大：合并单元格覆盖的范围过大（上限 ${limits.maxMergedCells} 个单元格），请取消多余的合并后重新上传`);
    for (let r = m.top; r <= bottom; r++) {
      const row = (rows[r - 1] ??= []);
      for (let c = 1; c <= right; c++) row[c - 1] = c >= m.left ? value : (row[c - 1] ?? "");
    }
  }
}

/** exceljs's internals reached below; pinned by the exact exceljs version in package.json. */
interface ReaderInternals {
  properties?: { model?: { date1904?: boolean } };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(chunks: AsyncIterable<Uint8Array | string>, sheetNo: string): Generator<unknown>;
}

async function* utf8Text(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const c of chunks) yield typeof c === "string" ? c : decoder.decode(c, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * exceljs 4.4's streaming reader decodes each inflated chunk on its own and so splits Chinese
 * characters that straddle a chunk boundary into "��" (exceljs issues #2063, #2084): hand it text.
 */
function decodeAsText(reader: ExcelJS.stream.xlsx.WorkbookReader) {
  const r = reader as unknown as ReaderInternals;
  for (const name of ["_parseRels", "_parseWorkbook", "_parseStyles", "_parseSharedStrings"] as const) {
    const parse = r[name].bind(reader) as (entry: Readable) => never;
    r[name] = (entry: Readable) => parse(entry.setEncoding("utf8"));
  }
  const parseWorksheet = r._parseWorksheet.bind(reader);
  r._parseWorksheet = (chunks, sheetNo) => parseWorksheet(utf8Text(chunks), sheetNo);
}

// ── Writing: sheets people like to open ─────────────────────────────────────────────────────────

const DATE_FORMAT = "yyyy-mm-dd";
const DATETIME_FORMAT = "yyyy-mm-dd hh:mm";
/** Column widths in Excel's character units: wide enough for the longest cell, never a whole screen. */
const MIN_WIDTH = 6;
const MAX_WIDTH = 50;
/** Drop-downs reach this far below the last row, for rows people add. */
const SPARE_ROWS = 1000;

/** Display width of a text: CJK and full-width characters take two columns. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
  return w;
}

/**
 * A date column's text as an Excel date, or undefined to leave it as text ("无记录"). Excel dates
 * carry no time zone, so an instant is written as its Beijing wall-clock time.
 */
function dateCell(v: string | number | null, kind: "date" | "datetime"): { value: Date; format: string } | undefined {
  if (typeof v !== "string") return undefined;
  const text = v.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return { value: new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)), format: DATE_FORMAT };
  if (kind !== "datetime") return undefined;
  m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return undefined;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // With a zone it is an instant (shown in Beijing time); without, it is already Beijing time.
  const value = m[7] ? new Date(Date.parse(text.replace(" ", "T")) + 8 * 3600_000) : new Date(wall);
  return Number.isNaN(value.getTime()) ? undefined : { value, format: DATETIME_FORMAT };
}

function writeSheet(ws: ExcelJS.Worksheet, s: SheetOut) {
  const header = s.headerRow;
  const firstData = (header ?? 1) + 1;
  const kinds = new Map((s.dates ?? []).map((d) => [d.column, d.kind]));
  s.rows.forEach((r, i) => {
    const row = ws.addRow(r.map((v) => (typeof v === "string" ? neutraliseCell(v) : v)));
    if (i + 1 < firstData) return;
    for (const [column, kind] of kinds) {
      const d = dateCell(r[column - 1] ?? null, kind);
      if (!d) continue;
      const cell = row.getCell(column);
      cell.value = d.value;
      cell.numFmt = d.format;
    }
  });
  ws.getRow(1).font = { bold: true };
  const lastRow = Math.max(s.rows.length, firstData - 1) + SPARE_ROWS;
  if (header) {
    const width = s.rows[header - 1]?.length ?? 0;
    ws.getRow(header).font = { bold: true };
    // The header (and any title rows above it) stays in view while scrolling.
    ws.views = [{ state: "frozen", xSplit: 0, ySplit: header, topLeftCell: `A${header + 1}`, activeCell: `A${header + 1}` }];
    if (width > 0) ws.autoFilter = { from: { row: header, column: 1 }, to: { row: header, column: width } };
  }
  // Dates people type into an empty date cell of a listed row (检查日期) show as dates too.
  for (const [column, kind] of kinds) {
    for (let r = firstData; r <= s.rows.length; r++) {
      const cell = ws.getCell(r, column);
      if (cell.value === null || cell.value === undefined || cell.value === "") {
        cell.value = null;
        cell.numFmt = kind === "date" ? DATE_FORMAT : DATETIME_FORMAT;
      }
    }
  }
  for (const l of s.lists ?? []) {
    const col = columnName(l.column);
    // Excel keeps an inline list under 255 characters; ours (platforms, results, problem types) are short.
    (ws as unknown as { dataValidations: { add(range: string, v: object): void } }).dataValidations.add(`${col}${firstData}:${col}${lastRow}`, {
      type: "list",
      allowBlank: true,
      formulae: [`"${l.values.join(",")}"`],
      showErrorMessage: true,
      // A lenient list warns about other text and lets it through (several problems in one cell).
      errorStyle: l.strict === false ? "warning" : "stop",
      errorTitle: "请从列表中选择",
      error: l.strict === false ? `建议从列表中选择；多个问题用“；”分隔。可选：${l.values.join("、")}` : `可选：${l.values.join("、")}`,
    });
  }
  setWidths(ws, s);
}

/**
 * Each column as wide as its widest cell from the header down (title rows above the header, and a
 * lone cell in its row, spill over their empty neighbours and do not set widths).
 */
function setWidths(ws: ExcelJS.Worksheet, s: SheetOut) {
  const widths: number[] = [];
  const kinds = new Map((s.dates ?? []).map((d) => [d.column, d.kind]));
  const filled = (r: (string | number | null)[]) => r.filter((v) => v !== null && v !== "").length;
  const table = s.rows.some((r) => filled(r) > 1);
  s.rows.forEach((r, i) => {
    if (s.headerRow && i + 1 < s.headerRow) return;
    if (table && filled(r) < 2) return;
    r.forEach((v, c) => {
      if (v === null || v === "") return;
      const kind = kinds.get(c + 1);
      const w = kind && dateCell(v, kind) ? (kind === "date" ? 10 : 16) : textWidth(String(v));
      widths[c] = Math.max(widths[c] ?? 0, w);
    });
  });
  widths.forEach((w, c) => {
    ws.getColumn(c + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2));
  });
}

export const exceljsCodec: SpreadsheetCodec = {
  async readRows(data) {
    const limits = XLSX_LIMITS;
    const { zip, merges, links } = await inspectXlsx(data, limits);
    if (!zip) return [];
    const Excel = await loadExcel();
    const reader = new Excel.stream.xlsx.WorkbookReader(Readable.from(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength)), {
      sharedStrings: "cache",
      hyperlinks: "ignore",
      // Styles say which numbers are dates.
      styles: "cache",
      worksheets: "emit",
      entries: "ignore",
    });
    decodeAsText(reader);
    const rows: string[][] = [];
    for await (const ws of reader) {
      const date1904 = (reader as unknown as ReaderInternals).properties?.model?.date1904 === true;
      let last = 0;
      for await (const row of ws) {
        // A row without a number follows the one before; numbers never go back.
        const n = row.number > last ? row.number : last + 1;
        last = n;
        const cells = rowTexts(row, n, limits, date1904);
        if (n <= limits.maxRows) rows[n - 1] = cells;
        // Blank rows just past the end are tolerated (Excel keeps formatted empty rows), not without bound.
        else if (cells.some((c) => c !== "") || n > 2 * limits.maxRows) throw rowTooLarge(n, tooManyRowsMessage(n, limits.maxRows));
      }
      break; // the inspected zip holds the first worksheet only
    }
    fillMerges(rows, merges, limits);
    const out: SheetRows = Array.from(rows, (r) => r ?? []);
    // Not enumerable: the rows stay plain rows to anything that copies or compares them.
    if (links && links.length > 0) Object.defineProperty(out, "links", { value: links.filter((l) => l.row <= out.length), enumerable: false });
    return out;
  },
  async write(sheets) {
    const Excel = await loadExcel();
    const wb = new Excel.Workbook();
    for (const s of sheets) writeSheet(wb.addWorksheet(s.name), s);
    const buf = await wb.xlsx.writeBuffer();
    return new Uint8Array(buf as ArrayBuffer);
  },
};
