// The web UI in a real Chromium against the real Node server: log in with a token, read the ledger,
// approve a filing, acknowledge nothing by accident. Needs /usr/bin/chromium (.ci/run installs it).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsx = join(process.cwd(), "node_modules/.bin/tsx");
const dir = mkdtempSync(join(tmpdir(), "govmedia-ui-"));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, "ui.db")}`, RUN_JOBS: "false" };
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess;
let browser: Browser;
let supervisor = "";
let operator = "";
let accountId = "";

async function api(token: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

beforeAll(async () => {
  const { stdout } = await run(tsx, ["src/cli.ts", "bootstrap", "--name", "某市人民政府", "--level", "city"], { env });
  const root = JSON.parse(stdout.trim());
  server = spawn(tsx, ["src/node.ts"], { env: { ...env, PORT: String(port) }, stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  const dept = (await api(root.token, "POST", "/api/orgs", { name: "市教育局", kind: "department", level: "city", parentId: root.orgId })).body.id;
  supervisor = (await api(root.token, "POST", "/api/tokens", { orgId: root.orgId, role: "supervisor", label: "政务公开办" })).body.token;
  operator = (await api(root.token, "POST", "/api/tokens", { orgId: dept, role: "operator", label: "教育局" })).body.token;
  const acc = await api(operator, "POST", "/api/accounts", { orgId: dept, platform: "wechat", name: "市教育发布", platformId: "jy-wx" });
  expect(acc.body.status).toBe("pending");
  accountId = acc.body.id;
  // Four accounts from the old ledger, running since January: this quarter's spot-check population.
  const ledger = "账号名称,平台,账号ID,主办单位,开设日期\r\n" + [1, 2, 3, 4].map((i) => `旧账号${i},抖音,old-${i},市教育局,2026-01-01`).join("\r\n");
  const imp = await fetch(`${base}/api/accounts/import`, { method: "POST", headers: { authorization: `Bearer ${supervisor}`, "content-type": "text/csv" }, body: ledger });
  expect(imp.status).toBe(200);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

describe("web UI", () => {
  it("logs in, shows the ledger in Chinese and approves a filing", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    expect(page.url()).toBe(`${base}/login`);
    await page.fill("input[name=token]", "gm_wrong");
    await page.click("button[type=submit]");
    expect(await page.textContent(".msg.err")).toContain("令牌无效");

    await page.fill("input[name=token]", supervisor);
    await page.click("button[type=submit]");
    expect(page.url()).toBe(`${base}/`);
    expect(await page.textContent("header .who")).toContain("某市人民政府（主管单位）");
    expect(await page.textContent(".stats")).toContain("待审核备案1");

    await page.click("text=账号台账");
    expect(await page.textContent("table")).toContain("市教育发布");
    expect(await page.textContent("table")).toContain("待审核");

    await page.click("text=备案审核");
    expect(await page.textContent("table")).toContain("开设");
    expect(await page.textContent("table")).toContain("市教育发布（微信公众号，市教育局）");
    // Rejecting without a note is refused with the API's own message.
    await page.click("button:has-text('驳回')");
    expect(await page.textContent(".msg.err")).toContain("审核意见");
    await page.fill("input[name=note]", "同意开设");
    await page.click("button:has-text('批准')");
    expect(await page.textContent(".msg.info")).toContain("已批准");
    expect((await api(supervisor, "GET", `/api/accounts/${accountId}`)).body.status).toBe("active");

    await page.goto(`${base}/accounts`);
    const download = await Promise.all([page.waitForEvent("download"), page.click("text=导出 CSV")]);
    expect(download[0].suggestedFilename()).toContain(".csv");
    await page.screenshot({ path: join(dir, "accounts.png"), fullPage: true });

    // Logging out is the header's button (a same-origin POST), not a link.
    await page.click("header button:has-text('退出')");
    expect(page.url()).toBe(`${base}/login`);
    await page.goto(`${base}/accounts`);
    expect(page.url()).toBe(`${base}/login`);
  }, 60_000);

  it("lets an operator register an account and file its closure; a supervisor checks a ledger file", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.fill("input[name=token]", operator);
    await page.click("button[type=submit]");
    await page.goto(`${base}/accounts/new`);
    await page.fill("input[name=name]", "市教育微博");
    await page.selectOption("select[name=platform]", "weibo");
    await page.fill("input[name=platformId]", "jy-wb");
    await page.click("button:has-text('提交')");
    expect(await page.textContent(".msg.info")).toContain("已提交开设备案");
    expect(await page.textContent("h1")).toContain("市教育微博");
    expect(await page.textContent("main")).toContain("待审核");
    // While its opening is pending, the account offers no closure: the filing page says why.
    await page.goto(`${page.url().split("?")[0]}/filings/new?kind=close`);
    expect(await page.textContent(".msg.err")).toContain("不能办理关停注销备案");

    const sup = await browser.newPage();
    await sup.goto(`${base}/login`);
    await sup.fill("input[name=token]", supervisor);
    await sup.click("button[type=submit]");
    await sup.goto(`${base}/import`);
    const csv = "\uFEFF账号名称,平台,主办单位\r\n好账号,微博,市教育局\r\n坏账号,推特,市教育局\r\n";
    await sup.setInputFiles("input[name=file]", { name: "台账.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await sup.click("button:has-text('上传')");
    expect(await sup.textContent(".msg.err")).toContain("1 处错误");
    expect(await sup.textContent("table")).toContain("无法识别的平台");
    expect((await api(supervisor, "GET", "/api/accounts?q=好账号")).body.total).toBe(0);
  }, 60_000);

  it("draws the quarter's spot-check list, records a result and downloads the notice", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.fill("input[name=token]", supervisor);
    await page.click("button[type=submit]");
    await page.goto(`${base}/sampling`);
    await page.click("button:has-text('抽取名单')");
    expect(await page.textContent(".msg.info")).toContain("已抽取 4 个账号");
    expect(await page.textContent(".card")).toContain("名单与重新计算的结果一致");
    const row = page.locator("tbody tr").first();
    await row.locator("a:has-text('登记结果')").click();
    await page.check("input[name=result][value=fail]");
    await page.check("input[name=problems][value=bad_links]");
    await page.click("button:has-text('保存')");
    expect(await page.textContent(".msg.info")).toContain("已登记");
    expect(await page.locator("tbody tr").first().textContent()).toContain("不合格：链接错误");
    await page.goto(`${base}/sampling`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=通报 Markdown")]);
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(path!, "utf8")).toContain("抽查情况的通报");
  }, 60_000);

  it("configures a message robot and a local standard", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.fill("input[name=token]", supervisor);
    await page.click("button[type=submit]");
    await page.goto(`${base}/settings`);
    await page.selectOption("select[name=kind]", "dingtalk");
    await page.fill("input[name=label]", "政务公开办工作群");
    await page.fill("input[name=url]", "http://192.168.1.10/robot");
    await page.click("button:has-text('添加')");
    expect(await page.textContent(".msg.err")).toContain("内网");
    await page.selectOption("select[name=kind]", "dingtalk");
    await page.fill("input[name=label]", "政务公开办工作群");
    await page.fill("input[name=url]", "https://oapi.dingtalk.com/robot/send?access_token=SECRET123");
    await page.fill("input[name=secret]", "SECabc");
    await page.click("button:has-text('添加')");
    expect(await page.textContent(".msg.info")).toContain("已添加");
    const table = await page.textContent("table");
    expect(table).toContain("政务公开办工作群");
    expect(table).not.toContain("SECRET123");
    await page.click("button:has-text('停用')");
    expect(await page.textContent(".msg.info")).toContain("已停用");

    await page.selectOption("select[name=key]", "weeklyMinimum");
    await page.selectOption("select[name=platform]", "douyin");
    await page.fill("input[name=value]", "2");
    await page.click("button:has-text('调整')");
    expect(await page.textContent(".msg.info")).toContain("已调整");
    expect(await page.textContent("main")).toContain("抖音 2");
  }, 60_000);

  it("renders the API reference under its CSP, fills a request body and tries an operation", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused/.test(m.text())) problems.push(m.text());
    });
    await page.goto(`${base}/api/docs`);
    await page.waitForSelector("details.op");
    expect(await page.locator("details.op").count()).toBeGreaterThan(30);
    await page.fill("#token", supervisor);

    const create = page.locator('[id="op-post-/api/accounts"]');
    await create.locator("summary").click();
    // The body is rendered on the details' toggle event, which fires after the click returns.
    await create.locator("textarea").waitFor();
    expect(await create.textContent()).toContain("CreateAccount");
    expect(await create.locator("textarea").inputValue()).toContain('"orgId"');

    const me = page.locator('[id="op-get-/api/me"]');
    await me.locator("summary").click();
    await me.locator("button:has-text('发送')").click();
    await me.locator("pre").waitFor();
    expect(await me.locator(".try .status").textContent()).toContain("HTTP 200");
    expect(await me.locator("pre").textContent()).toContain("某市人民政府");

    // The filter hides what does not match, and a query matching nothing leaves the filter usable.
    await page.fill("#filter", "/api/me");
    expect(await page.locator("details.op:visible").count()).toBe(1);
    await page.fill("#filter", "没有这样的接口");
    expect(await page.locator("details.op:visible").count()).toBe(0);
    expect(await page.locator("#filter").isVisible()).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);

  it("refuses a cross-site form post", async () => {
    const r = await fetch(`${base}/filings/x/decision`, {
      method: "POST",
      headers: { origin: "http://evil.example", cookie: `gm_token=${supervisor}`, "content-type": "application/x-www-form-urlencoded" },
      body: "approve=true",
      redirect: "manual",
    });
    expect(r.status).toBe(403);
  });
});
