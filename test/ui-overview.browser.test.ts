// The overview and the account page in a real Chromium against the real Node server: server-rendered
// SVG charts with their figures as text, and an account's 26-week heatmap in which compliant, below,
// veto, unknown and exempt weeks are drawn apart. Needs /usr/bin/chromium (.ci/run installs it).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addWeeks, shanghaiDate, weekOf } from "../src/domain/weeks";
import { launchChromium, loggedIn, screenshot, startUiServer, type UiServer } from "./support/browser";

const run = promisify(execFile);
let srv: UiServer;
let browser: Browser;
let supervisor = "";
let operator = "";
const ids: Record<string, string> = {};
const HOSTILE = `教育<script>alert("x")</script>"引号"😀`;

// Weeks relative to the one in progress now (the server runs on the real clock).
const current = weekOf(new Date());
const week = (n: number) => addWeeks(current, n);
/** Tuesday of week n, hh:00 Beijing, as an ISO instant with its offset. */
const tuesday = (n: number, hh: number) => `${shanghaiDate(new Date(week(n).start.getTime() + 86_400_000))}T${String(hh).padStart(2, "0")}:00:00+08:00`;

/** CSP violations and script errors seen by a page: the charts must need neither script nor inline style. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  return problems;
}

beforeAll(async () => {
  srv = await startUiServer();
  const { api, rootToken, rootOrgId } = srv;
  const edu = (await api(rootToken, "POST", "/api/orgs", { name: "市教育局", kind: "department", level: "city", parentId: rootOrgId })).body.id;
  const water = (await api(rootToken, "POST", "/api/orgs", { name: "市水利局", kind: "department", level: "city", parentId: rootOrgId })).body.id;
  supervisor = (await api(rootToken, "POST", "/api/tokens", { orgId: rootOrgId, role: "supervisor", label: "政务公开办" })).body.token;
  operator = (await api(rootToken, "POST", "/api/tokens", { orgId: edu, role: "operator", label: "教育局" })).body.token;
  const make = async (key: string, orgId: string, platform: string, name: string, openedOn: string) => {
    const r = await api(supervisor, "POST", "/api/accounts", { orgId, platform, name, openedOn });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.status).toBe("active");
    ids[key] = r.body.id;
  };
  const push = async (key: string, dates: string[]) => {
    const posts = dates.map((d, i) => ({ title: `${key} 第${i + 1}条`, guid: `${key}-${i}`, publishedAt: d }));
    const r = await api(supervisor, "POST", `/api/accounts/${ids[key]}/posts`, { posts });
    expect(r.body.inserted, JSON.stringify(r.body)).toBe(dates.length);
  };
  // Opened on the Wednesday of week -20: the weeks before and that partial week are exempt.
  const opened = shanghaiDate(new Date(week(-20).start.getTime() + 2 * 86_400_000));
  await make("wx", edu, "wechat", "市教育发布", opened);
  await make("wb", edu, "weibo", "市教育微博", "2026-01-05");
  await make("dy", water, "douyin", "市水利抖音", "2026-01-05");
  await make("tt", water, "toutiao", "市水利头条", "2026-01-05");
  await make("mp", edu, "miniprogram", HOSTILE, "2026-01-05");
  // 市教育发布: nothing until week -10 (no data source), then 3 a week, except 1 in week -5 and
  // silence in weeks -3 and -2 (the second silent week is the two-week veto); 3 again last week.
  const wx: string[] = [];
  for (const n of [-10, -9, -8, -7, -6, -4, -1]) wx.push(tuesday(n, 9), tuesday(n, 12), tuesday(n, 15));
  wx.push(tuesday(-5, 9));
  await push("wx", wx);
  await push("wb", [tuesday(-3, 9), tuesday(-2, 9), tuesday(-1, 9)]); // 1 of 3 last week: below
  await push("dy", [tuesday(-2, 10), tuesday(-1, 10)]); // 1 of 1: compliant
  await push("mp", [tuesday(-1, 11)]); // 1 of 1: compliant
  // 市水利头条 has no feed and nothing pushed: no data source.
  // Last week's judgement and its alerts, as the Monday job does it.
  await run(join(process.cwd(), "node_modules/.bin/tsx"), ["src/cli.ts", "job", "evaluate-week"], {
    env: { ...process.env, DATABASE_URL: `file:${join(srv.dir, "ui.db")}`, RUN_JOBS: "false" },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  srv?.stop();
});

describe("overview charts", () => {
  it("draws the trend, pace, ranking, alerts, platform mix and data sources as SVG with their figures", async () => {
    const page = await loggedIn(browser, srv.base, supervisor, { width: 1280, height: 900 });
    const problems = watch(page);
    await page.goto(`${srv.base}/`);
    // The four numbers the other browser test reads stay.
    expect(await page.textContent(".stats")).toContain("在用账号5");
    expect(await page.locator(".charts svg[role=img]").count()).toBeGreaterThanOrEqual(6);
    for (const kind of ["trend", "pace", "ranking", "platforms", "sources"]) {
      expect(await page.locator(`.chart-${kind} svg title`).count(), kind).toBeGreaterThan(0);
    }

    // Trend: 12 bars; last week 3 of the 4 judged accounts (市水利头条 has no source) met the minimum.
    const trend = page.locator(".chart-trend");
    expect(await trend.locator("g.bar").count()).toBe(12);
    const last = week(-1).id;
    const rows = await trend.locator("details.figures tbody tr").allTextContents();
    expect(rows).toHaveLength(12);
    expect(rows.at(-1)).toBe(`${last}75%45`);
    expect(await trend.locator("g.bar title").last().textContent()).toBe(`${last}：达标率 75%（5 个账号中 4 个可判断）`);

    // This week's pace covers all five accounts; the one without a source cannot be judged.
    const pace = (await page.textContent(".chart-pace"))!;
    expect(pace).toContain("合计 5 个");
    expect(pace).toMatch(/无法判断 1（20%）/);

    // Units by problems: 市教育局 (市教育微博 below) and 市水利局 (市水利头条 unknown), with their alerts.
    const ranking = page.locator(".chart-ranking").first();
    const unitRows = await ranking.locator("details.figures tbody tr").allTextContents();
    expect(unitRows.some((r) => r.startsWith("市教育局1"))).toBe(true);
    expect(unitRows.some((r) => r.startsWith("市水利局01"))).toBe(true);

    const alerts = (await page.locator(".chart-ranking").nth(1).textContent())!;
    expect(alerts).toContain("更新未达标");
    expect(alerts).toContain("无数据来源");

    const platforms = (await page.textContent(".chart-platforms"))!;
    for (const p of ["微信公众号 1", "微博 1", "抖音 1", "今日头条 1", "小程序 1"]) expect(platforms).toContain(p);
    expect(platforms).toContain("合计 5 个");

    const sources = (await page.textContent(".chart-sources"))!;
    expect(sources).toContain("可判断 4（80%）");
    expect(sources).toContain("无数据来源 1（20%）");

    await screenshot(page, "overview");
    // On a phone the charts stack and nothing spills sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "overview-phone");
    expect(problems).toEqual([]);
  }, 60_000);
});

describe("account page", () => {
  it("shows a 26-week heatmap with compliant, below, veto, unknown and exempt weeks drawn apart", async () => {
    const page = await loggedIn(browser, srv.base, supervisor, { width: 1280, height: 900 });
    const problems = watch(page);
    await page.goto(`${srv.base}/accounts/${ids.wx}`);
    expect(await page.textContent("h1")).toContain("微信公众号");
    const cells = page.locator(".chart-heatmap g.cell");
    expect(await cells.count()).toBe(26);
    const cls = async (n: number) => (await page.locator(`.chart-heatmap g.cell[data-week="${week(n).id}"]`).getAttribute("class"))!;
    expect(await cls(-1)).toBe("cell cell-compliant");
    expect(await cls(-5)).toBe("cell cell-below");
    expect(await cls(-3)).toBe("cell cell-below");
    expect(await cls(-2)).toBe("cell cell-veto");
    expect(await cls(-12)).toBe("cell cell-unknown");
    expect(await cls(0)).toBe("cell cell-unknown");
    expect(await cls(-22)).toBe("cell cell-exempt");
    expect(await cls(-20)).toBe("cell cell-exempt");
    // The tooltip: the week's dates and its updates against the minimum.
    const title = await page.locator(`.chart-heatmap g.cell[data-week="${week(-5).id}"] > title`).textContent();
    expect(title).toMatch(/^\d+月\d+日–\d+月\d+日：1\/3 次（未达标）$/);
    expect(await page.locator(`.chart-heatmap g.cell[data-week="${week(-12).id}"] > title`).textContent()).toContain("未接入数据来源");
    const legend = (await page.textContent(".chart-heatmap .legend"))!;
    expect(legend).toContain("单项否决 1 周");
    // Links to the filing pages instead of a form; the supervisor may void a wrong registration.
    expect(await page.locator(`a[href="/accounts/${ids.wx}/filings/new?kind=suspend"]`).count()).toBe(1);
    expect(await page.locator(`a[href="/accounts/${ids.wx}/void"]`).textContent()).toBe("作废（误登记）");
    expect(await page.locator("select[name=kind]").count()).toBe(0);
    // Posts are still listed.
    expect(await page.textContent("main")).toContain("最近发文（共 22 条）");
    await screenshot(page, "account");
    expect(problems).toEqual([]);
  }, 60_000);

  it("lists the account's alerts with status and time, and an operator gets no void link", async () => {
    const page = await loggedIn(browser, srv.base, operator);
    const problems = watch(page);
    await page.goto(`${srv.base}/accounts/${ids.wb}`);
    const alerts = (await page.textContent("table.alerts"))!;
    expect(alerts).toContain("更新未达标");
    expect(alerts).toContain("未处理");
    expect(alerts).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(await page.textContent("main")).toContain("预警 市教育微博 · 微博");
    expect(await page.textContent("main")).toContain("没有检查记录");
    expect(await page.locator(`a[href="/accounts/${ids.wb}/void"]`).count()).toBe(0);
    expect(await page.locator(`a[href="/accounts/${ids.wb}/filings/new?kind=change"]`).count()).toBe(1);
    expect(problems).toEqual([]);
  }, 60_000);

  it("renders a hostile account name as text", async () => {
    const page = await loggedIn(browser, srv.base, supervisor);
    const problems = watch(page);
    await page.goto(`${srv.base}/accounts/${ids.mp}`);
    expect(await page.textContent("h1")).toContain(HOSTILE);
    expect(await page.textContent("h1")).toContain("小程序");
    expect(await page.locator(".chart-heatmap svg title").first().textContent()).toContain(HOSTILE);
    expect(await page.locator("main script").count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
