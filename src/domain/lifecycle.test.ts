import { describe, expect, it } from "vitest";
import {
  ACCOUNT_STATUSES,
  checkFiling,
  FILING_KINDS,
  filingKindsFor,
  isInUse,
  isLive,
  VOID_WINDOW_DAYS,
  voidProblem,
  statusAfterDecision,
  TransitionError,
  type AccountStatus,
  type FilingKind,
  type FilingRequest,
  type LifecycleAccount,
} from "./lifecycle";

const CHINESE = /[\u4e00-\u9fff]/;

/** Hand-derived from docs/规则依据.md#备案类型与账号状态 (not copied from the module): which statuses each filing kind applies to. */
const EXPECTED_ALLOWED: Record<FilingKind, AccountStatus[]> = {
  open: ["pending", "rejected", "active"],
  change: ["active", "suspended", "closing"],
  suspend: ["active"],
  resume: ["suspended"],
  close: ["active", "suspended", "closing"],
  merge: ["active", "suspended", "closing"],
};

const acct = (status: AccountStatus, over: Partial<LifecycleAccount> = {}): LifecycleAccount => ({
  id: "a1",
  platform: "wechat",
  status,
  ...over,
});

/** A request that is otherwise well-formed, so only the account status can make it fail. */
function validRequest(kind: FilingKind): FilingRequest {
  switch (kind) {
    case "change":
      return { kind, changes: { name: "大洼发布" } };
    case "close":
      return { kind, reason: "机构改革，账号停止运营", completed: true };
    case "merge":
      return { kind, target: { id: "t1", platform: "wechat", status: "active" } };
    default:
      return { kind };
  }
}

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectTransitionError(fn: () => void, pattern?: RegExp): void {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(TransitionError);
  const msg = (e as Error).message;
  expect(msg.length).toBeGreaterThan(0);
  expect(msg).toMatch(CHINESE);
  if (pattern) expect(msg).toMatch(pattern);
}

describe("checkFiling: status × kind table", () => {
  const cases = ACCOUNT_STATUSES.flatMap((status) =>
    FILING_KINDS.map((kind) => ({ status, kind, allowed: EXPECTED_ALLOWED[kind].includes(status) })),
  );

  it("covers all 8 statuses × 6 kinds", () => {
    expect(cases).toHaveLength(48);
    expect(cases.filter((c) => c.allowed)).toHaveLength(14);
  });

  it.each(cases)("$kind on $status → allowed=$allowed", ({ status, kind, allowed }) => {
    const run = () => checkFiling(acct(status), validRequest(kind));
    if (allowed) {
      expect(run).not.toThrow();
    } else {
      expectTransitionError(run);
      // The status message names the filing kind in Chinese.
      expect((thrown(run) as Error).message).toMatch(/账号当前状态/);
    }
  });
});

describe("checkFiling: per-kind requirements", () => {
  it("change needs at least one change", () => {
    expectTransitionError(() => checkFiling(acct("active"), { kind: "change" }), /变更/);
    expectTransitionError(() => checkFiling(acct("active"), { kind: "change", changes: null }));
    expectTransitionError(() => checkFiling(acct("active"), { kind: "change", changes: {} }));
    expect(() => checkFiling(acct("active"), { kind: "change", changes: { contactPhone: null } })).not.toThrow();
  });

  it("close needs a non-blank reason", () => {
    expectTransitionError(() => checkFiling(acct("active"), { kind: "close" }), /原因/);
    expectTransitionError(() => checkFiling(acct("active"), { kind: "close", reason: "   " }), /原因/);
    expect(() => checkFiling(acct("active"), { kind: "close", reason: "职能调整" })).not.toThrow();
    expect(() => checkFiling(acct("suspended"), { kind: "close", reason: "职能调整" })).not.toThrow();
  });

  it("close on a closing account requires completed:true", () => {
    expectTransitionError(() => checkFiling(acct("closing"), { kind: "close", reason: "平台注销中" }), /completed/);
    expectTransitionError(() =>
      checkFiling(acct("closing"), { kind: "close", reason: "平台注销中", completed: false }),
    );
    expect(() =>
      checkFiling(acct("closing"), { kind: "close", reason: "平台已注销", completed: true }),
    ).not.toThrow();
  });

  it.each(ACCOUNT_STATUSES.map((s) => ({ s, ok: s === "active" || s === "suspended" })))(
    "merge into a $s target → ok=$ok",
    ({ s, ok }) => {
      const run = () =>
        checkFiling(acct("active"), { kind: "merge", target: { id: "t1", platform: "wechat", status: s } });
      if (ok) expect(run).not.toThrow();
      else expectTransitionError(run, /目标账号/);
    },
  );

  it("merge needs a target, not itself, on the same platform", () => {
    expectTransitionError(() => checkFiling(acct("active"), { kind: "merge" }), /目标/);
    expectTransitionError(() => checkFiling(acct("active"), { kind: "merge", target: null }));
    expectTransitionError(
      () => checkFiling(acct("active"), { kind: "merge", target: { id: "a1", platform: "wechat", status: "active" } }),
      /自身/,
    );
    expectTransitionError(
      () => checkFiling(acct("active"), { kind: "merge", target: { id: "t1", platform: "weibo", status: "active" } }),
      /同一平台/,
    );
    expect(() =>
      checkFiling(acct("closing"), { kind: "merge", target: { id: "t1", platform: "wechat", status: "suspended" } }),
    ).not.toThrow();
  });
});

