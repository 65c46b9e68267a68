// Looks inside an uploaded XLSX before any parser does, so a 10 KB file cannot make the server build
// gigabytes: the zip's central directory (sizes, ratios, entry count), the first sheet's declared
// dimension, and the real inflated size of every part the reader will open (headers can lie).
// Runtime-neutral: bytes, DataView and DecompressionStream only.
import { TABLE_LIMITS, type TableLimits } from "./csv";
import { AppError } from "./errors";
import { invalid, MB, mb, resave, tooLarge } from "./xlsx-errors";
import { centralDirectory, checkDeclaredSizes, entryData, inflate, repack, type ZipEntry } from "./zip";

export interface XlsxLimits extends TableLimits {
  /** Sum of all parts' uncompressed sizes. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Uncompressed ÷ compressed, for parts larger than ratioFloorBytes (small parts compress oddly). */
  maxRatio: number;
  ratioFloorBytes: number;
  maxSharedStringsBytes: number;
  maxMerges: number;
  /** Cells filled in from merged ranges (each gets its range's value, as Excel shows it). */
  maxMergedCells: number;
}


export const XLSX_LIMITS: XlsxLimits = {
  ...TABLE_LIMITS,
  maxTotalBytes: 50 * MB,
  maxEntries: 1000,
  maxRatio: 100,
  ratioFloorBytes: 1 * MB,
  maxSharedStringsBytes: 20 * MB,
  maxMerges: 20000,
  maxMergedCells: 1_000_000,
};

export { READ_FAILED, tooLarge } from "./xlsx-errors";

/** Column letters ↔ numbers as Excel shows them: A = 1, XFD = 16384. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}
export function columnName(n: number): string {
  let s = "";
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function cellAt(ref: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref);
  return m ? { col: columnNumber(m[1]!), row: Number(m[2]) } : undefined;
}

function rangeOf(ref: string): CellRange | undefined {
  const [a, b = a] = ref.split(":");
  const p = cellAt(a ?? "");
  const q = cellAt(b ?? "");
  if (!p || !q) return undefined;
  return { top: Math.min(p.row, q.row), left: Math.min(p.col, q.col), bottom: Math.max(p.row, q.row), right: Math.max(p.col, q.col) };
}

// ---- workbook structure ----

export interface SheetLink {
  row: number;
  col: number;
  target: string;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** A relationship target as a zip path: relative to xl/, or absolute from the package root. */
function partPath(target: string): string {
  const parts: string[] = [];
  for (const seg of (target.startsWith("/") ? target : `xl/${target}`).split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== "." && seg !== "") parts.push(seg);
  }
  return parts.join("/");
}

/** The first worksheet tab (chart sheets skipped), as the old whole-workbook reader chose it. */
function firstWorksheet(workbookXml: string, relsXml: string): string | undefined {
  const rels = new Map<string, { target: string; type: string }>();
  for (const [tag] of relsXml.matchAll(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g)) {
    const id = attr(tag, "Id");
    const target = attr(tag, "Target");
    if (id && target) rels.set(id, { target, type: attr(tag, "Type") ?? "" });
  }
  for (const [tag] of workbookXml.matchAll(/<(?:[\w.-]+:)?sheet\b[^>]*>/g)) {
    const rel = rels.get(attr(tag, "[\\w.-]+:id") ?? "");
    if (rel && (rel.type === "" || rel.type.endsWith("/worksheet"))) return partPath(rel.target);
  }
  return undefined;
}

function checkDimension(sheetHead: string, limits: XlsxLimits) {
  const ref = /<(?:[\w.-]+:)?dimension\b[^>]*>/.exec(sheetHead)?.[0];
  const range = ref ? rangeOf(attr(ref, "ref") ?? "") : undefined;
  if (!range) return;
  if (range.right > limits.maxColumns) {
    throw tooLarge(`表格过大：第一个工作表声明了 ${range.right} 列（到 ${columnName(range.right)} 列，上限 ${limits.maxColumns} 列），请删除多余的列后重新上传`);
  }
  if (range.bottom > limits.maxRows) {
    throw tooLarge(`表格过大：第一个工作表声明了 ${range.bottom} 行（上限 ${limits.maxRows} 行，含表头），请删除多余的行或拆分文件后重新上传`);
  }
}

