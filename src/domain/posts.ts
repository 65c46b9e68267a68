// Post dates (发布时间): which ones are believable, and how clerks write them. Pure.
// One rule for every way a post arrives: a feed, the push API, a spreadsheet import.
import { shanghaiWallClock } from "./weeks";

const DAY_MS = 86_400_000;

/** Dates before this are taken as junk (a feed's 1970 epoch, a zeroed field). */
export const EARLIEST_POST = new Date(Date.UTC(2000, 0, 1));

/** Why a given date is refused (push API, import). */
export const IMPLAUSIBLE_POST_TIME = "发布时间不合理（早于2000年或晚于明天）";

/** A publication instant is plausible from 2000-01-01 up to a day after now (clocks and zones drift). */
export function isPlausiblePostTime(instantMs: number, now: Date): boolean {
  return instantMs >= EARLIEST_POST.getTime() && instantMs <= now.getTime() + DAY_MS;
}

const LOCAL_TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A date-time as clerks type it: ISO with an offset, or "2026-11-22 23:59[:59]" (Beijing time,
 * also with "/" separators). Returns an ISO instant, or undefined.
 */
export function parsePostTime(text: string): string | undefined {
  const t = text.trim();
  const local = LOCAL_TIME.exec(t);
  let ms: number;
  if (local) {
    const [, y, mo, d, h = "0", mi = "0", s = "0"] = local;
    const at = shanghaiWallClock(+y!, +mo!, +d!, +h, +mi, +s);
    if (!at) return undefined;
    ms = at.getTime();
  } else if (ISO_WITH_OFFSET.test(t)) {
    ms = Date.parse(t);
  } else return undefined;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
