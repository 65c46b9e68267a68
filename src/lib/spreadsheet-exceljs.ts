// Node-only XLSX adapter (exceljs). Workers get no spreadsheet codec and answer XLSX requests with 501.
import ExcelJS from "exceljs";
import { neutraliseCell } from "./csv";
import type { SpreadsheetCodec } from "./types";

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return "";
  if (v instanceof Date) {
    // Excel stores dates as local-less serials; exceljs gives UTC midnight for a date cell.
    return v.toISOString().slice(0, 10);
  }
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((r) => r.text).join("");
    if ("text" in v && typeof v.text === "string") return v.text;
    if ("result" in v) return cellText(v.result as ExcelJS.CellValue);
    if ("error" in v) return "";
  }
  return String(v);
}

export const exceljsCodec: SpreadsheetCodec = {
  async readRows(data) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) return [];
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      for (let i = 1; i <= row.cellCount; i++) cells.push(cellText(row.getCell(i).value));
      rows[n - 1] = cells;
    });
    return Array.from(rows, (r) => r ?? []);
  },
  async write(sheets) {
    const wb = new ExcelJS.Workbook();
    for (const s of sheets) {
      const ws = wb.addWorksheet(s.name);
      for (const r of s.rows) ws.addRow(r.map((v) => (typeof v === "string" ? neutraliseCell(v) : v)));
      ws.getRow(1).font = { bold: true };
    }
    const buf = await wb.xlsx.writeBuffer();
    return new Uint8Array(buf as ArrayBuffer);
  },
};
