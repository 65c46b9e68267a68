import { describe, expect, it } from "vitest";
import {
  normaliseAccountName,
  looksPersonal,
  registryFlags,
  sameAccountName,
  sameOwner,
  type CheckedAccount,
  type FlagCode,
  type RegistryContext,
} from "./registry-checks";

const account = (over: Partial<CheckedAccount> = {}): CheckedAccount => ({
  id: "a1",
  orgId: "org1",
  platform: "wechat",
  name: "大洼发布",
  platformId: "dawa_fabu",
  status: "active",
  verifiedOwner: null,
  ...over,
});

/** A clean context: a city department, only this account, approved opening, no closed look-alikes. */
function context(self: CheckedAccount, over: Partial<RegistryContext> = {}): RegistryContext {
  return {
    org: { name: "大洼区人民政府办公室", kind: "department", level: "city" },
    unitAccounts: [self],
    closedSamePlatformId: [],
    hasApprovedOpen: true,
    ...over,
  };
}

const codes = (a: CheckedAccount, ctx: RegistryContext): FlagCode[] => registryFlags(a, ctx).map((f) => f.code);

describe("baseline", () => {
  it("a clean account has no flags", () => {
    const a = account();
    expect(registryFlags(a, context(a))).toEqual([]);
  });

  it("every flag has a non-empty Chinese message", () => {
    const a = account({ verifiedOwner: "某某公司", status: "active" });
    const dup = account({ id: "a2", name: "别的名字" });
    const other = account({ id: "a3", platform: "weibo", name: "完全不同" });
    const flags = registryFlags(
      a,
      context(a, {
        org: { name: "某镇人民政府", kind: "government", level: "township" },
        unitAccounts: [a, dup, other],
        closedSamePlatformId: [account({ id: "old", status: "closed" })],
        hasApprovedOpen: false,
      }),
    );
    expect(flags.map((f) => f.code).sort()).toEqual(
      ["duplicate_platform", "inconsistent_name", "owner_mismatch", "reopened_after_close", "unapproved_opening"].sort(),
    );
    for (const f of flags) expect(f.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("duplicate_platform", () => {
  it("fires for two live accounts of the same org on the same platform", () => {
    const a = account();
    const b = account({ id: "a2", status: "pending", platformId: "other_id" });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).toContain("duplicate_platform");
  });

  it.each(["active", "suspended", "closing", "pending"] as const)("counts a %s sibling as live", (status) => {
    const a = account();
    const b = account({ id: "a2", status });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).toContain("duplicate_platform");
  });

  it.each(["closed", "merged", "rejected"] as const)("does not fire when the other account is %s", (status) => {
    const a = account();
    const b = account({ id: "a2", status });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).not.toContain("duplicate_platform");
  });

  it("does not fire for the same org on different platforms", () => {
    const a = account();
    const b = account({ id: "a2", platform: "weibo" });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).not.toContain("duplicate_platform");
  });

  it("does not fire on a closed account even if a live sibling shares the platform", () => {
    const a = account({ status: "closed" });
    const b = account({ id: "a2" });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).not.toContain("duplicate_platform");
  });

  it("does not count the account itself", () => {
    const a = account();
    expect(codes(a, context(a, { unitAccounts: [a, a] }))).not.toContain("duplicate_platform");
  });
});

