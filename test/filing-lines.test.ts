// Filing lines (指定备案单位): a vertical-system branch (县公安局) files with 市公安局, not 县政府; zones
// (开发区/管委会) file and are sampled like governments; an org's aliases count as the same 认证主体.
import { beforeAll, describe, expect, it } from "vitest";
import { assessAccounts } from "../src/commands/assess";
import { notifyUnitsAndOffices } from "../src/notify/recipients";
import { makeTestApp, org, token, type TestApp } from "./helpers";

async function auditRows(t: TestApp, entityId: string) {
  const r = await t.client.execute({ sql: "SELECT action, before, after FROM audit_log WHERE entity_id = ? ORDER BY id", args: [entityId] });
  return r.rows.map((row) => ({ action: String(row.action), before: JSON.parse(String(row.before)), after: JSON.parse(String(row.after)) }));
}

async function zone(t: TestApp, admin: string, name: string, parentId: string) {
  const r = await t.call(admin, "POST", "/api/orgs", { name, kind: "zone", level: "county", parentId });
  if (r.status !== 201) throw new Error(`zone ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

describe("vertical systems: 某县公安局 designated to 某市公安局", () => {
  let t: TestApp;
  const ids = {} as Record<"city" | "cityPolice" | "cityData" | "county" | "countyPolice" | "other", string>;
  const tok = {} as Record<"admin" | "citySup" | "cityPoliceSup" | "cityDataSup" | "countySup" | "countyAdmin" | "countyPoliceOp" | "otherSup", string>;
  let pendingFiling = "";
  let pendingAccount = "";

  beforeAll(async () => {
    t = await makeTestApp();
    const root = await t.bootstrap("某市人民政府", "city");
    ids.city = root.orgId;
    tok.admin = root.token;
    ids.cityPolice = await org(t, tok.admin, "某市公安局", "department", "city", ids.city);
    ids.cityData = await org(t, tok.admin, "某市数据局", "department", "city", ids.city);
    ids.county = await org(t, tok.admin, "某县人民政府", "government", "county", ids.city);
    ids.countyPolice = await org(t, tok.admin, "某县公安局", "department", "county", ids.county);
    ids.other = await org(t, tok.admin, "另一县人民政府", "government", "county", ids.city);
    tok.citySup = await token(t, tok.admin, ids.city, "supervisor");
    tok.cityPoliceSup = await token(t, tok.admin, ids.cityPolice, "supervisor");
    tok.cityDataSup = await token(t, tok.admin, ids.cityData, "supervisor");
    tok.countySup = await token(t, tok.admin, ids.county, "supervisor");
    tok.countyAdmin = await token(t, tok.admin, ids.county, "admin");
    tok.countyPoliceOp = await token(t, tok.admin, ids.countyPolice, "operator");
    tok.otherSup = await token(t, tok.admin, ids.other, "supervisor");

    // A filing submitted before the designation: it follows the designation when it is made.
    const acc = await t.call(tok.countyPoliceOp, "POST", "/api/accounts", { orgId: ids.countyPolice, platform: "wechat", name: "某县公安", platformId: "kp-wx" });
    expect(acc.status).toBe(201);
    pendingAccount = acc.body.id;
    const [f] = (await t.call(tok.countyPoliceOp, "GET", `/api/filings?accountId=${pendingAccount}`)).body.items;
    expect(f.authorityOrgId).toBe(ids.county);
    pendingFiling = f.id;
  });

  describe("PATCH /api/orgs/{id} filingAuthorityId", () => {
    it("refuses an authority outside the caller's subtree with 404, as if it did not exist", async () => {
      const r = await t.call(tok.countyAdmin, "PATCH", `/api/orgs/${ids.countyPolice}`, { filingAuthorityId: ids.cityPolice });
      expect(r.status).toBe(404);
      expect(r.body.error.message).toBe("备案主管单位不存在或无权访问");
      const missing = await t.call(tok.admin, "PATCH", `/api/orgs/${ids.countyPolice}`, { filingAuthorityId: "no-such-org" });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(r.body.error.message);
    });

    it("refuses an org outside the caller's subtree with 404", async () => {
      const r = await t.call(tok.countyAdmin, "PATCH", `/api/orgs/${ids.cityPolice}`, { filingAuthorityId: ids.county });
      expect(r.status).toBe(404);
    });

    it("refuses a non-admin with 403", async () => {
      const r = await t.call(tok.citySup, "PATCH", `/api/orgs/${ids.countyPolice}`, { filingAuthorityId: ids.cityPolice });
      expect(r.status).toBe(403);
    });

    it("refuses designating the org itself with 400", async () => {
      const r = await t.call(tok.admin, "PATCH", `/api/orgs/${ids.countyPolice}`, { filingAuthorityId: ids.countyPolice });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain("自己");
    });

    it("refuses a cycle (A→B, then B→A) with 400, and null goes back to the tree rule", async () => {
      const ab = await t.call(tok.admin, "PATCH", `/api/orgs/${ids.cityData}`, { filingAuthorityId: ids.cityPolice });
      expect(ab.status).toBe(200);
      expect(ab.body).toMatchObject({ filingAuthorityId: ids.cityPolice, filingAuthorityDesignated: true });
      const ba = await t.call(tok.admin, "PATCH", `/api/orgs/${ids.cityPolice}`, { filingAuthorityId: ids.cityData });
      expect(ba.status).toBe(400);
      expect(ba.body.error.message).toContain("循环");
      expect((await t.call(tok.admin, "GET", `/api/orgs/${ids.cityPolice}`)).body.filingAuthorityDesignated).toBe(false);

      const reset = await t.call(tok.admin, "PATCH", `/api/orgs/${ids.cityData}`, { filingAuthorityId: null });
      expect(reset.status).toBe(200);
      expect(reset.body).toMatchObject({ filingAuthorityId: ids.city, filingAuthorityDesignated: false });
      const rows = await auditRows(t, ids.cityData);
      const last = rows.at(-1)!;
      expect(last.action).toBe("org.filing_authority");
      expect(last.before.filingAuthorityId).toBe(ids.cityPolice);
      expect(last.after.filingAuthorityId).toBeNull();
    });

    it("designates 某市公安局: audited, shown as the effective authority, and a waiting filing follows it", async () => {
      const r = await t.call(tok.admin, "PATCH", `/api/orgs/${ids.countyPolice}`, { filingAuthorityId: ids.cityPolice });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ filingAuthorityId: ids.cityPolice, filingAuthorityDesignated: true, aliases: [] });
      const rows = await auditRows(t, ids.countyPolice);
      expect(rows.at(-1)).toMatchObject({ action: "org.filing_authority", before: { filingAuthorityId: null }, after: { filingAuthorityId: ids.cityPolice } });
      const f = await t.call(tok.cityPoliceSup, "GET", `/api/filings/${pendingFiling}`);
      expect(f.status).toBe(200);
      expect(f.body.authorityOrgId).toBe(ids.cityPolice);
    });
  });

  describe("routing and decisions", () => {
    let filingId = "";
    let accountId = "";

    it("a new 某县公安局 account is filed with 某市公安局, even when 某县人民政府's supervisor registers it", async () => {
      const r = await t.call(tok.countySup, "POST", "/api/accounts", { orgId: ids.countyPolice, platform: "weibo", name: "某县公安", platformId: "kp-wb" });
      expect(r.status).toBe(201);
      // Not direct registration: 某县人民政府 is not this account's filing authority any more.
      expect(r.body.status).toBe("pending");
      accountId = r.body.id;
      const [f] = (await t.call(tok.countySup, "GET", `/api/filings?accountId=${accountId}`)).body.items;
      expect(f).toMatchObject({ kind: "open", status: "submitted", authorityOrgId: ids.cityPolice });
      filingId = f.id;
    });

    it("某市公安局's supervisor lists and reads the filing though the account lies outside its subtree", async () => {
      const list = await t.call(tok.cityPoliceSup, "GET", `/api/filings?authorityOrgId=${ids.cityPolice}&status=submitted`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((f: any) => f.id).sort()).toEqual([filingId, pendingFiling].sort());
      expect(list.body.total).toBe(2);
      expect((await t.call(tok.cityPoliceSup, "GET", `/api/filings/${filingId}`)).status).toBe(200);
      // Still not the account itself: that stays with the account's own line.
      expect((await t.call(tok.cityPoliceSup, "GET", `/api/accounts/${accountId}`)).status).toBe(404);
    });

    it("others outside both lines do not see it", async () => {
      expect((await t.call(tok.otherSup, "GET", `/api/filings/${filingId}`)).status).toBe(404);
      expect((await t.call(tok.cityDataSup, "GET", `/api/filings/${filingId}`)).status).toBe(404);
      expect((await t.call(tok.cityDataSup, "GET", `/api/filings?authorityOrgId=${ids.cityPolice}`)).body.total).toBe(0);
      expect((await t.call(tok.cityDataSup, "POST", `/api/filings/${filingId}/decision`, { approve: true })).status).toBe(404);
    });

    it("某县人民政府's supervisor still sees the filing but cannot decide it", async () => {
      expect((await t.call(tok.countySup, "GET", `/api/filings/${filingId}`)).status).toBe(200);
      const r = await t.call(tok.countySup, "POST", `/api/filings/${filingId}/decision`, { approve: true });
      expect(r.status).toBe(403);
      expect(r.body.error.message).toContain("某市公安局");
    });

    it("某市公安局's supervisor decides it: the account becomes active", async () => {
      const r = await t.call(tok.cityPoliceSup, "POST", `/api/filings/${filingId}/decision`, { approve: true, note: "同意" });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: "approved", authorityOrgId: ids.cityPolice });
      expect((await t.call(tok.countySup, "GET", `/api/accounts/${accountId}`)).body.status).toBe("active");
    });

    it("某市人民政府's supervisor, the office above 某市公安局, may decide too", async () => {
      const r = await t.call(tok.citySup, "POST", `/api/filings/${pendingFiling}/decision`, { approve: false, note: "材料不全" });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe("rejected");
    });

    it("an account's office notice goes to the designated authority, not 某县人民政府", async () => {
      for (const orgId of [ids.cityPolice, ids.county]) {
        const r = await t.call(tok.admin, "POST", "/api/webhooks", {
          orgId, kind: "wecom", label: "群机器人", url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${orgId}-0000`, events: ["veto"],
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
      }
      const notice = { event: "veto", title: "两周未更新", lines: ["某县公安"], data: {} };
      await notifyUnitsAndOffices(t.db, "veto", [{ key: `veto:test`, account: { orgId: ids.countyPolice }, notice, entry: { orgName: "某县公安局", accountName: "某县公安", detail: "15天未更新" } }], t.clock.now);
      const rows = await t.client.execute(
        "SELECT w.org_id AS org FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.event_key LIKE 'veto:office:%'",
      );
      expect(rows.rows.map((r) => String(r.org))).toEqual([ids.cityPolice]);
    });

    it("null puts 某县公安局 back on the tree rule: its next filing goes to 某县人民政府", async () => {
      const r = await t.call(tok.admin, "PATCH", `/api/orgs/${ids.countyPolice}`, { filingAuthorityId: null });
      expect(r.body).toMatchObject({ filingAuthorityId: ids.county, filingAuthorityDesignated: false });
      const acc = await t.call(tok.countySup, "POST", "/api/accounts", { orgId: ids.countyPolice, platform: "douyin", name: "某县公安", platformId: "kp-dy" });
      expect(acc.body.status).toBe("active");
      const [f] = (await t.call(tok.countySup, "GET", `/api/filings?accountId=${acc.body.id}`)).body.items;
      expect(f.authorityOrgId).toBe(ids.county);
    });
  });
});

