// CSV in and out, runtime-neutral. Offices open these in Excel/WPS.

export class CsvError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message);
  }
}

/** A table past a size limit: the upload is refused (413), not reported as a format error. */
export class CsvLimitError extends CsvError {}

export interface TableLimits {
  /** Rows including the header. */
  maxRows: number;
  maxColumns: number;
  maxCellChars: number;
}

/**
 * Limits for any uploaded table (CSV or XLSX), enforced while reading so a hostile file costs little:
 * a header plus 20000 data rows (MAX_LEDGER_ROWS), and far wider and longer cells than any real ledger.
 */
export const TABLE_LIMITS: TableLimits = { maxRows: 20001, maxColumns: 200, maxCellChars: 10000 };

export const tooManyRowsMessage = (row: number, max: number) =>
  `第${row}行：表格超过 ${max} 行（含表头，一次最多 ${max - 1} 行数据），请拆分文件后分批上传`;
/** `column` as the clerk sees it: "第 201 列" in a CSV, "XFD 列" in Excel. */
export const tooManyColumnsMessage = (row: number, column: string, max: number) =>
  `第${row}行：${column}还有内容，表格最多 ${max} 列，请删除多余的列后重新上传`;
export const cellTooLongMessage = (row: number, column: string, max: number) =>
  `第${row}行：${column}的内容超过 ${max} 个字符，请检查是否缺少换行或粘贴了多余的内容`;

/**
 * RFC 4180 parsing: quoted fields, doubled quotes, CRLF or LF; rows numbered from 1.
 * Stops with a CsvLimitError as soon as a limit is passed. Blank cells past the column limit and blank
 * rows past the row limit are dropped (Excel leaves trailing commas and empty lines), never stored.
 */
export function parseCsv(text: string, limits: TableLimits = TABLE_LIMITS): string[][] {
  const { maxRows, maxColumns, maxCellChars } = limits;
  const rows: string[][] = [];
  let row: string[] = [];
  let columns = 0;
  let blankRow = true;
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteStartLine = 1;
  // Checked as each character is appended, so a one-line 50 MB file stops after maxCellChars.
  const append = (s: string) => {
    field += s;
    if (field.length > maxCellChars) {
      throw new CsvLimitError(cellTooLongMessage(rowLine, `第 ${columns + 1} 列`, maxCellChars), rowLine);
    }
  };
  const endField = () => {
    columns++;
    const blank = field.trim() === "";
    if (!blank) blankRow = false;
    if (columns <= maxColumns) row.push(field);
    else if (!blank) throw new CsvLimitError(tooManyColumnsMessage(rowLine, `第 ${columns} 列`, maxColumns), rowLine);
    field = "";
  };
  const endRow = () => {
    if (rows.length < maxRows) rows.push(row);
    else if (!blankRow) throw new CsvLimitError(tooManyRowsMessage(rowLine, maxRows), rowLine);
    row = [];
    columns = 0;
    blankRow = true;
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          append('"');
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        append(ch);
      }
      continue;
    }
    if (ch === '"') {
      if (field.length > 0) throw new CsvError(`第${line}行：引号只能出现在字段开头`, line);
      quoted = true;
      quoteStartLine = line;
    } else if (ch === ",") {
      endField();
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endField();
      endRow();
      line++;
      rowLine = line;
    } else append(ch);
  }
  if (quoted) throw new CsvError(`第${quoteStartLine}行：引号没有闭合`, quoteStartLine);
  if (field.length > 0 || row.length > 0 || columns > 0) {
    endField();
    endRow();
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
