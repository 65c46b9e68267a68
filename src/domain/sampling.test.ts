import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  SAMPLE_REASONS,
  SAMPLE_REASON_LABELS,
  cyrb128,
  draw,
  newSeed,
  sampleSize,
  sfc32,
  simulateYear,
  streamKey,
  validateRate,
  verifyDraw,
  type DrawInput,
  type PopulationMember,
  type SampleReason,
} from "./sampling";

const SEED = "3f9a0c1e5b7d2468ace013579bdf8642";
const QUARTERS = [1, 2, 3, 4] as const;

const id = (n: number): string => `acc-${String(n).padStart(3, "0")}`;

// ── arbitraries ─────────────────────────────────────────────────────────────────────────────────

const rateArb = fc.oneof(
  fc.constantFrom(0.5, 0.12, 1),
  fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true }),
);
const quarterArb = fc.constantFrom(...QUARTERS);
const seedArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(newSeed);

const populationArb = (opts: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<PopulationMember[]> =>
  fc
    .uniqueArray(fc.record({ n: fc.nat(999), sampled: fc.boolean(), alert: fc.boolean() }), {
      selector: (r) => r.n,
      minLength: opts.minLength ?? 0,
      maxLength: opts.maxLength ?? 80,
    })
    .map((rs) => rs.map((r) => ({ accountId: id(r.n), sampledThisYear: r.sampled, hasOpenAlert: r.alert })));

const inputArb = (opts: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<DrawInput> =>
  fc.record({ population: populationArb(opts), rate: rateArb, quarter: quarterArb, seed: seedArb });

/** A year: each quarter's population is a random subset of a universe (accounts open and close). */
const yearArb = fc
  .integer({ min: 0, max: 40 })
  .chain((size) => {
    const universe = Array.from({ length: size }, (_, i) => id(i));
    const quarter = fc.record({ members: fc.subarray(universe), alerts: fc.subarray(universe) }).map((q) => ({
      population: q.members.map((accountId) => ({ accountId, hasOpenAlert: q.alerts.includes(accountId) })),
    }));
    return fc.array(quarter, { minLength: 4, maxLength: 4 });
  });

const tierOf = (m: PopulationMember): SampleReason =>
  !m.sampledThisYear ? "not_sampled_this_year" : m.hasOpenAlert ? "open_alert" : "random";

const ids = (input: DrawInput): string[] => draw(input).items.map((it) => it.accountId);

afterEach(() => {
  vi.restoreAllMocks();
});

// ── sampleSize ──────────────────────────────────────────────────────────────────────────────────

describe("sampleSize (seed 001: 每季度抽查比例不低于50%，实现全年全覆盖)", () => {
  it("takes ceil(rate × N) at 50%", () => {
    expect(sampleSize(12, 0, 0.5, 1).size).toBe(6);
    expect(sampleSize(37, 0, 0.5, 1).size).toBe(19);
    expect(sampleSize(80, 0, 0.5, 1).size).toBe(40);
    expect(sampleSize(1, 0, 0.5, 1).size).toBe(1);
  });

  it("Q4 takes every account not yet sampled this year", () => {
    expect(sampleSize(80, 30, 0.5, 4)).toEqual({ size: 40, minimumByRate: 40, minimumForCoverage: 30 });
    expect(sampleSize(80, 50, 0.5, 4)).toEqual({ size: 50, minimumByRate: 40, minimumForCoverage: 50 });
    expect(sampleSize(80, 80, 0.12, 4).size).toBe(80);
  });

  it("earlier quarters spread the unsampled over the quarters left", () => {
    expect(sampleSize(80, 50, 0.5, 3)).toEqual({ size: 40, minimumByRate: 40, minimumForCoverage: 25 });
    expect(sampleSize(80, 80, 0.12, 1)).toEqual({ size: 20, minimumByRate: 10, minimumForCoverage: 20 });
    expect(sampleSize(80, 61, 0.12, 2)).toEqual({ size: 21, minimumByRate: 10, minimumForCoverage: 21 });
    expect(sampleSize(80, 41, 0.12, 3)).toEqual({ size: 21, minimumByRate: 10, minimumForCoverage: 21 });
  });

  it("is not pushed up by float noise, and never below 1 for a non-empty population", () => {
    expect(0.07 * 100).toBeGreaterThan(7); // 7.000000000000001
    expect(sampleSize(100, 0, 0.07, 1).minimumByRate).toBe(7);
    expect(0.55 * 100).toBeGreaterThan(55); // 55.00000000000001
    expect(sampleSize(100, 0, 0.55, 1).minimumByRate).toBe(55);
    expect(sampleSize(25, 0, 0.12, 1).minimumByRate).toBe(3);
    expect(sampleSize(5, 0, 1e-12, 1).minimumByRate).toBe(1);
    expect(sampleSize(7, 0, 1, 1).size).toBe(7);
  });

  it("an empty population draws nothing", () => {
    expect(sampleSize(0, 0, 0.5, 4)).toEqual({ size: 0, minimumByRate: 0, minimumForCoverage: 0 });
  });

  it("rejects impossible inputs", () => {
    expect(() => sampleSize(10, 11, 0.5, 1)).toThrow(RangeError);
    expect(() => sampleSize(-1, 0, 0.5, 1)).toThrow(RangeError);
    expect(() => sampleSize(2.5, 0, 0.5, 1)).toThrow(RangeError);
    expect(() => sampleSize(10, 0, 0, 1)).toThrow(RangeError);
    expect(() => sampleSize(10, 0, 1.5, 1)).toThrow(RangeError);
    expect(() => sampleSize(10, 0, 0.5, 5 as 4)).toThrow(RangeError);
  });

  it("property: size is minimal for the rate, within [1, N], and covers the unsampled share", () => {
    fc.assert(
      fc.property(fc.nat(2000), fc.nat(2000), rateArb, quarterArb, (a, b, rate, quarter) => {
        const n = Math.max(a, b);
        const unsampled = Math.min(a, b);
        const s = sampleSize(n, unsampled, rate, quarter);
        if (n === 0) {
          expect(s.size).toBe(0);
          return;
        }
        expect(s.size).toBeGreaterThanOrEqual(1);
        expect(s.size).toBeLessThanOrEqual(n);
        expect(s.minimumByRate).toBeGreaterThanOrEqual(rate * n - 1e-9);
        expect(s.minimumByRate - 1).toBeLessThan(Math.max(rate * n, 1));
        expect(s.size).toBe(Math.min(n, Math.max(s.minimumByRate, s.minimumForCoverage)));
        expect(s.minimumForCoverage * (5 - quarter)).toBeGreaterThanOrEqual(unsampled);
        if (quarter === 4) expect(s.size).toBeGreaterThanOrEqual(unsampled);
      }),
    );
  });
});

describe("validateRate", () => {
  it("accepts 0 < rate ≤ 1", () => {
    for (const r of [0.5, 0.12, 1, 1e-9]) expect(validateRate(r)).toBeUndefined();
  });
  it("explains anything else in Chinese", () => {
    for (const r of [0, -0.5, 1.01, 50, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(validateRate(r)).toMatch(/季度抽查比例/);
    }
    expect(validateRate("0.5" as unknown as number)).toBe("“季度抽查比例”必须是数字");
  });
});

describe("labels and seeds", () => {
  it("every reason has a Chinese label", () => {
    expect(SAMPLE_REASON_LABELS).toEqual({
      not_sampled_this_year: "本年度尚未抽查",
      open_alert: "存在未处理预警",
      random: "随机抽取",
    });
    expect(Object.keys(SAMPLE_REASON_LABELS).sort()).toEqual([...SAMPLE_REASONS].sort());
  });

  it("newSeed is the hex of 16 caller-supplied bytes", () => {
    expect(newSeed(Uint8Array.from({ length: 16 }, (_, i) => i))).toBe("000102030405060708090a0b0c0d0e0f");
    expect(newSeed(new Uint8Array(16).fill(255))).toBe("ff".repeat(16));
    expect(() => newSeed(new Uint8Array(15))).toThrow(RangeError);
    expect(() => newSeed(new Uint8Array(32))).toThrow(RangeError);
  });

  it("property: newSeed is 32 lowercase hex digits and injective", () => {
    const bytes = fc.uint8Array({ minLength: 16, maxLength: 16 });
    fc.assert(
      fc.property(bytes, bytes, (a, b) => {
        expect(newSeed(a)).toMatch(/^[0-9a-f]{32}$/);
        expect(newSeed(a) === newSeed(b)).toBe(a.every((x, i) => x === b[i]));
      }),
    );
  });
});

// ── generator ───────────────────────────────────────────────────────────────────────────────────

describe("cyrb128 → sfc32 (regression anchor)", () => {
  // Computed once, and cross-checked at the time against bryc's JavaScript originals (whose sfc32
  // returns these values / 2^32). If they change, every stored draw stops verifying.
  it("cyrb128 known vectors", () => {
    expect(cyrb128("")).toEqual([41608494, 3485963809, 1435736333, 1262568316]);
    expect(cyrb128("apples")).toEqual([1353502818, 2189370424, 187770103, 4227467030]);
  });

  it("sfc32 known vectors", () => {
    const empty = sfc32(...cyrb128(""));
    expect([empty(), empty(), empty(), empty()]).toEqual([495173323, 487725788, 2249504753, 4020827468]);
    const apples = sfc32(...cyrb128("apples"));
    expect([apples(), apples(), apples(), apples()]).toEqual([3475372976, 3807539056, 1053067541, 3819506593]);
  });

  it("one stream per draw, keyed by seed and quarter", () => {
    expect(streamKey(SEED, 3)).toBe(`${SEED}|Q3`);
  });
});

// ── draw ────────────────────────────────────────────────────────────────────────────────────────

const TOWN: PopulationMember[] = [
  { accountId: "wx-gov", sampledThisYear: true, hasOpenAlert: false },
  { accountId: "wb-gov", sampledThisYear: true, hasOpenAlert: true },
  { accountId: "dy-edu", sampledThisYear: false, hasOpenAlert: false },
  { accountId: "wx-edu", sampledThisYear: true, hasOpenAlert: true },
  { accountId: "wx-health", sampledThisYear: false, hasOpenAlert: true },
  { accountId: "app-city", sampledThisYear: true, hasOpenAlert: false },
  { accountId: "wb-police", sampledThisYear: true, hasOpenAlert: false },
  { accountId: "wx-town1", sampledThisYear: true, hasOpenAlert: false },
  { accountId: "wx-town2", sampledThisYear: true, hasOpenAlert: true },
  { accountId: "tt-culture", sampledThisYear: true, hasOpenAlert: false },
  { accountId: "wx-water", sampledThisYear: true, hasOpenAlert: false },
  { accountId: "wb-traffic", sampledThisYear: true, hasOpenAlert: false },
];

describe("draw: examples", () => {
  it("pins a known list (regression anchor: a change here breaks verification of stored rounds)", () => {
    const d = draw({ population: TOWN, rate: 0.5, quarter: 2, seed: SEED });
    expect(d).toEqual({
      sampleSize: 6,
      minimumByRate: 6,
      minimumForCoverage: 1,
      items: [
        { accountId: "dy-edu", reason: "not_sampled_this_year", position: 1 },
        { accountId: "wx-health", reason: "not_sampled_this_year", position: 2 },
        { accountId: "wb-gov", reason: "open_alert", position: 3 },
        { accountId: "wx-town2", reason: "open_alert", position: 4 },
        { accountId: "wx-edu", reason: "open_alert", position: 5 },
        { accountId: "wb-police", reason: "random", position: 6 },
      ],
    });
    expect(ids({ population: TOWN, rate: 0.5, quarter: 3, seed: SEED })).toEqual([
      "wx-health",
      "dy-edu",
      "wx-town2",
      "wx-edu",
      "wb-gov",
      "wx-water",
    ]);
  });

  it("an account not sampled this year that also has an open alert is drawn as not sampled", () => {
    const d = draw({ population: TOWN, rate: 0.5, quarter: 2, seed: SEED });
    expect(d.items.find((it) => it.accountId === "wx-health")?.reason).toBe("not_sampled_this_year");
  });

  it("an empty population draws nothing", () => {
    expect(draw({ population: [], rate: 0.5, quarter: 1, seed: SEED })).toEqual({
      sampleSize: 0,
      minimumByRate: 0,
      minimumForCoverage: 0,
      items: [],
    });
  });

  it("repeats of the same account collapse; conflicting repeats, empty ids and empty seeds are refused", () => {
    const once = draw({ population: TOWN, rate: 0.5, quarter: 2, seed: SEED });
    expect(draw({ population: [...TOWN, ...TOWN], rate: 0.5, quarter: 2, seed: SEED })).toEqual(once);
    const conflicting = [...TOWN, { accountId: "wx-gov", sampledThisYear: false, hasOpenAlert: false }];
    expect(() => draw({ population: conflicting, rate: 0.5, quarter: 2, seed: SEED })).toThrow(/wx-gov/);
    const empty = [...TOWN, { accountId: "", sampledThisYear: false, hasOpenAlert: false }];
    expect(() => draw({ population: empty, rate: 0.5, quarter: 2, seed: SEED })).toThrow(RangeError);
    expect(() => draw({ population: TOWN, rate: 0.5, quarter: 2, seed: "" })).toThrow(RangeError);
    expect(() => draw({ population: TOWN, rate: 0, quarter: 2, seed: SEED })).toThrow(RangeError);
  });

  it("uses no ambient randomness or clock", () => {
    const random = vi.spyOn(Math, "random");
    const now = vi.spyOn(Date, "now");
    const crypto = vi.spyOn(globalThis.crypto, "getRandomValues");
    draw({ population: TOWN, rate: 0.5, quarter: 4, seed: SEED });
    simulateYear([{ population: TOWN }, { population: TOWN }], 0.12, SEED);
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
    expect(crypto).not.toHaveBeenCalled();
  });

  it("sorts ids by code units, not by locale", () => {
    const pop = ["b", "B", "é", "e", "账号", "Z"].map((accountId) => ({ accountId, sampledThisYear: false, hasOpenAlert: false }));
    const a = draw({ population: pop, rate: 1, quarter: 1, seed: SEED });
    const b = draw({ population: [...pop].reverse(), rate: 1, quarter: 1, seed: SEED });
    expect(b).toEqual(a);
  });
});

describe("draw: properties", () => {
  it("size ≥ ceil(rate × N), ≤ N, no duplicates, all from the population, positions 1..n", () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const d = draw(input);
        const n = input.population.length;
        const pop = new Set(input.population.map((m) => m.accountId));
        expect(d.items).toHaveLength(d.sampleSize);
        expect(d.sampleSize).toBeLessThanOrEqual(n);
        expect(d.sampleSize).toBeGreaterThanOrEqual(d.minimumByRate);
        expect(d.sampleSize).toBeGreaterThanOrEqual(input.rate * n - 1e-9);
        if (n > 0) expect(d.sampleSize).toBeGreaterThanOrEqual(1);
        expect(new Set(d.items.map((it) => it.accountId)).size).toBe(d.items.length);
        for (const it of d.items) expect(pop.has(it.accountId)).toBe(true);
        expect(d.items.map((it) => it.position)).toEqual(d.items.map((_, i) => i + 1));
      }),
    );
  });

  it("tier order: no open-alert or random item while an unsampled one is left out; no random while an open-alert one is", () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const d = draw(input);
        const byId = new Map(input.population.map((m) => [m.accountId, m]));
        const taken = new Set(d.items.map((it) => it.accountId));
        const leftOut = input.population.filter((m) => !taken.has(m.accountId)).map(tierOf);
        const reasons = d.items.map((it) => it.reason);
        for (const it of d.items) {
          const m = byId.get(it.accountId);
          expect(m && tierOf(m)).toBe(it.reason);
        }
        if (reasons.includes("open_alert") || reasons.includes("random")) {
          expect(leftOut).not.toContain("not_sampled_this_year");
        }
        if (reasons.includes("random")) expect(leftOut).not.toContain("open_alert");
        // Tiers appear as contiguous blocks in priority order.
        const rank = reasons.map((r) => SAMPLE_REASONS.indexOf(r));
        expect(rank).toEqual([...rank].sort((x, y) => x - y));
        // The unsampled share reaches the coverage minimum.
        const unsampled = input.population.filter((m) => !m.sampledThisYear).length;
        const drawnUnsampled = reasons.filter((r) => r === "not_sampled_this_year").length;
        expect(drawnUnsampled).toBe(Math.min(unsampled, d.sampleSize));
        expect(drawnUnsampled).toBeGreaterThanOrEqual(Math.min(unsampled, d.minimumForCoverage));
      }),
    );
  });

  it("same seed → identical list, whatever the input order", () => {
    fc.assert(
      fc.property(
        inputArb().chain((input) =>
          fc
            .shuffledSubarray([...input.population], { minLength: input.population.length, maxLength: input.population.length })
            .map((shuffled) => ({ input, shuffled })),
        ),
        ({ input, shuffled }) => {
          const a = draw(input);
          expect(draw({ ...input })).toEqual(a);
          expect(draw({ ...input, population: shuffled })).toEqual(a);
        },
      ),
    );
  });

  it("input order is irrelevant for arbitrary Unicode ids too", () => {
    const members = fc.uniqueArray(
      fc.record({ accountId: fc.string({ minLength: 1, maxLength: 6, unit: "binary" }), sampledThisYear: fc.boolean(), hasOpenAlert: fc.boolean() }),
      { selector: (m) => m.accountId, maxLength: 30 },
    );
    fc.assert(
      fc.property(members, rateArb, quarterArb, seedArb, (population, rate, quarter, seed) => {
        const a = draw({ population, rate, quarter, seed });
        expect(draw({ population: [...population].reverse(), rate, quarter, seed })).toEqual(a);
      }),
      { numRuns: 50 },
    );
  });

  it("a different seed gives a different list (populations ≥ 20, size < N, many possible lists)", () => {
    const log10Lists = (input: DrawInput): number => {
      // How many ordered lists the draw can produce: ∏ over tiers of m!/(m−j)!.
      const d = draw(input);
      let total = 0;
      for (const reason of SAMPLE_REASONS) {
        const m = input.population.filter((p) => tierOf(p) === reason).length;
        const j = d.items.filter((it) => it.reason === reason).length;
        for (let i = 0; i < j; i++) total += Math.log10(m - i);
      }
      return total;
    };
    fc.assert(
      fc.property(
        populationArb({ minLength: 20, maxLength: 80 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        quarterArb,
        seedArb,
        seedArb,
        (population, rate, quarter, s1, s2) => {
          fc.pre(s1 !== s2);
          const input = { population, rate, quarter, seed: s1 };
          const d = draw(input);
          fc.pre(d.sampleSize < population.length);
          fc.pre(log10Lists(input) >= 12); // a collision is then < 1e-12 per run
          expect(ids({ ...input, seed: s2 })).not.toEqual(ids(input));
        },
      ),
    );
  });

  it("the same seed in another quarter uses another stream", () => {
    const pop = Array.from({ length: 40 }, (_, i) => ({ accountId: id(i), sampledThisYear: true, hasOpenAlert: false }));
    const lists = QUARTERS.map((quarter) => ids({ population: pop, rate: 0.5, quarter, seed: SEED }).join());
    expect(new Set(lists).size).toBe(4);
  });
});

