// Natural weeks (自然周) and quarters in Asia/Shanghai (docs/规则依据.md#自然周). Pure: no clock, no I/O.
// docs/规则依据.md#自然周: a week is Monday 00:00 – Sunday 24:00 in Asia/Shanghai (UTC+8, no DST), named as an ISO
// week (e.g. 2026-W47). A post at Sunday 23:59:59+08:00 belongs to that week; one at Monday
// 00:00:00+08:00 to the next, whatever time zone its feed wrote it in.

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** China Standard Time has been UTC+8 all year since 1991 (no DST). */
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
/** The same offset in minutes east of UTC, as zone offsets in feed dates are written. */
export const SHANGHAI_OFFSET_MINUTES = SHANGHAI_OFFSET_MS / 60_000;

export interface Week {
  /** ISO week name, e.g. "2026-W47". */
  id: string;
  /** ISO week-numbering year (2021-01-03 is in 2020-W53). */
  year: number;
  week: number;
  /** Monday 00:00 +08:00. */
  start: Date;
  /** The next Monday 00:00 +08:00, exclusive. */
  end: Date;
}

function checkInstant(instant: Date): number {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError("无效的时间（Invalid Date）");
  return t;
}

/** Days since 1970-01-01 of a proleptic Gregorian civil date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date of a day number (inverse of daysFromCivil). */
function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** The Shanghai day number (days since 1970-01-01 in Shanghai) of an instant. */
function shanghaiDay(t: number): number {
  return Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** The instant at which a Shanghai day number begins. */
function shanghaiDayStart(day: number): Date {
  return new Date(day * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** Monday = 0 … Sunday = 6. 1970-01-01 (day 0) was a Thursday. */
function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** The day number of the Monday of ISO week 1 of `year` (the week holding 4 January). */
function week1Monday(year: number): number {
  const jan4 = daysFromCivil(year, 1, 4);
  return jan4 - weekday(jan4);
}

/** 52 or 53: years whose 1 January is a Thursday (or a Wednesday in a leap year) have 53. */
export function isoWeeksInYear(year: number): number {
  return (week1Monday(year + 1) - week1Monday(year)) / 7;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function weekFromMonday(monday: number): Week {
  // The ISO year is the calendar year of the week's Thursday.
  const year = civilFromDays(monday + 3).y;
  const week = (monday - week1Monday(year)) / 7 + 1;
  const start = shanghaiDayStart(monday);
  return {
    id: `${pad(year, 4)}-W${pad(week, 2)}`,
    year,
    week,
    start,
    end: new Date(start.getTime() + WEEK_MS),
  };
}

/** The Shanghai natural week containing the instant. */
export function weekOf(instant: Date): Week {
  const day = shanghaiDay(checkInstant(instant));
  return weekFromMonday(day - weekday(day));
}

const WEEK_ID = /^(\d{4})-W(\d{2})$/;

/** Parses "2026-W47"; undefined for junk, W00, W54, or W53 in a year with 52 ISO weeks. */
export function parseWeekId(id: string): Week | undefined {
  const m = WEEK_ID.exec(id);
  if (!m) return undefined;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > isoWeeksInYear(year)) return undefined;
  return weekFromMonday(week1Monday(year) + (week - 1) * 7);
}

/** Every week from `from` to `to`, both included, ascending; [] when from is after to. */
export function weekRange(from: Week, to: Week): Week[] {
  const out: Week[] = [];
  const first = weekOf(from.start);
  const last = weekOf(to.start).start.getTime();
  for (let w = first; w.start.getTime() <= last; w = addWeeks(w, 1)) out.push(w);
  return out;
}

/** The week n weeks after (n < 0: before) w. */
export function addWeeks(w: Week, n: number): Week {
  if (!Number.isInteger(n)) throw new RangeError(`周数必须是整数：${n}`);
  const monday = shanghaiDay(checkInstant(w.start));
  return weekFromMonday(monday - weekday(monday) + n * 7);
}

/** "YYYY-MM-DD": the calendar date in Asia/Shanghai. */
export function shanghaiDate(instant: Date): string {
  const { y, m, d } = civilFromDays(shanghaiDay(checkInstant(instant)));
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a valid "YYYY-MM-DD", or undefined (rejects 2026-02-30, 2026-13-01 …). */
export function parseShanghaiDay(date: string): number | undefined {
  const m = DATE.exec(date);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return undefined;
  const day = daysFromCivil(y, mo, d);
  const back = civilFromDays(day);
  return back.y === y && back.m === mo && back.d === d ? day : undefined;
}

/** Whether the text is a real calendar date written "YYYY-MM-DD". */
export function isDateString(date: string): boolean {
  return parseShanghaiDay(date) !== undefined;
}

/** "YYYY-MM-DD" 00:00 +08:00 as an instant. Throws RangeError on anything but a real date. */
export function shanghaiMidnight(date: string): Date {
  const day = parseShanghaiDay(date);
  if (day === undefined) throw new RangeError(`日期格式应为 YYYY-MM-DD：${date}`);
  return shanghaiDayStart(day);
}

export interface Quarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** First day of the quarter, 00:00 +08:00. */
  start: Date;
  /** First day of the next quarter, 00:00 +08:00, exclusive. */
  end: Date;
}

/** The Shanghai calendar quarter (季度) containing the instant: 季度抽查 (docs/规则依据.md#自然周). */
export function quarterOf(instant: Date): Quarter {
  const { y, m } = civilFromDays(shanghaiDay(checkInstant(instant)));
  const q = Math.floor((m - 1) / 3); // 0..3
  const firstMonth = q * 3 + 1;
  const next = q === 3 ? { y: y + 1, m: 1 } : { y, m: firstMonth + 3 };
  return {
    year: y,
    quarter: (q + 1) as 1 | 2 | 3 | 4,
    start: shanghaiDayStart(daysFromCivil(y, firstMonth, 1)),
    end: shanghaiDayStart(daysFromCivil(next.y, next.m, 1)),
  };
}

/** The first instant of a quarter (季度), 00:00 +08:00 on its first day. */
export function quarterStart(year: number, quarter: number): Date {
  return shanghaiMidnight(`${year}-${pad((quarter - 1) * 3 + 1, 2)}-01`);
}

/** The first instant of the next quarter (exclusive end). */
export function quarterEnd(year: number, quarter: number): Date {
  return quarter === 4 ? quarterStart(year + 1, 1) : quarterStart(year, quarter + 1);
}

/** The end of a Shanghai day "YYYY-MM-DD": the next day's 00:00 +08:00 (exclusive). */
export function shanghaiDayEnd(date: string): Date {
  return new Date(shanghaiMidnight(date).getTime() + DAY_MS);
}

/** 00:00 +08:00 of a Shanghai date, or undefined when the text is not a real "YYYY-MM-DD" date. */
export function shanghaiMidnightOf(date: string): Date | undefined {
  const day = parseShanghaiDay(date);
  return day === undefined ? undefined : shanghaiDayStart(day);
}

/**
 * A Beijing wall-clock time as an instant, or undefined unless it names a real day and a time of
 * day (hours 0–23, minutes and seconds 0–59).
 */
export function shanghaiWallClock(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | undefined {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - SHANGHAI_OFFSET_MS;
  const back = new Date(ms + SHANGHAI_OFFSET_MS);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** "YYYY-MM-DD HH:mm" in Asia/Shanghai, without Intl time zones; "未知" for an invalid date. */
export function formatShanghaiDateTime(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) return "未知";
  const s = new Date(t + SHANGHAI_OFFSET_MS);
  return `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1, 2)}-${pad(s.getUTCDate(), 2)} ${pad(s.getUTCHours(), 2)}:${pad(s.getUTCMinutes(), 2)}`;
}
