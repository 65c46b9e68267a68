import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addWeeks,
  isoWeeksInYear,
  parseWeekId,
  quarterOf,
  shanghaiDate,
  shanghaiMidnight,
  weekOf,
  weekRange,
  type Week,
} from "./weeks";

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Instants from 1950 to 2150, millisecond precision. */
const instantArb = fc.date({
  min: new Date("1950-01-01T00:00:00Z"),
  max: new Date("2150-01-01T00:00:00Z"),
  noInvalidDate: true,
});

const at = (iso: string): Date => new Date(iso);

/** Independent reference: the ISO week of a date via the "Thursday of the week" rule, built on Date's UTC calendar. */
function referenceIsoWeek(instant: Date): { year: number; week: number } {
  const local = new Date(instant.getTime() + 8 * 3_600_000);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
  const dow = d.getUTCDay() || 7; // Mon=1 … Sun=7
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the Thursday of this week
  const year = d.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  return { year, week: Math.floor((d.getTime() - yearStart) / DAY / 7) + 1 };
}

describe("weekOf", () => {
  it("Sunday 23:59:59 +08:00 is still 2026-W47; Monday 00:00 +08:00 is 2026-W48", () => {
    expect(weekOf(at("2026-11-22T23:59:59+08:00")).id).toBe("2026-W47");
    expect(weekOf(at("2026-11-22T23:59:59.999+08:00")).id).toBe("2026-W47");
    expect(weekOf(at("2026-11-23T00:00:00+08:00")).id).toBe("2026-W48");
  });

  it("uses Shanghai time whatever zone the instant was written in", () => {
    // Sunday 16:00Z = Monday 00:00 +08:00
    expect(weekOf(at("2026-11-22T16:00:00Z")).id).toBe("2026-W48");
    expect(weekOf(at("2026-11-22T15:59:59Z")).id).toBe("2026-W47");
    // 2026-11-22T10:00-05:00 = 15:00Z = Sunday 23:00 +08:00
    expect(weekOf(at("2026-11-22T10:00:00-05:00")).id).toBe("2026-W47");
  });

  it("starts on Monday 00:00 +08:00 and ends a week later", () => {
    const w = weekOf(at("2026-11-19T12:00:00+08:00"));
    expect(w).toEqual({
      id: "2026-W47",
      year: 2026,
      week: 47,
      start: at("2026-11-16T00:00:00+08:00"),
      end: at("2026-11-23T00:00:00+08:00"),
    });
  });

  it("handles ISO year boundaries", () => {
    expect(weekOf(at("2026-12-31T12:00:00+08:00")).id).toBe("2026-W53");
    expect(weekOf(at("2027-01-03T23:59:59+08:00")).id).toBe("2026-W53");
    expect(weekOf(at("2027-01-04T00:00:00+08:00")).id).toBe("2027-W01");
    expect(weekOf(at("2021-01-03T12:00:00+08:00")).id).toBe("2020-W53");
    expect(weekOf(at("2021-01-04T00:00:00+08:00")).id).toBe("2021-W01");
    expect(weekOf(at("2024-12-30T00:00:00+08:00")).id).toBe("2025-W01");
    expect(weekOf(at("2024-12-29T23:59:59+08:00")).id).toBe("2024-W52");
    expect(weekOf(at("2020-01-01T00:00:00+08:00")).id).toBe("2020-W01");
    expect(weekOf(at("2019-12-30T00:00:00+08:00")).id).toBe("2020-W01");
    expect(weekOf(at("2016-01-03T00:00:00+08:00")).id).toBe("2015-W53");
    // Shanghai New Year is still 31 December in UTC
    expect(weekOf(at("2024-12-31T16:30:00Z")).year).toBe(2025);
  });

  it("rejects an invalid Date", () => {
    expect(() => weekOf(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("property: start ≤ t < end, 7 days long, Monday 00:00 in Shanghai", () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        const w = weekOf(t);
        expect(w.start.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(w.end.getTime());
        expect(w.end.getTime() - w.start.getTime()).toBe(WEEK);
        const local = new Date(w.start.getTime() + 8 * 3_600_000);
        expect(local.getUTCDay()).toBe(1);
        expect(local.getUTCHours() + local.getUTCMinutes() + local.getUTCSeconds() + local.getUTCMilliseconds()).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: weekOf(start) and weekOf(end − 1ms) are the same week; weekOf(end) is the next", () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        const w = weekOf(t);
        expect(weekOf(w.start)).toEqual(w);
        expect(weekOf(new Date(w.end.getTime() - 1))).toEqual(w);
        const next = weekOf(w.end);
        expect(next.start.getTime()).toBe(w.end.getTime());
        expect(next.id).not.toBe(w.id);
        expect(next).toEqual(addWeeks(w, 1));
      }),
      { numRuns: 1000 },
    );
  });

  it("property: matches an independent ISO-week reference", () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        const w = weekOf(t);
        const ref = referenceIsoWeek(t);
        expect({ year: w.year, week: w.week }).toEqual(ref);
        expect(w.id).toBe(`${ref.year}-W${String(ref.week).padStart(2, "0")}`);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: parseWeekId(weekOf(t).id) round-trips", () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        const w = weekOf(t);
        expect(parseWeekId(w.id)).toEqual(w);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("parseWeekId", () => {
  it("parses a valid id", () => {
    const w = parseWeekId("2026-W47");
    expect(w?.start).toEqual(at("2026-11-16T00:00:00+08:00"));
    expect(w?.end).toEqual(at("2026-11-23T00:00:00+08:00"));
    expect(parseWeekId("2025-W01")?.start).toEqual(at("2024-12-30T00:00:00+08:00"));
  });

  it("accepts W53 only in years that have it", () => {
    expect(parseWeekId("2026-W53")?.start).toEqual(at("2026-12-28T00:00:00+08:00"));
    expect(parseWeekId("2020-W53")?.id).toBe("2020-W53");
    expect(parseWeekId("2015-W53")?.id).toBe("2015-W53");
    expect(parseWeekId("2025-W53")).toBeUndefined();
    expect(parseWeekId("2024-W53")).toBeUndefined();
    expect(parseWeekId("2027-W53")).toBeUndefined();
  });

  it.each([
    "2026-W00",
    "2026-W54",
    "2026-W99",
    "2026-W7",
    "2026W47",
    "2026-w47",
    "26-W47",
    " 2026-W47",
    "2026-W47 ",
    "2026-W47-1",
    "",
    "abcd-Wef",
    "2026-12-31",
  ])("rejects %j", (id) => {
    expect(parseWeekId(id)).toBeUndefined();
  });

  it("property: number of weeks per year matches the 1 January rule", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1950, max: 2150 }), (y) => {
        const jan1 = new Date(Date.UTC(y, 0, 1)).getUTCDay(); // 0=Sun … 4=Thu
        const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        const expected = jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
        expect(isoWeeksInYear(y)).toBe(expected);
        expect(parseWeekId(`${y}-W53`) !== undefined).toBe(expected === 53);
      }),
    );
  });

  it("property: every valid id round-trips through weekOf", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1950, max: 2150 }), fc.integer({ min: 1, max: 53 }), (y, n) => {
        const id = `${y}-W${String(n).padStart(2, "0")}`;
        const w = parseWeekId(id);
        if (n === 53 && isoWeeksInYear(y) === 52) {
          expect(w).toBeUndefined();
          return;
        }
        expect(w).toBeDefined();
        expect(w?.id).toBe(id);
        expect(weekOf(w!.start)).toEqual(w);
      }),
    );
  });
});