// ── a year ──────────────────────────────────────────────────────────────────────────────────────

describe("simulateYear: full coverage within the calendar year (seed 001: 实现全年全覆盖)", () => {
  it("every account present at ANY quarter start has been sampled by the end of the year", () => {
    fc.assert(
      fc.property(yearArb, rateArb, seedArb, (quarters, rate, seed) => {
        const draws = simulateYear(quarters, rate, seed);
        const sampled = new Set(draws.flat().map((it) => it.accountId));
        // Accounts that opened mid-year, and ones that closed before they were drawn (carried over).
        if (quarters.length === 4) for (const q of quarters) for (const m of q.population) expect(sampled.has(m.accountId)).toBe(true);
      }),
    );
  });

  it("each quarter meets the rate, and an account is drawn as 'not sampled' at most once a year", () => {
    fc.assert(
      fc.property(yearArb, rateArb, seedArb, (quarters, rate, seed) => {
        const draws = simulateYear(quarters, rate, seed);
        const firstTimes: string[] = [];
        draws.forEach((items, i) => {
          const population = quarters[i]?.population ?? [];
          // Carried-over accounts (present at an earlier quarter start, closed since) may be drawn too.
          const pop = new Set([...quarters.slice(0, i + 1).flatMap((q) => q.population.map((m) => m.accountId))]);
          expect(items.length).toBeGreaterThanOrEqual(rate * population.length - 1e-9);
          expect(items.length).toBeLessThanOrEqual(pop.size);
          expect(new Set(items.map((it) => it.accountId)).size).toBe(items.length);
          for (const it of items) expect(pop.has(it.accountId)).toBe(true);
          for (const it of items) if (it.reason === "not_sampled_this_year") firstTimes.push(it.accountId);
        });
        expect(new Set(firstTimes).size).toBe(firstTimes.length);
      }),
    );
  });

  it("a stable population is fully covered even at 12%, with Q4 taking whatever remains", () => {
    const pop = Array.from({ length: 80 }, (_, i) => ({ accountId: id(i), hasOpenAlert: i % 7 === 0 }));
    const draws = simulateYear([{ population: pop }, { population: pop }, { population: pop }, { population: pop }], 0.12, SEED);
    expect(draws.map((d) => d.length)).toEqual([20, 20, 20, 20]);
    expect(new Set(draws.flat().map((it) => it.accountId)).size).toBe(80);
  });

  it("an account that closes before it is drawn is carried over and still checked within the year", () => {
    // Q1 draws 5 of 10; the other 5 close before Q2: they are carried into later quarters.
    const q1 = Array.from({ length: 10 }, (_, i) => ({ accountId: id(i), hasOpenAlert: false }));
    const [first = []] = simulateYear([{ population: q1 }], 0.5, SEED);
    const kept = new Set(first.map((it) => it.accountId));
    const rest = q1.filter((m) => kept.has(m.accountId));
    const draws = simulateYear([{ population: q1 }, { population: rest }, { population: rest }, { population: rest }], 0.5, SEED);
    expect(new Set(draws.flat().map((it) => it.accountId)).size).toBe(10);
  });

  it("refuses more than four quarters", () => {
    expect(() => simulateYear([{ population: [] }, { population: [] }, { population: [] }, { population: [] }, { population: [] }], 0.5, SEED)).toThrow(
      RangeError,
    );
  });
});

