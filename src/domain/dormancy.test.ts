import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WEEK_STATUSES, type WeekStatus } from "./compliance";
import { assessDormancy, recommend, type Candidate, type DormancyFinding, type DormancyInput } from "./dormancy";
import { ACCOUNT_STATUSES } from "./lifecycle";
import type { Platform } from "./platforms";
import { DEFAULT_POLICY, type Policy } from "./policy";

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = new Date("2026-11-23T09:00:00+08:00");
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);

const input = (over: Partial<DormancyInput> = {}): DormancyInput => ({
  now: NOW,
  lastPostAt: ago(DAY),
  liveSince: new Date("2024-01-01T00:00:00+08:00"),
  feedFailing: false,
  recentWeeks: [],
  policy: DEFAULT_POLICY,
  platform: "wechat",
  ...over,
});

describe("assessDormancy: two-week veto (国办秘函〔2019〕19号 单项否决)", () => {
  it("13d23h59m without a post is not vetoed; exactly 14 days is", () => {
    expect(assessDormancy(input({ lastPostAt: ago(14 * DAY - MIN) })).veto).toBe(false);
    expect(assessDormancy(input({ lastPostAt: ago(14 * DAY - 1) })).veto).toBe(false);
    expect(assessDormancy(input({ lastPostAt: ago(14 * DAY) })).veto).toBe(true);
    expect(assessDormancy(input({ lastPostAt: ago(20 * DAY) })).veto).toBe(true);
  });

  it("a new account is not vetoed on day 3; with no post ever, silence counts from liveSince", () => {
    expect(assessDormancy(input({ lastPostAt: null, liveSince: ago(3 * DAY) })).veto).toBe(false);
    expect(assessDormancy(input({ lastPostAt: null, liveSince: ago(14 * DAY - MIN) })).veto).toBe(false);
    expect(assessDormancy(input({ lastPostAt: null, liveSince: ago(14 * DAY) })).veto).toBe(true);
  });

  it("an account resumed recently is not vetoed for posts older than its resumption", () => {
    const f = assessDormancy(input({ lastPostAt: ago(200 * DAY), liveSince: ago(5 * DAY) }));
    expect(f.veto).toBe(false);
    expect(f.zombie).toBe(false);
    expect(f.daysSinceLastPost).toBe(200);
  });

  it("follows the policy's vetoDays", () => {
    const policy: Policy = { ...DEFAULT_POLICY, vetoDays: 7 };
    expect(assessDormancy(input({ policy, lastPostAt: ago(7 * DAY - MIN) })).veto).toBe(false);
    expect(assessDormancy(input({ policy, lastPostAt: ago(7 * DAY) })).veto).toBe(true);
  });
});

describe("assessDormancy: zombie (僵尸账号)", () => {
  it("89d23h59m is not a zombie; 90 days is", () => {
    const before = assessDormancy(input({ lastPostAt: ago(90 * DAY - MIN) }));
    expect(before.zombie).toBe(false);
    expect(before.veto).toBe(true);
    expect(before.daysSinceLastPost).toBe(89);
    const at = assessDormancy(input({ lastPostAt: ago(90 * DAY) }));
    expect(at.zombie).toBe(true);
    expect(at.daysSinceLastPost).toBe(90);
  });

  it("never posted: zombie after 90 days live", () => {
    expect(assessDormancy(input({ lastPostAt: null, liveSince: ago(90 * DAY - MIN) })).zombie).toBe(false);
    const f = assessDormancy(input({ lastPostAt: null, liveSince: ago(90 * DAY) }));
    expect(f.zombie).toBe(true);
    expect(f.daysSinceLastPost).toBeNull();
  });

  it("follows the policy's zombieDays", () => {
    const policy: Policy = { ...DEFAULT_POLICY, zombieDays: 180 };
    expect(assessDormancy(input({ policy, lastPostAt: ago(120 * DAY) })).zombie).toBe(false);
    expect(assessDormancy(input({ policy, lastPostAt: ago(180 * DAY) })).zombie).toBe(true);
  });

  it("a post in the future (clock skew) is not dormancy and not negative days", () => {
    const f = assessDormancy(input({ lastPostAt: new Date(NOW.getTime() + DAY) }));
    expect(f.veto).toBe(false);
    expect(f.daysSinceLastPost).toBe(0);
  });
});

