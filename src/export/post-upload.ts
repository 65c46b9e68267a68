// A posts file (发文记录导入): 发布时间, 标题, 链接, 唯一标识 per row, and optionally 摘要 or 正文
// (only its first 2,000 characters of text and its links are kept), each row checked.
import { isHttpUrl, MAX_LEDGER_ROWS, type RowError } from "../domain/ledger";
import { IMPLAUSIBLE_POST_TIME, isPlausiblePostTime, parsePostTime } from "../domain/posts";
import { toRecords } from "../lib/csv";
import { badRequest } from "../lib/errors";

export const POST_COLUMNS = ["发布时间", "标题", "链接", "唯一标识"] as const;
/** Optional columns: the body, else the summary, read as a pushed post's (a cell is bounded by TABLE_LIMITS). */
export const POST_TEXT_COLUMNS = ["正文", "摘要"] as const;

/** Checks every row of a posts file; row numbers as the spreadsheet shows them. */
export function parsePostRows(table: string[][], now: Date) {
  const { header, records } = toRecords(table);
  if (!header.includes("标题")) throw badRequest("表头缺少必填列：标题（第1行应为：发布时间, 标题, 链接, 唯一标识）", [{ row: 1, message: "缺少列 标题" }]);
  if (records.length === 0) throw badRequest("文件中没有数据行");
  if (records.length > MAX_LEDGER_ROWS) throw badRequest(`一次最多导入 ${MAX_LEDGER_ROWS} 行，请拆分文件`);
  const errors: RowError[] = [];
  const items: { publishedAt?: string; title: string; url?: string; guid?: string; content?: string }[] = [];
  for (const { row, cells } of records) {
    const title = (cells["标题"] ?? "").trim();
    const time = (cells["发布时间"] ?? "").trim();
    const url = (cells["链接"] ?? "").trim();
    const guid = (cells["唯一标识"] ?? "").trim();
    const texts = POST_TEXT_COLUMNS.map((column) => (cells[column] ?? "").trim());
    const before = errors.length;
    if (!title) errors.push({ row, column: "标题", message: "标题不能为空" });
    else if (title.length > 500) errors.push({ row, column: "标题", message: "标题不能超过500个字" });
    let publishedAt: string | undefined;
    if (time) {
      publishedAt = parsePostTime(time);
      if (!publishedAt) errors.push({ row, column: "发布时间", message: `无法识别的时间“${time}”，应为 2026-11-22 23:59 或带时区的 ISO 时间` });
      else if (!isPlausiblePostTime(Date.parse(publishedAt), now)) errors.push({ row, column: "发布时间", message: IMPLAUSIBLE_POST_TIME });
    }
    if (url && !isHttpUrl(url)) errors.push({ row, column: "链接", message: "链接应为 http/https 网址" });
    if (guid.length > 500) errors.push({ row, column: "唯一标识", message: "唯一标识不能超过500个字符" });
    const content = texts.find((t) => t !== "");
    if (errors.length === before) items.push({ title, publishedAt, url: url || undefined, guid: guid || undefined, content });
  }
  return { items, errors };
}
