// Issue 9, point 4: a county's long-standing account (opened 2017) comes in through an `open`
// filing approved by the city. Its obligations and in-use history start at its opening date, not at
// the approval (docs/规则依据.md#开设日期与存量登记): the two-week veto follows its real silence, it
// is not "opened this year", it is in this quarter's sampling population, and its weeks before the
// approval are judged on the evidence (not exempt).
import { beforeAll, describe, expect, it } from "vitest";
import type { JobDeps } from "../jobs/deps";
import { dormancy } from "../jobs/dormancy";
import { makeTestApp, org, token, type TestApp } from "./helpers";

const at = (iso: string) => new Date(iso);
const APPROVAL = at("2026-11-20T02:00:00Z"); // Friday of W47, 10:00 Beijing
const DAY = 86_400_000;

let t: TestApp;
let citySup: string;
let countyOp: string;
let countyId: string;
let oldId: string;
let newId: string;
let oldFiling: any;
let deps: JobDeps;

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-10-05T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  citySup = await token(t, root.token, root.orgId, "supervisor");
  countyId = await org(t, root.token, "某县人民政府", "government", "county", root.orgId);
  countyOp = await token(t, root.token, countyId, "operator");

  // The county files its 2017 account with the city (政府向上一级主管单位备案).
  const old = await t.call(countyOp, "POST", "/api/accounts", { orgId: countyId, platform: "wechat", name: "某县发布", platformId: "gh_county2017", openedOn: "2017-03-01" });
  expect(old.status, JSON.stringify(old.body)).toBe(201);
  expect(old.body.status).toBe("pending");
  oldId = old.body.id;
  // It keeps publishing while the filing waits: one post a week, the last one 22 days before the approval.
  const last = new Date(APPROVAL.getTime() - 22 * DAY);
  const weekly = [3, 2, 1, 0].map((w) => ({ title: `第${4 - w}周`, guid: `old-${w}`, publishedAt: new Date(last.getTime() - w * 7 * DAY).toISOString() }));
  t.clock.now = at("2026-10-30T02:00:00Z");
  const pushed = await t.call(countyOp, "POST", `/api/accounts/${oldId}/posts`, { posts: weekly });
  expect(pushed.body).toEqual({ inserted: 4, duplicates: 0 });

  // A genuinely new account, filed the same day and opened that day: 新开设.
  t.clock.now = at("2026-11-18T02:00:00Z");
  const fresh = await t.call(countyOp, "POST", "/api/accounts", { orgId: countyId, platform: "weibo", name: "某县发布微博", platformId: "county-weibo", openedOn: "2026-11-18" });
  expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
  newId = fresh.body.id;

  t.clock.now = APPROVAL;
  const filings = (await t.call(citySup, "GET", `/api/filings?status=submitted&pageSize=10`)).body.items as any[];
  for (const f of filings) {
    const d = await t.call(citySup, "POST", `/api/filings/${f.id}/decision`, { approve: true });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    if (f.accountId === oldId) oldFiling = d.body;
  }
  deps = { db: t.db, fetchFeed: (async () => { throw new Error("no feeds"); }) as never, feedAllowHosts: [], postWebhook: (async () => ({ ok: true, status: 200 })) as never };
}, 60_000);

describe("opening date of a pre-existing account (存量登记)", () => {
  it("the open filing records 存量登记 for the 2017 account and 新开设 for the new one", async () => {
    expect(oldFiling).toMatchObject({ kind: "open", status: "approved", registration: "existing" });
    const fresh = (await t.call(citySup, "GET", `/api/filings?accountId=${newId}`)).body.items[0];
    expect(fresh).toMatchObject({ kind: "open", registration: "new" });
  });

  it("accepts an explicit registration on open filings only, with the allowed values in Chinese", async () => {
    const bad = await t.call(citySup, "POST", "/api/filings", { kind: "open", accountId: newId, registration: "old" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("存量登记");
    const notOpen = await t.call(citySup, "POST", "/api/filings", { kind: "suspend", accountId: newId, registration: "existing" });
    expect(notOpen.status).toBe(400);
    expect(notOpen.body.error.message).toContain("只有开设备案");
  });

  it("the next dormancy run raises the two-week veto: it had been silent 22 days", async () => {
    t.clock.now = new Date(APPROVAL.getTime() + DAY);
    await dormancy(deps, t.clock.now);
    const alerts = (await t.call(citySup, "GET", `/api/alerts?status=open&pageSize=100`)).body.items as any[];
    expect(alerts.filter((a) => a.accountId === oldId).map((a) => a.kind)).toContain("no_update_14d");
    // The new account, live for a day, is not vetoed.
    expect(alerts.filter((a) => a.accountId === newId).map((a) => a.kind)).not.toContain("no_update_14d");
  });

  it("is not 'opened this year' in the annual statistics; the new account is", async () => {
    const s = (await t.call(citySup, "GET", `/api/reports/annual?governmentOrgId=${countyId}&year=2026`)).body;
    expect(s.accounts).toMatchObject({ total: 2, inUse: 2 });
    expect(s.duringYear).toEqual({ opened: 1, closed: 0, merged: 0 });
    // At the end of 2025 it was already in use (its history starts in 2017).
    const y2025 = (await t.call(citySup, "GET", `/api/reports/annual?governmentOrgId=${countyId}&year=2025`)).body;
    expect(y2025.accounts).toMatchObject({ total: 1, inUse: 1 });
  });

  it("is in this quarter's sampling population (in use at the quarter's start); the new account is not", async () => {
    const r = await t.call(citySup, "POST", "/api/sampling-rounds", { governmentOrgId: countyId, year: 2026, quarter: 4 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.population).toBe(1);
    expect(r.body.items.map((i: any) => i.accountId)).toEqual([oldId]);
  });

  it("its weeks before the approval are judged on the evidence, not exempt", async () => {
    const week = async (w: string) => {
      const c = await t.call(citySup, "GET", `/api/compliance?week=${w}&pageSize=100`);
      expect(c.status, JSON.stringify(c.body)).toBe(200);
      return c.body.items.find((i: any) => i.accountId === oldId);
    };
    // W44 (26 Oct–1 Nov) holds its last post: one of three → below. W46: nothing, pushes are its source → below.
    expect(await week("2026-W44")).toMatchObject({ posts: 1, status: "below" });
    expect(await week("2026-W46")).toMatchObject({ posts: 0, status: "below" });
    // The approval week is a whole week of an account in use since 2017: judged too.
    expect((await week("2026-W47")).status).not.toBe("exempt");
    // Before its first post there is no evidence at all: unknown, not exempt and not below.
    expect((await week("2026-W40")).status).toBe("unknown");
  });
});
