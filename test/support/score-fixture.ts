// A city with two owning units under it (甲局, 乙局), four accounts, a Q4 2026 round and inspections
// whose unit scores are computed by hand in test/scores.test.ts. Shared with test/publishing.test.ts.
import { expect } from "vitest";
import { toCsv } from "../../src/lib/csv";
import { makeTestApp, org, token, type TestApp } from "../helpers";

export const PHONE = "13800000000";

export interface ScoreFixture {
  t: TestApp;
  admin: string;
  sup: string;
  operator: string;
  cityId: string;
  jiaId: string;
  yiId: string;
  ids: Record<string, string>;
}

export async function scoreFixture(): Promise<ScoreFixture> {
  const t = await makeTestApp({ at: "2026-09-20T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  const cityId = root.orgId;
  const jiaId = await org(t, root.token, "甲局", "department", "city", cityId);
  const yiId = await org(t, root.token, "乙局", "department", "city", cityId);
  const sup = await token(t, root.token, cityId, "supervisor");
  const operator = await token(t, root.token, yiId, "operator");

  const ledger = [
    ["A1", "甲局微信", "微信公众号", "a1", "甲局"],
    ["A2", "甲局微博", "微博", "a2", "甲局"],
    ["B1", "乙局微信", "微信公众号", "b1", "乙局"],
    ["B2", "乙局微博", "微博", "b2", "乙局"],
  ];
  const csv = toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期", "联系人", "联系电话"], ...ledger.map(([, ...rest]) => [...rest, "2024-01-01", "张三", PHONE])]);
  const imp = await t.call(sup, "POST", "/api/accounts/import", csv, { "content-type": "text/csv" });
  expect(imp.status, JSON.stringify(imp.body)).toBe(200);
  const list = await t.call(sup, "GET", "/api/accounts?pageSize=500");
  const ids: Record<string, string> = {};
  for (const [code, name] of ledger) ids[code!] = list.body.items.find((a: any) => a.name === name).id;
  // The phone number is really stored: the public page must leave it out, not merely never have it.
  expect(JSON.stringify((await t.call(sup, "GET", `/api/accounts/${ids.B1}`)).body)).toContain(PHONE);

  // Q4: nobody sampled yet this year, so every account of the city (its departments included) is drawn.
  t.clock.now = new Date("2026-10-01T02:00:00Z");
  const round = await t.call(sup, "POST", "/api/sampling-rounds", { governmentOrgId: cityId, year: 2026, quarter: 4 });
  expect(round.status, JSON.stringify(round.body)).toBe(201);
  expect(round.body.items).toHaveLength(4);

  // 乙局微博 posts once a week (a Tuesday) in the six complete weeks from 2026-10-05 to 2026-11-15:
  // below 微博's default minimum of 3 every week.
  for (const day of ["2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10"]) {
    t.clock.now = new Date(`${day}T04:00:00Z`);
    const p = await t.call(sup, "POST", `/api/accounts/${ids.B2}/posts`, { posts: [{ title: `乙局微博${day}`, publishedAt: `${day}T10:00:00+08:00` }] });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
  }

  t.clock.now = new Date("2026-11-12T02:00:00Z");
  const record = async (code: string, body: Record<string, unknown>) => {
    const r = await t.call(sup, "POST", `/api/sampling-rounds/${round.body.id}/inspections`, { accountId: ids[code], inspectedOn: "2026-11-12", ...body });
    expect(r.status, `${code}: ${JSON.stringify(r.body)}`).toBe(200);
  };
  await record("A1", { result: "fail", problems: ["typos", "bad_links"], requirement: "更正错别字，修复链接", deadline: "2026-12-31" });
  await record("A2", { result: "fail", problems: ["typos", "owner_mismatch"], requirement: "更正错别字，变更认证主体", deadline: "2026-12-31" });
  await record("B1", { result: "fail", problems: ["interaction_broken"], requirement: "恢复留言功能", deadline: "2026-12-31" });
  await record("B2", { result: "pass" });

  // An open 两周未更新 alert on 乙局微信, as the weekly assessment would have left it.
  await t.client.execute({
    sql: "INSERT INTO alerts (id, account_id, org_id, kind, status, message, opened_at, last_seen_at) VALUES (?, ?, ?, 'no_update_14d', 'open', '两周未更新', ?, ?)",
    args: ["alert-b1", ids.B1!, yiId, "2026-11-10T00:00:00Z", "2026-11-10T00:00:00Z"],
  });

  // The notice is read on Friday 2026-11-20: the week of 11-16 is not over, so not judged.
  t.clock.now = new Date("2026-11-20T02:00:00Z");
  return { t, admin: root.token, sup, operator, cityId, jiaId, yiId, ids };
}
