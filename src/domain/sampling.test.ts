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
} from "./sampling";
import { SEED, TOWN, ids, quarterArb, rateArb } from "./sampling.arbitraries";

afterEach(() => {
  vi.restoreAllMocks();
});


describe("sampleSize (鹤政办〔2019〕20号第十二条：每季度抽查比例不低于50%，实现全年全覆盖)", () => {
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
      recheck: "复查（上次抽查不合格，逾期未整改）",
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

