// Ledger (台账) import and export: dry run, row-numbered errors, all-or-nothing, BOM, formula safety, XLSX.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../src/lib/csv";
import { makeTestApp, org, token, type TestApp } from "./helpers";

let t: TestApp;
let sup: string;
let op: string;
const HEADER = ["账号名称", "平台", "账号ID", "主办单位", "链接", "订阅地址", "开设日期", "运维人员", "联系电话"];
const UNITS = ["某县政府", "县公安局", "县教育局", "城关镇"];
const PLATFORMS = ["微信公众号", "微博", "抖音", "今日头条", "weibo", "快手"];

beforeAll(async () => {
  t = await makeTestApp();
  const root = await t.bootstrap("某县政府", "county");
  await org(t, root.token, "县公安局", "department", "county", root.orgId);
  await org(t, root.token, "县教育局", "department", "county", root.orgId);
  await org(t, root.token, "城关镇", "government", "township", root.orgId);
  sup = await token(t, root.token, root.orgId, "supervisor");
  op = await token(t, root.token, root.orgId, "operator");
});

function ledger(n: number): string[][] {
  const rows = [HEADER];
  for (let i = 1; i <= n; i++) {
    rows.push([
      i === 7 ? "=HYPERLINK(\"http://evil\",\"点我\")" : `政务账号${i}`,
      PLATFORMS[i % PLATFORMS.length]!,
      `id-${i}`,
      UNITS[i % UNITS.length]!,
      `https://example.gov.cn/${i}`,
      i % 3 === 0 ? `https://rss.example.gov.cn/${i}.xml` : "",
      `2021/${(i % 12) + 1}/${(i % 28) + 1}`,
      "张三",
      "0427-2800000",
    ]);
  }
  return rows;
}

const upload = (csv: string | Uint8Array, dryRun: boolean, type = "text/csv") =>
  t.call(sup, "POST", `/api/accounts/import?dryRun=${dryRun}`, csv, { "content-type": type });

async function accountCount() {
  return Number((await t.client.execute("SELECT count(*) AS n FROM accounts")).rows[0]!.n);
}

