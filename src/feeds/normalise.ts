// Turns raw feed items into posts: a stable identity, a trustworthy date, deduplication.
// Pure and runtime-neutral. 发文去重 (docs/规则依据.md#发文来源与去重): the identity is domain/post-identity's
// (platform article id, then guid, then link, then title + minute); items without a date take the
// time they were first seen.
import { capIdentity, MAX_IDENTITY, postIdentity } from "../domain/post-identity";
import { summarise } from "../domain/post-text";
import { isPlausiblePostTime } from "../domain/posts";
import { SHANGHAI_OFFSET_MINUTES } from "../domain/weeks";
import { isRepost } from "./reposts";
import type { NormalisedPost, RawItem } from "./types";

export { capIdentity, MAX_IDENTITY };
const MAX_TITLE = 500;
/** Asia/Shanghai is UTC+8 all year (no DST since 1991). */
const SHANGHAI_OFFSET_MIN = SHANGHAI_OFFSET_MINUTES;

/**
 * Zone abbreviations. "CST" is read as China Standard Time (+08:00), NOT US Central (−06:00) as
 * RFC 822 and JavaScript's Date would: the feeds here are Chinese (Weibo/WeChat bridges and
 * government CMSs write "CST" for Beijing time). The US zones RFC 822 names are kept otherwise.
 */
const ZONES: Record<string, number> = {
  Z: 0,
  UT: 0,
  UTC: 0,
  GMT: 0,
  CST: SHANGHAI_OFFSET_MIN,
  CCT: SHANGHAI_OFFSET_MIN,
  BJT: SHANGHAI_OFFSET_MIN,
  HKT: SHANGHAI_OFFSET_MIN,
  EST: -300,
  EDT: -240,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** Offset in minutes east of UTC for a zone token; "" → Asia/Shanghai; unknown → null. */
function zoneOffset(token: string | undefined): number | null {
  const z = (token ?? "").trim();
  if (z === "") return SHANGHAI_OFFSET_MIN;
  const named = ZONES[z.toUpperCase()];
  if (named !== undefined) return named;
  const m = /^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(z);
  if (!m) return null;
  // "+8", "+08", "+0800", "+08:00" (and "GMT+8") are all accepted.
  const h = Number(m[2]);
  const min = Number(m[3] ?? 0);
  if (h > 14 || min > 59) return null;
  return (m[1] === "-" ? -1 : 1) * (h * 60 + min);
}

function instant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || h < 0 || mi < 0 || mi > 59 || s < 0 || s > 60) return null;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  if (h > 24 || (h === 24 && (mi !== 0 || s !== 0 || ms !== 0))) return null; // 24:00:00 = end of day
  const sec = Math.min(s, 59); // a leap second must not spill into the next minute (or week)
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offsetMin * 60_000;
  return Number.isFinite(t) ? new Date(t) : null;
}

const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));
const millis = (frac: string | undefined) => (frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0);

/**
 * Parses the date formats feeds write: ISO 8601 / RFC 3339 (`2026-11-22T15:59:59Z`,
 * `2026-11-22 23:59:59+08:00`, `+0800`), RFC 822/1123/2822 (`Sun, 22 Nov 2026 23:59:59 +0800`,
 * `GMT`, `CST`), RFC 850, JavaScript's Date#toString, `2026年11月22日 23:59`, `2026/11/22 23:59`
 * and Unix timestamps (10 or 13 digits). A date without an offset is Asia/Shanghai local time.
 * Unparseable → null. The weekday name, when present, is not checked.
 */
