// A subtree round (全辖区抽查): a city with its own departments and 3 counties (with townships), policy
// samplingRate 12% at the city, draws 12% of every in-use account under it, reproducibly; the city's
// own round still covers only its own sampling unit; one round per government and quarter.
import { beforeAll, describe, expect, it } from "vitest";
import { quarterlySampling } from "../../jobs/quarterly-sampling";
import { PROBLEM_CATEGORIES, PROBLEM_LABELS } from "../../src/domain/inspection";
import { draw } from "../../src/domain/sampling";
import { toCsv } from "../../src/lib/csv";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { makeTestApp, org, token, type TestApp } from "../helpers";

let t: TestApp;
let admin: string;
let sup: string;
let cityId: string;
/** Which sampling unit (city or county) each account belongs to. */
const unitOf = new Map<string, string>();
const countyIds: string[] = [];
let round: any;

async function importAccounts(rows: string[][]) {
  const r = await t.call(sup, "POST", "/api/accounts/import", toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...rows]), { "content-type": "text/csv" });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const platforms = ["微信公众号", "微博", "抖音", "今日头条", "移动客户端"];
const rowsFor = (prefix: string, owner: string, n: number, opened = "2025-06-01") =>
  Array.from({ length: n }, (_, i) => [`${prefix}账号${i}`, platforms[i % platforms.length]!, `${prefix}-${i}`, owner, opened]);