describe("aliases (PATCH /api/orgs/{id} aliases) and the owner check", () => {
  let t: TestApp;
  let admin = "";
  let sup = "";
  let unit = "";

  beforeAll(async () => {
    t = await makeTestApp();
    const root = await t.bootstrap("某市人民政府", "city");
    admin = root.token;
    unit = await org(t, admin, "某市市场监督管理局", "department", "city", root.orgId);
    sup = await token(t, admin, root.orgId, "supervisor");
  });

  it("validates the list: ≤ 20 items, none empty, each ≤ 100 characters, in Chinese", async () => {
    const many = await t.call(admin, "PATCH", `/api/orgs/${unit}`, { aliases: Array.from({ length: 21 }, (_, i) => `别名${i}`) });
    expect(many.status).toBe(400);
    expect(JSON.stringify(many.body)).toContain("别名最多20个");
    const empty = await t.call(admin, "PATCH", `/api/orgs/${unit}`, { aliases: ["  "] });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain("别名不能为空");
    const long = await t.call(admin, "PATCH", `/api/orgs/${unit}`, { aliases: ["长".repeat(101)] });
    expect(long.status).toBe(400);
  });

  it("stores them trimmed and de-duplicated, audited", async () => {
    const r = await t.call(admin, "PATCH", `/api/orgs/${unit}`, { aliases: [" 某市市场监管局 ", "某市市场监管局", "某市工商行政管理局"] });
    expect(r.status).toBe(200);
    expect(r.body.aliases).toEqual(["某市市场监管局", "某市工商行政管理局"]);
    const rows = await auditRows(t, unit);
    expect(rows.at(-1)).toMatchObject({ action: "org.aliases", before: { aliases: null }, after: { aliases: ["某市市场监管局", "某市工商行政管理局"] } });
  });

  it("an account certified under an alias raises no owner_mismatch, on the account and in the assessment", async () => {
    const byAlias = await t.call(sup, "POST", "/api/accounts", { orgId: unit, platform: "wechat", name: "某市市场监管", platformId: "sc-wx", verifiedOwner: "某市市场监管局" });
    const byOther = await t.call(sup, "POST", "/api/accounts", { orgId: unit, platform: "weibo", name: "某市市场监管", platformId: "sc-wb", verifiedOwner: "某某传媒有限公司" });
    expect(byAlias.status).toBe(201);
    expect(byAlias.body.status).toBe("active");
    const flags = async (id: string) => (await t.call(sup, "GET", `/api/accounts/${id}`)).body.flags.map((f: any) => f.code);
    expect(await flags(byAlias.body.id)).not.toContain("owner_mismatch");
    expect(await flags(byOther.body.id)).toContain("owner_mismatch");

    await assessAccounts(t.db, t.clock.now);
    const alerts = async (id: string) => (await t.call(sup, "GET", `/api/alerts?accountId=${id}&pageSize=100`)).body.items.map((a: any) => a.kind);
    expect(await alerts(byAlias.body.id)).not.toContain("owner_mismatch");
    expect(await alerts(byOther.body.id)).toContain("owner_mismatch");

    // Clearing the aliases brings the flag back.
    await t.call(admin, "PATCH", `/api/orgs/${unit}`, { aliases: [] });
    expect(await flags(byAlias.body.id)).toContain("owner_mismatch");
  });
});

