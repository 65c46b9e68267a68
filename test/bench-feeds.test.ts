// bench/feeds-api.ts at a tiny size: the lines `npm run bench` prints for B2, B2r and B3 keep their
// shape, and what they count is right (every feed polled, nothing new the second time, 304s answered).
// No timing is asserted: the figures are only printed.
import { describe, expect, it } from "vitest";
import { run } from "../bench/feeds-api";
import { feedKind, feedValidators } from "../bench/feed-server";

const NUM = String.raw`\d+(?:\.\d+)?`;

describe("bench feeds-api (tiny)", () => {
  it("prints B2, B2r and B3 lines with ratios to their floors", { timeout: 240_000 }, async () => {
    const lines: string[] = [];
    await run({ quick: true, feeds: 20, accounts: 60, durationS: 1, print: (l) => lines.push(l) });
    const line = (re: RegExp) => {
      const found = lines.find((l) => re.test(l));
      expect(found, `no line matching ${re} in:\n${lines.join("\n")}`).toBeDefined();
      return found!;
    };

    line(new RegExp(`^B2 poll-feeds 20 feeds × 20 items: ${NUM} ms, floor ${NUM} ms, ratio ${NUM}$`));
    line(new RegExp(`^B2r poll-feeds again \\(nothing new\\): ${NUM} ms, ratio to first ${NUM}$`));
    line(/^B2 peak RSS \d+ MiB/);

    // Feed 7 answers 500; the other 19 give 20 items each, all new the first time.
    const failing = [...Array(20).keys()].filter((i) => !["rss", "atom", "gbk"].includes(feedKind(i)));
    expect(failing).toEqual([7]);
    expect(line(/^B2 detail:/)).toBe(`B2 detail: 20 due, 19 ok, 1 failed, 380 new posts; floor parsed 380 items`);
    // The second poll: nothing new; every working feed with a validator answers 304.
    const conditional = [...Array(20).keys()].filter((i) => i !== 7 && feedValidators(i) !== "none").length;
    expect(line(/^B2r detail:/)).toMatch(new RegExp(`^B2r detail: 20 due, 19 ok, 1 failed, 0 new posts; server answered ${conditional} × 304, ${19 - conditional} × 200, 1 errors, 0 hung$`));

    for (const route of ["GET /api/accounts?page=1&pageSize=50", "GET /api/compliance?week=2026-W47&pageSize=50", "GET /api/accounts/{id}"]) {
      const escaped = route.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      line(new RegExp(`^B3 ${escaped}: ${NUM} req/s, p50 ${NUM} ms, p99 ${NUM} ms, floor ${NUM} req/s, ratio ${NUM} \\(\\d+ bytes\\)$`));
    }
    line(new RegExp(`^B3 worst ratio ${NUM}$`));
    // Every request under load answered 200 (a warning line says otherwise).
    expect(lines.filter((l) => l.includes("warning"))).toEqual([]);
  });
});
