import type { RowError } from "../domain/ledger";
import { isHttpUrl } from "../domain/ledger";
import { toRecords } from "../lib/csv";
import { badRequest } from "../lib/errors";

export const POST_COLUMNS = ["发布时间", "标题", "链接", "唯一标识"] as const;

/**
 * A date-time as clerks type it: ISO with an offset, or "2026-11-22 23:59[:59]" (Beijing time,
 * also with "/" separators). Returns an ISO instant, or undefined.
 */
export function parsePostTime(text: string): string | undefined {
  const t = text.trim();
  const local = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  let ms: number;
  if (local) {
    const [, y, mo, d, h = "0", mi = "0", s = "0"] = local;
    ms = Date.UTC(+y!, +mo! - 1, +d!, +h - 8, +mi, +s);
    const back = new Date(ms + 8 * 3600_000);
    if (back.getUTCMonth() !== +mo! - 1 || back.getUTCDate() !== +d! || +h > 23 || +mi > 59 || +s > 59) return undefined;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    ms = Date.parse(t);
  } else return undefined;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Checks every row of a posts file; row numbers as the spreadsheet shows them. */
export function parsePostRows(table: string[][], now: Date) {
  const { header, records } = toRecords(table);
  if (!header.includes("标题")) throw badRequest("表头缺少必填列：标题（第1行应为：发布时间, 标题, 链接, 唯一标识）", [{ row: 1, message: "缺少列 标题" }]);
  if (records.length === 0) throw badRequest("文件中没有数据行");
  if (records.length > 20000) throw badRequest("一次最多导入 20000 行，请拆分文件");
  const errors: RowError[] = [];
  const items: { publishedAt?: string; title: string; url?: string; guid?: string }[] = [];
  for (const { row, cells } of records) {
    const title = (cells["标题"] ?? "").trim();
    const time = (cells["发布时间"] ?? "").trim();
    const url = (cells["链接"] ?? "").trim();
    const guid = (cells["唯一标识"] ?? "").trim();
    const before = errors.length;
    if (!title) errors.push({ row, column: "标题", message: "标题不能为空" });
    else if (title.length > 500) errors.push({ row, column: "标题", message: "标题不能超过500个字" });
    let publishedAt: string | undefined;
    if (time) {
      publishedAt = parsePostTime(time);
      if (!publishedAt) errors.push({ row, column: "发布时间", message: `无法识别的时间“${time}”，应为 2026-11-22 23:59 或带时区的 ISO 时间` });
      else if (Date.parse(publishedAt) < Date.UTC(2000, 0, 1) || Date.parse(publishedAt) > now.getTime() + 86_400_000) {
        errors.push({ row, column: "发布时间", message: "发布时间不合理（早于2000年或晚于明天）" });
      }
    }
    if (url && !isHttpUrl(url)) errors.push({ row, column: "链接", message: "链接应为 http/https 网址" });
    if (guid.length > 500) errors.push({ row, column: "唯一标识", message: "唯一标识不能超过500个字符" });
    if (errors.length === before) items.push({ title, publishedAt, url: url || undefined, guid: guid || undefined });
  }
  return { items, errors };
}
