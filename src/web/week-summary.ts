// How a week's compliance summary reads in the UI: rates and the "how many could be judged" line.
import { WEEK_STATUS_LABELS } from "../domain/compliance";

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
