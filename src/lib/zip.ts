// The zip container of an XLSX, read and written by hand: the central directory (sizes as declared),
// each entry's data, inflating with a bound (headers can lie), and the small zip handed to the
// streaming reader. Runtime-neutral: bytes, DataView and DecompressionStream only.
import { AppError } from "./errors";
import type { XlsxLimits } from "./xlsx-inspect";
import { invalid, mb, resave, tooLarge } from "./xlsx-errors";

// ---- zip structure ----

export interface ZipEntry {
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
export function centralDirectory(bytes: Uint8Array, limits: XlsxLimits): ZipEntry[] {
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
export function checkDeclaredSizes(entries: ZipEntry[], limits: XlsxLimits) {
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
export function entryData(bytes: Uint8Array, e: ZipEntry): Uint8Array {
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
export async function inflate(
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

// ---- the zip handed to the streaming reader ----

export interface Part {
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
export function repack(parts: Part[]): Uint8Array {
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

