// Ledger import in upsert mode (更新模式) and the export round-trip: an office's own ledger files (GBK
// CSV with a title row, XLSX with title rows and hyperlinks), 运维方式/运维单位, 小程序 accounts.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultWeeklyMinimum } from "../src/domain/platforms";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let sup: string;
let townSup: string;
let townId: string;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

beforeAll(async () => {
  t = await makeTestApp();
  const root = await t.bootstrap("某县政府", "county");
  await org(t, root.token, "县公安局", "department", "county", root.orgId);
  await org(t, root.token, "县教育局", "department", "county", root.orgId);
  townId = await org(t, root.token, "城关镇", "government", "township", root.orgId);
  sup = await token(t, root.token, root.orgId, "supervisor");
  townSup = await token(t, root.token, townId, "supervisor");
});

const upload = (body: string | Uint8Array, q: string, type = "text/csv", who = sup) =>
  t.call(who, "POST", `/api/accounts/import?${q}`, body, { "content-type": type });

/**
 * The import without the harness's "every mutation writes an audit row" check: an upsert that
 * changes nothing must write none.
 */
async function uploadRaw(body: string | Uint8Array, q: string, type = "text/csv") {
  const res = await t.app.request(`/api/accounts/import?${q}`, {
    method: "POST",
    body: body as BodyInit,
    headers: { authorization: `Bearer ${sup}`, "content-type": type },
  });
  return { status: res.status, body: await res.json() };
}

/** GBK bytes for a text, from the decoder's own table (Node has no GBK encoder). */
function gbk(text: string): Uint8Array {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder("gbk");
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (ch.length === 1 && ch !== "\uFFFD" && !table.has(ch)) table.set(ch, [a, b]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else out.push(...table.get(ch)!);
  }
  return new Uint8Array(out);
}

async function n(sql: string) {
  return Number((await t.client.execute(sql)).rows[0]!.n);
}
const counts = async () => ({
  accounts: await n("SELECT count(*) AS n FROM accounts"),
  audit: await n("SELECT count(*) AS n FROM audit_log"),
  filings: await n("SELECT count(*) AS n FROM filings"),
});

async function byPlatformId(platformId: string) {
  const r = await t.client.execute({ sql: "SELECT * FROM accounts WHERE platform_id = ?", args: [platformId] });
  return r.rows[0] as Record<string, unknown> | undefined;
}

async function exported(kind: "csv" | "xlsx"): Promise<Uint8Array> {
  const res = await t.call(sup, "GET", `/api/accounts/export.${kind}`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.res.arrayBuffer());
}

const HEADER = ["序号", "主办单位", "账号名称", "平台类型", "账号类型", "微信号/账号ID", "认证主体", "开设时间", "运维方式", "运营单位", "负责人", "联系电话", "备注"];

