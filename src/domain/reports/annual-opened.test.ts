// 本年新开设 and 存量登记 (docs/规则依据.md#开设日期与存量登记): registering an account that already
// existed is not an opening; it counts in the year it really opened, if it says when.
import { describe, expect, it } from "vitest";
import { buildAnnualStats, type AnnualInput } from "./annual";

const yearStart = new Date("2025-12-31T16:00:00.000Z");
const yearEnd = new Date("2026-12-31T16:00:00.000Z");

function stats(accounts: AnnualInput["accounts"], changes: AnnualInput["changes"]) {
  return buildAnnualStats({
    governmentOrgId: "g",
    governmentName: "某县人民政府",
    year: 2026,
    asOf: new Date(yearEnd.getTime() - 1),
    asOfDate: "2026-12-31",
    yearStart,
    yearEnd,
    accounts,
    changes,
    rounds: [],
    inspections: [],
  }).duringYear.opened;
}

describe("opened this year", () => {
  const acc = (accountId: string, extra: Partial<AnnualInput["accounts"][number]> = {}) => ({ accountId, platform: "wechat" as const, level: "county" as const, status: "active" as const, ...extra });

  it("a new account counts in the year its in-use history starts", () => {
    expect(stats([acc("n")], [{ accountId: "n", status: "active", at: "2026-05-01T02:00:00.000Z" }])).toBe(1);
  });

  it("an existing account registered this year with an opening date of 2017 does not count", () => {
    expect(stats([acc("e", { existing: true, openedOn: "2017-03-01" })], [
      { accountId: "e", status: "pending", at: "2026-10-05T02:00:00.000Z" },
      { accountId: "e", status: "active", at: "2017-02-28T16:00:00.000Z" },
    ])).toBe(0);
  });

  it("an existing account that declared no opening date never counts: its registration is not an opening", () => {
    expect(stats([acc("u", { existing: true, openedOn: null })], [{ accountId: "u", status: "active", at: "2026-11-20T02:00:00.000Z" }])).toBe(0);
  });

  it("an existing account (a ledger row) that really opened this year counts in this year", () => {
    expect(stats([acc("l", { existing: true, openedOn: "2026-02-01" })], [{ accountId: "l", status: "active", at: "2026-01-31T16:00:00.000Z" }])).toBe(1);
  });
});