describe("zones (开发区/管委会) under a city", () => {
  let t: TestApp;
  const ids = {} as Record<"city" | "cityDept" | "zone" | "zoneDept", string>;
  const tok = {} as Record<"admin" | "citySup" | "zoneSup" | "zoneOp" | "zoneDeptOp", string>;
  const accounts = {} as Record<"city" | "zone" | "zoneDept", string>;

  beforeAll(async () => {
    // Accounts registered in September are in use at the start of Q4, so Q4 draws them.
    t = await makeTestApp({ at: "2026-09-01T02:00:00Z" });
    const root = await t.bootstrap("某市人民政府", "city");
    ids.city = root.orgId;
    tok.admin = root.token;
    ids.cityDept = await org(t, tok.admin, "某市教育局", "department", "city", ids.city);
    ids.zone = await zone(t, tok.admin, "某高新区管委会", ids.city);
    const r = await t.call(tok.admin, "POST", "/api/orgs", { name: "某高新区建设局", kind: "department", level: "county", parentId: ids.zone });
    expect(r.status).toBe(201);
    ids.zoneDept = r.body.id;
    tok.citySup = await token(t, tok.admin, ids.city, "supervisor");
    tok.zoneSup = await token(t, tok.admin, ids.zone, "supervisor");
    tok.zoneOp = await token(t, tok.admin, ids.zone, "operator");
    tok.zoneDeptOp = await token(t, tok.admin, ids.zoneDept, "operator");
  });

  it("is placed like a government: not under a department, one level below its parent", async () => {
    const underDept = await t.call(tok.admin, "POST", "/api/orgs", { name: "错位开发区", kind: "zone", level: "county", parentId: ids.cityDept });
    expect(underDept.status).toBe(400);
    expect(underDept.body.error.message).toContain("部门");
    const sameLevel = await t.call(tok.admin, "POST", "/api/orgs", { name: "错位开发区", kind: "zone", level: "city", parentId: ids.city });
    expect(sameLevel.status).toBe(400);
    const street = await t.call(tok.admin, "POST", "/api/orgs", { name: "某街道办事处", kind: "government", level: "township", parentId: ids.zone });
    expect(street.status).toBe(201);
    expect(street.body.filingAuthorityId).toBe(ids.zone);
  });

  it("its departments file with the zone; the zone files with the city", async () => {
    const d = await t.call(tok.zoneDeptOp, "POST", "/api/accounts", { orgId: ids.zoneDept, platform: "wechat", name: "高新建设", platformId: "zd-wx" });
    expect(d.body.status).toBe("pending");
    const [fd] = (await t.call(tok.zoneDeptOp, "GET", `/api/filings?accountId=${d.body.id}`)).body.items;
    expect(fd.authorityOrgId).toBe(ids.zone);
    expect((await t.call(tok.citySup, "POST", `/api/filings/${fd.id}/decision`, { approve: true })).status).toBe(403);
    expect((await t.call(tok.zoneSup, "POST", `/api/filings/${fd.id}/decision`, { approve: true })).status).toBe(200);
    accounts.zoneDept = d.body.id;

    const z = await t.call(tok.zoneOp, "POST", "/api/accounts", { orgId: ids.zone, platform: "wechat", name: "高新发布", platformId: "z-wx" });
    const [fz] = (await t.call(tok.zoneOp, "GET", `/api/filings?accountId=${z.body.id}`)).body.items;
    expect(fz.authorityOrgId).toBe(ids.city);
    expect((await t.call(tok.zoneSup, "POST", `/api/filings/${fz.id}/decision`, { approve: true })).status).toBe(403);
    expect((await t.call(tok.citySup, "POST", `/api/filings/${fz.id}/decision`, { approve: true })).status).toBe(200);
    accounts.zone = z.body.id;

    const c = await t.call(tok.citySup, "POST", "/api/accounts", { orgId: ids.cityDept, platform: "wechat", name: "某市教育", platformId: "c-wx" });
    expect(c.body.status).toBe("active");
    accounts.city = c.body.id;
  });

  it("is a sampling unit: its round draws only its own accounts, and the city's round no longer includes them", async () => {
    t.clock.now = new Date("2026-11-23T02:00:00Z");
    const z = await t.call(tok.citySup, "POST", "/api/sampling-rounds", { governmentOrgId: ids.zone, year: 2026, quarter: 4 });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    expect(z.body.population).toBe(2);
    const zoneIds = new Set([accounts.zone, accounts.zoneDept]);
    expect(z.body.items.length).toBeGreaterThan(0);
    for (const i of z.body.items) expect(zoneIds.has(i.accountId)).toBe(true);

    const c = await t.call(tok.citySup, "POST", "/api/sampling-rounds", { governmentOrgId: ids.city, year: 2026, quarter: 4 });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body.population).toBe(1);
    expect(c.body.items.map((i: any) => i.accountId)).toEqual([accounts.city]);
  });
});
