// The list pages in a real Chromium against the real Node server: paging past the 60th account,
// sorting, the unit filter, alerts with their platform and bulk 知悉, the compliance week picker, forms
// that keep what was typed, the nav cut to the role, a 390 px screen, hostile names, a revoked session
// and a forged post. Needs /usr/bin/chromium (.ci/run installs it).
import { createClient } from "@libsql/client";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addWeeks, weekOf } from "../src/domain/weeks";
import { weekRangeLabel } from "../src/web/monitoring-pages";
import { launchChromium, loggedIn, screenshot, startUiServer, type UiServer } from "./support/browser";

let srv: UiServer;
let browser: Browser;
let supervisor = "";
let countyA = "";
let edu = "";
let countyBAccount = "";
const HOSTILE = `<script>alert(1)</script>"'😀`;
const ids: Record<string, string> = {};

/** Script errors and dialogs a page raised: a hostile name must never run. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

beforeAll(async () => {
  srv = await startUiServer();
  const { api, rootToken, rootOrgId } = srv;
  const org = async (name: string, kind: string, level: string) => {
    const r = await api(rootToken, "POST", "/api/orgs", { name, kind, level, parentId: rootOrgId });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  edu = await org("市教育局", "department", "city");
  const a = await org("甲县人民政府", "government", "county");
  const b = await org("乙县人民政府", "government", "county");
  supervisor = (await api(rootToken, "POST", "/api/tokens", { orgId: rootOrgId, role: "supervisor", label: "政务公开办" })).body.token;
  countyA = (await api(rootToken, "POST", "/api/tokens", { orgId: a, role: "operator", label: "甲县" })).body.token;
  // 62 accounts of one unit from the old ledger: more than one page of 50.
  const rows = Array.from({ length: 62 }, (_, i) => `账号${String(i + 1).padStart(3, "0")},抖音,dy-${i + 1},市教育局,2024-01-01`);
  const imp = await fetch(`${srv.base}/api/accounts/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${supervisor}`, "content-type": "text/csv" },
    body: `账号名称,平台,账号ID,主办单位,开设日期\r\n${rows.join("\r\n")}`,
  });
  expect(imp.status, await imp.clone().text()).toBe(200);
  const make = async (key: string, orgId: string, platform: string, name: string) => {
    const r = await api(supervisor, "POST", "/api/accounts", { orgId, platform, name, platformId: `${key}-id` });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[key] = r.body.id;
  };
  // Same name on two platforms: only the platform tells their alerts apart.
  await make("wx", rootOrgId, "wechat", "市政府发布");
  await make("wb", rootOrgId, "weibo", "市政府发布");
  await make("hostile", a, "weibo", HOSTILE);
  await make("countyB", b, "wechat", "乙县发布");
  countyBAccount = ids.countyB!;
  // Alerts come from the scheduled jobs (off here): written straight into the server's database.
  const db = createClient({ url: `file:${join(srv.dir, "ui.db")}` });
  const at = new Date().toISOString();
  for (const key of ["wx", "wb", "hostile"]) {
    await db.execute({
      sql: "INSERT INTO alerts (id, account_id, org_id, kind, status, message, opened_at, last_seen_at) VALUES (?, ?, ?, 'no_update_14d', 'open', '两周未更新', ?, ?)",
      args: [`alert-${key}`, ids[key]!, key === "hostile" ? a : rootOrgId, at, at],
    });
  }
  db.close();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  srv?.stop();
});

describe("lists", () => {
  it("pages to the 61st account, sorts by name and filters by unit", async () => {
    const page = await loggedIn(browser, srv.base, supervisor);
    const problems = watch(page);
    await page.goto(`${srv.base}/accounts`);
    expect(await page.evaluate(() => document.compatMode)).toBe("CSS1Compat");
    expect(await page.textContent(".pager")).toContain("共 66 个账号");
    expect(await page.textContent(".pager")).toContain("第 1/2 页");
    // The unit picker lists the tree, indented; choosing a unit keeps only its accounts.
    await page.selectOption("select[name=orgId]", edu);
    await page.click("form.filters button[type=submit]");
    expect(await page.textContent(".pager")).toContain("共 62 个账号");
    // Sort by name: ascending, then a second click descending; the unit filter stays in the links.
    await page.click("th a:has-text('账号名称')");
    expect(page.url()).toContain(`orgId=${edu}`);
    expect(page.url()).toContain("sort=name");
    expect(await page.locator("tbody tr td:first-child").first().textContent()).toBe("账号001");
    await page.locator(".pager").first().locator("a:has-text('下一页')").click();
    expect(page.url()).toContain("page=2");
    expect(await page.textContent(".pager")).toContain("第 2/2 页");
    const names = await page.locator("tbody tr td:first-child").allTextContents();
    expect(names[10]).toBe("账号061");
    expect(names).not.toContain("账号050");
    await screenshot(page, "accounts");
    await page.goto(`${srv.base}/accounts?orgId=${edu}&sort=name`);
    await page.click("th a:has-text('账号名称')");
    expect(page.url()).toContain("order=desc");
    expect(await page.locator("tbody tr td:first-child").first().textContent()).toBe("账号062");
    // The name links to the account's page.
    await page.click("tbody tr td:first-child a");
    expect(await page.textContent("h1")).toContain("账号062");
    expect(problems).toEqual([]);
  }, 90_000);

  it("shows each alert's platform and acknowledges two in one post", async () => {
    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/alerts`);
    const rows = page.locator("tbody tr", { hasText: "市政府发布" });
    expect(await rows.count()).toBe(2);
    const text = (await rows.allTextContents()).join("\n");
    expect(text).toContain("微信公众号");
    expect(text).toContain("微博");
    await screenshot(page, "alerts");
    await page.check(`input[name=ids][value=alert-wx]`);
    await page.check(`input[name=ids][value=alert-wb]`);
    await page.fill("#bulk input[name=note]", "已安排更新");
    await page.click("#bulk button:has-text('批量知悉')");
    expect(await page.textContent(".msg.info")).toContain("已知悉 2 条预警");
    const open = await srv.api(supervisor, "GET", "/api/alerts?status=acknowledged");
    expect(open.body.items.map((a: { id: string }) => a.id).sort()).toEqual(["alert-wb", "alert-wx"]);
    // History: the acknowledged ones, with the note.
    await page.selectOption("select[name=status]", "acknowledged");
    await page.click("form.filters button[type=submit]");
    expect(await page.textContent("tbody")).toContain("已安排更新");
    // The platform filter.
    await page.goto(`${srv.base}/alerts?status=&platform=weibo`);
    expect(await page.locator("tbody tr").count()).toBe(2);
  }, 60_000);

  it("moves the compliance week with 上一周 and shows the range as dates", async () => {
    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/compliance`);
    const last = addWeeks(weekOf(new Date()), -1);
    expect(await page.textContent(".week-nav .range")).toContain(weekRangeLabel(last));
    expect(weekRangeLabel(last)).toMatch(/^\d{1,2}月\d{1,2}日–\d{1,2}月\d{1,2}日$/);
    expect(await page.textContent("main")).toContain("按单位汇总");
    expect(await page.textContent("main")).toContain("按平台汇总");
    await screenshot(page, "compliance");
    await page.click("a:has-text('上一周')");
    expect(await page.textContent(".week-nav .range")).toContain(weekRangeLabel(addWeeks(last, -1)));
    expect(page.url()).toContain(`week=${addWeeks(last, -1).id}`);
    // The export is the week shown.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=导出 CSV")]);
    expect(download.suggestedFilename()).toContain(addWeeks(last, -1).id);
  }, 60_000);

  it("keeps what was typed when the API refuses a registration, with the problem beside the field", async () => {
    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/accounts/new`);
    await page.fill("input[name=name]", "保留的名称");
    await page.selectOption("select[name=platform]", "weibo");
    await page.fill("input[name=url]", "不是网址");
    await page.click("button:has-text('提交')");
    expect(await page.inputValue("input[name=name]")).toBe("保留的名称");
    expect(await page.inputValue("select[name=platform]")).toBe("weibo");
    expect(await page.inputValue("input[name=url]")).toBe("不是网址");
    expect(await page.textContent("#f-url-err")).toContain("网址");
    // No field key, no English in what the clerk reads.
    const msg = await page.textContent(".msg.err");
    expect(msg).not.toMatch(/\burl\b|expected|Invalid/);
  }, 60_000);

  it("cuts the nav to the role and keeps the header clear of the content at 390 px", async () => {
    const op = await loggedIn(browser, srv.base, countyA);
    const nav = await op.textContent("header nav");
    expect(nav).toContain("账号台账");
    expect(nav).not.toContain("设置");
    expect(nav).not.toContain("机构管理");
    const admin = await loggedIn(browser, srv.base, srv.rootToken);
    expect(await admin.textContent("header nav")).toContain("机构管理");

    const narrow = await loggedIn(browser, srv.base, supervisor, { width: 390, height: 844 });
    await narrow.goto(`${srv.base}/accounts`);
    const { header, main, scroll } = await narrow.evaluate(() => ({
      header: document.querySelector("header")!.getBoundingClientRect().bottom,
      main: document.querySelector("main")!.getBoundingClientRect().top,
      scroll: document.documentElement.scrollWidth,
    }));
    expect(header).toBeLessThanOrEqual(main);
    // Wide tables scroll inside their box; the page itself does not scroll sideways.
    expect(scroll).toBeLessThanOrEqual(390);
    await screenshot(narrow, "accounts-390");
  }, 60_000);

  it("tells another county the account does not exist or is not theirs", async () => {
    const page = await loggedIn(browser, srv.base, countyA);
    await page.goto(`${srv.base}/accounts/${countyBAccount}`);
    expect(await page.textContent(".msg.err")).toContain("不存在或无权访问");
    expect(await page.textContent("main")).not.toContain("乙县发布");
  }, 60_000);

  it("renders a hostile name as text", async () => {
    const page = await loggedIn(browser, srv.base, supervisor);
    const problems = watch(page);
    await page.goto(`${srv.base}/accounts?q=${encodeURIComponent("😀")}`);
    expect(await page.locator("tbody tr td:first-child a").textContent()).toBe(HOSTILE);
    await page.goto(`${srv.base}/alerts`);
    expect(await page.textContent("tbody")).toContain(HOSTILE);
    expect(problems).toEqual([]);
  }, 60_000);

  it("sends a revoked session back to 登录 with a message, and refuses a forged post", async () => {
    const made = await srv.api(srv.rootToken, "POST", "/api/tokens", { orgId: srv.rootOrgId, role: "supervisor", label: "临时" });
    const page = await loggedIn(browser, srv.base, made.body.token);
    await page.goto(`${srv.base}/accounts`);
    expect(page.url()).toContain("/accounts");
    expect((await srv.api(srv.rootToken, "POST", `/api/tokens/${made.body.id}/revoke`)).status).toBe(200);
    await page.goto(`${srv.base}/accounts`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.textContent(".msg.err")).toContain("请重新登录");

    const forged = await fetch(`${srv.base}/accounts/new`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: `gm_token=${supervisor}`, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ orgId: edu, platform: "weibo", name: "伪造的账号" }).toString(),
    });
    expect(forged.status).toBe(403);
    expect((await srv.api(supervisor, "GET", `/api/accounts?q=${encodeURIComponent("伪造的账号")}`)).body.total).toBe(0);
  }, 60_000);
});
