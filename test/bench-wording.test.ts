// The wording benchmark (bench/wording.ts) at a tiny size: the B6 line `npm run bench` promises, in its
// documented shape, with a finite positive ratio. No assertion on time.
import { describe, expect, it } from "vitest";
import { run } from "../bench/wording";

const NUM = String.raw`(\d+(?:\.\d+)?)`;

describe("bench/wording", () => {
  it("prints the B6 wording-scan line with its floor", { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    await run({ quick: true, print: (l) => lines.push(l), accounts: 20, rules: 500 });
    const main = lines.filter((l) => l.startsWith("B6 wording-scan ") && !l.startsWith("B6 wording-scan detail"));
    expect(main, lines.join("\n")).toHaveLength(1);
    const m = main[0]!.match(
      new RegExp(`^B6 wording-scan (\\d+) posts × (\\d+) rules: ${NUM} ms, floor ${NUM} ms \\(substring scan of (\\d+) words, sampled (\\d+) of (\\d+) texts and scaled\\), ratio ${NUM}$`),
    );
    expect(m, main[0]).not.toBeNull();
    expect(Number(m![1])).toBe(140);
    expect(Number(m![2])).toBe(500);
    expect(Number(m![5])).toBe(500);
    expect(Number(m![7])).toBe(280);
    for (const i of [3, 4, 8]) {
      const x = Number(m![i]);
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThan(0);
    }
    // The detail line counts the hits the scan found (the run itself checks them against the floor's).
    expect(lines.some((l) => /^B6 wording-scan detail: 280 texts \(title \+ summary\), \d+ hits/.test(l))).toBe(true);
  });
});
