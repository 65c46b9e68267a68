// Looks inside an uploaded XLSX before any parser does, so a 10 KB file cannot make the server build
// gigabytes: the zip's central directory (sizes, ratios, entry count), the first sheet's declared
// dimension, and the real inflated size of every part the reader will open (headers can lie).
// Runtime-neutral: bytes, DataView and DecompressionStream only.
import { TABLE_LIMITS, type TableLimits } from "./csv";
import { AppError } from "./errors";

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

const MB = 1024 * 1024;

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

export const READ_FAILED = "无法读取 XLSX 文件：文件已损坏或不是 Excel 2007 及以上格式（.xlsx）";
export const tooLarge = (message: string, details: unknown[] = []) => new AppError(413, "too_large", message, details);
const invalid = (message = READ_FAILED) => new AppError(400, "invalid_file", message);
const resave = "请在 Excel/WPS 中打开并另存为新的 .xlsx 后重新上传";
const mb = (n: number) => (n / MB).toFixed(n < 10 * MB ? 1 : 0);

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

// ---- zip structure ----

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_END64_LOCATOR = 0x07064b50;

function reader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    u16: (o: number) => view.getUint16(o, true),
    u32: (o: number) => view.getUint32(o, true),
    // Past 2^53 the value is only compared against limits, so imprecision is harmless.
    u64: (o: number) => Number(view.getBigUint64(o, true)),
  };
}

/** The central directory's entries; DataView throws RangeError on any offset past the end. */
function centralDirectory(bytes: Uint8Array, limits: XlsxLimits): ZipEntry[] {
  const { u16, u32, u64 } = reader(bytes);
  let end = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--) {
    if (u32(o) === SIG_END) {
      end = o;
      break;
    }
  }
  if (end < 0) throw invalid();
  let count = u16(end + 10);
  let offset = u32(end + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    if (u32(end - 20) !== SIG_END64_LOCATOR) throw invalid();
    const rec = u64(end - 12);
    if (u32(rec) !== SIG_END64) throw invalid();
    count = u64(rec + 32);
    offset = u64(rec + 48);
  }
  if (count > limits.maxEntries) {
    throw tooLarge(`表格过大：文件包含 ${count} 个部件（上限 ${limits.maxEntries} 个），请只保留需要导入的工作表，${resave}`);
  }
  const names = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let i = 0, p = offset; i < count; i++) {
    if (u32(p) !== SIG_CENTRAL) throw invalid();
    const nameLength = u16(p + 28);
    const extraEnd = p + 46 + nameLength + u16(p + 30);
    const e: ZipEntry = {
      name: names.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      flags: u16(p + 8),
      method: u16(p + 10),
      crc: u32(p + 16),
      compressedSize: u32(p + 20),
      size: u32(p + 24),
      localOffset: u32(p + 42),
    };
    // Zip64 extra field: 8-byte values for whichever 4-byte fields are saturated, in this order.
    for (let x = p + 46 + nameLength; x + 4 <= extraEnd; x += 4 + u16(x + 2)) {
      if (u16(x) !== 1) continue;
      let q = x + 4;
      if (e.size === 0xffffffff) (e.size = u64(q)), (q += 8);
      if (e.compressedSize === 0xffffffff) (e.compressedSize = u64(q)), (q += 8);
      if (e.localOffset === 0xffffffff) e.localOffset = u64(q);
    }
    entries.push(e);
    p = extraEnd + u16(p + 32);
  }
  return entries;
}

/** Refuses on the declared sizes alone: cheap, and enough for an honest bomb. */
function checkDeclaredSizes(entries: ZipEntry[], limits: XlsxLimits) {
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (e.size > limits.ratioFloorBytes && e.size / Math.max(e.compressedSize, 1) > limits.maxRatio) {
      const ratio = Math.round(e.size / Math.max(e.compressedSize, 1));
      throw tooLarge(`文件异常：其中的 ${e.name} 解压后是压缩时的 ${ratio} 倍（上限 ${limits.maxRatio} 倍），像是恶意构造的压缩包；${resave}`);
    }
  }
  if (total > limits.maxTotalBytes) {
    throw tooLarge(`表格过大：解压后约 ${mb(total)} MB（上限 ${mb(limits.maxTotalBytes)} MB），请删除多余的工作表、图片或行列，或拆分文件后重新上传`);
  }
}

