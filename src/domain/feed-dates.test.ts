import { describe, expect, it } from "vitest";
import { judgeFeedDates, trustDates, type DatedItem } from "./feed-dates";

const now = new Date("2026-11-22T10:00:00Z");
const dated = (iso: string): DatedItem => ({ publishedAt: new Date(iso), dateSource: "feed" });
const undated = (): DatedItem => ({ publishedAt: now, dateSource: "first_seen" });

describe("judgeFeedDates", () => {
  it("three or more items stamped with one time near the poll: unreliable", () => {
    expect(judgeFeedDates([dated("2026-11-22T09:58:00Z"), dated("2026-11-22T09:58:00Z"), dated("2026-11-22T09:58:00Z")], now)).toBe(true);
    // Undated items do not contradict it.
    expect(judgeFeedDates([undated(), dated("2026-11-22T10:00:00Z"), dated("2026-11-22T10:00:00Z"), dated("2026-11-22T10:00:00Z")], now)).toBe(true);
  });

  it("two distinct dates: reliable (clears the flag)", () => {
    expect(judgeFeedDates([dated("2026-11-22T10:00:00Z"), dated("2026-11-21T10:00:00Z")], now)).toBe(false);
  });

  it("too few dated items to tell: null (the flag stays)", () => {
    expect(judgeFeedDates([], now)).toBeNull();
    expect(judgeFeedDates([undated(), undated(), undated()], now)).toBeNull();
    expect(judgeFeedDates([dated("2026-11-22T10:00:00Z"), dated("2026-11-22T10:00:00Z")], now)).toBeNull();
  });

  it("one real 多图文 push of three articles, days old, is not a fetch-time stamp", () => {
    const push = "2026-11-15T12:00:00Z";
    expect(judgeFeedDates([dated(push), dated(push), dated(push)], now)).toBe(false);
  });
});

describe("trustDates", () => {
  const firstSeenAt = now;
  it("first poll: undated items are backfill at their first-seen time; dated ones are left alone", () => {
    const out = trustDates([dated("2026-11-20T01:00:00Z"), { ...undated(), publishedAt: new Date(0) }], { firstPoll: true, unreliable: false, firstSeenAt });
    expect(out[0]).toMatchObject({ dateSource: "feed", backfill: false, publishedAt: new Date("2026-11-20T01:00:00Z") });
    expect(out[1]).toMatchObject({ dateSource: "first_seen", backfill: true, publishedAt: firstSeenAt });
  });

  it("later polls: an undated item counts at its first-seen time", () => {
    expect(trustDates([undated()], { firstPoll: false, unreliable: false, firstSeenAt })[0]).toMatchObject({ backfill: false, publishedAt: firstSeenAt });
  });

  it("unreliable dates are treated as undated", () => {
    const items = [dated("2026-11-22T09:59:00Z"), dated("2026-11-22T09:59:00Z"), dated("2026-11-22T09:59:00Z")];
    expect(trustDates(items, { firstPoll: true, unreliable: true, firstSeenAt }).every((i) => i.backfill && i.dateSource === "first_seen")).toBe(true);
    const later = trustDates(items, { firstPoll: false, unreliable: true, firstSeenAt });
    expect(later.every((i) => !i.backfill && i.publishedAt.getTime() === firstSeenAt.getTime())).toBe(true);
  });
});