describe("weekRange and addWeeks", () => {
  const w = (id: string): Week => parseWeekId(id)!;

  it("is inclusive and crosses year ends", () => {
    expect(weekRange(w("2026-W52"), w("2027-W02")).map((x) => x.id)).toEqual([
      "2026-W52",
      "2026-W53",
      "2027-W01",
      "2027-W02",
    ]);
    expect(weekRange(w("2026-W47"), w("2026-W47")).map((x) => x.id)).toEqual(["2026-W47"]);
    expect(weekRange(w("2026-W48"), w("2026-W47"))).toEqual([]);
  });

  it("addWeeks moves by whole weeks", () => {
    expect(addWeeks(w("2026-W47"), 1).id).toBe("2026-W48");
    expect(addWeeks(w("2026-W47"), 7).id).toBe("2027-W01");
    expect(addWeeks(w("2021-W01"), -1).id).toBe("2020-W53");
    expect(addWeeks(w("2026-W47"), 0)).toEqual(w("2026-W47"));
    expect(() => addWeeks(w("2026-W47"), 0.5)).toThrow(RangeError);
  });

  it("property: weekRange is ascending, contiguous and of the right length", () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: -20, max: 120 }), (t, n) => {
        const from = weekOf(t);
        const to = addWeeks(from, n);
        const r = weekRange(from, to);
        expect(r.length).toBe(Math.max(0, n + 1));
        if (n >= 0) {
          expect(r[0]).toEqual(from);
          expect(r[r.length - 1]).toEqual(to);
        }
        for (let i = 1; i < r.length; i++) expect(r[i]!.start.getTime()).toBe(r[i - 1]!.end.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it("property: addWeeks(addWeeks(w, a), b) = addWeeks(w, a + b), and is exactly a·7 days", () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: -600, max: 600 }), fc.integer({ min: -600, max: 600 }), (t, a, b) => {
        const base = weekOf(t);
        expect(addWeeks(addWeeks(base, a), b)).toEqual(addWeeks(base, a + b));
        expect(addWeeks(base, a).start.getTime() - base.start.getTime()).toBe(a * WEEK);
      }),
    );
  });
});