/** An entry's compressed bytes, found through its local header. */
function entryData(bytes: Uint8Array, e: ZipEntry): Uint8Array {
  const { u16, u32 } = reader(bytes);
  if (u32(e.localOffset) !== SIG_LOCAL) throw invalid();
  if (e.flags & 1) throw invalid(`XLSX 文件中的部件已加密，${resave}`);
  if (e.method !== 0 && e.method !== 8) throw invalid();
  const start = e.localOffset + 30 + u16(e.localOffset + 26) + u16(e.localOffset + 28);
  if (start + e.compressedSize > bytes.length) throw invalid();
  return bytes.subarray(start, start + e.compressedSize);
}

const FEED = 16 * 1024;

/**
 * Inflates an entry, stopping once more than `limit` bytes came out: returns the first `keep` bytes,
 * the count, and whether it ended within the limit. Input is fed in slices with backpressure, so a
 * bomb is never inflated further than this reads.
 */
async function inflate(
  e: ZipEntry,
  data: Uint8Array,
  limit: number,
  keep = 0,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<{ head: Uint8Array; total: number; within: boolean }> {
  if (e.method === 0) {
    onChunk?.(data.subarray(0, limit));
    return { head: data.subarray(0, keep), total: data.length, within: data.length <= limit };
  }
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  void (async () => {
    for (let i = 0; i < data.length; i += FEED) {
      await writer.ready;
      await writer.write(data.slice(i, i + FEED));
    }
    await writer.close();
  })().catch(() => {}); // the read side reports corrupt data; a cancelled read rejects pending writes
  const out = stream.readable.getReader();
  const head = new Uint8Array(keep);
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await out.read();
      if (done) return { head: head.subarray(0, Math.min(total, keep)), total, within: true };
      if (total < keep) head.set(value.subarray(0, keep - total), total);
      total += value.length;
      if (total > limit) {
        await out.cancel();
        return { head, total, within: false };
      }
      onChunk?.(value);
    }
  } catch (err) {
    await out.cancel().catch(() => {});
    if (err instanceof AppError) throw err;
    throw invalid();
  }
}

// ---- workbook structure ----

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
function mergeScanner(merges: CellRange[], limits: XlsxLimits) {
  const decoder = new TextDecoder();
  let carry = "";
  let rows = 0;
  return (chunk: Uint8Array) => {
    const text = carry + decoder.decode(chunk, { stream: true });
    let end = 0;
    for (const m of text.matchAll(/<(?:[\w.-]+:)?(?:mergeCell\b[^>]*>|row[\s>])/g)) {
      end = m.index + m[0].length;
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

// ---- the zip handed to the streaming reader ----

interface Part {
  name: string;
  method: number;
  crc: number;
  size: number;
  data: Uint8Array;
}

/**
 * Local entries only, in the order the streaming reader needs them (relationships, workbook, styles,
 * shared strings, then the sheet), followed by an empty central directory where its reader stops.
 * With the strings first it streams the sheet instead of spooling it to a temp file.
 */
function repack(parts: Part[]): Uint8Array {
  const encoder = new TextEncoder();
  const names = parts.map((p) => encoder.encode(p.name));
  const out = new Uint8Array(parts.reduce((n, p, i) => n + 30 + names[i]!.length + p.data.length, 22));
  const view = new DataView(out.buffer);
  let o = 0;
  parts.forEach((p, i) => {
    const name = names[i]!;
    view.setUint32(o, SIG_LOCAL, true);
    view.setUint16(o + 4, 20, true);
    view.setUint16(o + 8, p.method, true);
    view.setUint32(o + 14, p.crc, true);
    view.setUint32(o + 18, p.data.length, true);
    view.setUint32(o + 22, p.size, true);
    view.setUint16(o + 26, name.length, true);
    out.set(name, o + 30);
    out.set(p.data, o + 30 + name.length);
    o += 30 + name.length + p.data.length;
  });
  view.setUint32(o, SIG_END, true);
  return out;
}

export interface XlsxInspection {
  /** A zip with just the parts needed to read the first worksheet (as sheet1.xml); null if there is none. */
  zip: Uint8Array | null;
  /** The first worksheet's merged ranges. */
  merges: CellRange[];
}

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
    parts.push((await part(sheet, "xl/worksheets/sheet1.xml", 0, mergeScanner(merges, limits))).part);
    return { zip: repack(parts), merges };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid(); // RangeError from reading past the end of a truncated file
  }
}
