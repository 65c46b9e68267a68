// The re-check tier (复查) and subtree rounds (全辖区): every re-check is drawn, first; populations stored
// before re-checks existed draw the same lists; a subtree round has no coverage minimum.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { draw, sampleSize, verifyDraw, type PopulationMember } from "./sampling";
import { SEED, TOWN, inputArb, recheckInputArb, tierOf } from "./sampling.arbitraries";

describe("re-check tier (复查)", () => {
  it("property: every re-check member is drawn, at positions 1..k, with reason recheck", () => {
    fc.assert(
      fc.property(recheckInputArb(), (input) => {
        const d = draw(input);
        const rechecks = new Set(input.population.filter((m) => m.recheck).map((m) => m.accountId));
        const k = rechecks.size;
        expect(d.sampleSize).toBeGreaterThanOrEqual(k);
        expect(d.items.slice(0, k).every((it) => rechecks.has(it.accountId) && it.reason === "recheck")).toBe(true);
        expect(d.items.slice(k).some((it) => it.reason === "recheck")).toBe(false);
        for (const it of d.items) expect(it.reason).toBe(tierOf(input.population.find((m) => m.accountId === it.accountId)!));
        expect(verifyDraw(input, d.items).matches).toBe(true);
      }),
    );
  });

  it("property: size = min(N, max(by rate, coverage, re-checks)); a subtree round has no coverage minimum", () => {
    fc.assert(
      fc.property(recheckInputArb(), (input) => {
        const d = draw(input);
        const n = input.population.length;
        const k = input.population.filter((m) => m.recheck).length;
        const unsampled = input.population.filter((m) => !m.recheck && !m.sampledThisYear).length;
        const base = sampleSize(n, input.scope === "subtree" ? 0 : unsampled, input.rate, input.quarter);
        expect(d.sampleSize).toBe(Math.min(n, Math.max(base.size, k)));
        if (input.scope === "subtree") expect(d.minimumForCoverage).toBe(0);
      }),
    );
  });

  it("property: recheck: false and an absent flag give the same list as before re-checks existed", () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const explicit = { ...input, population: input.population.map((m) => ({ ...m, recheck: false })) };
        expect(draw(explicit)).toEqual(draw(input));
        expect(draw({ ...input, scope: "own" })).toEqual(draw(input));
      }),
    );
  });

  it("re-checks beyond the rate raise the size; all of them are drawn", () => {
    const pop: PopulationMember[] = TOWN.map((m, i) => ({ ...m, recheck: i < 9 }));
    const d = draw({ population: pop, rate: 0.5, quarter: 1, seed: SEED });
    expect(d.sampleSize).toBe(9);
    expect(d.items.map((it) => it.reason)).toEqual(Array(9).fill("recheck"));
  });

  it("a repeat that disagrees on the flag is refused; verify explains a missing flag in Chinese", () => {
    const pop: PopulationMember[] = TOWN.map((m, i) => ({ ...m, recheck: i === 3 }));
    expect(() => draw({ population: [...pop, { ...pop[3]!, recheck: false }], rate: 0.5, quarter: 2, seed: SEED })).toThrow(/wx-edu/);
    const d = draw({ population: pop, rate: 0.5, quarter: 2, seed: SEED });
    expect(d.items[0]).toEqual({ accountId: "wx-edu", reason: "recheck", position: 1 });
    const v = verifyDraw({ population: TOWN, rate: 0.5, quarter: 2, seed: SEED }, d.items);
    expect(v.matches).toBe(false);
    expect(v.differences.join("\n")).toContain("复查");
  });

  it("a subtree round takes ⌈rate × N⌉ even when many accounts are unsampled; an unknown scope is refused", () => {
    const pop = Array.from({ length: 100 }, (_, i) => ({ accountId: `a${String(i).padStart(3, "0")}`, sampledThisYear: false, hasOpenAlert: false }));
    expect(draw({ population: pop, rate: 0.12, quarter: 1, seed: SEED, scope: "subtree" }).sampleSize).toBe(12);
    expect(draw({ population: pop, rate: 0.12, quarter: 1, seed: SEED, scope: "own" }).sampleSize).toBe(25);
    expect(() => draw({ population: pop, rate: 0.12, quarter: 1, seed: SEED, scope: "all" as never })).toThrow(/抽查范围/);
  });
});
