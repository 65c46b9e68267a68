// The spot-check list as offices print and fill it in: header block, then one row per sampled account.
import type { DbOrTx } from "../db/client";
import { accountsByIdWithOrgName } from "../db/queries/accounts";
import { computeCompliance } from "../db/queries/compliance";
import { loadOrgIndex } from "../db/queries/org-tree";
import { lastPostTimes, postCountsBetween } from "../db/queries/posts";
import { roundItems, type RoundRow } from "../db/queries/sampling";
import { PROBLEM_LABELS } from "../domain/inspection";
import { PLATFORM_LABELS } from "../domain/platforms";
import { ROUND_SCOPE_LABELS, SAMPLE_REASON_LABELS } from "../domain/sampling";
import { addWeeks, formatShanghaiDateTime, quarterEnd, weekOf, weekRange } from "../domain/weeks";
import type { SheetOut } from "../lib/types";

export const ROUND_COLUMNS = [
  "序号",
  "账号名称",
  "平台",
  "主办单位",
  "账号ID/链接",
  "最近更新时间",
  "本季度更新次数",
  "近8周达标周数",
  "抽取原因",
  "检查结果",
  "问题类型",
  "整改要求",
  "检查人",
  "检查日期",
  // Appended after the columns the issue lists, so existing templates keep their positions.
  "整改期限",
] as const;

export interface RoundTable {
  headerBlock: string[][];
  header: string[];
  rows: (string | number)[][];
}

export async function roundTable(db: DbOrTx, round: RoundRow, unitName: string, now: Date): Promise<RoundTable> {
  const items = await roundItems(db, round.id);
  const ids = items.map((i) => i.accountId);
  const list = await accountsByIdWithOrgName(db, ids);
  const byId = new Map(list.map((r) => [r.a.id, r]));
  const qEnd = quarterEnd(round.year, round.quarter);
  const until = now < qEnd ? now : qEnd;
  const [last, countById] = await Promise.all([lastPostTimes(db, ids, now), postCountsBetween(db, ids, round.quarterStart, until.toISOString())]);
  // The 8 complete weeks before now.
  const current = weekOf(now);
  const weeks = weekRange(addWeeks(current, -8), addWeeks(current, -1));
  const compliance = await computeCompliance(db, list.map((r) => r.a), weeks, await loadOrgIndex(db));
  const good = new Map<string, number>();
  for (const r of compliance) if (r.status === "compliant") good.set(r.accountId, (good.get(r.accountId) ?? 0) + 1);

  const pct = `${Math.round(round.rate * 1000) / 10}%`;
  return {
    headerBlock: [
      [`${unitName} 政务新媒体季度抽查名单`],
      [`抽查单位：${unitName}`, `季度：${round.year}年第${round.quarter}季度`, `抽查范围：${ROUND_SCOPE_LABELS[round.scope]}`],
      [`抽查比例：${pct}`, `账号总数：${round.populationSize}`, `抽取数量：${round.sampleSize}`, `随机种子：${round.seed}`],
      [],
    ],
    header: [...ROUND_COLUMNS],
    rows: items.map((i) => {
      const r = byId.get(i.accountId);
      const a = r?.a;
      const lastAt = last.get(i.accountId);
      return [
        i.position,
        a?.name ?? "",
        a ? PLATFORM_LABELS[a.platform] : "",
        r?.orgName ?? "",
        a?.platformId || a?.url || "",
        lastAt ? formatShanghaiDateTime(lastAt) : "无记录",
        countById.get(i.accountId) ?? 0,
        `${good.get(i.accountId) ?? 0}/8`,
        SAMPLE_REASON_LABELS[i.reason],
        "",
        "",
        "",
        "",
        "",
        "",
      ];
    }),
  };
}

/**
 * The list as the XLSX download: the header block, then the header (frozen, filtered) and the rows,
 * with drop-downs for 检查结果 and 问题类型 and dates as dates, so filling it in is choosing, not typing.
 * Read back (parseInspectionUpload), a date cell is the same YYYY-MM-DD and the choices are the
 * words the import takes.
 */
export function roundSheet(t: RoundTable): SheetOut {
  const column = (name: (typeof ROUND_COLUMNS)[number]) => t.header.indexOf(name) + 1;
  return {
    name: "抽查名单",
    rows: [...t.headerBlock, t.header, ...t.rows],
    headerRow: t.headerBlock.length + 1,
    lists: [
      { column: column("检查结果"), values: ["合格", "不合格"] },
      // Several problems go in one cell (separated by ；), so the list suggests rather than forbids.
      { column: column("问题类型"), values: Object.values(PROBLEM_LABELS), strict: false },
    ],
    dates: [
      { column: column("最近更新时间"), kind: "datetime" },
      { column: column("检查日期"), kind: "date" },
      { column: column("整改期限"), kind: "date" },
    ],
  };
}

/**
 * Finds a header row below any title rows: the first of the first `maxRows` rows that passes `isHeader`
 * (by default, a filled-in list's: starts with 序号 and names 账号名称); -1 if none.
 */
export function findHeaderRow(
  table: readonly (readonly string[])[],
  isHeader: (row: readonly string[]) => boolean = (r) => r[0]?.trim() === "序号" && r.some((c) => c.trim() === "账号名称"),
  maxRows = Infinity,
): number {
  const n = Math.min(table.length, maxRows);
  for (let i = 0; i < n; i++) if (isHeader(table[i] ?? [])) return i;
  return -1;
}
