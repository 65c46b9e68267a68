// CSV in and out, runtime-neutral. Offices open these in Excel/WPS.

export class CsvError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message);
  }
}

/** RFC 4180 parsing: quoted fields, doubled quotes, CRLF or LF; rows numbered from 1. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let quoteStartLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.length > 0) throw new CsvError(`第${line}行：引号只能出现在字段开头`, line);
      quoted = true;
      quoteStartLine = line;
    } else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      line++;
    } else field += ch;
  }
  if (quoted) throw new CsvError(`第${quoteStartLine}行：引号没有闭合`, quoteStartLine);
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Decodes an uploaded CSV: UTF-8 (with or without BOM), else GB18030 as Excel on Chinese Windows saves it. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

/**
 * A spreadsheet cell that cannot run as a formula in Excel/WPS: text starting with = + - @, tab or CR
 * gets a leading apostrophe (OWASP CSV injection).
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quoteCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV with a UTF-8 BOM so Excel/WPS show Chinese; every cell formula-safe. */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const body = rows
    .map((r) => r.map((v) => quoteCell(neutraliseCell(v == null ? "" : String(v)))).join(","))
    .join("\r\n");
  return "\uFEFF" + body + "\r\n";
}

/** Header row + data rows → records keyed by trimmed header, with their spreadsheet row number. */
export function toRecords(rows: string[][]): { header: string[]; records: { row: number; cells: Record<string, string> }[] } {
  const [head = [], ...rest] = rows;
  const header = head.map((h) => h.replace(/^\uFEFF/, "").trim());
  const records = rest
    .map((r, i) => ({ row: i + 2, cells: Object.fromEntries(header.map((h, j) => [h, r[j] ?? ""])) }))
    .filter((r) => Object.values(r.cells).some((v) => v.trim() !== ""));
  return { header, records };
}