beforeAll(async () => {
  t = await makeTestApp({ at: "2025-12-20T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  admin = root.token;
  cityId = root.orgId;
  sup = await token(t, admin, cityId, "supervisor");
  await org(t, admin, "某市教育局", "department", "city", cityId);
  await importAccounts([...rowsFor("市府", "某市人民政府", 4), ...rowsFor("市教育", "某市教育局", 6)]);
  for (const [name, gov, dept, town] of [
    ["甲县", 8, 4, 8],
    ["乙县", 10, 6, 14],
    ["丙县", 14, 10, 16],
  ] as const) {
    const id = await org(t, admin, `${name}人民政府`, "government", "county", cityId);
    countyIds.push(id);
    await org(t, admin, `${name}卫健局`, "department", "county", id);
    await org(t, admin, `${name}城关镇人民政府`, "government", "township", id);
    await importAccounts([...rowsFor(`${name}府`, `${name}人民政府`, gov), ...rowsFor(`${name}卫健`, `${name}卫健局`, dept), ...rowsFor(`${name}城关镇`, `${name}城关镇人民政府`, town)]);
  }
  // Opened after the quarter's start: not in the Q1 population.
  t.clock.now = new Date("2026-02-10T02:00:00Z");
  await importAccounts(rowsFor("丙县新", "丙县人民政府", 2, "2026-02-01"));

  const all = (await t.call(sup, "GET", "/api/accounts?pageSize=500")).body.items;
  const orgsList = (await t.call(admin, "GET", "/api/orgs?pageSize=500")).body.items;
  const unitOfOrg = (orgId: string): string => {
    const o = orgsList.find((x: any) => x.id === orgId);
    return o.id === cityId || countyIds.includes(o.id) ? o.id : unitOfOrg(o.parentId);
  };
  for (const a of all) unitOf.set(a.id, unitOfOrg(a.orgId));
  expect(unitOf.size).toBe(102);

  const p = await t.call(sup, "POST", "/api/policies", { orgId: cityId, key: "samplingRate", value: 0.12, effectiveFrom: "2026-01-01" });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
});

describe("subtree round (全辖区抽查) at 12%", () => {
  it("draws ceil(12% × N) from every in-use account under the city, across several counties", async () => {
    t.clock.now = new Date("2026-03-01T02:00:00Z");
    const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 1, scope: "subtree" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    round = r.body;
    expect(round).toMatchObject({ scope: "subtree", population: 100, rate: 0.12, sampleSize: 12, minimumByRate: 12, minimumForCoverage: 0, rechecks: 0 });
    expect(round.items).toHaveLength(12);
    expect(new Set(round.items.map((i: any) => i.accountId)).size).toBe(12);
    for (const i of round.items) {
      expect(unitOf.has(i.accountId)).toBe(true);
      expect(i.accountName.startsWith("丙县新")).toBe(false);
      expect(i.reason).toBe("not_sampled_this_year");
    }
    const units = new Set(round.items.map((i: any) => unitOf.get(i.accountId)));
    expect(units.size).toBeGreaterThanOrEqual(2);
    expect([...units].some((u) => countyIds.includes(u as string))).toBe(true);
  });

  it("verify matches, and the draw recomputed from the stored population and seed is the same list", async () => {
    const v = await t.call(sup, "GET", `/api/sampling-rounds/${round.id}/verify`);
    expect(v.body).toMatchObject({ matches: true, differences: [] });
    expect(v.body.inputs).toMatchObject({ scope: "subtree", rate: 0.12, quarter: 1, seed: round.seed });
    expect(v.body.inputs.population).toHaveLength(100);
    const again = draw({ ...v.body.inputs, quarter: 1 });
    expect(again.items.map((i) => i.accountId)).toEqual(round.items.map((i: any) => i.accountId));
    // The scope is part of the input: as an own round the coverage minimum (⌈100/4⌉ = 25) would apply.
    expect(draw({ ...v.body.inputs, quarter: 1, scope: "own" }).sampleSize).toBe(25);
    // A stored scope changed after the fact is caught.
    await t.client.execute({ sql: "UPDATE sampling_rounds SET scope = 'own' WHERE id = ?", args: [round.id] });
    expect((await t.call(sup, "GET", `/api/sampling-rounds/${round.id}/verify`)).body.matches).toBe(false);
    await t.client.execute({ sql: "UPDATE sampling_rounds SET scope = 'subtree' WHERE id = ?", args: [round.id] });
  });

  it("one round per government and quarter: the same request returns it, an own round is refused in Chinese", async () => {
    const same = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 1, scope: "subtree" });
    expect(same.status).toBe(200);
    expect(same.body.id).toBe(round.id);
    const own = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 1 });
    expect(own.status).toBe(409);
    expect(own.body.error.message).toContain("全辖区");
    expect(own.body.error.message).toContain("每季度只抽查一轮");
    const bad = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 1, scope: "all" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("a county supervisor cannot draw the city's subtree round", async () => {
    const countySup = await token(t, admin, countyIds[0]!, "supervisor");
    const r = await t.call(countySup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 2, scope: "subtree" });
    expect(r.status).toBe(404);
  });

  it("the quarterly job draws own rounds for the counties and counts the city's subtree round as its round", async () => {
    const deps = { db: t.db, fetchFeed: createGuardedFetch([]), feedAllowHosts: [], postWebhook: createGuardedPost([]) };
    const r = await quarterlySampling(deps, new Date("2026-03-01T02:00:00Z"));
    expect(r).toMatchObject({ units: 4, created: 3, existing: 1 });
    const list = await t.call(sup, "GET", "/api/sampling-rounds?year=2026&quarter=1&scope=own");
    expect(list.body.total).toBe(3);
    expect(list.body.items.every((x: any) => countyIds.includes(x.governmentOrgId))).toBe(true);
  });

  it("an own round of the city draws only the city's own sampling unit", async () => {
    t.clock.now = new Date("2026-04-02T02:00:00Z");
    const r = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 2 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ scope: "own", population: 10, rate: 0.12 });
    expect(r.body.items.length).toBeGreaterThan(0);
    for (const i of r.body.items) expect(unitOf.get(i.accountId)).toBe(cityId);
    expect((await t.call(sup, "GET", `/api/sampling-rounds/${r.body.id}/verify`)).body.matches).toBe(true);
  });

  it("a failure found by the city's subtree round is re-checked by the county's own round next quarter", async () => {
    const item = round.items.find((i: any) => countyIds.includes(unitOf.get(i.accountId)!));
    const countyId = unitOf.get(item.accountId)!;
    t.clock.now = new Date("2026-03-05T02:00:00Z");
    const f = await t.call(sup, "POST", `/api/sampling-rounds/${round.id}/inspections`, {
      accountId: item.accountId,
      result: "不合格",
      problems: ["stale_2w"],
      deadline: "2026-03-20",
      inspectedOn: "2026-03-05",
    });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    t.clock.now = new Date("2026-04-03T02:00:00Z");
    const q2 = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: countyId, year: 2026, quarter: 2 });
    expect(q2.status).toBe(201);
    expect(q2.body.items[0]).toMatchObject({ accountId: item.accountId, reason: "recheck", position: 1 });
    expect(q2.body.rechecks).toBe(1);
    expect((await t.call(sup, "GET", `/api/sampling-rounds/${q2.body.id}/verify`)).body.matches).toBe(true);
  });

  it("the export prints the scope on its header lines", async () => {
    const csv = await t.call(sup, "GET", `/api/sampling-rounds/${round.id}/export.csv`);
    const text = new TextDecoder().decode(new Uint8Array(await csv.res.arrayBuffer()));
    expect(text).toContain("抽查范围：全辖区");
    expect(text).toContain("抽查比例：12%");
    expect(text).toContain("抽取数量：12");
  });

  it("the OpenAPI contract documents scope, the recheck reason and every problem code with its label", async () => {
    const doc = (await t.call(null, "GET", "/api/openapi.json")).body;
    const schemas = doc.components.schemas;
    expect(schemas.CreateSamplingRound.properties.scope.enum).toEqual(["own", "subtree"]);
    expect(schemas.CreateSamplingRound.properties.scope.description).toContain("全辖区");
    expect(schemas.SamplingRound.properties.scope.enum).toEqual(["own", "subtree"]);
    expect(JSON.stringify(schemas.SamplingRound)).toContain("recheck 复查");
    const problems = schemas.RecordInspection.properties.problems.description as string;
    for (const c of PROBLEM_CATEGORIES) expect(problems).toContain(`${c} ${PROBLEM_LABELS[c]}`);
  });
});