describe("inconsistent_name", () => {
  it.each([
    ["大洼发布", "大洼发布（微博）"],
    ["大洼发布", "大洼发布 (微博)"],
    ["大洼发布", " 大洼 发布 "],
    ["大洼发布", "大洼发布\u3000"],
    ["大洼发布", "大洼发布微博"],
    ["大洼发布", "大洼发布抖音号"],
    ["大洼发布", "大洼发布【官方】"],
    ["大洼发布", "大洼发布APP"],
    ["ＤａＷａ发布", "dawa发布"],
  ])("treats %j and %j as the same name", (mine, theirs) => {
    expect(normaliseAccountName(mine)).toBe(normaliseAccountName(theirs));
    const a = account({ name: mine });
    const b = account({ id: "a2", platform: "weibo", name: theirs });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).not.toContain("inconsistent_name");
  });

  it("fires for a genuinely different name on another platform and names it in the message", () => {
    const a = account({ name: "大洼发布" });
    const b = account({ id: "a2", platform: "weibo", name: "清风大洼" });
    const flags = registryFlags(a, context(a, { unitAccounts: [a, b] }));
    const flag = flags.find((f) => f.code === "inconsistent_name");
    expect(flag).toBeDefined();
    expect(flag!.message).toContain("清风大洼");
  });

  it.each([
    ["大洼发布", "大洼头条"],
    ["大洼发布", "大洼区政务"],
    ["大洼发布", "大洼在线"],
    ["大洼发布", "大洼之声"],
    ["大洼发布", "大洼区人民政府"],
    ["大洼发布", "大洼政务快手号"],
    ["大洼发布", "大洼客户端"],
  ])("platform words are not a different name: %j vs %j (鹤政办〔2019〕20号第十二条 名称一致)", (mine, theirs) => {
    expect(sameAccountName(mine, theirs)).toBe(true);
    const a = account({ name: mine });
    const b = account({ id: "a2", platform: "toutiao", name: theirs });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).not.toContain("inconsistent_name");
  });

  it.each([
    ["大洼发布", "大洼教育"],
    ["大洼发布", "盘锦发布"],
    ["大洼发布", "辽河之声"],
  ])("still fires for genuinely different names: %j vs %j", (mine, theirs) => {
    const a = account({ name: mine });
    const b = account({ id: "a2", platform: "weibo", name: theirs });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).toContain("inconsistent_name");
  });

  it("an app's own brand is not flagged, on the app or on its siblings", () => {
    const w = account({ name: "大洼发布" });
    const app = account({ id: "app1", platform: "app", name: "爱大洼" });
    const ctx = context(w, { unitAccounts: [w, app] });
    expect(codes(w, ctx)).not.toContain("inconsistent_name");
    expect(codes(app, { ...ctx })).not.toContain("inconsistent_name");
  });

  it("ignores siblings that are no longer live", () => {
    const a = account({ name: "大洼发布" });
    const b = account({ id: "a2", platform: "weibo", name: "大洼政务", status: "closed" });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).not.toContain("inconsistent_name");
  });

  it("does not compare with same-platform siblings (that is duplicate_platform's job)", () => {
    const a = account({ name: "大洼发布" });
    const b = account({ id: "a2", name: "大洼政务" });
    expect(codes(a, context(a, { unitAccounts: [a, b] }))).toEqual(["duplicate_platform"]);
  });
});

describe("reopened_after_close", () => {
  it("fires when another closed account had the same platform id", () => {
    const a = account();
    const old = account({ id: "old", status: "closed" });
    expect(codes(a, context(a, { closedSamePlatformId: [old] }))).toContain("reopened_after_close");
  });

  it("fires for a merged predecessor too", () => {
    const a = account();
    const old = account({ id: "old", status: "merged" });
    expect(codes(a, context(a, { closedSamePlatformId: [old] }))).toContain("reopened_after_close");
  });

  it("does not fire when the only closed record is the account itself", () => {
    const a = account();
    expect(codes(a, context(a, { closedSamePlatformId: [a] }))).not.toContain("reopened_after_close");
  });

  it("does not fire without a platform id", () => {
    const a = account({ platformId: null });
    const old = account({ id: "old", status: "closed" });
    expect(codes(a, context(a, { closedSamePlatformId: [old] }))).not.toContain("reopened_after_close");
  });

  it("does not fire when nothing was closed", () => {
    const a = account();
    expect(codes(a, context(a))).not.toContain("reopened_after_close");
  });
});

describe("owner_mismatch", () => {
  it("fires when the verified owner differs from the owning unit", () => {
    const a = account({ verifiedOwner: "盘锦市大洼区文化旅游局" });
    const flag = registryFlags(a, context(a)).find((f) => f.code === "owner_mismatch");
    expect(flag).toBeDefined();
    expect(flag!.message).toContain("盘锦市大洼区文化旅游局");
    expect(flag!.message).toContain("大洼区人民政府办公室");
  });

  it.each(["大洼区人民政府办公室", " 大洼区 人民政府办公室 ", "大洼区人民政府办公室\u3000"])(
    "does not fire for %j (same name up to whitespace)",
    (owner) => {
      const a = account({ verifiedOwner: owner });
      expect(codes(a, context(a))).not.toContain("owner_mismatch");
    },
  );

  it("does not fire when no verified owner is recorded", () => {
    const a = account({ verifiedOwner: null });
    expect(codes(a, context(a))).not.toContain("owner_mismatch");
    const b = account({ verifiedOwner: "" });
    expect(codes(b, context(b))).not.toContain("owner_mismatch");
  });
});