describe("statusAfterDecision", () => {
  const approved: { status: AccountStatus; req: FilingRequest; expected: AccountStatus }[] = [
    { status: "pending", req: { kind: "open" }, expected: "active" },
    { status: "rejected", req: { kind: "open" }, expected: "active" },
    { status: "active", req: { kind: "open" }, expected: "active" },
    { status: "active", req: { kind: "change", changes: { name: "新名" } }, expected: "active" },
    { status: "suspended", req: { kind: "change", changes: { name: "新名" } }, expected: "suspended" },
    { status: "closing", req: { kind: "change", changes: { name: "新名" } }, expected: "closing" },
    { status: "active", req: { kind: "suspend" }, expected: "suspended" },
    { status: "suspended", req: { kind: "resume" }, expected: "active" },
    { status: "active", req: { kind: "close", reason: "撤并" }, expected: "closing" },
    { status: "suspended", req: { kind: "close", reason: "撤并", completed: false }, expected: "closing" },
    { status: "active", req: { kind: "close", reason: "撤并", completed: true }, expected: "closed" },
    { status: "closing", req: { kind: "close", reason: "撤并", completed: true }, expected: "closed" },
    {
      status: "active",
      req: { kind: "merge", target: { id: "t1", platform: "wechat", status: "active" } },
      expected: "merged",
    },
    {
      status: "closing",
      req: { kind: "merge", target: { id: "t1", platform: "wechat", status: "suspended" } },
      expected: "merged",
    },
  ];

  it.each(approved)("approve $req.kind on $status → $expected", ({ status, req, expected }) => {
    // Each row is itself a filing that checkFiling accepts.
    expect(() => checkFiling(acct(status), req)).not.toThrow();
    expect(statusAfterDecision(acct(status), req, true)).toBe(expected);
  });

  it.each(ACCOUNT_STATUSES.filter((s) => s !== "active"))("rejecting an open filing on %s leaves a rejected, non-live account", (status) => {
    const after = statusAfterDecision(acct(status), { kind: "open" }, false);
    expect(after).toBe("rejected");
    expect(isLive(after)).toBe(false);
  });

  it("rejecting a retroactive open filing on an active account keeps it active", () => {
    expect(statusAfterDecision(acct("active"), { kind: "open" }, false)).toBe("active");
  });

  const nonOpen = FILING_KINDS.filter((k) => k !== "open");
  it.each(ACCOUNT_STATUSES.flatMap((status) => nonOpen.map((kind) => ({ status, kind }))))(
    "rejecting $kind on $status keeps the status",
    ({ status, kind }) => {
      expect(statusAfterDecision(acct(status), validRequest(kind), false)).toBe(status);
    },
  );

  it("closed, merged and voided are terminal: no filing kind applies to them", () => {
    for (const status of ["closed", "merged", "voided"] as const) {
      for (const kind of FILING_KINDS) {
        expectTransitionError(() => checkFiling(acct(status), validRequest(kind)));
      }
      expect(isLive(status)).toBe(false);
    }
  });
});

describe("voiding a registration made in error (作废)", () => {
  const created = "2026-03-01T02:00:00.000Z";
  const at = (days: number) => new Date(Date.parse(created) + days * 86_400_000);

  it("is allowed for a pending or active account within the window, with only its opening decided", () => {
    expect(voidProblem({ status: "pending", createdAt: created }, at(1), [])).toBeUndefined();
    expect(voidProblem({ status: "active", createdAt: created }, at(VOID_WINDOW_DAYS), [{ kind: "open" }])).toBeUndefined();
  });

  it("is refused after the window, for other statuses and after another decided filing, in Chinese", () => {
    expect(voidProblem({ status: "active", createdAt: created }, at(VOID_WINDOW_DAYS + 0.01), [])).toMatch(/超过30天/);
    for (const status of ["suspended", "closing", "closed", "merged", "rejected", "voided"] as const) {
      expect(voidProblem({ status, createdAt: created }, at(1), [])).toMatch(CHINESE);
    }
    expect(voidProblem({ status: "active", createdAt: created }, at(1), [{ kind: "open" }, { kind: "change" }])).toMatch(/关停注销/);
  });

  it("a voided account is neither live nor in use", () => {
    expect(isLive("voided")).toBe(false);
    expect(isInUse("voided")).toBe(false);
  });
});

describe("filingKindsFor", () => {
  it("offers what checkFiling allows, opening only as 补充开设 or after a rejection", () => {
    expect(filingKindsFor("active", "direct")).toEqual(["change", "suspend", "close", "merge"]);
    expect(filingKindsFor("active", "import")).toEqual(["open", "change", "suspend", "close", "merge"]);
    expect(filingKindsFor("suspended", "direct")).toEqual(["change", "resume", "close", "merge"]);
    expect(filingKindsFor("rejected", "filing")).toEqual(["open"]);
    expect(filingKindsFor("pending", "filing")).toEqual([]);
    expect(filingKindsFor("voided", "direct")).toEqual([]);
  });
});
