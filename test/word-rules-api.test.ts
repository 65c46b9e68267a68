// /api/word-rules: who may add, list, delete and import wording rules (错敏词), and every bad input
// answered 400/404/409 in Chinese. Real database, the app called in-process.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkNewPosts } from "../src/commands/wording";
import { storePosts } from "../src/db/queries/posts";
import { auditLog, wordingHits, wordRules } from "../src/db/schema";
import { STARTER_WORD_RULES } from "../src/domain/wording-starter";
import { makeTestApp, org, token, type TestApp } from "./helpers";

const CJK = /[\u4e00-\u9fff]/;

describe("/api/word-rules", () => {
  let t: TestApp;
  let admin: string;
  let sup: string;
  let op: string;
  let otherSup: string;
  let rootId: string;
  let unitId: string;
  let otherId: string;
  let accountId: string;

  beforeAll(async () => {
    t = await makeTestApp({ at: "2026-11-23T02:00:00Z" });
    const city = await t.bootstrap("某市人民政府", "city");
    admin = city.token;
    rootId = await org(t, admin, "某县人民政府", "government", "county", city.orgId);
    sup = await token(t, admin, rootId, "supervisor");
    unitId = await org(t, admin, "某县教育局", "department", "county", rootId);
    op = await token(t, admin, unitId, "operator");
    otherId = await org(t, admin, "另一县人民政府", "government", "county", city.orgId);
    otherSup = await token(t, admin, otherId, "supervisor");
    const a = await t.call(sup, "POST", "/api/accounts", { orgId: unitId, platform: "weibo", name: "某县教育微博", openedOn: "2026-01-01" });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    accountId = a.body.id;
  });
  afterAll(() => t.close());

  const create = (token: string, body: Record<string, unknown>) => t.call(token, "POST", "/api/word-rules", body);
  const expectError = (r: { status: number; body: { error: { code: string; message: string } } }, status: number, pattern: RegExp) => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.error.message).toMatch(pattern);
    expect(r.body.error.message).toMatch(CJK);
  };

  it("refuses empty, blank, invisible-only and over-long text in Chinese", async () => {
    expectError(await create(sup, { orgId: rootId, wrong: "" }), 400, /不能为空/);
    expectError(await create(sup, { orgId: rootId, wrong: "  \u3000 " }), 400, /不能为空/);
    expectError(await create(sup, { orgId: rootId, wrong: "\u200b" }), 400, /不可见/);
    expectError(await create(sup, { orgId: rootId, wrong: "字".repeat(51) }), 400, /50/);
    expectError(await create(sup, { orgId: rootId, wrong: "字".repeat(5000) }), 400, /50/);
    expectError(await create(sup, { orgId: rootId, wrong: "某词", correct: "对".repeat(101) }), 400, /100/);
    expectError(await create(sup, { orgId: rootId, wrong: "某词", kind: "regex" }), 400, /类型.*无效/);
    expectError(await create(sup, { orgId: rootId, wrong: "某词", correct: "某 词" }), 400, /相同/);
    expect((await t.db.select().from(wordRules)).length).toBe(0);
  });

  it("takes 50 characters, and regex-looking text literally", async () => {
    const long = await create(sup, { orgId: rootId, wrong: "字".repeat(50) });
    expect(long.status, JSON.stringify(long.body)).toBe(201);
    const r = await create(sup, { orgId: rootId, wrong: "a.*b", correct: "ab", kind: "sensitive" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const at = new Date("2026-11-23T01:00:00Z");
    const post = (n: string, title: string) => ({ identity: `u:${n}`, guid: n, url: null, title, publishedAt: at, dateSource: "given" as const });
    await storePosts(t.db, accountId, [post("1", "a123b 与 axxb"), post("2", "原文写作 A.*B 的标题")], "api", at);
    await checkNewPosts(t.db, at);
    const hits = await t.db.select().from(wordingHits).where(eq(wordingHits.accountId, accountId));
    expect(hits.map((h) => h.wrong)).toEqual(["A.*B"]);
  });

  it("answers 409 for a duplicate in the org, of an ancestor's rule, or of the starter list", async () => {
    expectError(await create(sup, { orgId: rootId, wrong: "Ａ．＊Ｂ" }), 409, /本机构已有.*a\.\*b/);
    expectError(await create(sup, { orgId: unitId, wrong: "a .* b" }), 409, /上级机构某县人民政府已有/);
    expectError(await create(sup, { orgId: rootId, wrong: STARTER_WORD_RULES[0]!.wrong }), 409, /基础词库/);
  });

  it("hides other counties' orgs (404) and refuses operators (403)", async () => {
    expectError(await create(sup, { orgId: otherId, wrong: "某词" }), 404, /不存在或无权访问/);
    expectError(await t.call(sup, "GET", `/api/word-rules?orgId=${otherId}`), 404, /不存在或无权访问/);
    expectError(await create(otherSup, { orgId: unitId, wrong: "某词" }), 404, /不存在或无权访问/);
    expectError(await create(op, { orgId: unitId, wrong: "某词" }), 403, /主管单位或管理员/);
    const admins = await create(admin, { orgId: unitId, wrong: "某词", note: "管理员添加" });
    expect(admins.status, JSON.stringify(admins.body)).toBe(201);
  });

  it("lists own, inherited and starter rules, each marked", async () => {
    const r = await t.call(op, "GET", `/api/word-rules?orgId=${unitId}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const levels = r.body.items.map((i: { level: string; wrong: string }) => `${i.level}:${i.wrong}`);
    expect(levels[0]).toBe("own:某词");
    expect(levels.slice(1, 3).sort()).toEqual(["inherited:a.*b", `inherited:${"字".repeat(50)}`]);
    expect(levels.filter((l: string) => l.startsWith("starter:"))).toHaveLength(STARTER_WORD_RULES.length);
    expect(r.body.total).toBe(3 + STARTER_WORD_RULES.length);
    const own = r.body.items[0];
    expect(own).toMatchObject({ orgId: unitId, orgName: "某县教育局", kind: "typo", kindLabel: "错别字", note: "管理员添加" });
    // The root sees only its own and the starter list.
    const root = await t.call(sup, "GET", `/api/word-rules?orgId=${rootId}`);
    expect(root.body.items.filter((i: { level: string }) => i.level !== "starter").map((i: { level: string }) => i.level)).toEqual(["own", "own"]);
  });

  it("disables a rule (POST …/disable, kept with who and when), with an audit row, and keeps the hits", async () => {
    const rule = (await t.db.select().from(wordRules).where(eq(wordRules.wrong, "a.*b")))[0]!;
    expectError(await t.call(otherSup, "POST", `/api/word-rules/${rule.id}/disable`), 404, /不存在或无权访问/);
    // The unit's operator cannot see the county's rule at all, and may not delete its own unit's.
    expectError(await t.call(op, "POST", `/api/word-rules/${rule.id}/disable`), 404, /不存在或无权访问/);
    const unitRule = (await t.db.select().from(wordRules).where(eq(wordRules.wrong, "某词")))[0]!;
    expectError(await t.call(op, "POST", `/api/word-rules/${unitRule.id}/disable`), 403, /主管单位或管理员/);
    const r = await t.call(sup, "POST", `/api/word-rules/${rule.id}/disable`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [row] = await t.db.select().from(wordRules).where(eq(wordRules.id, rule.id));
    expect(row!.deletedAt).not.toBeNull();
    expect(row!.deletedBy).not.toBeNull();
    expectError(await t.call(sup, "POST", `/api/word-rules/${rule.id}/disable`), 404, /错敏词规则不存在/);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, rule.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["word_rule.create", "word_rule.disable"]);
    expect(await t.db.select().from(wordingHits).where(eq(wordingHits.ruleId, rule.id))).toHaveLength(1);
    // No longer listed; the same text may be added again.
    const list = await t.call(sup, "GET", `/api/word-rules?orgId=${rootId}`);
    expect(list.body.items.some((i: { wrong: string }) => i.wrong === "a.*b")).toBe(false);
    const again = await create(sup, { orgId: rootId, wrong: "a.*b" });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
  });

  it("imports a CSV all or nothing, row errors named by row and column", async () => {
    const csv = (rows: string[][]) => ["错误表述,正确表述,类型,备注", ...rows.map((r) => r.join(","))].join("\r\n");
    const post = (body: string, query = "") => t.call(sup, "POST", `/api/word-rules/import?orgId=${unitId}${query}`, body, { "content-type": "text/csv" });
    const bad = await post(
      csv([
        ["新词一", "正确一", "错别字", ""],
        ["", "空的", "", ""],
        ["新词二", "", "不存在的类型", ""],
        ["新 词一", "", "", ""],
        ["布署", "部署", "", ""],
        ["字".repeat(51), "", "", ""],
      ]),
    );
    expectError(bad, 400, /5 行错误/);
    expect(bad.body.error.details.map((d: { row: number; column: string }) => [d.row, d.column])).toEqual([
      [3, "错误表述"],
      [4, "类型"],
      [5, "错误表述"],
      [6, "错误表述"],
      [7, "错误表述"],
    ]);
    expect(bad.body.error.details[2].message).toBe("与第 2 行重复");
    expect((await t.db.select().from(wordRules).where(eq(wordRules.wrong, "新词一"))).length).toBe(0);

    const dry = await post(csv([["新词一", "正确一", "", ""]]), "&dryRun=true");
    expect(dry.body).toMatchObject({ dryRun: true, total: 1, imported: 0, errors: [] });
    const good = await post(csv([["新词一", "正确一", "", "备注一"], ["新词二", "", "sensitive", ""], ["张三李四", "李四张三", "姓名排序", ""]]));
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body).toMatchObject({ dryRun: false, total: 3, imported: 3, errors: [] });
    const kinds = (await t.db.select().from(wordRules).where(eq(wordRules.orgId, unitId))).map((r) => `${r.wrong}:${r.kind}`).sort();
    expect(kinds).toEqual(["张三李四:name_order", "新词一:typo", "新词二:sensitive", "某词:typo"].sort());

    expectError(await post("正确表述\r\n部署\r\n"), 400, /缺少“错误表述”列/);
    expectError(await t.call(otherSup, "POST", `/api/word-rules/import?orgId=${unitId}`, csv([["x", "", "", ""]]), { "content-type": "text/csv" }), 404, /不存在或无权访问/);
  });
});