describe("assessDormancy: a failing feed is never called dormant", () => {
  it("veto and zombie false, unknown true", () => {
    const f = assessDormancy(input({ feedFailing: true, lastPostAt: ago(400 * DAY) }));
    expect(f).toMatchObject({ veto: false, zombie: false, unknown: true, daysSinceLastPost: 400 });
    expect(assessDormancy(input({ lastPostAt: ago(400 * DAY) })).unknown).toBe(false);
  });
});

describe("assessDormancy: chronically below", () => {
  it("counts only compliant/below weeks, within the last 8 counted", () => {
    const weeks: WeekStatus[] = [
      "below",
      "exempt",
      "below",
      "unknown",
      "below",
      "compliant",
      "compliant",
      "compliant",
      "compliant",
      "unknown",
      "compliant", // 8th counted
      "below", // 9th counted: outside the window
    ];
    const f = assessDormancy(input({ recentWeeks: weeks }));
    expect(f.countedWeeks).toBe(8);
    expect(f.belowWeeks).toBe(3);
    expect(f.chronic).toBe(false);
    const g = assessDormancy(input({ recentWeeks: ["below", ...weeks] }));
    expect(g.belowWeeks).toBe(4);
    expect(g.chronic).toBe(true);
  });

  it("unknown weeks from a failing feed neither count for nor against", () => {
    const f = assessDormancy(input({ feedFailing: true, recentWeeks: ["unknown", "unknown", "below", "below", "below", "below"] }));
    expect(f).toMatchObject({ chronic: true, belowWeeks: 4, countedWeeks: 4, unknown: true, veto: false });
    const g = assessDormancy(input({ recentWeeks: Array<WeekStatus>(10).fill("unknown") }));
    expect(g).toMatchObject({ chronic: false, belowWeeks: 0, countedWeeks: 0 });
  });

  it("follows the policy's window", () => {
    const policy: Policy = { ...DEFAULT_POLICY, chronicBelowWeeks: 2, chronicWindowWeeks: 3 };
    expect(assessDormancy(input({ policy, recentWeeks: ["compliant", "compliant", "compliant", "below", "below"] })).chronic).toBe(false);
    expect(assessDormancy(input({ policy, recentWeeks: ["below", "compliant", "exempt", "below"] })).chronic).toBe(true);
  });

  const weeksArb = fc.array(fc.constantFrom(...WEEK_STATUSES), { maxLength: 30 });
  const policyArb = fc
    .record({ w: fc.integer({ min: 1, max: 12 }), b: fc.integer({ min: 1, max: 12 }) })
    .map(({ w, b }): Policy => ({ ...DEFAULT_POLICY, chronicWindowWeeks: w, chronicBelowWeeks: b }));

  it("property: agrees with a straightforward loop", () => {
    fc.assert(
      fc.property(weeksArb, policyArb, fc.boolean(), (recentWeeks, policy, feedFailing) => {
        let counted = 0;
        let below = 0;
        for (const s of recentWeeks) {
          if (counted === policy.chronicWindowWeeks) break;
          if (s === "exempt" || s === "unknown") continue;
          counted++;
          if (s === "below") below++;
        }
        const f = assessDormancy(input({ recentWeeks, policy, feedFailing }));
        expect(f.countedWeeks).toBe(counted);
        expect(f.belowWeeks).toBe(below);
        expect(f.chronic).toBe(below >= policy.chronicBelowWeeks);
      }),
    );
  });

  it("property: inserting exempt/unknown weeks anywhere changes nothing", () => {
    fc.assert(
      fc.property(weeksArb, fc.array(fc.tuple(fc.nat(), fc.constantFrom<WeekStatus>("exempt", "unknown")), { maxLength: 10 }), (weeks, inserts) => {
        const padded = [...weeks];
        for (const [pos, s] of inserts) padded.splice(pos % (padded.length + 1), 0, s);
        const a = assessDormancy(input({ recentWeeks: weeks }));
        const b = assessDormancy(input({ recentWeeks: padded }));
        expect([b.chronic, b.belowWeeks, b.countedWeeks]).toEqual([a.chronic, a.belowWeeks, a.countedWeeks]);
      }),
    );
  });
});

