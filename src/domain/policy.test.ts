import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROBLEM_CATEGORIES } from "./inspection";
import { PLATFORMS, type Platform } from "./platforms";
import {
  DEFAULT_POLICY,
  DEFAULT_VETO_PROBLEMS,
  vetoCodes,
  vetoMask,
  decodePolicyValue,
  encodePolicyValue,
  POLICY_KEYS,
  resolvePolicy,
  validateOverride,
  weeklyMinimumFor,
  type PolicyKey,
  type PolicyOverride,
} from "./policy";

const CHINESE = /[\u4e00-\u9fff]/;

const ov = (over: Partial<PolicyOverride> & Pick<PolicyOverride, "orgId" | "key" | "value">): PolicyOverride => ({
  platform: null,
  effectiveFrom: "2026-01-01",
  createdAt: "2026-01-01T00:00:00Z",
  ...over,
});

describe("DEFAULT_POLICY", () => {
  it("follows 鹤政办〔2019〕20号 and 国办秘函〔2019〕19号", () => {
    expect(DEFAULT_POLICY.weeklyMinimum).toEqual({
      wechat: 3,
      weibo: 3,
      app: 3,
      douyin: 1,
      kuaishou: 1,
      toutiao: 1,
      bilibili: 1,
      wechat_channels: 1,
      baijiahao: 1,
      xiaohongshu: 1,
      miniprogram: 1,
      other: 1,
    });
    expect(DEFAULT_POLICY.vetoDays).toBe(14);
    expect(DEFAULT_POLICY.zombieDays).toBe(90);
    expect(DEFAULT_POLICY.chronicBelowWeeks).toBe(4);
    expect(DEFAULT_POLICY.chronicWindowWeeks).toBe(8);
    expect(DEFAULT_POLICY.samplingRate).toBe(0.5);
  });

  it("every default is itself a valid override value", () => {
    for (const key of POLICY_KEYS) {
      if (key === "weeklyMinimum") {
        for (const p of PLATFORMS) expect(validateOverride(key, p, DEFAULT_POLICY.weeklyMinimum[p])).toBeUndefined();
      } else {
        const stored = encodePolicyValue(key, DEFAULT_POLICY[key]);
        expect("value" in stored && validateOverride(key, null, stored.value)).toBeUndefined();
      }
    }
  });

  it("resolving with no overrides gives the defaults, and a fresh object", () => {
    const p = resolvePolicy(["county", "city"], [], "2026-11-23");
    expect(p).toEqual(DEFAULT_POLICY);
    p.weeklyMinimum.wechat = 99;
    expect(DEFAULT_POLICY.weeklyMinimum.wechat).toBe(3);
  });
});

