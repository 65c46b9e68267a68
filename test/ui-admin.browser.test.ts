// The admin pages in a real Chromium against the real Node server: 机构管理 (add, rename, move,
// designate a filing authority, seen in the tree), 令牌 (issued with an expiry and shown once, revoked
// after a confirmation, its login then refused), 审计日志 (filtered to org changes, before → after),
// a webhook's delivery log, and a supervisor who gets no 令牌 page. Needs /usr/bin/chromium.
import { createClient } from "@libsql/client";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, loggedIn, screenshot, startUiServer, type UiServer } from "./support/browser";

let srv: UiServer;
let browser: Browser;
let supervisor = "";
let cityPolice = "";
const HOSTILE = `测试<script>alert("x")</script>"引号"😀`;

/** Script errors and dialogs seen by a page: none are expected anywhere. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

async function orgId(name: string): Promise<string> {
  const r = await srv.api(srv.rootToken, "GET", "/api/orgs");
  const found = r.body.items.find((o: { name: string }) => o.name === name);
  if (!found) throw new Error(`no org ${name}`);
  return found.id;
}

/** The tree row of an org, by its name. */
const row = (page: Page, name: string) => page.locator("tbody tr", { hasText: name }).first();

beforeAll(async () => {
  srv = await startUiServer();
  cityPolice = (await srv.api(srv.rootToken, "POST", "/api/orgs", { name: "市公安局", kind: "department", level: "city", parentId: srv.rootOrgId })).body.id;
  supervisor = (await srv.api(srv.rootToken, "POST", "/api/tokens", { orgId: srv.rootOrgId, role: "supervisor", label: "政务公开办" })).body.token;
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  srv?.stop();
});

