// Test support for the draw's tests: fixed seed, fast-check arbitraries for populations, inputs and
// whole years, and small helpers. Not a test file itself.
import fc from "fast-check";
import { draw, newSeed, type DrawInput, type PopulationMember, type SampleReason } from "./sampling";

export const SEED = "3f9a0c1e5b7d2468ace013579bdf8642";
export const QUARTERS = [1, 2, 3, 4] as const;

export const id = (n: number): string => `acc-${String(n).padStart(3, "0")}`;
// ── arbitraries ─────────────────────────────────────────────────────────────────────────────────

export const rateArb = fc.oneof(
  fc.constantFrom(0.5, 0.12, 1),
  fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true }),
);
export const quarterArb = fc.constantFrom(...QUARTERS);
export const seedArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(newSeed);

export const populationArb = (opts: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<PopulationMember[]> =>
  fc
    .uniqueArray(fc.record({ n: fc.nat(999), sampled: fc.boolean(), alert: fc.boolean() }), {
      selector: (r) => r.n,
      minLength: opts.minLength ?? 0,
      maxLength: opts.maxLength ?? 80,
    })
    .map((rs) => rs.map((r) => ({ accountId: id(r.n), sampledThisYear: r.sampled, hasOpenAlert: r.alert })));

/** Like populationArb, with some members flagged for re-check (复查). */
export const recheckPopulationArb = (opts: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<PopulationMember[]> =>
  fc
    .uniqueArray(fc.record({ n: fc.nat(999), sampled: fc.boolean(), alert: fc.boolean(), recheck: fc.boolean() }), {
      selector: (r) => r.n,
      minLength: opts.minLength ?? 0,
      maxLength: opts.maxLength ?? 80,
    })
    .map((rs) => rs.map((r) => ({ accountId: id(r.n), sampledThisYear: r.sampled, hasOpenAlert: r.alert, ...(r.recheck ? { recheck: true } : {}) })));

export const recheckInputArb = (opts: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<DrawInput> =>
  fc.record({ population: recheckPopulationArb(opts), rate: rateArb, quarter: quarterArb, seed: seedArb, scope: fc.constantFrom("own" as const, "subtree" as const) });

export const inputArb = (opts: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<DrawInput> =>
  fc.record({ population: populationArb(opts), rate: rateArb, quarter: quarterArb, seed: seedArb });

/** A year: each quarter's population is a random subset of a universe (accounts open and close). */
export const yearArb = fc
  .integer({ min: 0, max: 40 })
  .chain((size) => {
    const universe = Array.from({ length: size }, (_, i) => id(i));
    const quarter = fc.record({ members: fc.subarray(universe), alerts: fc.subarray(universe) }).map((q) => ({
      population: q.members.map((accountId) => ({ accountId, hasOpenAlert: q.alerts.includes(accountId) })),
    }));
    return fc.array(quarter, { minLength: 4, maxLength: 4 });
  });

export const tierOf = (m: PopulationMember): SampleReason =>
  m.recheck ? "recheck" : !m.sampledThisYear ? "not_sampled_this_year" : m.hasOpenAlert ? "open_alert" : "random";

export const ids = (input: DrawInput): string[] => draw(input).items.map((it) => it.accountId);


export const TOWN: PopulationMember[] = [
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