describe("resolvePolicy", () => {
  const chain = ["dept", "county", "city"];

  it("the nearest org with an override in force wins", () => {
    const overrides = [
      ov({ orgId: "city", key: "vetoDays", value: 10 }),
      ov({ orgId: "county", key: "vetoDays", value: 7 }),
      ov({ orgId: "city", key: "zombieDays", value: 60 }),
      ov({ orgId: "elsewhere", key: "samplingRate", value: 0.8 }),
    ];
    const p = resolvePolicy(chain, overrides, "2026-06-01");
    expect(p.vetoDays).toBe(7);
    expect(p.zombieDays).toBe(60);
    expect(p.samplingRate).toBe(0.5);
  });

  it("an override not yet in force is ignored, so a farther one applies", () => {
    const overrides = [
      ov({ orgId: "city", key: "vetoDays", value: 10, effectiveFrom: "2026-01-01" }),
      ov({ orgId: "county", key: "vetoDays", value: 7, effectiveFrom: "2026-07-01" }),
    ];
    expect(resolvePolicy(chain, overrides, "2026-06-30").vetoDays).toBe(10);
    expect(resolvePolicy(chain, overrides, "2026-07-01").vetoDays).toBe(7);
    expect(resolvePolicy(chain, overrides, "2025-12-31").vetoDays).toBe(14);
  });

  it("within one org the latest effectiveFrom wins, then the latest createdAt", () => {
    const overrides = [
      ov({ orgId: "county", key: "zombieDays", value: 60, effectiveFrom: "2026-03-01", createdAt: "2026-05-01T00:00:00Z" }),
      ov({ orgId: "county", key: "zombieDays", value: 120, effectiveFrom: "2026-04-01", createdAt: "2026-02-01T00:00:00Z" }),
      ov({ orgId: "county", key: "zombieDays", value: 100, effectiveFrom: "2026-04-01", createdAt: "2026-02-02T00:00:00Z" }),
    ];
    expect(resolvePolicy(chain, overrides, "2026-03-15").zombieDays).toBe(60);
    expect(resolvePolicy(chain, overrides, "2026-04-01").zombieDays).toBe(100);
  });

  it("createdAt is compared as a time, not as text", () => {
    const overrides = [
      ov({ orgId: "county", key: "vetoDays", value: 20, createdAt: "2026-02-01T09:00:00+08:00" }), // 01:00Z
      ov({ orgId: "county", key: "vetoDays", value: 21, createdAt: "2026-02-01T02:00:00Z" }),
    ];
    expect(resolvePolicy(chain, overrides, "2026-06-01").vetoDays).toBe(21);
  });

  it("weeklyMinimum: platform-specific beats all-platforms at the same org, even if older", () => {
    const overrides = [
      ov({ orgId: "county", key: "weeklyMinimum", platform: "douyin", value: 2, effectiveFrom: "2025-01-01" }),
      ov({ orgId: "county", key: "weeklyMinimum", platform: null, value: 5, effectiveFrom: "2026-01-01" }),
    ];
    const p = resolvePolicy(chain, overrides, "2026-06-01");
    expect(p.weeklyMinimum.douyin).toBe(2);
    expect(p.weeklyMinimum.wechat).toBe(5);
    expect(p.weeklyMinimum.other).toBe(5);
  });

  it("weeklyMinimum: an all-platforms override at a nearer org beats a specific one farther up", () => {
    const overrides = [
      ov({ orgId: "city", key: "weeklyMinimum", platform: "wechat", value: 7 }),
      ov({ orgId: "dept", key: "weeklyMinimum", platform: null, value: 2 }),
    ];
    const p = resolvePolicy(chain, overrides, "2026-06-01");
    expect(p.weeklyMinimum.wechat).toBe(2);
    expect(p.weeklyMinimum.weibo).toBe(2);
  });

  it("weeklyMinimum per platform falls through independently", () => {
    const overrides = [
      ov({ orgId: "city", key: "weeklyMinimum", platform: "weibo", value: 4 }),
      ov({ orgId: "county", key: "weeklyMinimum", platform: "wechat", value: 6 }),
    ];
    const p = resolvePolicy(chain, overrides, "2026-06-01");
    expect(p.weeklyMinimum.wechat).toBe(6);
    expect(p.weeklyMinimum.weibo).toBe(4);
    expect(p.weeklyMinimum.app).toBe(3);
    expect(p.weeklyMinimum.douyin).toBe(1);
  });

  it("ignores invalid overrides (out of range, platform on another key, bad date)", () => {
    const overrides = [
      ov({ orgId: "dept", key: "vetoDays", value: 0 }),
      ov({ orgId: "dept", key: "samplingRate", value: 1.5 }),
      ov({ orgId: "dept", key: "zombieDays", value: 60, platform: "wechat" }),
      ov({ orgId: "dept", key: "chronicWindowWeeks", value: 6, effectiveFrom: "2026-1-1" }),
    ];
    expect(resolvePolicy(chain, overrides, "2026-06-01")).toEqual(DEFAULT_POLICY);
  });

  it("rejects a malformed onDate", () => {
    expect(() => resolvePolicy(chain, [], "2026-06-31")).toThrow(RangeError);
    expect(() => resolvePolicy(chain, [], "June 1")).toThrow(RangeError);
  });

  // A brute-force reference written differently: rank every applicable override and take the best.
  function reference(
    orgChain: readonly string[],
    overrides: readonly PolicyOverride[],
    onDate: string,
    key: PolicyKey,
    platform: Platform | null,
  ): number | undefined {
    const ranked = overrides
      .filter(
        (o) =>
          o.key === key &&
          orgChain.includes(o.orgId) &&
          o.effectiveFrom <= onDate &&
          (o.platform === null || o.platform === platform),
      )
      .map((o) => ({
        o,
        rank: [
          orgChain.indexOf(o.orgId),
          o.platform === null ? 1 : 0,
          -Date.parse(o.effectiveFrom),
          -Date.parse(o.createdAt),
        ],
      }))
      .sort((a, b) => {
        for (let i = 0; i < a.rank.length; i++) {
          const d = a.rank[i]! - b.rank[i]!;
          if (d !== 0) return d;
        }
        return 0;
      });
    return ranked[0]?.o.value;
  }

  const ORGS = ["o1", "o2", "o3", "o4"];
  const dateArb = fc
    .integer({ min: 0, max: 40 })
    .map((d) => new Date(Date.UTC(2026, 0, 1 + d * 9)).toISOString().slice(0, 10));
  const createdArb = fc.integer({ min: 0, max: 10_000 }).map((m) => new Date(Date.UTC(2025, 0, 1) + m * 60_000).toISOString());
  const valueFor: Record<PolicyKey, fc.Arbitrary<number>> = {
    weeklyMinimum: fc.integer({ min: 0, max: 50 }),
    vetoDays: fc.integer({ min: 1, max: 365 }),
    zombieDays: fc.integer({ min: 7, max: 730 }),
    chronicBelowWeeks: fc.integer({ min: 1, max: 52 }),
    chronicWindowWeeks: fc.integer({ min: 1, max: 52 }),
    samplingRate: fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
    serviceWeeklyMinimum: fc.integer({ min: 0, max: 50 }),
    updateUnit: fc.integer({ min: 1, max: 3 }),
    countReposts: fc.integer({ min: 0, max: 1 }),
    vetoProblems: fc.integer({ min: 0, max: 2 ** PROBLEM_CATEGORIES.length - 1 }),
  };
  // weeklyMinimum weighted up, so specific and all-platform overrides often meet at the same org
  const keyArb = fc.oneof(
    { arbitrary: fc.constant<PolicyKey>("weeklyMinimum"), weight: 3 },
    { arbitrary: fc.constantFrom(...POLICY_KEYS), weight: 2 },
  );
  const overrideArb: fc.Arbitrary<PolicyOverride> = keyArb.chain((key) =>
    fc.record({
      orgId: fc.constantFrom(...ORGS),
      key: fc.constant(key),
      platform:
        key === "weeklyMinimum"
          ? fc.option(fc.constantFrom<Platform>("wechat", "weibo", "douyin", "other"), { nil: null })
          : fc.constant(null),
      value: valueFor[key],
      effectiveFrom: dateArb,
      createdAt: createdArb,
    }),
  );
  const chainArb = fc.shuffledSubarray(ORGS, { minLength: 0, maxLength: 3 });

  it("property: agrees with the brute-force reference on every key and platform", () => {
    fc.assert(
      fc.property(chainArb, fc.array(overrideArb, { maxLength: 30, size: "medium" }), dateArb, (orgChain, overrides, onDate) => {
        const p = resolvePolicy(orgChain, overrides, onDate);
        for (const key of POLICY_KEYS) {
          if (key === "weeklyMinimum") {
            for (const pl of PLATFORMS) {
              expect(p.weeklyMinimum[pl]).toBe(reference(orgChain, overrides, onDate, key, pl) ?? DEFAULT_POLICY.weeklyMinimum[pl]);
            }
          } else {
            const stored = reference(orgChain, overrides, onDate, key, null);
            expect(p[key]).toEqual(stored === undefined ? DEFAULT_POLICY[key] : decodePolicyValue(key, stored));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("property: the order in which overrides are listed does not matter (distinct createdAt)", () => {
    fc.assert(
      fc.property(
        chainArb,
        fc.uniqueArray(overrideArb, { maxLength: 20, selector: (o) => o.createdAt }),
        dateArb,
        fc.integer(),
        (orgChain, overrides, onDate, seed) => {
          const shuffled = [...overrides].sort((a, b) => ((hash(a.createdAt, seed) - hash(b.createdAt, seed)) | 0));
          expect(resolvePolicy(orgChain, shuffled, onDate)).toEqual(resolvePolicy(orgChain, overrides, onDate));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: overrides for orgs outside the chain never matter", () => {
    fc.assert(
      fc.property(fc.array(overrideArb, { maxLength: 20 }), dateArb, (overrides, onDate) => {
        const chain = ["o1", "o2"];
        const inside = overrides.filter((o) => chain.includes(o.orgId));
        expect(resolvePolicy(chain, overrides, onDate)).toEqual(resolvePolicy(chain, inside, onDate));
      }),
    );
  });
});

function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16_777_619);
  return h;
}

describe("validateOverride", () => {
  it.each<[PolicyKey, Platform | null, number]>([
    ["weeklyMinimum", null, 0],
    ["weeklyMinimum", "wechat", 50],
    ["weeklyMinimum", "douyin", 3],
    ["vetoDays", null, 1],
    ["vetoDays", null, 365],
    ["zombieDays", null, 7],
    ["zombieDays", null, 730],
    ["chronicBelowWeeks", null, 1],
    ["chronicBelowWeeks", null, 52],
    ["chronicWindowWeeks", null, 1],
    ["chronicWindowWeeks", null, 52],
    ["samplingRate", null, 1],
    ["samplingRate", null, 0.12],
  ])("accepts %s/%s = %d", (key, platform, value) => {
    expect(validateOverride(key, platform, value)).toBeUndefined();
  });

  it.each<[PolicyKey, Platform | null, number]>([
    ["weeklyMinimum", null, -1],
    ["weeklyMinimum", null, 51],
    ["weeklyMinimum", "wechat", 2.5],
    ["weeklyMinimum", null, Number.NaN],
    ["vetoDays", null, 0],
    ["vetoDays", null, 366],
    ["vetoDays", null, 14.5],
    ["zombieDays", null, 6],
    ["zombieDays", null, 731],
    ["chronicBelowWeeks", null, 0],
    ["chronicBelowWeeks", null, 53],
    ["chronicWindowWeeks", null, 0],
    ["chronicWindowWeeks", null, 53],
    ["samplingRate", null, 0],
    ["samplingRate", null, 1.01],
    ["samplingRate", null, -0.5],
    ["samplingRate", null, Number.POSITIVE_INFINITY],
    ["vetoDays", "wechat", 14],
    ["samplingRate", "weibo", 0.5],
  ])("rejects %s/%s = %d with a Chinese message", (key, platform, value) => {
    const msg = validateOverride(key, platform, value);
    expect(msg).toMatch(CHINESE);
  });

  it("rejects unknown keys and platforms at runtime", () => {
    expect(validateOverride("bogus" as PolicyKey, null, 1)).toMatch(CHINESE);
    expect(validateOverride("weeklyMinimum", "myspace" as Platform, 1)).toMatch(CHINESE);
  });
});

describe("update unit, reposts and the 服务号 minimum", () => {
  it("defaults: push, reposts counted, no weekly minimum for a 服务号 (4 群发 a month cannot meet one every week)", () => {
    expect(DEFAULT_POLICY).toMatchObject({ updateUnit: "push", countReposts: true, serviceWeeklyMinimum: 0 });
    expect(weeklyMinimumFor(DEFAULT_POLICY, "wechat", "service")).toBe(0);
    expect(weeklyMinimumFor(DEFAULT_POLICY, "wechat", "subscription")).toBe(3);
    expect(weeklyMinimumFor(DEFAULT_POLICY, "wechat", null)).toBe(3);
    expect(weeklyMinimumFor(DEFAULT_POLICY, "douyin", null)).toBe(1);
  });

  it("stores the words as documented codes and shows them back", () => {
    expect(encodePolicyValue("updateUnit", "push")).toEqual({ value: 1 });
    expect(encodePolicyValue("updateUnit", "item")).toEqual({ value: 2 });
    expect(encodePolicyValue("updateUnit", "day")).toEqual({ value: 3 });
    expect(encodePolicyValue("countReposts", false)).toEqual({ value: 0 });
    expect(decodePolicyValue("updateUnit", 3)).toBe("day");
    expect(decodePolicyValue("countReposts", 0)).toBe(false);
    expect(decodePolicyValue("vetoDays", 10)).toBe(10);
  });

  it("refuses other values with the allowed ones in Chinese", () => {
    const bad = encodePolicyValue("updateUnit", "week");
    expect("error" in bad && bad.error).toMatch(/push.*item.*day/);
    expect("error" in bad && bad.error).toContain("按推送");
    expect("error" in encodePolicyValue("updateUnit", 1)).toBe(true);
    expect("error" in encodePolicyValue("countReposts", "yes")).toBe(true);
    expect("error" in encodePolicyValue("vetoDays", "10")).toBe(true);
    expect(validateOverride("updateUnit", null, 4)).toContain("push");
    expect(validateOverride("serviceWeeklyMinimum", "wechat", 1)).toContain("不能指定平台");
  });

  it("resolves the unit and the repost rule from overrides", () => {
    const o = (key: PolicyKey, value: number): PolicyOverride => ({ orgId: "county", key, platform: null, value, effectiveFrom: "2026-01-01", createdAt: "2026-01-01T00:00:00Z" });
    const p = resolvePolicy(["county"], [o("updateUnit", 3), o("countReposts", 0), o("serviceWeeklyMinimum", 1)], "2026-11-23");
    expect(p).toMatchObject({ updateUnit: "day", countReposts: false, serviceWeeklyMinimum: 1 });
  });
});

describe("vetoProblems (单项否决的问题类型)", () => {
  it("defaults to the 单项否决 items of 国办秘函〔2019〕19号, without 逾期未整改", () => {
    expect([...DEFAULT_POLICY.vetoProblems].sort()).toEqual(["illegal_content", "interaction_broken", "secret_leak", "serious_error", "stale_2w"]);
    expect(DEFAULT_VETO_PROBLEMS).not.toContain("overdue_unrectified");
  });

  it("stores a set of codes as a bitmask over the category indexes and shows it back in category order", () => {
    expect(vetoMask(["stale_2w"])).toBe(1);
    expect(vetoMask(["interaction_broken", "stale_2w", "stale_2w"])).toBe(1 + 8);
    expect(vetoCodes(1 + 8)).toEqual(["stale_2w", "interaction_broken"]);
    expect(encodePolicyValue("vetoProblems", ["secret_leak", "stale_2w"])).toEqual({ value: vetoMask(["stale_2w", "secret_leak"]) });
    expect(decodePolicyValue("vetoProblems", vetoMask(["secret_leak", "stale_2w"]))).toEqual(["stale_2w", "secret_leak"]);
    expect(encodePolicyValue("vetoProblems", [])).toEqual({ value: 0 });
    fc.assert(
      fc.property(fc.subarray([...PROBLEM_CATEGORIES]), (codes) => {
        expect(vetoCodes(vetoMask(codes))).toEqual(codes);
      }),
    );
  });

  it("refuses unknown codes and non-arrays in Chinese, naming the bad code", () => {
    const bad = encodePolicyValue("vetoProblems", ["stale_2w", "bogus"]);
    expect("error" in bad && bad.error).toContain("bogus");
    expect("error" in bad && bad.error).toMatch(CHINESE);
    expect("error" in encodePolicyValue("vetoProblems", "stale_2w")).toBe(true);
    expect("error" in encodePolicyValue("vetoProblems", 3)).toBe(true);
    expect(validateOverride("vetoProblems", null, 2 ** PROBLEM_CATEGORIES.length)).toMatch(CHINESE);
    expect(validateOverride("vetoProblems", null, 1.5)).toMatch(CHINESE);
  });

  it("resolves the nearest override, otherwise the default", () => {
    const o: PolicyOverride = { orgId: "county", key: "vetoProblems", platform: null, value: vetoMask(["stale_2w"]), effectiveFrom: "2026-07-01", createdAt: "2026-01-01T00:00:00Z" };
    expect(resolvePolicy(["county", "city"], [o], "2026-11-23").vetoProblems).toEqual(["stale_2w"]);
    expect(resolvePolicy(["county", "city"], [o], "2026-06-30").vetoProblems).toEqual(DEFAULT_VETO_PROBLEMS);
  });
});
