import { describe, expect, it } from "vitest";
import { applyRecheck, parseProblemList, pickEarlierFailure, stillOverdue, vetoItems, type EarlierFailure } from "./inspection";

const failure = (over: Partial<EarlierFailure> = {}): EarlierFailure => ({
  roundId: "r",
  inspectionId: "i",
  year: 2025,
  quarter: 4,
  deadline: "2025-12-31",
  rectifiedAt: null,
  ...over,
});

describe("problem words", () => {
  it("keeps a label that contains separators whole, next to other words", () => {
    expect(parseProblemList("错别字、发布或链接反动、暴力、色情等违法内容；泄密").categories).toEqual(["typos", "illegal_content", "secret_leak"]);
    expect(parseProblemList("反动、暴力、色情").categories).toEqual(["illegal_content"]);
    expect(parseProblemList("无互动功能，乱写").unknown).toEqual(["乱写"]);
  });

  it("vetoItems keeps the vetoed problems in category order", () => {
    expect(vetoItems(["typos", "secret_leak", "stale_2w"], ["secret_leak", "stale_2w"])).toEqual(["stale_2w", "secret_leak"]);
    expect(vetoItems(["typos"], ["stale_2w"])).toEqual([]);
  });
});

describe("re-check (复查)", () => {
  it("an earlier failure is still overdue after its deadline until rectified by the inspection day", () => {
    expect(stillOverdue(failure(), "2025-12-31")).toBe(false); // the deadline is the last day allowed
    expect(stillOverdue(failure(), "2026-01-01")).toBe(true);
    expect(stillOverdue(failure({ rectifiedAt: "2026-01-05" }), "2026-01-15")).toBe(false);
    expect(stillOverdue(failure({ rectifiedAt: "2026-01-20" }), "2026-01-15")).toBe(true);
    expect(stillOverdue(failure({ deadline: null }), "2026-01-15")).toBe(false);
  });

  it("refuses a pass, adds 逾期未整改 to a fail once, and leaves other drafts alone", () => {
    const pass = applyRecheck({ result: "pass", problems: [] }, failure(), "2026-01-15");
    expect("error" in pass && pass.error).toMatch(/2025年第4季度.*2025-12-31.*先登记/);
    expect(applyRecheck({ result: "fail", problems: ["typos"] }, failure(), "2026-01-15")).toEqual({ draft: { result: "fail", problems: ["typos", "overdue_unrectified"] } });
    expect(applyRecheck({ result: "fail", problems: ["overdue_unrectified"] }, failure(), "2026-01-15")).toEqual({ draft: { result: "fail", problems: ["overdue_unrectified"] } });
    expect(applyRecheck({ result: "pass", problems: [] }, failure({ rectifiedAt: "2026-01-05" }), "2026-01-15")).toEqual({ draft: { result: "pass", problems: [] } });
    expect(applyRecheck({ result: "pass", problems: [] }, null, "2026-01-15")).toEqual({ draft: { result: "pass", problems: [] } });
  });

  it("follows up the newest overdue failure, else the newest with a deadline", () => {
    const older = failure({ inspectionId: "old", year: 2025, quarter: 3, deadline: "2025-09-30" });
    const newer = failure({ inspectionId: "new", rectifiedAt: "2026-01-02" });
    expect(pickEarlierFailure([newer, older], "2026-01-15")?.inspectionId).toBe("old");
    expect(pickEarlierFailure([newer, { ...older, rectifiedAt: "2025-10-02" }], "2026-01-15")?.inspectionId).toBe("new");
    expect(pickEarlierFailure([failure({ deadline: null })], "2026-01-15")).toBeNull();
  });
});