/** Collects <mergeCell ref="…"/> from the sheet XML as it streams past (they follow the rows). */
/** A hyperlink cell of the first worksheet: its place (1-based) and the relationship holding its target. */
interface LinkRef {
  row: number;
  col: number;
  rId: string;
}
/** Hyperlinks past this many are not followed (their cells read as their display text). */
const MAX_LINKS = 50_000;

function mergeScanner(merges: CellRange[], limits: XlsxLimits, links: LinkRef[] = []) {
  const decoder = new TextDecoder();
  let carry = "";
  let rows = 0;
  return (chunk: Uint8Array) => {
    const text = carry + decoder.decode(chunk, { stream: true });
    let end = 0;
    for (const m of text.matchAll(/<(?:[\w.-]+:)?(?:mergeCell\b[^>]*>|hyperlink\b[^>]*>|row[\s>])/g)) {
      end = m.index + m[0].length;
      if (/^<(?:[\w.-]+:)?hyperlink\b/.test(m[0])) {
        const at = cellAt(attr(m[0], "ref") ?? "");
        const rId = attr(m[0], "[\\w.-]+:id");
        if (at && rId && links.length < MAX_LINKS) links.push({ ...at, rId });
        continue;
      }
      if (!m[0].includes("mergeCell")) {
        // Rows are counted while the sheet is inflated anyway: a sheet far past the limit (with or
        // without a dimension) is refused here, before the parser builds a single row. Blank rows
        // just past the end are the parser's to judge, so the bound here is twice the limit.
        if (++rows > 2 * limits.maxRows) throw tooLarge(`表格过大：第一个工作表有 ${rows} 行以上（上限 ${limits.maxRows} 行，含表头），请拆分文件后分批上传`);
        continue;
      }
      const range = rangeOf(attr(m[0], "ref") ?? "");
      if (range) merges.push(range);
      if (merges.length > limits.maxMerges) {
        throw tooLarge(`表格过大：第一个工作表有超过 ${limits.maxMerges} 处合并单元格，请取消合并后重新上传`);
      }
    }
    carry = text.slice(Math.max(end, text.length - 512));
  };
}

export interface XlsxInspection {
  /** A zip with just the parts needed to read the first worksheet (as sheet1.xml); null if there is none. */
  zip: Uint8Array | null;
  /** The first worksheet's merged ranges. */
  merges: CellRange[];
  /** The first worksheet's hyperlinks to http(s) addresses: cell (1-based) and target. */
  links?: SheetLink[];
}

/** Targets of external http(s) relationships, by id, from a worksheet's .rels part. */
function externalTargets(relsXml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [tag] of relsXml.matchAll(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g)) {
    const id = attr(tag, "Id");
    const target = attr(tag, "Target")?.replace(/&amp;/g, "&");
    if (id && target && /^https?:\/\//i.test(target) && /hyperlink$/.test(attr(tag, "Type") ?? "")) out.set(id, target);
  }
  return out;
}

/** A worksheet's relationships part: xl/worksheets/sheet3.xml → xl/worksheets/_rels/sheet3.xml.rels. */
function sheetRelsPath(sheetPath: string): string {
  const i = sheetPath.lastIndexOf("/");
  return `${sheetPath.slice(0, i)}/_rels/${sheetPath.slice(i + 1)}.rels`;
}
/** Bigger hyperlink lists are not followed. */
const MAX_SHEET_RELS_BYTES = 4 * MB;

const EMPTY_STRINGS = new TextEncoder().encode('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');