describe("运维方式, 运维单位 and 小程序 in an office's ledger", () => {
  it("imports a GBK CSV with a title row, keeping 运维方式/运维单位 and 小程序 rows", async () => {
    const csv = [
      "某县政务新媒体账号台账（2026年11月）,,,,,,,,,,,,",
      HEADER.join(","),
      "1,某县政府,某县发布,微信服务号,服务号,gh_up_01,某县人民政府办公室,2019年3月5日,自行运维,,张三,0427-2800001,",
      "2,县公安局,平安某县,新浪微博,政务微博,wb_up_02,某县公安局,2018-06-01,委托第三方运维,某某网络科技有限公司,李四,0427-2800002,",
      "3,县教育局,某县教育服务,微信小程序,,mp_up_03,县教育局,2022/1/2,委托第三方运维,某某软件公司,王五,13800000003,小程序",
      "4,某县政府,某县APP,政务APP,客户端,,某县人民政府,,自行运维,,赵六,,",
      "5,城关镇,城关发布,微信订阅号,,gh_up_05,某县城关镇人民政府,2021.5.6,,,钱七,0427-2800005,",
      "",
    ].join("\r\n");
    const res = await upload(gbk(csv), "dryRun=false");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ mode: "create", total: 5, imported: 5, created: 5, errors: [], ignoredColumns: ["序号", "备注"] });
    expect(await byPlatformId("wb_up_02")).toMatchObject({ operation_mode: "委托第三方运维", operator: "某某网络科技有限公司" });
    expect(await byPlatformId("mp_up_03")).toMatchObject({ platform: "miniprogram", account_type: null, status: "active", operator: "某某软件公司" });
    // 小程序 is one of the "other" platforms: at least once a week (鹤政办〔2019〕20号第十二条).
    expect(defaultWeeklyMinimum("miniprogram")).toBe(1);
    const list = await t.call(sup, "GET", "/api/accounts?platform=miniprogram");
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ name: "某县教育服务", operationMode: "委托第三方运维", operator: "某某软件公司" });
  });

  it("registers 运维方式/运维单位 through POST /api/accounts, bounded like the other text fields", async () => {
    const orgs = (await t.call(sup, "GET", "/api/orgs")).body;
    const police = (orgs.items ?? orgs).find((o: { name: string }) => o.name === "县公安局");
    const ok = await t.call(sup, "POST", "/api/accounts", {
      orgId: police.id,
      platform: "miniprogram",
      name: "某县公安服务",
      platformId: "mp_api_01",
      // Starts with "+": the CSV export guards it as '+86 …, and the import must read it back as written.
      contactPhone: "+86 0427-2800007",
      operationMode: "委托第三方运维",
      operator: "某某网络科技有限公司",
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ platform: "miniprogram", operationMode: "委托第三方运维", operator: "某某网络科技有限公司" });
    const long = await t.call(sup, "POST", "/api/accounts", { orgId: police.id, platform: "weibo", name: "某号", operator: "单".repeat(101) });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain("运维单位不能超过100个字");
  });

  it("lists 运维方式 and 运维单位 in the import template", async () => {
    const res = await t.app.request("/api/accounts/import-template.xlsx", { headers: { authorization: `Bearer ${sup}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const header = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(["运维方式", "运维单位", "认证主体"]));
    expect(header).not.toContain("状态");
  });
});

describe("upsert import", () => {
  it("round-trips an unedited CSV export: nothing created, updated or filed; no audit rows", async () => {
    // A closed account is in the export too (状态 已关停): it must not come back as a new account.
    const closing = await byPlatformId("gh_up_05");
    const f = await t.call(sup, "POST", "/api/filings", { kind: "close", accountId: closing!.id, reason: "机构调整", completed: true });
    expect(f.status, JSON.stringify(f.body)).toBe(201);
    expect((await t.call(sup, "POST", `/api/filings/${f.body.id}/decision`, { approve: true, note: "同意" })).status).toBe(200);

    const bytes = await exported("csv");
    const text = new TextDecoder().decode(bytes);
    expect(text.split("\r\n")[0]).toBe("账号名称,平台,账号ID,主办单位,链接,订阅地址,开设日期,运维人员,联系电话,账号类型,认证主体,运维方式,运维单位,状态,风险提示");
    expect(text).toContain("已关停");
    expect(text).toContain("'+86 0427-2800007");
    const rows = text.split("\r\n").filter(Boolean).length - 1;
    expect(rows).toBe(6);

    const before = await counts();
    const res = await uploadRaw(bytes, "mode=upsert");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ mode: "upsert", total: rows, valid: rows, imported: 0, created: 0, updated: 0, unchanged: rows, filed: [], updates: [], errors: [] });
    expect(res.body.ignoredColumns).toEqual(["风险提示"]);
    expect(await counts()).toEqual(before);
  });

  it("round-trips an unedited XLSX export the same way", async () => {
    const before = await counts();
    const res = await uploadRaw(await exported("xlsx"), "mode=upsert", XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ total: 6, created: 0, updated: 0, unchanged: 6, filed: [], errors: [] });
    expect(await counts()).toEqual(before);
  });

  it("applies one edited phone (audited) and files one edited name (unchanged until decided); a dry run writes nothing", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exported("xlsx")) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (h: string) => header.indexOf(h) + 1;
    let phoneRow = 0;
    let nameRow = 0;
    ws.eachRow((r, i) => {
      if (r.getCell(col("账号ID")).text === "wb_up_02") phoneRow = i;
      if (r.getCell(col("账号ID")).text === "gh_up_01") nameRow = i;
    });
    ws.getRow(phoneRow).getCell(col("联系电话")).value = "0427-2899999";
    ws.getRow(nameRow).getCell(col("账号名称")).value = "某县政府发布";
    const edited = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const police = await byPlatformId("wb_up_02");
    const county = await byPlatformId("gh_up_01");

    const before = await counts();
    const dry = await upload(edited, "mode=upsert&dryRun=true", XLSX);
    expect(dry.body).toMatchObject({ dryRun: true, created: 0, updated: 1, unchanged: 4, errors: [] });
    expect(dry.body.updates).toEqual([{ row: phoneRow, accountId: police!.id, fields: ["contactPhone"] }]);
    expect(dry.body.filed).toEqual([{ row: nameRow, accountId: county!.id, filingId: null, changes: { name: "某县政府发布" } }]);
    expect(await counts()).toEqual(before);

    const res = await upload(edited, "mode=upsert", XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, created: 0, updated: 1, unchanged: 4, imported: 0, errors: [] });
    const filingId = res.body.filed[0].filingId as string;
    expect(filingId).toBeTruthy();
    expect(await byPlatformId("wb_up_02")).toMatchObject({ contact_phone: "0427-2899999" });
    expect(await byPlatformId("gh_up_01")).toMatchObject({ name: "某县发布" });
    const audit = await t.client.execute({
      sql: "SELECT before, after FROM audit_log WHERE action = 'account.import_update' AND entity_id = ?",
      args: [police!.id as string],
    });
    expect(audit.rows).toHaveLength(1);
    expect(JSON.parse(String(audit.rows[0]!.before))).toEqual({ contactPhone: "0427-2800002" });
    expect(JSON.parse(String(audit.rows[0]!.after))).toEqual({ contactPhone: "0427-2899999" });
    const filing = (await t.call(sup, "GET", `/api/filings/${filingId}`)).body;
    expect(filing).toMatchObject({ kind: "change", status: "submitted", accountId: county!.id, changes: { name: "某县政府发布" } });
    expect(await counts()).toMatchObject({ accounts: before.accounts, filings: before.filings + 1 });

    // The same file again while that filing waits: the name row is refused with the reason, nothing written.
    const again = await upload(edited, "mode=upsert&dryRun=true", XLSX);
    expect(again.body.errors).toEqual([expect.objectContaining({ row: nameRow, column: "账号名称", message: expect.stringContaining("待审核的备案") })]);

    // Decided: the name changes, and the edited file is now an unchanged round-trip.
    expect((await t.call(sup, "POST", `/api/filings/${filingId}/decision`, { approve: true, note: "同意" })).status).toBe(200);
    expect(await byPlatformId("gh_up_01")).toMatchObject({ name: "某县政府发布" });
    const after = await uploadRaw(edited, "mode=upsert", XLSX);
    expect(after.body).toMatchObject({ created: 0, updated: 0, unchanged: 6, filed: [], errors: [] });
  });

  it("reads an office XLSX with title rows and a hyperlink: updates by 账号ID, creates the new row, never clears from a blank cell", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("台账");
    const header = ["序号", "主办单位", "账号名称", "平台类型", "微信号/账号ID", "账号链接", "运维方式", "运维单位", "负责人", "联系电话"];
    ws.addRow(["某县政务新媒体账号台账（2026年12月）"]);
    ws.mergeCells(1, 1, 1, header.length);
    ws.addRow(["填报单位：某县政府办公室"]);
    ws.addRow(header);
    // Police weibo: a link given as a hyperlink cell, blank phone (kept), a new 运维单位.
    ws.addRow(["1", "县公安局", "平安某县", "新浪微博", "wb_up_02", "", "委托第三方运维", "另一家网络公司", "李四", ""]);
    ws.getCell("F4").value = { text: "微博主页", hyperlink: "https://weibo.com/u/778899" };
    // The 小程序 account, all blank but the key columns: nothing to change.
    ws.addRow(["2", "县教育局", "某县教育服务", "小程序", "mp_up_03", "", "", "", "", ""]);
    // A new 小程序 account.
    ws.addRow(["3", "城关镇", "城关办事", "政务小程序", "mp_up_06", "", "自行运维", "", "孙八", "0427-2800006"]);
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);

    const police = await byPlatformId("wb_up_02");
    const res = await upload(bytes, "mode=upsert", XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ total: 3, created: 1, imported: 1, updated: 1, unchanged: 1, filed: [], errors: [] });
    expect(res.body.updates).toEqual([{ row: 4, accountId: police!.id, fields: ["url", "operator"] }]);
    expect(await byPlatformId("wb_up_02")).toMatchObject({
      url: "https://weibo.com/u/778899",
      operator: "另一家网络公司",
      contact_phone: "0427-2899999",
      verified_owner: "某县公安局",
      opened_on: "2018-06-01",
    });
    expect(await byPlatformId("mp_up_03")).toMatchObject({ operator: "某某软件公司", contact_person: "王五" });
    expect(await byPlatformId("mp_up_06")).toMatchObject({ platform: "miniprogram", operation_mode: "自行运维", status: "active" });
  });

  it("refuses a row matching an account outside the caller's subtree without naming its unit", async () => {
    const csv = ["主办单位,账号名称,平台,账号ID,联系电话", "城关镇,平安某县,微博,wb_up_02,0427-2000000", "城关镇,城关服务,微信小程序,mp_town_01,"].join("\r\n");
    const before = await counts();
    const res = await upload(csv, "mode=upsert", "text/csv", townSup);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("import_invalid");
    expect(res.body.error.details).toEqual([{ row: 2, column: "账号ID", message: expect.stringContaining("本单位范围以外") }]);
    expect(JSON.stringify(res.body)).not.toContain("县公安局");
    expect(await counts()).toEqual(before);
    expect(await byPlatformId("wb_up_02")).toMatchObject({ contact_phone: "0427-2899999" });
  });

  it("keeps create mode as before: a taken 账号ID is an error, and mode is checked", async () => {
    const csv = ["主办单位,账号名称,平台,账号ID", "县公安局,平安某县,微博,wb_up_02"].join("\r\n");
    const res = await upload(csv, "dryRun=true");
    expect(res.body).toMatchObject({ mode: "create", valid: 0, errors: [expect.objectContaining({ row: 2, message: expect.stringContaining("已被在用账号登记") })] });
    const bad = await upload(csv, "mode=merge&dryRun=true");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("upsert");
  });
});
