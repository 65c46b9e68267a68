// What the list pages need from the API: errors a clerk can read (labels, not keys; 该日期不存在),
// account sorting, the alerts' platform filter and bulk 知悉, and a week's results as a file.
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let admin = "";
let sup = "";
let countyOp = "";
let rootId = "";
let edu = "";
let county = "";
const ids: Record<string, string> = {};

async function alert(id: string, accountId: string, orgId: string, kind = "no_update_14d") {
  await t.client.execute({
    sql: "INSERT INTO alerts (id, account_id, org_id, kind, status, message, opened_at, last_seen_at) VALUES (?, ?, ?, ?, 'open', '两周未更新', ?, ?)",
    args: [id, accountId, orgId, kind, "2026-11-20T00:00:00.000Z", "2026-11-20T00:00:00.000Z"],
  });
}

beforeAll(async () => {
  t = await makeTestApp();
  const root = await t.bootstrap("某市人民政府", "city");
  admin = root.token;
  rootId = root.orgId;
  edu = await org(t, admin, "市教育局", "department", "city", rootId);
  county = await org(t, admin, "某县人民政府", "government", "county", rootId);
  sup = await token(t, admin, rootId, "supervisor");
  countyOp = await token(t, admin, county, "operator");
  const make = async (key: string, orgId: string, platform: string, name: string, openedOn?: string) => {
    const r = await t.call(sup, "POST", "/api/accounts", { orgId, platform, name, platformId: `${key}-id`, openedOn });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[key] = r.body.id;
  };
  await make("b", edu, "weibo", "乙账号", "2020-05-01");
  await make("a", edu, "wechat", "甲账号", "2022-05-01");
  await make("c", county, "douyin", "=HYPERLINK(\"http://x\")", "2021-05-01");
  await alert("al-a", ids.a!, edu);
  await alert("al-b", ids.b!, edu);
  await alert("al-c", ids.c!, county);
});

describe("errors a clerk can read", () => {
  it("names fields by label and answers 该日期不存在 for a day the calendar lacks", async () => {
    const r = await t.call(sup, "POST", "/api/accounts", { orgId: edu, platform: "wechat", name: "x", openedOn: "2021-02-30" });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("validation_error");
    expect(r.body.error.message).toContain("该日期不存在");
    expect(r.body.error.message).toContain("开设日期");
    expect(r.body.error.message).not.toContain("openedOn");
    expect(r.body.error.details[0]).toMatchObject({ path: "openedOn", label: "开设日期" });
    // A malformed one is told the shape instead.
    const shape = await t.call(sup, "POST", "/api/accounts", { orgId: edu, platform: "wechat", name: "x", openedOn: "2021/02/03" });
    expect(shape.body.error.message).toContain("2026-11-23");

    const typed = await t.call(sup, "POST", "/api/accounts", { orgId: edu, platform: "wechat", name: 42 });
    expect(typed.body.error.message).toBe("请求参数有误：名称：应为文字");
    const missing = await t.call(sup, "POST", "/api/accounts", { orgId: edu, platform: "wechat" });
    expect(missing.body.error.message).toMatch(/^请求参数有误：名称：必填/);
    // A message that names its field already is not prefixed with the key (was "note 驳回时须填写审核意见").
    const filing = await t.call(sup, "GET", "/api/filings?status=approved");
    const reject = await t.call(sup, "POST", `/api/filings/${filing.body.items[0].id}/decision`, { approve: false, note: "" });
    expect(reject.body.error.message).toBe("请求参数有误：驳回时须填写审核意见");
  });

  it("shows stored instants in messages as Beijing time", async () => {
    const { beijingTimes } = await import("../src/lib/create-app");
    expect(beijingTimes("该备案已于 2026-12-01T19:45:36.007Z 审核（已批准）")).toBe("该备案已于 2026-12-02 03:45 审核（已批准）");
  });
});

describe("account list", () => {
  it("sorts by a chosen column either way, the ledger order breaking ties", async () => {
    const names = async (q: string) => (await t.call(sup, "GET", `/api/accounts?${q}`)).body.items.map((a: { name: string }) => a.name);
    expect(await names("sort=openedOn")).toEqual(["乙账号", "=HYPERLINK(\"http://x\")", "甲账号"]);
    expect(await names("sort=openedOn&order=desc")).toEqual(["甲账号", "=HYPERLINK(\"http://x\")", "乙账号"]);
    expect(await names(`sort=platform&orgId=${edu}`)).toEqual(["甲账号", "乙账号"]); // wechat < weibo
    const bad = await t.call(sup, "GET", "/api/accounts?sort=secret");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("排序");
  });
});

