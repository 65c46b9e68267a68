// The draw's properties over random inputs, full coverage over random years, and verification.
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  SAMPLE_REASONS,
  SAMPLE_REASON_LABELS,
  draw,
  simulateYear,
  verifyDraw,
  type DrawInput,
} from "./sampling";
import { QUARTERS, SEED, TOWN, id, ids, inputArb, populationArb, quarterArb, rateArb, seedArb, tierOf, yearArb } from "./sampling.arbitraries";

afterEach(() => {
  vi.restoreAllMocks();
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

describe("simulateYear: full coverage within the calendar year (鹤政办〔2019〕20号第十二条：实现全年全覆盖)", () => {
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