// ── verifyDraw ──────────────────────────────────────────────────────────────────────────────────

describe("verifyDraw", () => {
  const input: DrawInput = { population: TOWN, rate: 0.5, quarter: 2, seed: SEED };
  const stored = draw(input).items.map(({ accountId, reason }) => ({ accountId, reason }));

  it("accepts the draw itself", () => {
    expect(verifyDraw(input, stored)).toEqual({ matches: true, differences: [] });
  });

  it("explains a removed, swapped, foreign or relabelled item in Chinese", () => {
    expect(verifyDraw(input, stored.slice(0, -1)).differences).toEqual(["应抽取 6 个账号，实为 5 个", "缺少 wb-police（随机抽取）"]);

    const swapped = [...stored];
    [swapped[0], swapped[1]] = [stored[1]!, stored[0]!];
    expect(verifyDraw(input, swapped).differences).toEqual([
      "第1项应为 dy-edu（本年度尚未抽查），实为 wx-health（本年度尚未抽查）",
      "第2项应为 wx-health（本年度尚未抽查），实为 dy-edu（本年度尚未抽查）",
    ]);

    const foreign = stored.map((it, i) => (i === 5 ? { accountId: "wx-elsewhere", reason: "random" as const } : it));
    expect(verifyDraw(input, foreign).differences).toEqual([
      "第6项应为 wb-police（随机抽取），实为 wx-elsewhere（随机抽取）",
      "缺少 wb-police（随机抽取）",
      "多出 wx-elsewhere（不在本季度抽查范围内）",
    ]);

    const relabelled = stored.map((it, i) => (i === 2 ? { ...it, reason: "random" as const } : it));
    expect(verifyDraw(input, relabelled).differences).toEqual(["第3项 wb-gov 的抽取原因应为“存在未处理预警”，实为“随机抽取”"]);

    const extra = [...stored, { accountId: "wx-water", reason: "random" as const }];
    expect(verifyDraw(input, extra).differences).toEqual(["应抽取 6 个账号，实为 7 个", "多出 wx-water"]);

    const twice = [...stored.slice(0, 5), stored[0]!];
    expect(verifyDraw(input, twice).matches).toBe(false);
    expect(verifyDraw(input, twice).differences).toContain("重复 dy-edu");
  });

  it("reports a draw that cannot be recomputed instead of throwing", () => {
    const r = verifyDraw({ ...input, rate: 2 }, stored);
    expect(r.matches).toBe(false);
    expect(r.differences[0]).toMatch(/^无法重新计算抽查名单：/);
  });

  it("property: true for the draw; false with differences for any removal, swap, foreign id or changed reason", () => {
    fc.assert(
      fc.property(inputArb({ minLength: 2 }), fc.nat(), fc.nat(), fc.nat(2), (input, a, b, r) => {
        const items = draw(input).items.map(({ accountId, reason }) => ({ accountId, reason }));
        expect(verifyDraw(input, items)).toEqual({ matches: true, differences: [] });
        fc.pre(items.length >= 2);
        const i = a % items.length;
        const j = (i + 1 + (b % (items.length - 1))) % items.length; // j ≠ i
        const at = (k: number) => items[k]!;

        const removed = items.filter((_, k) => k !== i);
        const rm = verifyDraw(input, removed);
        expect(rm.matches).toBe(false);
        expect(rm.differences).toContain(`缺少 ${at(i).accountId}（${SAMPLE_REASON_LABELS[at(i).reason]}）`);

        const swapped = items.map((it, k) => (k === i ? at(j) : k === j ? at(i) : it));
        const sw = verifyDraw(input, swapped);
        expect(sw.matches).toBe(false);
        expect(sw.differences.some((l) => l.startsWith(`第${i + 1}项应为 ${at(i).accountId}`))).toBe(true);

        const foreign = items.map((it, k) => (k === i ? { ...it, accountId: "not-in-population" } : it));
        const fo = verifyDraw(input, foreign);
        expect(fo.matches).toBe(false);
        expect(fo.differences).toContain("多出 not-in-population（不在本季度抽查范围内）");

        const other = SAMPLE_REASONS.filter((x) => x !== at(i).reason)[r % 2]!;
        const relabelled = items.map((it, k) => (k === i ? { ...it, reason: other } : it));
        const re = verifyDraw(input, relabelled);
        expect(re.matches).toBe(false);
        expect(re.differences).toEqual([
          `第${i + 1}项 ${at(i).accountId} 的抽取原因应为“${SAMPLE_REASON_LABELS[at(i).reason]}”，实为“${SAMPLE_REASON_LABELS[other]}”`,
        ]);
      }),
    );
  });
});
