import { describe, expect, it } from "vitest";
import { DEFAULT_SCORE_TABLE, FULL_SCORE, SCORE_ITEMS, averageUnitScores, resolveScoreTable, scoreUnits, type ScoreAccountInput } from "./scores";

const acct = (accountId: string, over: Partial<ScoreAccountInput> = {}): ScoreAccountInput => ({ accountId, problems: [], vetoed: false, belowWeeks: 0, openVetoAlerts: 0, ...over });

describe("scoreUnits", () => {
  it("the default caps add up to the full score, so nobody goes below 0", () => {
    expect(SCORE_ITEMS.reduce((s, i) => s + DEFAULT_SCORE_TABLE[i].cap, 0)).toBe(FULL_SCORE);
    const everything = Array.from({ length: 20 }, (_, k) => acct(`a${k}`, { problems: [...SCORE_ITEMS], belowWeeks: 13, openVetoAlerts: 1, vetoed: true }));
    const [u] = scoreUnits([{ orgId: "o", orgName: "某局", accounts: everything }]);
    expect(u!.score).toBe(0);
    expect(u!.vetoed).toBe(true);
  });

  it("caps an item per quarter and counts a problem once per account", () => {
    // typos on 7 accounts: 7×2 = 14, capped at 10; the repeated code on one account counts once.
    const accounts = Array.from({ length: 7 }, (_, k) => acct(`a${k}`, { problems: ["typos", "typos"] }));
    const [u] = scoreUnits([{ orgId: "o", orgName: "某局", accounts }]);
    expect(u!.deductions).toEqual([{ item: "typos", label: "错别字/错敏词", count: 7, points: 10 }]);
    expect(u!.score).toBe(90);
  });

  it("counts monitoring findings once for an account drawn in two rounds", () => {
    const [u] = scoreUnits([{ orgId: "o", orgName: "某局", accounts: [acct("a", { belowWeeks: 3 }), acct("a", { belowWeeks: 3 })] }]);
    expect(u!.score).toBe(98.5);
  });

  it("ranks by score, then by name in pinyin order; a veto does not change the points", () => {
    const ranked = scoreUnits([
      { orgId: "z", orgName: "张村", accounts: [] },
      { orgId: "a", orgName: "安乡", accounts: [] },
      { orgId: "v", orgName: "北镇", accounts: [acct("x", { problems: ["interaction_broken"], vetoed: true })] },
    ]);
    expect(ranked.map((u) => [u.orgName, u.score, u.vetoed])).toEqual([
      ["安乡", 100, false],
      ["张村", 100, false],
      ["北镇", 95, true],
    ]);
  });
});

describe("resolveScoreTable", () => {
  const rules = [
    { orgId: "city", item: "typos", points: 4, effectiveFrom: "2026-01-01", createdAt: "2026-01-01T00:00:00Z" },
    { orgId: "county", item: "typos", points: 1, effectiveFrom: "2026-07-01", createdAt: "2026-06-01T00:00:00Z" },
    { orgId: "county", item: "typos", points: 3, effectiveFrom: "2026-07-01", createdAt: "2026-06-02T00:00:00Z" },
    { orgId: "city", item: "other", points: 20, effectiveFrom: "2026-01-01", createdAt: "2026-01-01T00:00:00Z" },
  ];
  it("takes the nearest org's rule in force, the latest created on the same day", () => {
    expect(resolveScoreTable(rules, ["county", "city"], "2026-06-30").typos.points).toBe(4);
    expect(resolveScoreTable(rules, ["county", "city"], "2026-07-01").typos.points).toBe(3);
    expect(resolveScoreTable(rules, ["city"], "2026-07-01").typos.points).toBe(4);
    expect(resolveScoreTable(rules, ["x"], "2026-07-01").typos).toEqual(DEFAULT_SCORE_TABLE.typos);
  });
  it("raises the cap to an override above it", () => {
    expect(resolveScoreTable(rules, ["city"], "2026-07-01").other).toEqual({ points: 20, cap: 20 });
  });
});

describe("averageUnitScores", () => {
  it("averages the quarters each unit was scored in", () => {
    const s = (orgId: string, score: number, vetoed = false) => ({ orgId, orgName: orgId, score, vetoed, verdictLabel: "", deductions: [] });
    const avg = averageUnitScores([
      { quarter: 2, unitScores: [s("甲", 90), s("乙", 80, true)] },
      { quarter: 1, unitScores: [s("甲", 95)] },
    ]);
    expect(avg).toEqual([
      { orgId: "甲", orgName: "甲", averageScore: 92.5, quarters: [1, 2], vetoedQuarters: [] },
      { orgId: "乙", orgName: "乙", averageScore: 80, quarters: [2], vetoedQuarters: [2] },
    ]);
  });
});
