import { describe, expect, it } from "vitest";
import {
  ACCOUNT_STATUSES,
  checkFiling,
  FILING_KINDS,
  isLive,
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

  it("covers all 7 statuses × 6 kinds", () => {
    expect(cases).toHaveLength(42);
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

  it("closed and merged are terminal: no filing kind applies to them", () => {
    for (const status of ["closed", "merged"] as const) {
      for (const kind of FILING_KINDS) {
        expectTransitionError(() => checkFiling(acct(status), validRequest(kind)));
      }
      expect(isLive(status)).toBe(false);
    }
  });
});
