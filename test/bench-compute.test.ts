// The compute benchmarks (bench/compute.ts) at a tiny size: the lines `npm run bench` promises, in
// their documented shape, with finite positive ratios. No assertion on time.
import { describe, expect, it } from "vitest";
import { run } from "../bench/compute";

const NUM = String.raw`(\d+(?:\.\d+)?)`;

describe("bench/compute", () => {
  it("prints B1, B4, B5 and peak RSS lines with finite ratios", { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    await run({ quick: true, print: (l) => lines.push(l), size: 40, sizes: [40, 80], weeks: 6 });

    const one = (re: RegExp) => {
      const hits = lines.filter((l) => re.test(l));
      expect(hits, `${re} in\n${lines.join("\n")}`).toHaveLength(1);
      return hits[0]!.match(re)!;
    };
    const positive = (s: string) => {
      const x = Number(s);
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThan(0);
      return x;
    };

    const b1 = one(new RegExp(`^B1 evaluate-week (\\d+) accounts: ${NUM} ms, floor ${NUM} ms, ratio ${NUM}$`));
    expect(Number(b1[1])).toBeGreaterThan(20);
    positive(b1[2]!);
    positive(b1[3]!);
    expect(positive(b1[4]!)).toBeCloseTo(Number(b1[2]) / Number(b1[3]), 0);
    positive(one(/^B1 peak RSS (\d+) MiB$/)[1]!);

    const b4 = one(new RegExp(`^B4 quarterly-sampling (\\d+) units, (\\d+) accounts: ${NUM} ms, floor ${NUM} ms, ratio ${NUM}$`));
    expect(Number(b4[1])).toBeGreaterThan(0);
    expect(b4[2]).toBe(b1[1]);
    positive(b4[5]!);

    const perAccount = lines.filter((l) => /^B5 (evaluate-week|quarterly-sampling) \d+: \d+ µs\/account/.test(l));
    expect(perAccount).toHaveLength(4);
    for (const l of perAccount) positive(l.match(/ratio ([\d.]+)[;)]/)![1]!);
    positive(one(new RegExp(`^B5 growth evaluate-week: \\d+ → \\d+ accounts, ratio ${NUM}$`))[1]!);
    positive(one(new RegExp(`^B5 growth quarterly-sampling: \\d+ → \\d+ accounts, ratio ${NUM}$`))[1]!);
    positive(one(/^B5 peak RSS (\d+) MiB$/)[1]!);

    // Seeding is reported apart, on lines that do not start with B.
    expect(lines.filter((l) => l.startsWith("seed ")).length).toBe(2);
  });
});
