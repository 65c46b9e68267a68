// How a week's compliance summary reads in the UI: rates and the "how many could be judged" line.
import { UNKNOWN_REASON_LABELS, WEEK_STATUS_LABELS, type UnknownReason, type WeekStatus } from "../domain/compliance";
import { parseWeekId, shanghaiDate } from "../domain/weeks";
import type { HeatCell } from "./charts";

export const pct = (r: number | null | undefined) => (r == null ? "—" : `${Math.round(r * 1000) / 10}%`);

/** "7 个账号中 4 个可判断" and why the others are not: the rate is over judged accounts only. */
export function judgedLine(s: { total: number; judged: number; exempt: number; unknownReasons: { no_source: number; collection_failed: number; week_in_progress: number } }) {
  const why = [
    s.unknownReasons.no_source ? `无数据来源 ${s.unknownReasons.no_source}` : "",
    s.unknownReasons.collection_failed ? `数据采集异常 ${s.unknownReasons.collection_failed}` : "",
    s.unknownReasons.week_in_progress ? `本周尚未结束 ${s.unknownReasons.week_in_progress}` : "",
    s.exempt ? `${WEEK_STATUS_LABELS.exempt} ${s.exempt}` : "",
  ].filter(Boolean);
  return `${s.total} 个账号中 ${s.judged} 个可判断${why.length ? `（${why.join("，")}）` : ""}；达标率只按可判断的账号计算`;
}

/**
 * The weeks that end inside a two-week veto (单项否决: 监测时间点前2周内无更新, 国办秘函〔2019〕19号,
 * docs/规则依据.md#两周单项否决), at week granularity: judged weeks (达标 or 未达标, so a 服务号 whose
 * minimum is 0 counts too) without any update, in a run of at least vetoDays. An unknown or exempt week
 * breaks the run: no data is no verdict.
 */
export function vetoWeeks(rows: readonly { status: WeekStatus; updates: number }[], vetoDays: number): boolean[] {
  let run = 0;
  return rows.map((r) => {
    run = (r.status === "compliant" || r.status === "below") && r.updates === 0 ? run + 1 : 0;
    return run > 0 && run * 7 >= vetoDays;
  });
}

/** The heatmap cells of an account's weeks (oldest first); a week without a row is "none". */
export function heatCells(
  weekIds: readonly string[],
  rows: readonly { week: string; status: WeekStatus; updates: number; required: number; unknownReason: UnknownReason | null }[],
  vetoDays: number,
): HeatCell[] {
  const byWeek = new Map(rows.map((r) => [r.week, r]));
  const list = weekIds.map((id) => byWeek.get(id) ?? { week: id, status: "none" as const, updates: 0, required: 0, unknownReason: null });
  const veto = vetoWeeks(list.map((r) => ({ status: r.status === "none" ? "unknown" : r.status, updates: r.updates })), vetoDays);
  return list.map((r, i) => {
    const w = parseWeekId(r.week)!;
    return {
      week: r.week,
      from: shanghaiDate(w.start),
      to: shanghaiDate(new Date(w.end.getTime() - 1)),
      updates: r.updates,
      required: r.required,
      status: veto[i] ? "veto" : r.status,
      reason: veto[i] ? `连续 ${vetoDays} 天以上无更新` : r.unknownReason ? UNKNOWN_REASON_LABELS[r.unknownReason] : undefined,
    };
  });
}