/** Refuses (413 too_large, 400 invalid_file) an upload that would cost far more to read than its size. */
export async function inspectXlsx(bytes: Uint8Array, limits: XlsxLimits = XLSX_LIMITS): Promise<XlsxInspection> {
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw invalid("文件是旧版 .xls 格式或设置了打开密码：请在 Excel/WPS 中取消密码并另存为 .xlsx 后重新上传");
  }
  try {
    const entries = centralDirectory(bytes, limits);
    checkDeclaredSizes(entries, limits);
    const byName = new Map<string, ZipEntry>();
    for (const e of entries) {
      if (byName.has(e.name)) throw invalid(); // two parts of one name: readers would disagree which counts
      byName.set(e.name, e);
    }
    const strings = byName.get("xl/sharedStrings.xml");
    if (strings && strings.size > limits.maxSharedStringsBytes) {
      throw tooLarge(`表格过大：表格中的文字解压后约 ${mb(strings.size)} MB（上限 ${mb(limits.maxSharedStringsBytes)} MB），请删除多余的工作表或拆分文件后重新上传`);
    }

    // Every part given to the reader is inflated here once, to prove it is no bigger than declared.
    const part = async (e: ZipEntry, name = e.name, keep = 0, onChunk?: (chunk: Uint8Array) => void) => {
      const data = entryData(bytes, e);
      const r = await inflate(e, data, e.size, keep, onChunk);
      if (!r.within) throw invalid(`文件已损坏或被篡改：其中的 ${e.name} 解压后比文件记录的大；${resave}`);
      return { part: { name, method: e.method, crc: e.crc, size: e.size, data }, text: () => new TextDecoder().decode(r.head) };
    };
    const workbook = byName.get("xl/workbook.xml");
    const rels = byName.get("xl/_rels/workbook.xml.rels");
    if (!workbook || !rels) throw invalid();
    const head = 1 * MB; // the sheet list comes first; nothing past this is needed
    const r = await part(rels, rels.name, head);
    const w = await part(workbook, workbook.name, head);
    const sheetName = firstWorksheet(w.text(), r.text());
    if (!sheetName) return { zip: null, merges: [] };
    const sheet = byName.get(sheetName);
    if (!sheet) throw invalid();

    // The dimension sits near the top: a few KB decide whether the rest is worth reading.
    checkDimension(new TextDecoder().decode((await inflate(sheet, entryData(bytes, sheet), 64 * 1024, 64 * 1024)).head), limits);

    const styles = byName.get("xl/styles.xml");
    const parts = [r.part, w.part];
    if (styles) parts.push((await part(styles)).part);
    // Without a strings part the reader would spool the sheet to a temp file waiting for one.
    // (Its CRC stays 0: the reader's unzipper does not check CRCs, and nothing else sees this zip.)
    parts.push(strings ? (await part(strings)).part : { name: "xl/sharedStrings.xml", method: 0, crc: 0, size: EMPTY_STRINGS.length, data: EMPTY_STRINGS });
    const merges: CellRange[] = [];
    const linkRefs: LinkRef[] = [];
    parts.push((await part(sheet, "xl/worksheets/sheet1.xml", 0, mergeScanner(merges, limits, linkRefs))).part);
    // Hyperlink targets live in the sheet's .rels part; it is read here (inflated within its declared
    // size, which the total limit already counted) and not handed to the reader.
    const links: SheetLink[] = [];
    const sheetRels = linkRefs.length > 0 ? byName.get(sheetRelsPath(sheetName)) : undefined;
    if (sheetRels && sheetRels.size <= MAX_SHEET_RELS_BYTES) {
      const targets = externalTargets((await part(sheetRels, sheetRels.name, sheetRels.size)).text());
      for (const l of linkRefs) {
        const target = targets.get(l.rId);
        if (target) links.push({ row: l.row, col: l.col, target });
      }
    }
    return { zip: repack(parts), merges, links };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid(); // RangeError from reading past the end of a truncated file
  }
}
