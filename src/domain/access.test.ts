import { describe, expect, it } from "vitest";
import * as access from "./access";
import type { AccessActor, Verdict } from "./access";
import { filingDeciders, type OrgNode } from "./orgs";
import { ROLES, type Role } from "./roles";

// A small tree: 市政府 (city) ⊃ 县政府 (county), 市教育局 (department of the city).
const city: OrgNode = { id: "city", name: "市政府", kind: "government", level: "city", parentId: null };
const county: OrgNode = { id: "county", name: "县政府", kind: "government", level: "county", parentId: "city" };
const dept: OrgNode = { id: "dept", name: "市教育局", kind: "department", level: "city", parentId: "city" };
const index = new Map([city, county, dept].map((o) => [o.id, o]));

const at = (role: Role, org: OrgNode): AccessActor => ({ role, orgId: org.id });

const Y = true;
const N = false;
type Row = [permission: keyof typeof access, situation: string, check: (role: Role) => boolean | Verdict, expected: readonly (boolean | Verdict)[]];

// prettier-ignore
const TABLE: Row[] = [
  //                                                                                                            admin   supervisor operator        viewer
  ["canManageOrgs",          "",                                    (r) => access.canManageOrgs(r),           [Y,      N,         N,              N]],
  ["canManageTokens",        "",                                    (r) => access.canManageTokens(r),         [Y,      N,         N,              N]],
  ["canReadAudit",           "",                                    (r) => access.canReadAudit(r),            [Y,      Y,         N,              N]],
  ["canImportLedger",        "",                                    (r) => access.canImportLedger(r),         [N,      Y,         N,              N]],
  ["canSetPolicy",           "",                                    (r) => access.canSetPolicy(r),            [N,      Y,         N,              N]],
  ["canOrganiseSampling",    "",                                    (r) => access.canOrganiseSampling(r),     [N,      Y,         N,              N]],
  ["canSubmitFiling",        "own org's account",                   (r) => access.canSubmitFiling(at(r, dept), dept.id), ["role", Y, Y,              "role"]],
  ["canSubmitFiling",        "account of an org below",             (r) => access.canSubmitFiling(at(r, city), dept.id), ["role", Y, "own_org_only", "role"]],
  ["canPushPosts",           "own org's account",                   (r) => access.canPushPosts(at(r, dept), dept.id),    ["role", Y, Y,              "role"]],
  ["canPushPosts",           "account of an org below",             (r) => access.canPushPosts(at(r, city), dept.id),    ["role", Y, "own_org_only", "role"]],
  ["canDecideFiling",        "caller's org is the authority",       (r) => access.canDecideFiling(at(r, city), city.id),      [N, Y,     N,              N]],
  ["canDecideFiling",        "authority is another org",            (r) => access.canDecideFiling(at(r, city), county.id),    [N, N,     N,              N]],
  ["canDecideFiling",        "caller's org decides a designated department authority", (r) => access.canDecideFiling(at(r, city), filingDeciders(dept, index)), [N, Y, N, N]],
  ["canDecideFiling",        "the designated department itself",    (r) => access.canDecideFiling(at(r, dept), filingDeciders(dept, index)),   [N, Y,     N,              N]],
  ["canDecideFiling",        "a government authority: not the one above", (r) => access.canDecideFiling(at(r, city), filingDeciders(county, index)), [N, N, N,        N]],
  ["canRegisterDirectly",    "caller's org is the authority",       (r) => access.canRegisterDirectly(at(r, city), city.id),  [N, Y,     N,              N]],
  ["canRegisterDirectly",    "authority is another org",            (r) => access.canRegisterDirectly(at(r, county), city.id), [N, N,    N,              N]],
  ["canManageWebhooks",      "own org",                             (r) => access.canManageWebhooks(at(r, dept), dept.id),    [Y, Y,     Y,              N]],
  ["canManageWebhooks",      "an org below",                        (r) => access.canManageWebhooks(at(r, city), dept.id),    [Y, Y,     N,              N]],
  ["canHandleAlert",         "own org's account",                   (r) => access.canHandleAlert(at(r, dept), dept.id),       [N, Y,     Y,              N]],
  ["canHandleAlert",         "account of an org below",             (r) => access.canHandleAlert(at(r, city), dept.id),       [N, Y,     N,              N]],
  ["canRecordRectification", "own org's account",                   (r) => access.canRecordRectification(at(r, dept), dept.id), [N, Y,   Y,              N]],
  ["canRecordRectification", "account of an org below",             (r) => access.canRecordRectification(at(r, city), dept.id), [N, Y,   N,              N]],
  ["canDrawSamplingRound",   "unit is the caller's own government", (r) => access.canDrawSamplingRound(at(r, county), county, index), [N, Y, N,           N]],
  ["canDrawSamplingRound",   "unit lies below the caller",          (r) => access.canDrawSamplingRound(at(r, city), county, index),   [N, Y, N,           N]],
  ["canDrawSamplingRound",   "unit lies above the caller",          (r) => access.canDrawSamplingRound(at(r, county), city, index),   [N, N, N,           N]],
  ["canDrawSamplingRound",   "caller's org is unknown",             (r) => access.canDrawSamplingRound({ role: r, orgId: "gone" }, county, index), [N, N, N, N]],
  ["canRecordInspection",    "unit is the caller's own government", (r) => access.canRecordInspection(at(r, county), county, index), [N, Y, N,           N]],
  ["canRecordInspection",    "unit lies below the caller",          (r) => access.canRecordInspection(at(r, city), county, index),   [N, Y, N,           N]],
  ["canRecordInspection",    "unit lies above the caller",          (r) => access.canRecordInspection(at(r, county), city, index),   [N, N, N,           N]],
];

const COLUMNS: readonly Role[] = ["admin", "supervisor", "operator", "viewer"];

describe("access table", () => {
  it("has one column per role", () => {
    expect([...COLUMNS].sort()).toEqual([...ROLES].sort());
  });

  it("covers every permission access.ts defines", () => {
    const defined = Object.keys(access).filter((k) => k.startsWith("can"));
    expect(new Set(TABLE.map(([p]) => p))).toEqual(new Set(defined));
  });

  for (const [permission, situation, check, expected] of TABLE) {
    for (const [i, role] of COLUMNS.entries()) {
      const want = expected[i];
      it(`${permission}${situation ? ` (${situation})` : ""}: ${role} → ${want === true ? "allowed" : want === false ? "refused" : `refused (${want})`}`, () => {
        expect(check(role)).toBe(want);
      });
    }
  }
});
