import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EARLIEST_POST } from "../../src/domain/posts";
import { capIdentity, MAX_IDENTITY, normaliseItems, parseFeedDate } from "../../src/feeds/normalise";
import { fnv1a64 } from "../../src/lib/ids";
import type { RawItem } from "../../src/feeds/types";

const now = new Date("2026-11-23T02:00:00Z");
const firstSeenAt = new Date("2026-11-23T01:30:00Z");
const ctx = { firstSeenAt, now };
const SUNDAY_LAST_SECOND = new Date("2026-11-22T15:59:59Z"); // Sun 22 Nov 2026 23:59:59 +08:00
const MONDAY_MIDNIGHT = new Date("2026-11-22T16:00:00Z"); // Mon 23 Nov 2026 00:00:00 +08:00

const shanghaiWeekday = (d: Date) => d.toLocaleString("en-US", { timeZone: "Asia/Shanghai", weekday: "long" });

describe("parseFeedDate", () => {
  it.each([
    "2026-11-22T15:59:59Z",
    "2026-11-22T15:59:59.000Z",
    "2026-11-22T23:59:59+08:00",
    "2026-11-22T23:59:59+0800",
    "2026-11-22T23:59:59+08",
    "2026-11-22 23:59:59",
    "2026-11-22T23:59:59",
    "2026/11/22 23:59:59",
    "2026-11-22T10:59:59-05:00",
    "Sun, 22 Nov 2026 23:59:59 +0800",
    "Sun, 22 Nov 2026 15:59:59 GMT",
    "Sun, 22 Nov 2026 15:59:59 UT",
    "Sun, 22 Nov 2026 15:59:59 Z",
    "Sun, 22 Nov 2026 23:59:59 CST",
    "Sun, 22 Nov 2026 23:59:59 GMT+8",
    "Sun, 22 Nov 2026 23:59:59 GMT+0800",
    "Sun, 22 Nov 2026 23:59:59",
    "22 Nov 2026 23:59:59 +08:00",
    "Sunday, 22-Nov-26 15:59:59 GMT",
    "Sun, 22 Nov 2026 10:59:59 EST",
    "Sun Nov 22 2026 23:59:59 GMT+0800 (China Standard Time)",
    "2026年11月22日 23:59:59",
    "  Sun,  22 Nov 2026   23:59:59 +0800 ",
    "1795363199",
    "1795363199000",
  ])("%s → Sunday 23:59:59 Beijing time", (raw) => {
    expect(parseFeedDate(raw)?.toISOString()).toBe(SUNDAY_LAST_SECOND.toISOString());
  });

  it("puts Sunday 23:59:59+08:00 on Sunday and Monday 00:00+08:00 on Monday, whatever the zone written", () => {
    for (const raw of ["2026-11-22T15:59:59Z", "Sun, 22 Nov 2026 23:59:59 +0800", "Sun, 22 Nov 2026 10:59:59 -0500"]) {
      expect(shanghaiWeekday(parseFeedDate(raw)!)).toBe("Sunday");
    }
    for (const raw of ["2026-11-22T16:00:00Z", "Mon, 23 Nov 2026 00:00:00 +0800", "2026-11-23 00:00:00", "2026-11-22T24:00:00+08:00"]) {
      expect(parseFeedDate(raw)).toEqual(MONDAY_MIDNIGHT);
    }
    // A leap second stays in the same minute (and week).
    expect(parseFeedDate("Sun, 22 Nov 2026 23:59:60 +0800")).toEqual(SUNDAY_LAST_SECOND);
  });

  it("reads a date-only value as midnight Beijing time", () => {
    expect(parseFeedDate("2026-11-23")).toEqual(MONDAY_MIDNIGHT);
    expect(parseFeedDate("2026年11月23日")).toEqual(MONDAY_MIDNIGHT);
  });

  it.each(["", "昨天 下午", "not a date", "2026-02-30", "2026-13-01", "Sun, 32 Nov 2026 10:00:00 +0800", "2026-11-22T25:00:00Z", "2026-11-22T10:61:00Z", "Sun, 22 Foo 2026 10:00:00 GMT", "2026-11-22T10:00:00 XYZ", "2026-11-22T10:00:00+15:00", "12345"])(
    "%j → null",
    (raw) => {
      expect(parseFeedDate(raw)).toBeNull();
    },
  );

  it("round-trips any instant written as ISO 8601 or RFC 822 with any offset", () => {
    const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 2) / 1000, max: Date.UTC(2099, 11, 30) / 1000 }),
        fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15), // offsets in quarter hours
        fc.boolean(),
        (secs, offMin, colon) => {
          const t = secs * 1000;
          const local = new Date(t + offMin * 60_000); // wall clock in that zone, read via UTC getters
          const sign = offMin < 0 ? "-" : "+";
          const off = `${sign}${pad(Math.trunc(Math.abs(offMin) / 60))}${colon ? ":" : ""}${pad(Math.abs(offMin) % 60)}`;
          const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
          const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
          const iso = `${date}T${time}${off}`;
          const rfc = `${local.toUTCString().slice(0, 3)}, ${pad(local.getUTCDate())} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${time} ${off.replace(":", "")}`;
          expect(parseFeedDate(iso)?.getTime()).toBe(t);
          expect(parseFeedDate(rfc)?.getTime()).toBe(t);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("normaliseItems", () => {
  it("builds identities (domain/post-identity): guid, else link, else title|minute", () => {
    const posts = normaliseItems(
      [
        { guid: " g-1 ", link: "https://a/1", title: "一", date: "2026-11-22T15:59:59Z" },
        { link: " https://a/2 ", title: "二" },
        { title: "三", date: "Sun, 22 Nov 2026 23:59:59 +0800" },
        { title: "四" },
        {},
      ],
      ctx,
    );
    expect(posts.map((p) => p.identity)).toEqual([
      "guid:g-1",
      "url:a/2",
      "tm:三|2026-11-22T15:59Z",
      "tm:四|",
      "tm:|",
    ]);
    expect(posts[0]).toEqual({
      identity: "guid:g-1",
      guid: "g-1",
      url: "https://a/1",
      title: "一",
      publishedAt: SUNDAY_LAST_SECOND,
      dateSource: "feed",
      repost: false,
      summary: null,
      links: null,
    });
    expect(posts[1]).toMatchObject({ guid: null, url: "https://a/2", dateSource: "first_seen", publishedAt: firstSeenAt });
    expect(posts[4]).toMatchObject({ title: "", url: null, guid: null });
  });

  it("keeps the content's text (stripped, ≤ 2,000 characters) and links, nothing else of it", () => {
    const [p, bare] = normaliseItems(
      [
        {
          guid: "1",
          title: "一",
          content: `<p>关于<b>冬季</b>供暖的通知&nbsp;<a href="https://www.example.gov.cn/a.html">原文</a></p><script>x()</script>${"<p>字</p>".repeat(3000)}`,
        },
        { guid: "2", title: "二", content: "  " },
      ],
      ctx,
    );
    expect(p!.summary!.startsWith("关于冬季供暖的通知 原文 字 字")).toBe(true);
    expect([...p!.summary!]).toHaveLength(2000);
    expect(p!.links).toEqual(["https://www.example.gov.cn/a.html"]);
    expect(bare).toMatchObject({ summary: null, links: null });
  });

  it("deduplicates within the batch, first occurrence wins", () => {
    const posts = normaliseItems(
      [
        { guid: "x", title: "first", date: "2026-11-20T00:00:00Z" },
        { guid: "x", title: "second", date: "2026-11-21T00:00:00Z" },
        { link: "https://a/1", title: "l1" },
        { link: "https://a/1 ", title: "l2" },
        { title: "same", date: "2026-11-20T01:00:00Z" },
        { title: "same", date: "Fri, 20 Nov 2026 09:00:30 +0800" }, // the same minute: one post
        { title: "same", date: "2026-11-20T01:05:00Z" },
      ],
      ctx,
    );
    expect(posts.map((p) => p.title)).toEqual(["first", "l1", "same", "same"]);
  });

  it("falls back to first-seen time for missing, unparseable and absurd dates", () => {
    const posts = normaliseItems(
      [
        { guid: "none" },
        { guid: "bad", date: "昨天" },
        { guid: "epoch", date: "Thu, 01 Jan 1970 00:00:00 GMT" },
        { guid: "y1999", date: "1999-12-31T15:59:59Z" },
        { guid: "future", date: "2026-11-24T02:00:01Z" }, // now + 1 day + 1 s
        { guid: "soon", date: "2026-11-24T02:00:00Z" }, // exactly now + 1 day: kept
        { guid: "y2000", date: "2000-01-01T00:00:00Z" },
      ],
      ctx,
    );
    const src = Object.fromEntries(posts.map((p) => [p.guid, p.dateSource]));
    expect(src).toEqual({ none: "first_seen", bad: "first_seen", epoch: "first_seen", y1999: "first_seen", future: "first_seen", soon: "feed", y2000: "feed" });
    for (const p of posts.filter((p) => p.dateSource === "first_seen")) expect(p.publishedAt).toEqual(firstSeenAt);
  });

  it("keeps only http(s) links as url, resolving relative ones against baseUrl", () => {
    const posts = normaliseItems(
      [
        { guid: "1", link: "javascript:alert(1)" },
        { guid: "2", link: "/art/2026/11/22/1.html" },
        { guid: "3", link: "HTTPS://Example.gov.cn/a" },
      ],
      { ...ctx, baseUrl: "https://www.example.gov.cn/rss.xml" },
    );
    expect(posts.map((p) => p.url)).toEqual([null, "https://www.example.gov.cn/art/2026/11/22/1.html", "https://example.gov.cn/a"]);
    expect(normaliseItems([{ guid: "2", link: "/x" }], ctx)[0]!.url).toBeNull();
  });

  it("caps titles at 500 characters", () => {
    const [p] = normaliseItems([{ guid: "1", title: "字".repeat(700) }], ctx);
    expect([...p!.title]).toHaveLength(500);
  });

  it("caps identities at 1000 characters with a stable hash suffix", () => {
    const long = "https://example.gov.cn/" + "a".repeat(2000);
    const a = normaliseItems([{ link: long + "1" }], ctx)[0]!.identity;
    const b = normaliseItems([{ link: long + "2" }], ctx)[0]!.identity;
    expect(a.length).toBeLessThanOrEqual(MAX_IDENTITY);
    expect(a).not.toBe(b);
    expect(a).toBe(capIdentity(`url:example.gov.cn/${"a".repeat(2000)}1`));
    expect(a).toMatch(/#[0-9a-f]{16}$/);
    expect(capIdentity("short")).toBe("short");
    // Does not split a surrogate pair at the cut.
    const emoji = capIdentity("g:" + "😀".repeat(1000));
    expect(emoji.length).toBeLessThanOrEqual(MAX_IDENTITY);
    expect(() => encodeURIComponent(emoji)).not.toThrow();
  });

  it("fnv1a64 matches the published test vectors", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });
});

describe("normaliseItems properties", () => {
  const rawItem: fc.Arbitrary<RawItem> = fc.record(
    {
      guid: fc.oneof(fc.constantFrom("a", "b", " a ", ""), fc.string({ maxLength: 1200 })),
      link: fc.oneof(fc.constantFrom("https://a/1", "https://a/2", "javascript:x"), fc.webUrl(), fc.string()),
      title: fc.oneof(fc.constantFrom("标题", "标题 "), fc.string({ maxLength: 600 })),
      date: fc.oneof(
        fc.constantFrom("Sun, 22 Nov 2026 23:59:59 +0800", "2026-11-22T15:59:59Z", "1970-01-01T00:00:00Z", "2099-01-01", "junk"),
        fc.date({ min: new Date("1990-01-01"), max: new Date("2040-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.date({ min: new Date("1990-01-01"), max: new Date("2040-01-01"), noInvalidDate: true }).map((d) => d.toUTCString()),
        fc.string(),
      ),
    },
    { requiredKeys: [] },
  );
  const batch = fc.array(rawItem, { maxLength: 30 });
  const clock = fc.date({ min: new Date("2001-01-01"), max: new Date("2035-01-01"), noInvalidDate: true });

  it("identities are unique within a batch, stable across runs and capped", () => {
    fc.assert(
      fc.property(batch, clock, (items, at) => {
        const c = { firstSeenAt: at, now: at };
        const a = normaliseItems(items, c);
        const b = normaliseItems(items, c);
        expect(a.map((p) => p.identity)).toEqual(b.map((p) => p.identity));
        expect(new Set(a.map((p) => p.identity)).size).toBe(a.length);
        for (const p of a) expect(p.identity.length).toBeLessThanOrEqual(MAX_IDENTITY);
        // Dedup is by identity only: normalising the batch twice over yields the same posts.
        expect(normaliseItems([...items, ...items], c).map((p) => p.identity)).toEqual(a.map((p) => p.identity));
        // The identity does not depend on the clock.
        expect(normaliseItems(items, { firstSeenAt: new Date(0), now: new Date(2e12) }).map((p) => p.identity)).toEqual(
          a.map((p) => p.identity),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("every publishedAt is within [2000-01-01, now + 1 day] or is firstSeenAt", () => {
    fc.assert(
      fc.property(batch, clock, fc.integer({ min: 0, max: 10 * 86_400_000 }), (items, now, lag) => {
        const firstSeenAt = new Date(now.getTime() - lag);
        for (const p of normaliseItems(items, { firstSeenAt, now })) {
          if (p.dateSource === "first_seen") expect(p.publishedAt).toEqual(firstSeenAt);
          else {
            expect(p.publishedAt.getTime()).toBeGreaterThanOrEqual(EARLIEST_POST.getTime());
            expect(p.publishedAt.getTime()).toBeLessThanOrEqual(now.getTime() + 86_400_000);
          }
          expect([...p.title].length).toBeLessThanOrEqual(500);
          if (p.url !== null) expect(p.url).toMatch(/^https?:\/\//);
        }
      }),
      { numRuns: 300 },
    );
  });
});
