import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  activeThroughout,
  countUpdates,
  judgeWeeks,
  summarise,
  tallyOf,
  updatesOf,
  weekVerdict,
  WEEK_STATUSES,
  weekStatus,
  type ActivePeriod,
  type WeekEvidence,
  type WeekStatus,
} from "./compliance";
import { DEFAULT_POLICY, UPDATE_UNITS, type Policy } from "./policy";
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
      { status: "unknown" as const, groupKey: "douyin", unknownReason: "no_source" as const },
      { status: "exempt" as const, groupKey: "douyin" },
    ];
    const none = { no_source: 0, collection_failed: 0, week_in_progress: 0 };
    expect(summarise(rows)).toEqual([
      { key: "douyin", total: 2, compliant: 0, below: 0, exempt: 1, unknown: 1, judged: 0, unknownReasons: { ...none, no_source: 1 }, rate: null },
      { key: "wechat", total: 4, compliant: 2, below: 1, exempt: 1, unknown: 0, judged: 3, unknownReasons: none, rate: 2 / 3 },
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

describe("counting updates (docs/规则依据.md#更新的计数单位)", () => {
  // A 多图文 群发 of three articles on Sunday 23:30 Beijing, an item at Monday 00:00:05.
  const push3 = ["2026-11-22T23:30:01+08:00", "2026-11-22T23:30:01+08:00", "2026-11-22T23:30:58+08:00"].map((t) => ({ publishedAt: at(t) }));
  const monday = { publishedAt: at("2026-11-23T00:00:05+08:00") };

  it("push: items of one minute are one update; item: each; day: Beijing days", () => {
    expect(countUpdates(push3, "push", true)).toBe(1);
    expect(countUpdates(push3, "item", true)).toBe(3);
    expect(countUpdates(push3, "day", true)).toBe(1);
    expect(countUpdates([...push3, monday], "push", true)).toBe(2);
    expect(countUpdates([...push3, monday], "day", true)).toBe(2);
    // 23:30:58 and 23:31:00 are different minutes: two pushes.
    expect(countUpdates([push3[0]!, { publishedAt: at("2026-11-22T23:31:00+08:00") }], "push", true)).toBe(2);
    // 08:00 Beijing and 07:59 Beijing the same day, though different UTC dates: one day.
    expect(countUpdates([{ publishedAt: at("2026-11-22T07:59:00+08:00") }, { publishedAt: at("2026-11-22T08:00:00+08:00") }], "day", true)).toBe(1);
    expect(countUpdates([], "push", true)).toBe(0);
  });

  it("backfill never counts; reposts count only when the policy says so", () => {
    const list = [
      { publishedAt: at("2026-11-17T10:00:00+08:00"), backfill: true },
      { publishedAt: at("2026-11-18T10:00:00+08:00"), repost: true },
      { publishedAt: at("2026-11-19T10:00:00+08:00") },
    ];
    expect(countUpdates(list, "item", true)).toBe(2);
    expect(countUpdates(list, "item", false)).toBe(1);
    expect(countUpdates(list, "day", false)).toBe(1);
  });

  it("property: the tally gives the same count as counting the posts, for every unit", () => {
    const post = fc.record({
      publishedAt: fc.integer({ min: 0, max: 7 * 24 * 60 * 4 }).map((q) => new Date(W47.start.getTime() + q * 15_000)),
      backfill: fc.boolean(),
      repost: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(post, { maxLength: 40 }), fc.constantFrom(...UPDATE_UNITS), fc.boolean(), (list, unit, reposts) => {
        const n = countUpdates(list, unit, reposts);
        expect(updatesOf(tallyOf(list), unit, reposts)).toBe(n);
        expect(n).toBeLessThanOrEqual(countUpdates(list, "item", reposts));
        if (unit === "day") expect(n).toBeLessThanOrEqual(countUpdates(list, "push", reposts));
      }),
    );
  });
});

describe("judging on updates, per account type, with the reason of an unknown", () => {
  const W48 = parseWeekId("2026-W48")!;
  const active = new Map([["a", [period("2026-01-01T00:00:00+08:00", null)]]]);
  const judge = (account: { platform: "wechat" | "app"; accountType?: "subscription" | "service" | null; feedUrl: string | null }, tally: ReturnType<typeof tallyOf>, policy: Partial<Policy> = {}, extra: { coverage?: Set<string>; firstPost?: Date; now?: Date } = {}) =>
    judgeWeeks(
      [{ id: "a", orgId: "o", ...account }],
      [W47],
      {
        periods: active,
        counts: new Map([["a", [tally]]]),
        firstPosts: new Map(extra.firstPost ? [["a", extra.firstPost]] : []),
        coverage: new Map([["a", extra.coverage ?? new Set(["2026-11-20"])]]),
        policyFor: () => ({ ...DEFAULT_POLICY, ...policy }),
      },
      extra.now,
    )[0]!;
  const threeInOne = tallyOf(["2026-11-20T10:00:00+08:00", "2026-11-20T10:00:00+08:00", "2026-11-20T10:00:30+08:00"].map((t) => ({ publishedAt: at(t) })));

  it("keeps posts as items and judges updates in the policy's unit", () => {
    expect(judge({ platform: "wechat", feedUrl: "http://f" }, threeInOne)).toMatchObject({ posts: 3, updates: 1, updateUnit: "push", required: 3, status: "below", unknownReason: null });
    expect(judge({ platform: "wechat", feedUrl: "http://f" }, threeInOne, { updateUnit: "item" })).toMatchObject({ posts: 3, updates: 3, status: "compliant" });
    expect(judge({ platform: "wechat", feedUrl: "http://f" }, threeInOne, { updateUnit: "day" })).toMatchObject({ updates: 1, status: "below" });
  });

  it("a 服务号 is not failed by a weekly minimum by default (4 群发 a month); a jurisdiction can set one", () => {
    expect(judge({ platform: "wechat", accountType: "service", feedUrl: "http://f" }, threeInOne)).toMatchObject({ required: 0, updates: 1, status: "compliant" });
    expect(judge({ platform: "wechat", accountType: "service", feedUrl: "http://f" }, tallyOf([]))).toMatchObject({ required: 0, updates: 0, status: "compliant" });
    expect(judge({ platform: "wechat", accountType: "service", feedUrl: "http://f" }, threeInOne, { serviceWeeklyMinimum: 2 })).toMatchObject({ required: 2, status: "below" });
    expect(judge({ platform: "wechat", accountType: "subscription", feedUrl: "http://f" }, threeInOne).required).toBe(3);
  });

  it("says why a week is unknown", () => {
    const empty = tallyOf([]);
    expect(judge({ platform: "app", feedUrl: null }, empty)).toMatchObject({ status: "unknown", unknownReason: "no_source" });
    expect(judge({ platform: "app", feedUrl: "http://f" }, empty, {}, { coverage: new Set() })).toMatchObject({ status: "unknown", unknownReason: "collection_failed" });
    expect(judge({ platform: "app", feedUrl: null }, empty, {}, { firstPost: at("2026-10-01T00:00:00Z") })).toMatchObject({ status: "below", unknownReason: null });
    expect(judge({ platform: "app", feedUrl: "http://f" }, empty, {}, { now: at("2026-11-20T00:00:00Z") })).toMatchObject({ status: "unknown", unknownReason: "week_in_progress" });
    expect(weekVerdict({ week: W48, required: 3, posts: 0, activeThroughout: false, hasFeed: true, fetchCovered: true, hasAnySource: true })).toEqual({ status: "exempt", unknownReason: "not_active" });
  });
});