describe("Shanghai dates and quarters", () => {
  it("shanghaiDate uses +08:00", () => {
    expect(shanghaiDate(at("2026-11-22T15:59:59Z"))).toBe("2026-11-22");
    expect(shanghaiDate(at("2026-11-22T16:00:00Z"))).toBe("2026-11-23");
    expect(shanghaiDate(at("2024-02-29T00:00:00+08:00"))).toBe("2024-02-29");
  });

  it("shanghaiMidnight is 00:00 +08:00 and rejects non-dates", () => {
    expect(shanghaiMidnight("2026-11-23")).toEqual(at("2026-11-22T16:00:00Z"));
    for (const bad of ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "20261123", "", "2026-11-23T00:00"]) {
      expect(() => shanghaiMidnight(bad), bad).toThrow(RangeError);
    }
    expect(shanghaiMidnight("2024-02-29")).toEqual(at("2024-02-29T00:00:00+08:00"));
  });

  it("property: shanghaiMidnight(shanghaiDate(t)) ≤ t < +1 day, and round-trips", () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        const d = shanghaiDate(t);
        const m = shanghaiMidnight(d);
        expect(m.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime() - m.getTime()).toBeLessThan(DAY);
        expect(shanghaiDate(m)).toBe(d);
        expect(d).toBe(new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
      }),
      { numRuns: 1000 },
    );
  });

  it("quarterOf follows the Shanghai calendar", () => {
    expect(quarterOf(at("2026-03-31T23:59:59+08:00"))).toEqual({
      year: 2026,
      quarter: 1,
      start: at("2026-01-01T00:00:00+08:00"),
      end: at("2026-04-01T00:00:00+08:00"),
    });
    expect(quarterOf(at("2026-03-31T16:00:00Z")).quarter).toBe(2); // 04-01 00:00 in Shanghai
    expect(quarterOf(at("2026-12-31T16:00:00Z"))).toMatchObject({ year: 2027, quarter: 1 });
    expect(quarterOf(at("2026-11-23T10:00:00+08:00"))).toEqual({
      year: 2026,
      quarter: 4,
      start: at("2026-10-01T00:00:00+08:00"),
      end: at("2027-01-01T00:00:00+08:00"),
    });
  });

  it("property: start ≤ t < end, quarters tile the year", () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        const q = quarterOf(t);
        expect(q.start.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(q.end.getTime());
        const month = Number(shanghaiDate(t).slice(5, 7));
        expect(q.quarter).toBe(Math.ceil(month / 3));
        expect(shanghaiDate(q.start)).toBe(`${q.year}-${String((q.quarter - 1) * 3 + 1).padStart(2, "0")}-01`);
        const next = quarterOf(q.end);
        expect(next.start).toEqual(q.end);
        expect(quarterOf(new Date(q.end.getTime() - 1))).toEqual(q);
      }),
      { numRuns: 1000 },
    );
  });
});