describe("assessDormancy: properties", () => {
  const arb = fc.record({
    sinceLive: fc.integer({ min: 0, max: 400 * DAY }),
    sincePost: fc.option(fc.integer({ min: 0, max: 400 * DAY }), { nil: null }),
    feedFailing: fc.boolean(),
    vetoDays: fc.integer({ min: 1, max: 365 }),
    zombieDays: fc.integer({ min: 7, max: 730 }),
  });
  type R = { sinceLive: number; sincePost: number | null; feedFailing: boolean; vetoDays: number; zombieDays: number };
  const toInput = (r: R, later = 0): DormancyInput =>
    input({
      now: new Date(NOW.getTime() + later),
      liveSince: ago(r.sinceLive),
      lastPostAt: r.sincePost === null ? null : ago(r.sincePost),
      feedFailing: r.feedFailing,
      policy: { ...DEFAULT_POLICY, vetoDays: r.vetoDays, zombieDays: r.zombieDays },
    });

  it("property: feedFailing never yields veto or zombie, and always unknown", () => {
    fc.assert(
      fc.property(arb, (r) => {
        const f = assessDormancy(toInput({ ...r, feedFailing: true }));
        expect(f.veto).toBe(false);
        expect(f.zombie).toBe(false);
        expect(f.unknown).toBe(true);
      }),
    );
  });

  it("property: veto/zombie iff silent and live for at least the threshold", () => {
    fc.assert(
      fc.property(arb, (r) => {
        const f = assessDormancy(toInput(r));
        const silent = r.sincePost === null ? r.sinceLive : r.sincePost;
        const expected = (days: number): boolean => !r.feedFailing && r.sinceLive >= days * DAY && silent >= days * DAY;
        expect(f.veto).toBe(expected(r.vetoDays));
        expect(f.zombie).toBe(expected(r.zombieDays));
        expect(f.daysSinceLastPost).toBe(r.sincePost === null ? null : Math.floor(r.sincePost / DAY));
      }),
      { numRuns: 500 },
    );
  });

  it("property: with nothing posted meanwhile, a verdict never goes away as time passes", () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 100 * DAY }), (r, later) => {
        const a = assessDormancy(toInput(r));
        const b = assessDormancy(toInput(r, later));
        if (a.veto) expect(b.veto).toBe(true);
        if (a.zombie) expect(b.zombie).toBe(true);
      }),
    );
  });

  it("property: a zombie at the default thresholds is also vetoed", () => {
    fc.assert(
      fc.property(arb, (r) => {
        const f = assessDormancy(toInput({ ...r, vetoDays: 14, zombieDays: 90 }));
        if (f.zombie) expect(f.veto).toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe("recommend", () => {
  const account = { id: "acc-9", orgId: "dept-1", platform: "douyin" as Platform };
  const finding = (over: Partial<DormancyFinding> = {}): DormancyFinding => ({
    veto: false,
    zombie: false,
    chronic: true,
    unknown: false,
    daysSinceLastPost: 20,
    belowWeeks: 5,
    countedWeeks: 8,
    lastPostAt: new Date("2026-11-02T20:00:00Z"), // 2026-11-03 in Shanghai
    zombieDays: 90,
    ...over,
  });
  const cand = (over: Partial<Candidate> & Pick<Candidate, "id">): Candidate => ({
    orgId: "dept-1",
    platform: "douyin",
    status: "active",
    lastPostAt: new Date("2026-11-20T00:00:00Z"),
    ...over,
  });

  it("zombie → close, naming the 90 days and 关停注销", () => {
    const r = recommend(account, finding({ zombie: true, veto: true, chronic: true }), [cand({ id: "a1" })], "gov-1");
    expect(r?.kind).toBe("close");
    expect(r?.reason).toMatch(/90天无更新/);
    expect(r?.reason).toMatch(/关停注销/);
    expect(r?.reason).toContain("2026-11-03");
    const f = assessDormancy(input({ lastPostAt: null, liveSince: ago(200 * DAY), policy: { ...DEFAULT_POLICY, zombieDays: 60 } }));
    const r2 = recommend(account, f, [], null);
    expect(r2?.reason).toMatch(/60天无更新/);
    expect(r2?.reason).toMatch(/未见更新/);
  });

  it("neither zombie nor chronic → no advice, even with a veto", () => {
    expect(recommend(account, finding({ chronic: false, veto: true }), [cand({ id: "a1" })], "gov-1")).toBeNull();
  });

  it("chronic → consolidate into the unit's own live account on the same platform", () => {
    const r = recommend(account, finding(), [cand({ id: "a1" })], "gov-1");
    expect(r).toMatchObject({ kind: "consolidate", targetAccountId: "a1" });
    expect(r?.reason).toContain("近8个计入周中有5周");
    expect(r?.reason).toContain("2026-11-03");
    expect(r?.reason).toContain("整合");
  });

  it("same org beats the government even when the government's account posts more recently", () => {
    const r = recommend(
      account,
      finding(),
      [
        cand({ id: "gov-acc", orgId: "gov-1", lastPostAt: new Date("2026-11-22T00:00:00Z") }),
        cand({ id: "own-acc", lastPostAt: new Date("2026-10-01T00:00:00Z") }),
      ],
      "gov-1",
    );
    expect(r).toMatchObject({ kind: "consolidate", targetAccountId: "own-acc" });
  });

  it("falls back to the unit's government; other orgs never qualify", () => {
    const candidates = [
      cand({ id: "other-org", orgId: "dept-2", lastPostAt: new Date("2026-11-22T00:00:00Z") }),
      cand({ id: "gov-acc", orgId: "gov-1" }),
    ];
    const r = recommend(account, finding(), candidates, "gov-1");
    expect(r).toMatchObject({ kind: "consolidate", targetAccountId: "gov-acc" });
    expect(r?.reason).toContain("所属政府");
    expect(recommend(account, finding(), candidates, null)?.kind).toBe("close");
  });

  it("skips itself, accounts not active, and other platforms; none left → close", () => {
    const candidates = [
      cand({ id: "acc-9" }),
      cand({ id: "s", status: "suspended" }),
      cand({ id: "p", status: "pending" }),
      cand({ id: "c", status: "closing" }),
      cand({ id: "m", status: "merged" }),
      cand({ id: "w", platform: "wechat" }),
      cand({ id: "g", orgId: "gov-1", platform: "weibo" }),
    ];
    const r = recommend(account, finding(), candidates, "gov-1");
    expect(r?.kind).toBe("close");
    expect(r?.reason).toMatch(/关停/);
    expect(r?.reason).toContain("近8个计入周中有5周");
  });

  it("prefers the most recently posting; ties → smaller id; never-posted last", () => {
    const t = new Date("2026-11-10T00:00:00Z");
    expect(
      recommend(account, finding(), [cand({ id: "b", lastPostAt: t }), cand({ id: "a", lastPostAt: t }), cand({ id: "0", lastPostAt: null })], null),
    ).toMatchObject({ targetAccountId: "a" });
    expect(
      recommend(account, finding(), [cand({ id: "a", lastPostAt: null }), cand({ id: "z", lastPostAt: t })], null),
    ).toMatchObject({ targetAccountId: "z" });
    expect(recommend(account, finding(), [cand({ id: "b", lastPostAt: null }), cand({ id: "a", lastPostAt: null })], null)).toMatchObject({
      targetAccountId: "a",
    });
  });

  const PLATS: Platform[] = ["douyin", "wechat"];
  const candArb: fc.Arbitrary<Candidate> = fc.record({
    id: fc.constantFrom("acc-9", "c1", "c2", "c3", "c4", "c5", "c6"),
    orgId: fc.constantFrom("dept-1", "gov-1", "dept-2"),
    platform: fc.constantFrom(...PLATS),
    status: fc.constantFrom(...ACCOUNT_STATUSES),
    lastPostAt: fc.option(fc.integer({ min: 0, max: 3 }).map((d) => new Date(Date.UTC(2026, 9, 1 + d))), { nil: null }), // few values: ties
  });

  it("property: the target is live, same platform, same org before government, never itself, the most recent", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(candArb, { selector: (c) => c.id, maxLength: 7 }),
        fc.option(fc.constantFrom("gov-1", "dept-1"), { nil: null }),
        fc.boolean(),
        (candidates, gov, zombie) => {
          const r = recommend(account, finding({ zombie }), candidates, gov);
          const ok = (c: Candidate) => c.id !== account.id && c.status === "active" && c.platform === account.platform;
          const own = candidates.filter((c) => ok(c) && c.orgId === account.orgId);
          const govs = gov === null ? [] : candidates.filter((c) => ok(c) && c.orgId === gov);
          if (zombie) {
            expect(r?.kind).toBe("close");
            return;
          }
          if (own.length === 0 && govs.length === 0) {
            expect(r?.kind).toBe("close");
            return;
          }
          expect(r?.kind).toBe("consolidate");
          if (r?.kind !== "consolidate") return;
          const target = candidates.find((c) => c.id === r.targetAccountId);
          expect(target).toBeDefined();
          expect(ok(target!)).toBe(true);
          const tier = own.length > 0 ? own : govs;
          expect(tier).toContain(target);
          const time = (c: Candidate) => c.lastPostAt?.getTime() ?? -Infinity;
          for (const c of tier) {
            expect(time(target!)).toBeGreaterThanOrEqual(time(c));
            if (time(c) === time(target!)) expect(target!.id <= c.id).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