describe("unapproved_opening", () => {
  const orgs = {
    countyDept: { name: "县教育局", kind: "department", level: "county" },
    townGov: { name: "某镇人民政府", kind: "government", level: "township" },
    townDept: { name: "某镇党政办", kind: "department", level: "township" },
    cityDept: { name: "市教育局", kind: "department", level: "city" },
    countyGov: { name: "某县人民政府", kind: "government", level: "county" },
    provinceDept: { name: "省教育厅", kind: "department", level: "province" },
  } as const;

  it.each([
    ["countyDept", true],
    ["townGov", true],
    ["townDept", true],
    ["cityDept", false],
    ["countyGov", false],
    ["provinceDept", false],
  ] as const)("without an approved open filing, %s → flagged=%s", (key, flagged) => {
    const org = orgs[key];
    const a = account({ verifiedOwner: org.name });
    const got = codes(a, context(a, { org, hasApprovedOpen: false }));
    expect(got.includes("unapproved_opening")).toBe(flagged);
  });

  it.each(["countyDept", "townGov", "townDept"] as const)("%s with an approved open filing is not flagged", (key) => {
    const a = account();
    expect(codes(a, context(a, { org: orgs[key], hasApprovedOpen: true }))).not.toContain("unapproved_opening");
  });

  it("a closed county-department account is not flagged", () => {
    const a = account({ status: "closed" });
    expect(codes(a, context(a, { org: orgs.countyDept, hasApprovedOpen: false }))).not.toContain(
      "unapproved_opening",
    );
  });
});

describe("owner checks (鹤政办〔2019〕20号第十二条：严禁以个人名义开设)", () => {
  const gov = { name: "盘锦市人民政府", kind: "government" as const, level: "city" as const };

  it.each(["盘锦市人民政府办公室", "盘锦市政府办公室", "盘锦市人民政府办公厅", "盘锦市人民政府"])(
    "the government's own office %j is the same owner",
    (owner) => {
      expect(sameOwner(owner, gov.name, gov.kind)).toBe(true);
      const a = account({ verifiedOwner: owner });
      expect(codes(a, context(a, { org: gov }))).not.toContain("owner_mismatch");
    },
  );

  it.each(["大连市人民政府办公室", "盘锦市人民政府信息中心", "盘锦市公安局"])("%j is still a mismatch", (owner) => {
    const a = account({ verifiedOwner: owner });
    expect(codes(a, context(a, { org: gov }))).toContain("owner_mismatch");
  });

  it("a department's office does not count as the department (only governments)", () => {
    expect(sameOwner("盘锦市教育局办公室", "盘锦市教育局", "department")).toBe(false);
  });

  it.each(["张伟", "李小明", "欧阳明月", "个人", "个人认证"])("%j looks personal → personal_owner, not owner_mismatch", (owner) => {
    expect(looksPersonal(owner)).toBe(true);
    const a = account({ verifiedOwner: owner });
    const flags = codes(a, context(a, { org: gov }));
    expect(flags).toContain("personal_owner");
    expect(flags).not.toContain("owner_mismatch");
  });

  it.each(["盘锦市公安局", "某某公司", "气象台", "融媒体中心", "市委宣传部", "某街道办"])("%j is an organisation", (owner) => {
    expect(looksPersonal(owner)).toBe(false);
  });

  it("a configured alias of the unit is the same owner, after the same normalising (spaces, full-width)", () => {
    const unit = { name: "某开发区管理委员会", kind: "zone" as const, level: "county" as const, aliases: ["某经济技术开发区管委会"] };
    for (const owner of ["某经济技术开发区管委会", "某经济技术开发区 管委会", "某经济技术开发区管委会\u3000"]) {
      const a = account({ verifiedOwner: owner });
      expect(codes(a, context(a, { org: unit }))).not.toContain("owner_mismatch");
    }
    const other = account({ verifiedOwner: "另一开发区管委会" });
    expect(codes(other, context(other, { org: unit }))).toContain("owner_mismatch");
    // Without the alias the same owner is a mismatch.
    const plain = account({ verifiedOwner: "某经济技术开发区管委会" });
    expect(codes(plain, context(plain, { org: { ...unit, aliases: null } }))).toContain("owner_mismatch");
  });

  it("a zone's own office is the same owner, also under an alias", () => {
    expect(sameOwner("某高新区管委会办公室", "某高新区管委会", "zone")).toBe(true);
    expect(sameOwner("某高新技术产业开发区管委会办公室", "某高新区管委会", "zone", ["某高新技术产业开发区管委会"])).toBe(true);
    expect(sameOwner("某高新区管委会财政局", "某高新区管委会", "zone")).toBe(false);
  });

  it("aliases count for a department too, not only the government-office rule", () => {
    expect(sameOwner("盘锦市公安局交通警察支队", "盘锦市公安局交警支队", "department", ["盘锦市公安局交通警察支队"])).toBe(true);
    expect(sameOwner("盘锦市公安局交通警察支队", "盘锦市公安局交警支队", "department", [])).toBe(false);
  });

  it("an unverified account (no 认证主体) raises no owner flag", () => {
    const a = account({ verifiedOwner: null });
    expect(codes(a, context(a, { org: gov }))).toEqual([]);
  });
});