describe("admin pages", () => {
  it("机构管理: adds a county and a department, renames, moves and designates a filing authority", async () => {
    const page = await loggedIn(browser, srv.base, srv.rootToken);
    const problems = watch(page);
    await page.goto(`${srv.base}/orgs`);
    expect(await page.textContent("h1")).toBe("机构管理");
    expect(await page.locator("header nav").textContent()).toContain("机构管理");

    // A county under the city.
    await page.selectOption("select[name=parentId]", srv.rootOrgId);
    await page.fill("input[name=name]", "某县人民政府");
    await page.selectOption("select[name=kind]", "government");
    await page.selectOption("select[name=level]", "county");
    await page.click("button:has-text('新增')");
    expect(await page.textContent(".msg.info")).toContain("已新增“某县人民政府”");
    const county = await orgId("某县人民政府");
    // A second county, through the same form.
    await page.selectOption("select[name=parentId]", srv.rootOrgId);
    await page.fill("input[name=name]", "另一县人民政府");
    await page.selectOption("select[name=kind]", "government");
    await page.selectOption("select[name=level]", "county");
    await page.click("button:has-text('新增')");
    const other = await orgId("另一县人民政府");

    // A county-level department placed under the city is refused; the form keeps what was typed.
    await page.selectOption("select[name=parentId]", srv.rootOrgId);
    await page.fill("input[name=name]", "某县公安局");
    await page.selectOption("select[name=kind]", "department");
    await page.selectOption("select[name=level]", "county");
    await page.click("button:has-text('新增')");
    expect(await page.textContent(".msg.err")).toContain("部门的层级应与上级机构一致");
    expect(await page.inputValue("input[name=name]")).toBe("某县公安局");
    expect(await page.inputValue("select[name=kind]")).toBe("department");
    await page.selectOption("select[name=parentId]", county);
    await page.click("button:has-text('新增')");
    expect(await page.textContent(".msg.info")).toContain("已新增“某县公安局”");
    const countyPolice = await orgId("某县公安局");
    // Indented under its county, filing with it by the tree rule.
    expect(await row(page, "某县公安局").textContent()).toMatch(/　└ 某县公安局.*部门.*县级.*某县人民政府.*按机构树/);

    // Rename the county.
    await page.goto(`${srv.base}/orgs/${county}`);
    await page.fill("input[name=name]", "某县政府");
    await page.click("button:has-text('改名')");
    expect(await page.textContent(".msg.info")).toContain("已改名为“某县政府”");
    expect(await page.textContent("table")).toContain("某县政府");
    expect(await page.textContent("table")).not.toContain("某县人民政府");

    // Move the police bureau to the other county.
    await page.goto(`${srv.base}/orgs/${countyPolice}`);
    await page.selectOption("select[name=parentId]", other);
    await page.click("button:has-text('调整上级')");
    expect(await page.textContent(".msg.info")).toContain("已调整上级机构");
    expect(await row(page, "某县公安局").textContent()).toContain("另一县人民政府");

    // A loop is refused, with the API's reason on the form.
    await page.goto(`${srv.base}/orgs/${srv.rootOrgId}`);
    await page.selectOption("select[name=filingAuthorityId]", cityPolice);
    await page.click("button:has-text('指定备案单位')");
    expect(await page.textContent(".msg.err")).toContain("循环");
    expect(await page.inputValue("select[name=filingAuthorityId]")).toBe(cityPolice);

    // Designate 市公安局 (垂直管理) as the county bureau's filing authority: the tree says so.
    await page.goto(`${srv.base}/orgs/${countyPolice}`);
    await page.selectOption("select[name=filingAuthorityId]", cityPolice);
    await page.click("button:has-text('指定备案单位')");
    expect(await page.textContent(".msg.info")).toContain("已指定备案主管单位");
    const policeRow = await row(page, "某县公安局").textContent();
    expect(policeRow).toContain("市公安局");
    expect(policeRow).toContain("指定");
    expect((await srv.api(srv.rootToken, "GET", `/api/orgs/${countyPolice}`)).body).toMatchObject({ parentId: other, filingAuthorityId: cityPolice, filingAuthorityDesignated: true });

    // Aliases, one per line.
    await page.goto(`${srv.base}/orgs/${countyPolice}`);
    await page.fill("textarea[name=aliases]", "某县公安局交警大队\n 某县交警 \n");
    await page.click("button:has-text('保存别名')");
    expect(await row(page, "某县公安局").textContent()).toContain("某县公安局交警大队、某县交警");

    // A hostile name is text, not markup.
    await page.selectOption("select[name=parentId]", srv.rootOrgId);
    await page.fill("input[name=name]", HOSTILE);
    await page.selectOption("select[name=kind]", "department");
    await page.selectOption("select[name=level]", "city");
    await page.click("button:has-text('新增')");
    expect(await page.textContent("table")).toContain(HOSTILE);
    await screenshot(page, "admin-orgs");
    expect(problems).toEqual([]);
  }, 90_000);

  it("令牌: issues a token with an expiry shown once, revokes it after a confirmation, and its login is refused", async () => {
    const page = await loggedIn(browser, srv.base, srv.rootToken);
    const problems = watch(page);
    await page.goto(`${srv.base}/tokens`);
    expect(await page.textContent("table")).toContain("初始管理员");
    await page.selectOption("select[name=orgId]", srv.rootOrgId);
    await page.selectOption("select[name=role]", "viewer");
    await page.fill("input[name=label]", "临时查阅");
    await page.selectOption("select[name=days]", "30");
    const [issued] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${srv.base}/tokens` && r.request().method() === "POST"),
      page.click("button:has-text('签发')"),
    ]);
    // The page with the secret is never cached.
    expect(issued.headers()["cache-control"]).toBe("no-store");
    expect(await page.textContent("h1")).toBe("令牌已签发");
    expect(await page.textContent(".msg.err")).toContain("只显示这一次");
    const secret = (await page.textContent("#new-token"))!.trim();
    expect(secret).toMatch(/^gm_/);
    expect(page.url()).not.toContain(secret);

    const listed = (await srv.api(srv.rootToken, "GET", "/api/tokens")).body.items.find((t: { label: string }) => t.label === "临时查阅");
    const days = (Date.parse(listed.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    // The holder signs in with it.
    const holder = await loggedIn(browser, srv.base, secret);
    expect(await holder.textContent("header .who")).toContain("只读");

    // The list shows it with its expiry and last use, never the secret.
    await page.goto(`${srv.base}/tokens`);
    const tokenRow = page.locator("tbody tr", { hasText: "临时查阅" });
    expect(await tokenRow.textContent()).toContain("有效");
    expect(await tokenRow.textContent()).not.toContain("从未使用");
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, "admin-tokens");

    await tokenRow.locator("a:has-text('吊销')").click();
    expect(await page.textContent("h1")).toBe("吊销令牌");
    expect(await page.textContent("main")).toContain("临时查阅");
    await page.click("button:has-text('确认吊销')");
    expect(await page.textContent(".msg.info")).toContain("已吊销“临时查阅”");
    expect(await page.locator("tbody tr", { hasText: "临时查阅" }).textContent()).toContain("已吊销");

    // The holder's session ends, and the token no longer signs in.
    await holder.goto(`${srv.base}/accounts`);
    expect(holder.url()).toContain("/login");
    expect(await holder.textContent(".msg.err")).toContain("登录已失效");
    const again = await loggedIn(browser, srv.base, secret);
    expect(await again.textContent(".msg.err")).toContain("令牌无效");
    expect((await srv.api(secret, "GET", "/api/me")).status).toBe(401);
    expect(problems).toEqual([]);
  }, 90_000);

  it("审计日志: filters to org changes and shows before → after", async () => {
    const page = await loggedIn(browser, srv.base, srv.rootToken);
    await page.goto(`${srv.base}/audit`);
    expect(await page.textContent("table")).toContain("吊销令牌");
    // A token's audit rows never carry its secret or hash.
    expect(await page.content()).not.toMatch(/"hash"|哈希/);
    await page.selectOption("select[name=entity]", "org");
    await page.click("button:has-text('筛选')");
    expect(page.url()).toContain("entity=org");
    const table = await page.textContent("table");
    expect(table).not.toContain("吊销令牌");
    const rename = page.locator("tbody tr", { hasText: "机构改名" }).first();
    const renameText = await rename.textContent();
    expect(renameText).toContain("初始管理员（某市人民政府）");
    expect(renameText).toContain("某县人民政府");
    expect(renameText).toContain("→ 某县政府");
    // Only the changed field: the level stayed, so it is not listed.
    expect(renameText).not.toContain("县级");
    const move = await page.locator("tbody tr", { hasText: "调整上级机构" }).first().textContent();
    expect(move).toContain("某县政府");
    expect(move).toContain("→ 另一县人民政府");
    const designate = await page.locator("tbody tr", { hasText: "指定备案主管单位" }).first().textContent();
    expect(designate).toContain("→ 市公安局");

    // The object's link shows its whole history: created, then renamed.
    await rename.locator("a").click();
    expect(page.url()).toContain("entityId=");
    expect((await page.locator(".table-wrap > table > tbody > tr").allTextContents()).map((t) => (t.includes("机构改名") ? "rename" : t.includes("新增机构") ? "create" : "other"))).toEqual(["rename", "create"]);

    // Filter by action and a Beijing date range that ends yesterday: nothing.
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${srv.base}/audit?action=org.rename&to=${yesterday}`);
    expect(await page.textContent("main")).toContain("没有符合条件的记录");
    await page.goto(`${srv.base}/audit?action=org.rename`);
    expect(await page.locator("tbody tr", { hasText: "机构改名" }).count()).toBeGreaterThan(0);
    await page.goto(`${srv.base}/audit?entity=org`);
    await screenshot(page, "admin-audit");
  }, 90_000);

  it("shows a webhook's deliveries with status, attempts, next retry and last error", async () => {
    const hook = await srv.api(supervisor, "POST", "/api/webhooks", {
      orgId: srv.rootOrgId,
      kind: "dingtalk",
      label: "政务公开办工作群",
      url: "https://oapi.dingtalk.com/robot/send?access_token=SECRET123",
      events: ["weekly_digest"],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    // Two deliveries as the sender leaves them: one waiting for its retry, one delivered.
    const db = createClient({ url: `file:${join(srv.dir, "ui.db")}` });
    await db.execute({
      sql: `INSERT INTO webhook_deliveries (id, webhook_id, event_key, event, notice, status, attempts, next_attempt_at, last_error, last_status, delivered_at, created_at)
            VALUES (?, ?, ?, 'weekly_digest', '{}', ?, ?, ?, ?, ?, ?, ?)`,
      args: ["d1", hook.body.id, "weekly_digest:2026-W47", "pending", 2, "2026-11-23T02:30:00.000Z", "连接超时", null, null, "2026-11-23T02:00:00.000Z"],
    });
    await db.execute({
      sql: `INSERT INTO webhook_deliveries (id, webhook_id, event_key, event, notice, status, attempts, next_attempt_at, last_error, last_status, delivered_at, created_at)
            VALUES (?, ?, ?, 'weekly_digest', '{}', ?, ?, ?, ?, ?, ?, ?)`,
      args: ["d2", hook.body.id, "weekly_digest:2026-W46", "delivered", 1, "2026-11-16T02:00:00.000Z", null, 200, "2026-11-16T02:00:05.000Z", "2026-11-16T02:00:00.000Z"],
    });
    db.close();

    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/settings`);
    await page.click("a:has-text('推送记录')");
    expect(await page.textContent("h1")).toContain("推送记录：政务公开办工作群");
    const pending = await page.locator("tbody tr", { hasText: "重试中" }).textContent();
    expect(pending).toContain("周报");
    expect(pending).toContain("2");
    expect(pending).toContain("2026-11-23 10:30"); // next retry, Beijing time
    expect(pending).toContain("连接超时");
    const delivered = await page.locator("tbody tr", { hasText: "已送达" }).textContent();
    expect(delivered).toContain("2026-11-16 10:00");
    expect(await page.content()).not.toContain("SECRET123");
  }, 90_000);

  it("a supervisor reads the tree and the audit log but gets no 令牌 page", async () => {
    const page = await loggedIn(browser, srv.base, supervisor);
    expect(await page.locator("header nav").textContent()).not.toContain("令牌");
    const tokens = await page.goto(`${srv.base}/tokens`);
    expect(tokens?.status()).toBe(403);
    expect(await page.textContent(".msg.err")).toContain("只有管理员可以管理令牌");
    const orgs = await page.goto(`${srv.base}/orgs`);
    expect(orgs?.status()).toBe(200);
    expect(await page.textContent("table")).toContain("某县公安局");
    expect(await page.locator("form[action='/orgs']").count()).toBe(0);
    expect((await page.goto(`${srv.base}/orgs/${srv.rootOrgId}`))?.status()).toBe(403);
    const audit = await page.goto(`${srv.base}/audit`);
    expect(audit?.status()).toBe(200);
    expect(await page.textContent("table")).toContain("机构改名");
    // An operator gets neither.
    const dept = await orgId("市公安局");
    const operator = (await srv.api(srv.rootToken, "POST", "/api/tokens", { orgId: dept, role: "operator", label: "公安局" })).body.token;
    const op = await loggedIn(browser, srv.base, operator);
    expect((await op.goto(`${srv.base}/audit`))?.status()).toBe(403);
    expect((await op.goto(`${srv.base}/orgs`))?.status()).toBe(403);
  }, 90_000);
});
