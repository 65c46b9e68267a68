import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  activeThroughout,
  summarise,
  WEEK_STATUSES,
  weekStatus,
  type ActivePeriod,
  type WeekEvidence,
  type WeekStatus,
} from "./compliance";
import { parseWeekId, weekOf } from "./weeks";

const W47 = parseWeekId("2026-W47")!; // Mon 2026-11-16 … Sun 2026-11-22, +08:00
const at = (iso: string): Date => new Date(iso);
const period = (from: string, to: string | null): ActivePeriod => ({ from: at(from), to: to === null ? null : at(to) });

describe("activeThroughout", () => {
  it("an account active since before the week and still active covers it", () => {
    expect(activeThroughout([period("2026-01-01T00:00:00+08:00", null)], W47)).toBe(true);
  });

  it("the partial week in which the account opened is not covered", () => {
    expect(activeThroughout([period("2026-11-18T09:00:00+08:00", null)], W47)).toBe(false);
    // opened exactly at Monday 00:00: the whole week is covered
    expect(activeThroughout([period("2026-11-16T00:00:00+08:00", null)], W47)).toBe(true);
    // one millisecond late
    expect(activeThroughout([period("2026-11-16T00:00:00.001+08:00", null)], W47)).toBe(false);
  });

  it("a suspension inside the week breaks coverage; the end is exclusive", () => {
    const periods = [period("2026-01-01T00:00:00+08:00", "2026-11-20T00:00:00+08:00"), period("2026-11-21T00:00:00+08:00", null)];
    expect(activeThroughout(periods, W47)).toBe(false);
    // closing at Monday 00:00 of the next week still covers this one
    expect(activeThroughout([period("2026-01-01T00:00:00+08:00", "2026-11-23T00:00:00+08:00")], W47)).toBe(true);
    expect(activeThroughout([period("2026-01-01T00:00:00+08:00", "2026-11-22T23:59:59+08:00")], W47)).toBe(false);
  });

  it("touching or overlapping periods, in any order, join up", () => {
    const periods = [
      period("2026-11-19T00:00:00+08:00", null),
      period("2026-01-01T00:00:00+08:00", "2026-11-18T00:00:00+08:00"),
      period("2026-11-17T00:00:00+08:00", "2026-11-19T00:00:00+08:00"),
    ];
    expect(activeThroughout(periods, W47)).toBe(true);
    expect(activeThroughout([], W47)).toBe(false);
  });

  it("property: agrees with a minute-by-minute sample of the week", () => {
    const start = W47.start.getTime();
    const hour = 3_600_000;
    // period endpoints on the hour grid around the week, so sampling each hour is exact
    const periodArb = fc
      .tuple(fc.integer({ min: -48, max: 7 * 24 + 48 }), fc.option(fc.integer({ min: 0, max: 7 * 24 + 48 }), { nil: null }))
      .map(([a, len]): ActivePeriod => ({
        from: new Date(start + a * hour),
        to: len === null ? null : new Date(start + (a + len) * hour),
      }));
    fc.assert(
      fc.property(fc.array(periodArb, { maxLength: 6 }), (periods) => {
        let expected = true;
        for (let h = 0; h < 7 * 24; h++) {
          const t = start + h * hour;
          const inside = periods.some((p) => p.from.getTime() <= t && (p.to === null || t < p.to.getTime()));
          if (!inside) expected = false;
        }
        expect(activeThroughout(periods, W47)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

const evidence = (over: Partial<WeekEvidence> = {}): WeekEvidence => ({
  week: W47,
  required: 3,
  posts: 0,
  activeThroughout: true,
  hasFeed: true,
  fetchCovered: true,
  hasAnySource: true,
  ...over,
});

describe("weekStatus", () => {
  it("examples from docs/规则依据.md#每周最低更新次数", () => {
    expect(weekStatus(evidence({ posts: 3 }))).toBe("compliant");
    expect(weekStatus(evidence({ posts: 2 }))).toBe("below");
    expect(weekStatus(evidence({ posts: 0, fetchCovered: false }))).toBe("unknown"); // broken feed ≠ 0 posts
    expect(weekStatus(evidence({ posts: 5, fetchCovered: false }))).toBe("compliant"); // seen posts count
    expect(weekStatus(evidence({ posts: 9, activeThroughout: false }))).toBe("exempt");
    expect(weekStatus(evidence({ hasFeed: false, hasAnySource: false }))).toBe("unknown");
    expect(weekStatus(evidence({ hasFeed: false, hasAnySource: true, fetchCovered: false }))).toBe("below");
    expect(weekStatus(evidence({ required: 0, posts: 0, hasFeed: false, hasAnySource: false }))).toBe("compliant");
    expect(weekStatus(evidence({ required: 1, posts: 1 }))).toBe("compliant");
  });

  // Truth table written out by hand from docs/规则依据.md#不计入的周 (not derived from the implementation).
  // [active, enough posts, hasFeed, fetchCovered, hasAnySource] → status
  const TABLE: [boolean, boolean, boolean, boolean, boolean, WeekStatus][] = [];
  for (const enough of [false, true])
    for (const hasFeed of [false, true])
      for (const fetchCovered of [false, true])
        for (const hasAnySource of [false, true]) TABLE.push([false, enough, hasFeed, fetchCovered, hasAnySource, "exempt"]);
  for (const hasFeed of [false, true])
    for (const fetchCovered of [false, true])
      for (const hasAnySource of [false, true]) TABLE.push([true, true, hasFeed, fetchCovered, hasAnySource, "compliant"]);
  TABLE.push(
    [true, false, true, false, false, "unknown"],
    [true, false, true, false, true, "unknown"],
    [true, false, true, true, false, "below"],
    [true, false, true, true, true, "below"],
    [true, false, false, false, false, "unknown"],
    [true, false, false, true, false, "unknown"],
    [true, false, false, false, true, "below"],
    [true, false, false, true, true, "below"],
  );

  it("the table has all 32 rows", () => {
    const keys = new Set(TABLE.map((r) => r.slice(0, 5).join()));
    expect(keys.size).toBe(32);
  });

  it.each(TABLE)("active=%s enough=%s hasFeed=%s fetchCovered=%s hasAnySource=%s → %s", (active, enough, hasFeed, fetchCovered, hasAnySource, want) => {
    for (const required of [1, 3, 7]) {
      const posts = enough ? required + (required % 2) : required - 1;
      expect(weekStatus(evidence({ required, posts, activeThroughout: active, hasFeed, fetchCovered, hasAnySource }))).toBe(want);
    }
  });

  it("property: more posts never make a week worse; exempt iff not active", () => {
    const rank: Record<WeekStatus, number> = { below: 0, unknown: 1, compliant: 2, exempt: 3 };
    fc.assert(
      fc.property(
        fc.record({
          required: fc.integer({ min: 0, max: 10 }),
          posts: fc.integer({ min: 0, max: 20 }),
          activeThroughout: fc.boolean(),
          hasFeed: fc.boolean(),
          fetchCovered: fc.boolean(),
          hasAnySource: fc.boolean(),
        }),
        fc.integer({ min: 1, max: 5 }),
        (e, extra) => {
          const a = weekStatus({ week: W47, ...e });
          const b = weekStatus({ week: W47, ...e, posts: e.posts + extra });
          expect(rank[b]).toBeGreaterThanOrEqual(rank[a]);
          expect(a === "exempt").toBe(!e.activeThroughout);
          if (e.activeThroughout && e.posts >= e.required) expect(a).toBe("compliant");
          if (a === "below") expect(e.posts).toBeLessThan(e.required);
        },
      ),
    );
  });
});

describe("summarise", () => {
  it("counts per group and rates compliant / (compliant + below)", () => {
    const rows = [
      { status: "compliant" as const, groupKey: "wechat" },
      { status: "below" as const, groupKey: "wechat" },
      { status: "compliant" as const, groupKey: "wechat" },
      { status: "exempt" as const, groupKey: "wechat" },
      { status: "unknown" as const, groupKey: "douyin" },
      { status: "exempt" as const, groupKey: "douyin" },
    ];
    expect(summarise(rows)).toEqual([
      { key: "douyin", total: 2, compliant: 0, below: 0, exempt: 1, unknown: 1, rate: null },
      { key: "wechat", total: 4, compliant: 2, below: 1, exempt: 1, unknown: 0, rate: 2 / 3 },
    ]);
    expect(summarise([])).toEqual([]);
  });

  it("property: counts add up and the rate is in [0, 1]", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ status: fc.constantFrom(...WEEK_STATUSES), groupKey: fc.constantFrom("a", "b", "c", "县政府") })),
        (rows) => {
          const out = summarise(rows);
          expect(out.map((r) => r.key)).toEqual([...new Set(rows.map((r) => r.groupKey))].sort());
          expect(out.reduce((s, r) => s + r.total, 0)).toBe(rows.length);
          for (const r of out) {
            const mine = rows.filter((x) => x.groupKey === r.key);
            expect(r.total).toBe(mine.length);
            for (const s of WEEK_STATUSES) expect(r[s]).toBe(mine.filter((x) => x.status === s).length);
            expect(r.compliant + r.below + r.exempt + r.unknown).toBe(r.total);
            if (r.compliant + r.below === 0) expect(r.rate).toBeNull();
            else {
              expect(r.rate).toBeCloseTo(r.compliant / (r.compliant + r.below));
              expect(r.rate).toBeGreaterThanOrEqual(0);
              expect(r.rate).toBeLessThanOrEqual(1);
            }
          }
        },
      ),
    );
  });
});

describe("weeks and activity together", () => {
  it("property: an account opened mid-week is exempt for that week and counted from the next", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }),
        (opened) => {
          const periods = [{ from: opened, to: null }];
          const w = weekOf(opened);
          const atMonday = opened.getTime() === w.start.getTime();
          expect(activeThroughout(periods, w)).toBe(atMonday);
          expect(activeThroughout(periods, weekOf(w.end))).toBe(true);
        },
      ),
    );
  });
});
