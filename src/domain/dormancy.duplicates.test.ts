// Two live accounts of one unit on one platform: the less active one is advised to consolidate
// into the other. Pure.
import { describe, expect, it } from "vitest";
import { recommend, type Candidate, type DormancyFinding } from "./dormancy";
import type { Platform } from "./platforms";

describe("recommend: duplicate_platform → consolidation (长安区：同一平台上开设的多个账号要进行功能整合)", () => {
  const notChronic: DormancyFinding = {
    veto: false,
    zombie: false,
    chronic: false,
    unknown: false,
    daysSinceLastPost: 10,
    belowWeeks: 0,
    countedWeeks: 8,
    lastPostAt: new Date("2026-11-12T20:00:00Z"),
    zombieDays: 90,
  };
  const c = (over: Partial<Candidate> & Pick<Candidate, "id">): Candidate => ({
    orgId: "dept-1",
    platform: "wechat",
    status: "active",
    lastPostAt: new Date("2026-11-20T00:00:00Z"),
    recentPosts: 10,
    ...over,
  });
  const me = (id: string) => ({ id, orgId: "dept-1", platform: "wechat" as Platform });

  it("the less active account (fewer posts in 8 weeks) is advised to consolidate into the more active one, with evidence", () => {
    const quiet = c({ id: "quiet", recentPosts: 3, lastPostAt: new Date("2026-11-12T20:00:00Z") });
    const busy = c({ id: "busy", name: "大洼发布", recentPosts: 20 });
    const advice = recommend(me("quiet"), notChronic, [quiet, busy], null);
    expect(advice?.kind).toBe("consolidate");
    if (advice?.kind !== "consolidate") return;
    expect(advice.targetAccountId).toBe("busy");
    expect(advice.reason).toContain("“大洼发布”");
    expect(advice.reason).toContain("近8周发文3条");
    expect(advice.reason).toContain("近8周发文20条");
    expect(advice.reason).toContain("功能整合");
    expect(advice.evidence).toMatchObject({ windowWeeks: 8, recentPosts: 3, targetRecentPosts: 20 });
    expect(recommend(me("busy"), notChronic, [quiet, busy], null)).toBeNull();
  });

  it("equal posts: the older last post is the less active; full tie → the larger id consolidates", () => {
    const old = c({ id: "b", lastPostAt: new Date("2026-11-01T00:00:00Z") });
    const recent = c({ id: "a", lastPostAt: new Date("2026-11-20T00:00:00Z") });
    expect(recommend(me("b"), notChronic, [old, recent], null)).toMatchObject({ kind: "consolidate", targetAccountId: "a" });
    expect(recommend(me("a"), notChronic, [old, recent], null)).toBeNull();
    const x = c({ id: "x" });
    const y = c({ id: "y" });
    expect(recommend(me("y"), notChronic, [x, y], null)).toMatchObject({ kind: "consolidate", targetAccountId: "x" });
    expect(recommend(me("x"), notChronic, [x, y], null)).toBeNull();
  });

  it("no advice without a live duplicate: other platform, other org, or a closed/suspended sibling", () => {
    const self = c({ id: "self", recentPosts: 0 });
    for (const other of [
      c({ id: "o1", platform: "weibo", recentPosts: 50 }),
      c({ id: "o2", orgId: "dept-2", recentPosts: 50 }),
      c({ id: "o3", status: "closed", recentPosts: 50 }),
      c({ id: "o4", status: "suspended", recentPosts: 50 }),
    ]) {
      expect(recommend(me("self"), notChronic, [self, other], null)).toBeNull();
    }
  });
});
