// Ledgers as offices keep them (issue 10): title rows, their own headers, GBK CSV, XLSX with merged
// title and hyperlink cells, platform words clerks write; every error in one pass.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let sup: string;

beforeAll(async () => {
  t = await makeTestApp();
  const root = await t.bootstrap("某县政府", "county");
  await org(t, root.token, "县公安局", "department", "county", root.orgId);
  await org(t, root.token, "县教育局", "department", "county", root.orgId);
  await org(t, root.token, "城关镇", "government", "township", root.orgId);
  sup = await token(t, root.token, root.orgId, "supervisor");
});

const upload = (body: string | Uint8Array, dryRun: boolean, type = "text/csv") =>
  t.call(sup, "POST", `/api/accounts/import?dryRun=${dryRun}`, body, { "content-type": type });

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
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`not in GBK: ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

const OFFICE_HEADER = ["序号", "主办单位", "账号名称", "平台类型", "账号类型", "微信号/账号ID", "认证主体", "开设时间", "运维方式", "负责人", "联系电话", "备注"];

async function account(platformId: string) {
  const r = await t.client.execute({
    sql: "SELECT name, platform, account_type, verified_owner, contact_person, contact_phone, opened_on, url, operation_mode FROM accounts WHERE platform_id = ?",
    args: [platformId],
  });
  return r.rows[0];
}

describe("ledger import of office layouts", () => {
  it("imports a GBK CSV with a title row and the office's own headers", async () => {
    const csv = [
      "某县政务新媒体账号台账（2025年11月）,,,,,,,,,,,",
      OFFICE_HEADER.join(","),
      "1,某县政府,某县发布,微信服务号,服务号,gh_office_01,某县人民政府办公室,2019年3月5日,自行运维,张三,0427-2800001,",
      "2,县公安局,平安某县,新浪微博,政务微博,pingan_mx,某县公安局,2018-06-01,委托第三方,李四,0427-2800002,",
      "3,县教育局,某县教育,今日头条号,,tt_office_03,县教育局,2020/1/2,自行运维,王五,13800000003,头条",
      "4,某县政府,某县APP,政务APP,客户端,,某县人民政府,,自行运维,赵六,,",
      "5,城关镇,城关发布,微信订阅号,,gh_office_05,某县城关镇人民政府,2021.5.6,,钱七,0427-2800005,",
      "",
    ].join("\r\n");
    const bytes = gbk(csv);
    const dry = await upload(bytes, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ total: 5, valid: 5, errors: [], ignoredColumns: ["序号", "备注"] });
    const res = await upload(bytes, false);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 5, errors: [] });
    expect(await account("gh_office_01")).toMatchObject({
      name: "某县发布",
      platform: "wechat",
      account_type: "service",
      verified_owner: "某县人民政府办公室",
      contact_person: "张三",
      contact_phone: "0427-2800001",
      opened_on: "2019-03-05",
      operation_mode: "自行运维",
    });
    expect(await account("pingan_mx")).toMatchObject({ platform: "weibo", account_type: null, operation_mode: "委托第三方" });
    expect(await account("tt_office_03")).toMatchObject({ platform: "toutiao" });
    expect(await account("gh_office_05")).toMatchObject({ platform: "wechat", account_type: "subscription" });
    const app = await t.client.execute("SELECT platform FROM accounts WHERE name = '某县APP'");
    expect(app.rows[0]).toMatchObject({ platform: "app" });
  });

  it("imports an XLSX with a merged title, office headers, platform words and a hyperlink cell", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("台账");
    const header = [...OFFICE_HEADER.slice(0, 8), "账号链接", "负责人", "联系电话", "备注"];
    ws.addRow(["某县政务新媒体账号台账（2025年11月）"]);
    ws.mergeCells(1, 1, 1, header.length);
    ws.addRow(["填报单位：某县政府办公室"]);
    ws.addRow(header);
    ws.addRow(["1", "某县政府", "某县服务", "微信服务号", "", "gh_x_01", "某县人民政府", "2019-03-05", "", "孙一", "0427-2811111", ""]);
    ws.addRow(["2", "县公安局", "某县公安", "新浪微博", "", "wb_x_02", "县公安局", "", "", "周二", "", ""]);
    ws.getCell("I5").value = { text: "微博主页", hyperlink: "https://weibo.com/u/123456" };
    // A name cell that is a link keeps its text.
    ws.getCell("C5").value = { text: "某县公安", hyperlink: "https://weibo.com/u/123456" };
    ws.addRow(["3", "县教育局", "某县教育头条", "今日头条号", "", "tt_x_03", "县教育局", "", "", "吴三", "", ""]);
    ws.addRow(["4", "某县政府", "某县政务", "政务客户端", "", "app_x_04", "某县人民政府", "", "", "郑四", "", ""]);
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const res = await upload(bytes, false, type);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, imported: 4, errors: [] });
    expect(await account("gh_x_01")).toMatchObject({ platform: "wechat", account_type: "service", verified_owner: "某县人民政府", contact_person: "孙一" });
    expect(await account("wb_x_02")).toMatchObject({ name: "某县公安", platform: "weibo", url: "https://weibo.com/u/123456" });
    expect(await account("tt_x_03")).toMatchObject({ platform: "toutiao" });
    expect(await account("app_x_04")).toMatchObject({ platform: "app" });
  });

  it("reports duplicate 账号ID rows together with the other bad rows, with the sheet's row numbers", async () => {
    const csv = [
      "某县政务新媒体账号台账",
      OFFICE_HEADER.join(","),
      "1,某县政府,甲,抖音号,,dup_1,,,,,,",
      "2,县公安局,乙,抖音号,,dup_1,,,,,,",
      "3,县教育局,丙,快手号,,ks_1,,2021-02-30,,,,",
      "4,外县单位,丁,微信小程序,,mini_1,,,,,,",
      "5,县教育局,己,推特,,tw_1,,,,,,",
      "6,县教育局,戊,微信公众号,,gh_office_01,,,,,,",
    ].join("\n");
    const res = await upload(csv, true);
    expect(res.status).toBe(200);
    const errors = (res.body as { errors: { row: number; column?: string; message: string }[] }).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 4, column: "账号ID", message: expect.stringContaining("第3行") }),
        expect.objectContaining({ row: 5, column: "开设日期" }),
        // 小程序 is a platform now: row 6 is refused only for its unit.
        expect.objectContaining({ row: 6, column: "主办单位" }),
        expect.objectContaining({ row: 7, column: "平台", message: expect.stringContaining("无法识别的平台") }),
        expect.objectContaining({ row: 8, column: "账号ID", message: expect.stringContaining("已被在用账号登记") }),
      ]),
    );
    expect(errors.filter((e) => e.row === 6).map((e) => e.column)).toEqual(["主办单位"]);
  });

  it("names a missing required column in Chinese", async () => {
    const res = await upload(["某县台账", "序号,账号名称,负责人", "1,某县发布,张三"].join("\n"), true);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("表头缺少必填列：平台、主办单位");
  });
});

describe("the import template", () => {
  it("downloads with the import's columns, drop-downs for 平台 and 账号类型, and imports as it is", async () => {
    const res = await t.app.request("/api/accounts/import-template.xlsx", { headers: { authorization: `Bearer ${sup}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("xlsx");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(["账号名称", "平台", "主办单位", "账号ID", "账号类型", "认证主体"]));
    const platformCol = header.indexOf("平台") + 1;
    const validation = ws.getCell(3, platformCol).dataValidation as { type?: string; formulae?: string[] };
    expect(validation.type).toBe("list");
    expect(validation.formulae?.[0]).toContain("微信公众号");
    // The sample row is under the caller's own unit: the template imports with no errors.
    const dry = await t.call(sup, "POST", "/api/accounts/import?dryRun=true", bytes, {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ total: 1, valid: 1, errors: [] });
  });
});