describe("alerts", () => {
  it("filters by the account's platform", async () => {
    const r = await t.call(sup, "GET", "/api/alerts?platform=weibo");
    expect(r.body.items.map((a: { id: string }) => a.id)).toEqual(["al-b"]);
    expect(r.body.items[0].platform).toBe("weibo");
    expect((await t.call(sup, "GET", "/api/alerts?platform=myspace")).status).toBe(400);
  });

  it("acknowledges several in one post, all or nothing, each audited", async () => {
    const tooMany = await t.call(sup, "POST", "/api/alerts/acknowledge", { ids: Array.from({ length: 201 }, (_, i) => `x${i}`), note: "n" });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain("200");
    expect((await t.call(sup, "POST", "/api/alerts/acknowledge", { ids: [], note: "n" })).status).toBe(400);
    // Another county's alert is not there for this operator: nothing changes.
    const foreign = await t.call(countyOp, "POST", "/api/alerts/acknowledge", { ids: ["al-c", "al-a"], note: "看过" });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toContain("不存在或无权访问");
    expect((await t.call(sup, "GET", "/api/alerts?status=open")).body.total).toBe(3);

    const auditBefore = Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'alert.acknowledge'")).rows[0]!.n);
    const ok = await t.call(sup, "POST", "/api/alerts/acknowledge", { ids: ["al-a", "al-b", "al-a"], note: "已安排" });
    expect(ok.status).toBe(200);
    expect(ok.body.acknowledged).toBe(2);
    const auditAfter = Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'alert.acknowledge'")).rows[0]!.n);
    expect(auditAfter - auditBefore).toBe(2);
    const acked = await t.call(sup, "GET", "/api/alerts?status=acknowledged");
    expect(acked.body.items.map((a: { id: string; note: string }) => [a.id, a.note]).sort()).toEqual([["al-a", "已安排"], ["al-b", "已安排"]]);

    // Already acknowledged: refused as the single 知悉 would be, and the open one stays open.
    const again = await t.call(sup, "POST", "/api/alerts/acknowledge", { ids: ["al-a", "al-c"], note: "再看" });
    expect(again.status).toBe(409);
    expect((await t.call(sup, "GET", "/api/alerts?status=open")).body.items.map((a: { id: string }) => a.id)).toEqual(["al-c"]);
  });
});

describe("compliance export", () => {
  it("gives the week's rows as CSV, formula-safe, and as XLSX", async () => {
    const csv = await t.app.request("/api/compliance/export.csv?week=2026-W47", { headers: { authorization: `Bearer ${sup}` } });
    expect(csv.status).toBe(200);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // The UTF-8 BOM, so Excel/WPS read Chinese.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("周,起止日期,账号名称,平台");
    expect(text).toContain("2026-11-16 至 2026-11-22");
    expect(text).toContain("甲账号");
    expect(text).toContain("'=HYPERLINK");
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const weibo = await (await t.app.request("/api/compliance/export.csv?week=2026-W47&platform=weibo", { headers: { authorization: `Bearer ${sup}` } })).text();
    expect(weibo).toContain("乙账号");
    expect(weibo).not.toContain("甲账号");
    // The county operator's export holds only its own accounts.
    const own = await (await t.app.request("/api/compliance/export.csv?week=2026-W47", { headers: { authorization: `Bearer ${countyOp}` } })).text();
    expect(own).not.toContain("甲账号");
    const xlsx = await t.app.request("/api/compliance/export.xlsx?week=2026-W47", { headers: { authorization: `Bearer ${sup}` } });
    expect(xlsx.status).toBe(200);
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    const bad = await t.call(sup, "GET", "/api/compliance/export.csv?week=2026-W99");
    expect(bad.status).toBe(400);
  });
});

describe("pages that post", () => {
  const page = (path: string, init: RequestInit = {}) =>
    t.app.request(path, { ...init, headers: { cookie: `gm_token=${sup}`, ...(init.headers as Record<string, string>) } });

  it("re-renders the registration with what was typed and 该日期不存在 beside 开设日期", async () => {
    const body = new URLSearchParams({ orgId: edu, platform: "weibo", name: "保留<b>的\"名称😀", platformId: "keep-1", openedOn: "2021-02-30" });
    const res = await page("/accounts/new", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString() });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<div class="field-err" id="f-openedOn-err" role="alert">开设日期：该日期不存在<\/div>/);
    expect(html).toContain('value="保留&lt;b&gt;的&quot;名称😀"');
    expect(html).toContain('value="keep-1"');
    expect(html).toMatch(/<option value="weibo" selected="">/);
    expect((await t.call(sup, "GET", "/api/accounts?q=keep-1")).body.total).toBe(0);
  });

  it("imports in upsert mode and says what would be created, updated and filed", async () => {
    const csv = "账号名称,平台,账号ID,主办单位,联系电话\r\n甲账号,微信公众号,a-id,市教育局,0391-1234567\r\n新账号,微博,new-id,市教育局,\r\n";
    const form = new FormData();
    form.append("file", new File([csv], "台账.csv", { type: "text/csv" }));
    form.append("dryRun", "true");
    form.append("mode", "upsert");
    const res = await page("/import", { method: "POST", body: form });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("将新建 1");
    expect(html).toContain("将更新 1");
    expect(html).toContain("联系电话");
    expect(html).toContain(`/accounts/${ids.a}`);
    const get = await (await page("/import")).text();
    expect(get).toContain('value="upsert"');
    expect(get).toContain("/download/accounts/import-template.xlsx");
    const template = await page("/download/accounts/import-template.xlsx");
    expect(template.status).toBe(200);
  });
});