export function parseFeedDate(raw: string): Date | null {
  const s = raw.trim().replace(/\s+/g, " ");
  if (s === "") return null;

  if (/^\d{10}$/.test(s)) return new Date(Number(s) * 1000);
  if (/^\d{13}$/.test(s)) return new Date(Number(s));

  // ISO 8601 and the common "2026-11-22 23:59:59" / "2026/11/22 23:59" variants.
  let m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)? ?(Z|[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5}(?: ?[+-]\d{1,2}(?::?\d{2})?)?)?$/i.exec(
      s,
    );
  if (m) {
    const off = zoneOffset(m[8]);
    if (off === null) return null;
    return instant(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), millis(m[7]), off);
  }

  // 2026年11月22日 23:59(:59)  — Beijing time.
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})日 ?(?:(\d{1,2})[:时](\d{2})(?:[:分](\d{2})秒?)?分?)?$/.exec(s);
  if (m) return instant(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), 0, SHANGHAI_OFFSET_MIN);

  // RFC 822 / 1123 / 2822 and RFC 850: "[Sun, ]22 Nov 2026 23:59[:59] [zone]", "Sunday, 22-Nov-26 …".
  m =
    /^(?:[A-Za-z]{2,9},? ?)?(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{2}|\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)? ?(Z|[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5}(?: ?[+-]\d{1,2}(?::?\d{2})?)?)?$/.exec(
      s,
    );
  if (m) {
    const mo = MONTHS[m[2]!.slice(0, 3).toLowerCase()];
    const off = zoneOffset(m[8]);
    if (mo === undefined || off === null) return null;
    return instant(fullYear(m[3]!), mo, +m[1]!, +m[4]!, +m[5]!, +(m[6] ?? 0), millis(m[7]), off);
  }

  // JavaScript Date#toString: "Sun Nov 22 2026 23:59:59 GMT+0800 (China Standard Time)".
  m = /^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (GMT[+-]\d{4})(?: \(.*\))?$/.exec(s);
  if (m) {
    const mo = MONTHS[m[1]!.toLowerCase()];
    const off = zoneOffset(m[7]);
    if (mo === undefined || off === null) return null;
    return instant(+m[3]!, mo, +m[2]!, +m[4]!, +m[5]!, +m[6]!, 0, off);
  }
  return null;
}

/**
 * Raw items → posts, in feed order, first occurrence of each identity kept.
 * `firstSeenAt` stands in for a missing, unparseable or absurd date (before 2000-01-01 or more
 * than a day after `now`); `dateSource` says which one was used. `baseUrl` (the feed's final URL)
 * resolves relative links for `url`; the identity always uses the link as the feed wrote it.
 * `platform` is the account's: it lets a bare article id (WeWe RSS Atom `<id>`) key like its URL.
 */
export function normaliseItems(
  items: RawItem[],
  ctx: { firstSeenAt: Date; now: Date; baseUrl?: string; platform?: string | null },
): NormalisedPost[] {
  const seen = new Set<string>();
  const out: NormalisedPost[] = [];
  for (const item of items) {
    const guid = clean(item.guid);
    const link = clean(item.link);
    const title = clean(item.title) ?? "";
    const rawDate = clean(item.date);
    const parsed = rawDate === null ? null : parseFeedDate(rawDate);

    // The parsed date even if implausible: an identity must not depend on the clock.
    const identity = postIdentity({ guid, link, title, publishedAt: parsed }, ctx.platform);
    if (seen.has(identity)) continue;
    seen.add(identity);

    const plausible = parsed !== null && isPlausiblePostTime(parsed.getTime(), ctx.now);
    // Only what the checks read is kept of the content (docs/规则依据.md#发文内容的保存).
    const text = summarise(item.content);
    out.push({
      identity,
      guid,
      url: link === null ? null : httpUrl(link, ctx.baseUrl),
      title: capTitle(title),
      publishedAt: plausible ? parsed : new Date(ctx.firstSeenAt.getTime()),
      dateSource: plausible ? "feed" : "first_seen",
      repost: item.repost ?? isRepost({ title: item.title, description: item.description }),
      summary: text.summary,
      links: text.links.length > 0 ? text.links : null,
    });
  }
  return out;
}

function clean(v: string | undefined): string | null {
  if (typeof v !== "string") return null;
  const t = v.trim();
  return t === "" ? null : t;
}

function capTitle(t: string): string {
  const chars = [...t];
  return chars.length > MAX_TITLE ? chars.slice(0, MAX_TITLE).join("") : t;
}

/** Only http(s) links are kept as `url` (a `javascript:` link must never reach the UI). */
function httpUrl(link: string, base: string | undefined): string | null {
  try {
    const u = base ? new URL(link, base) : new URL(link);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}