describe("ledger import", () => {
  it("reports the 3 bad rows among 200 and imports nothing; the fixed file imports 200", async () => {
    const rows = ledger(200);
    // Data row k is spreadsheet row k+1 (the header is row 1).
    rows[10]![1] = "推特"; // row 11: unknown platform
    rows[50]![6] = "2021-02-30"; // row 51: impossible date
    rows[150]![3] = "外县教育局"; // row 151: unit outside the caller's subtree
    const bad = toCsv(rows);

    const dry = await upload(bad, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, total: 200, valid: 197, imported: 0 });
    expect(dry.body.errors.map((e: any) => [e.row, e.column])).toEqual([
      [11, "平台"],
      [51, "开设日期"],
      [151, "主办单位"],
    ]);

    const real = await upload(bad, false);
    expect(real.status).toBe(400);
    expect(real.body.error.code).toBe("import_invalid");
    expect(real.body.error.details.map((e: any) => e.row)).toEqual([11, 51, 151]);
    expect(await accountCount()).toBe(0);

    rows[10]![1] = "微信公众号";
    rows[50]![6] = "2021-02-28";
    rows[150]![3] = "县教育局";
    const fixed = toCsv(rows);
    expect((await upload(fixed, true)).body).toMatchObject({ valid: 200, errors: [] });
    expect(await accountCount()).toBe(0);
    const ok = await upload(fixed, false);
    expect(ok.status).toBe(200);
    expect(ok.body.imported).toBe(200);
    expect(await accountCount()).toBe(200);
    const audit = await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'account.import'");
    expect(Number(audit.rows[0]!.n)).toBe(200);

    // The same file again: every platform id is now taken, so nothing is imported twice.
    const again = await upload(fixed, false);
    expect(again.status).toBe(400);
    expect(again.body.error.details).toHaveLength(200);
    expect(await accountCount()).toBe(200);
  });

  it("flags imported county-department and township accounts as opened without approval", async () => {
    const list = await t.call(sup, "GET", "/api/accounts?flag=unapproved_opening&pageSize=500");
    const units = new Set(list.body.items.map((a: any) => a.orgName));
    expect(units).toEqual(new Set(["县公安局", "县教育局", "城关镇"]));
  });

  it("clears the flag with a retroactive open filing (补充备案) decided by the filing authority", async () => {
    const flagged = (await t.call(sup, "GET", "/api/accounts?flag=unapproved_opening&pageSize=1")).body.items[0];
    const f = await t.call(sup, "POST", "/api/filings", { kind: "open", accountId: flagged.id });
    expect(f.status).toBe(201);
    expect((await t.call(sup, "POST", `/api/filings/${f.body.id}/decision`, { approve: true, note: "补充备案" })).status).toBe(200);
    const after = (await t.call(sup, "GET", `/api/accounts/${flagged.id}`)).body;
    expect(after.status).toBe("active");
    expect(after.flags.map((x: any) => x.code)).not.toContain("unapproved_opening");
    // Once is enough; and an account registered through a filing never needs it.
    const again = await t.call(sup, "POST", "/api/filings", { kind: "open", accountId: flagged.id });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("无需补充备案");
  });

  it("exports CSV with a BOM and neutralised formulas", async () => {
    const r = await t.call(sup, "GET", "/api/accounts/export.csv");
    expect(r.status).toBe(200);
    const bytes = new Uint8Array(await r.res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("账号名称,平台,账号ID,主办单位");
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""点我"")"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(201);
  });

  it("exports only the flagged accounts when asked", async () => {
    const all = await t.call(sup, "GET", "/api/accounts?flag=unapproved_opening&pageSize=500");
    const r = await t.call(sup, "GET", "/api/accounts/export.csv?flag=unapproved_opening");
    const lines = new TextDecoder().decode(new Uint8Array(await r.res.arrayBuffer())).split("\r\n").filter(Boolean);
    expect(all.body.total).toBeGreaterThan(0);
    expect(all.body.total).toBeLessThan(199);
    expect(lines).toHaveLength(all.body.total + 1);
  });

  it("exports XLSX that a real reader opens with Chinese intact", async () => {
    const r = await t.call(sup, "GET", "/api/accounts/export.xlsx?platform=weibo");
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await r.res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe("账号名称");
    expect(ws.getRow(2).getCell(2).value).toBe("微博");
    const weibo = await t.call(sup, "GET", "/api/accounts?platform=weibo");
    expect(ws.rowCount).toBe(weibo.body.total + 1);
  });

  it("imports XLSX, also as a multipart upload", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("台账");
    ws.addRow(HEADER);
    ws.addRow(["城关镇发布", "微信公众号", "cgz-wx", "城关镇", "", "", new Date(Date.UTC(2020, 4, 6)), "李四", "13800000000"]);
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const form = new FormData();
    form.append("file", new File([bytes], "台账.xlsx"));
    const res = await t.app.request("/api/accounts/import", { method: "POST", body: form, headers: { authorization: `Bearer ${sup}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 1 });
    const acc = (await t.call(sup, "GET", "/api/accounts?q=cgz-wx")).body.items[0];
    expect(acc).toMatchObject({ name: "城关镇发布", platform: "wechat", openedOn: "2020-05-06", orgName: "城关镇" });
  });

  it("reads GBK CSV as saved by Excel on Chinese Windows", async () => {
    // "账号名称,平台,主办单位\r\n县公安发布,微博,县公安局\r\n" in GBK.
    const gbk = Buffer.from(
      "d5cbbac5c3fbb3c62cc6bdcca82cd6f7b0ecb5a5cebb0d0acfd8b9abb0b2b7a2b2bc2ccea2b2a92ccfd8b9abb0b2bed60d0a",
      "hex",
    );
    const r = await upload(new Uint8Array(gbk), true);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ total: 1, valid: 1 });
  });

  it("rejects malformed files with a clear 400 and imports nothing", async () => {
    const before = await accountCount();
    const cases: [string | Uint8Array, string, string][] = [
      ["账号名称,平台,主办单位\r\n\"未闭合,微博,县公安局\r\n", "text/csv", "引号"],
      ["name,platform\r\nx,y\r\n", "text/csv", "缺少必填列"],
      ["账号名称,平台,主办单位\r\n", "text/csv", "没有数据行"],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), "application/octet-stream", "XLSX"],
      ["", "text/csv", "空"],
    ];
    for (const [body, type, hint] of cases) {
      const r = await upload(body, false, type);
      expect(r.status, hint).toBe(400);
      expect(r.body.error.message).toContain(hint);
    }
    expect(await accountCount()).toBe(before);
    expect((await t.call(op, "POST", "/api/accounts/import", "a,b", { "content-type": "text/csv" })).status).toBe(403);
  });
});
