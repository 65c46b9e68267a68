// Spot checks, 整改, filings per kind and 作废 in a real Chromium against the real Node server: an
// inspection edited in the UI keeps what was recorded through the API; a filled list uploads with its
// row errors first; an operator records 整改 of an overdue failure; a merge is chosen from the picker;
// a registration made in error is voided. Needs /usr/bin/chromium (.ci/run installs it).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv, toCsv } from "../src/lib/csv";
import { quarterOf, shanghaiDate } from "../src/domain/weeks";
import { launchChromium, loggedIn, screenshot, startUiServer, type UiServer } from "./support/browser";

let srv: UiServer;
let browser: Browser;
let supervisor = "";
let operator = "";
let roundId = "";
type Item = { position: number; accountId: string; accountName: string };
/** The round's item for the hostile-named account (inspected first), then the others. */
let items: Item[] = [];
const HOSTILE = `抽查<script>alert("x")</script>"引号"😀`;

const daysAgo = (n: number) => shanghaiDate(new Date(Date.now() - n * 86_400_000));

async function upload(token: string, path: string, csv: string) {
  const r = await fetch(`${srv.base}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" }, body: csv });
  return { status: r.status, body: await r.json() };
}

beforeAll(async () => {
  srv = await startUiServer();
  const dept = (await srv.api(srv.rootToken, "POST", "/api/orgs", { name: "市教育局", kind: "department", level: "city", parentId: srv.rootOrgId })).body.id;
  supervisor = (await srv.api(srv.rootToken, "POST", "/api/tokens", { orgId: srv.rootOrgId, role: "supervisor", label: "政务公开办" })).body.token;
  operator = (await srv.api(srv.rootToken, "POST", "/api/tokens", { orgId: dept, role: "operator", label: "教育局" })).body.token;
  // Eight accounts from the old ledger, running since January: this quarter's population (all drawn at 50%+).
  const names = [HOSTILE, ...[2, 3, 4, 5, 6, 7, 8].map((i) => `教育抖音${i}`)];
  const ledger = toCsv([["账号名称", "平台", "账号ID", "主办单位", "开设日期"], ...names.map((n, i) => [n, "抖音", `dy-${i + 1}`, "市教育局", "2026-01-01"])]);
  const imp = await upload(supervisor, "/api/accounts/import", ledger);
  expect(imp.status, JSON.stringify(imp.body)).toBe(200);
  const q = quarterOf(new Date());
  const round = await srv.api(supervisor, "POST", "/api/sampling-rounds", { governmentOrgId: srv.rootOrgId, year: q.year, quarter: q.quarter });
  expect(round.status, JSON.stringify(round.body)).toBe(201);
  roundId = round.body.id;
  const drawn: Item[] = round.body.items;
  const hostile = drawn.find((i) => i.accountName === HOSTILE)!;
  expect(hostile).toBeDefined(); // Q4: every account not yet sampled this year is drawn
  items = [hostile, ...drawn.filter((i) => i !== hostile)];
  expect(items.length).toBeGreaterThanOrEqual(4);
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  srv?.stop();
});

const inspectionOf = async (accountId: string) => (await srv.api(supervisor, "GET", `/api/inspections?roundId=${roundId}&accountId=${accountId}`)).body.items[0];

describe("spot-check round in the browser", () => {
  it("edits an inspection recorded through the API without losing its other fields; errors re-render with the typed values", async () => {
    const first = items[0]!;
    const recorded = {
      accountId: first.accountId,
      result: "fail",
      problems: ["bad_links"],
      requirement: "限期修改失效链接",
      inspector: "张三",
      deadline: daysAgo(3),
      inspectedOn: daysAgo(10),
      notes: "首页链接失效",
    };
    expect((await srv.api(supervisor, "POST", `/api/sampling-rounds/${roundId}/inspections`, recorded)).status).toBe(200);

    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/sampling/${roundId}`);
    expect(await page.textContent("h1")).toContain("本级");
    expect(await page.textContent("main")).toContain("已逾期");
    // The hostile name is text, not markup.
    expect(await page.locator("tbody tr", { has: page.locator(`a[href="/sampling/${roundId}/items/${first.accountId}"]`) }).textContent()).toContain(HOSTILE);
    await screenshot(page, "u3-sampling-round");

    await page.click(`a[href="/sampling/${roundId}/items/${first.accountId}"]`);
    // Prefilled with what was recorded: 不合格 selected, its problem ticked, every field shown.
    expect(await page.isChecked("input[name=result][value=fail]")).toBe(true);
    expect(await page.isChecked("input[name=result][value=pass]")).toBe(false);
    expect(await page.isChecked("input[name=problems][value=bad_links]")).toBe(true);
    expect(await page.inputValue("input[name=inspector]")).toBe("张三");
    expect(await page.inputValue("textarea[name=requirement]")).toBe("限期修改失效链接");
    expect(await page.inputValue("input[name=deadline]")).toBe(recorded.deadline);
    expect(await page.inputValue("input[name=inspectedOn]")).toBe(recorded.inspectedOn);
    expect(await page.inputValue("textarea[name=notes]")).toBe("首页链接失效");
    await screenshot(page, "u3-inspection-form");

    // A deadline before the inspection date: refused, shown beside the field, what was typed kept.
    await page.check("input[name=problems][value=typos]");
    await page.fill("input[name=deadline]", daysAgo(20));
    await page.click("button:has-text('保存')");
    expect(await page.textContent("#f-deadline-err")).toContain("整改期限不能早于检查日期");
    expect(await page.isChecked("input[name=problems][value=typos]")).toBe(true);
    expect(await page.inputValue("input[name=deadline]")).toBe(daysAgo(20));
    expect((await inspectionOf(first.accountId)).problems).toEqual(["bad_links"]);

    await page.fill("input[name=deadline]", recorded.deadline);
    await page.click("button:has-text('保存')");
    expect(await page.textContent(".msg.info")).toContain("已登记");
    const after = await inspectionOf(first.accountId);
    expect(after.problems).toEqual(["typos", "bad_links"]);
    expect(after).toMatchObject({ result: "fail", requirement: recorded.requirement, inspector: "张三", deadline: recorded.deadline, inspectedOn: recorded.inspectedOn, notes: recorded.notes });

    // An unrecorded row starts with no result chosen; leaving it empty gets the API's error.
    await page.goto(`${srv.base}/sampling/${roundId}/items/${items[1]!.accountId}`);
    expect(await page.isChecked("input[name=result][value=pass]")).toBe(false);
    expect(await page.isChecked("input[name=result][value=fail]")).toBe(false);
    await page.click("button:has-text('保存')");
    expect(await page.textContent(".msg.err")).toContain("检查结论");
    expect(await page.textContent("#f-result-err")).toContain("请从列表中选择");
    expect(await inspectionOf(items[1]!.accountId)).toBeUndefined();
  }, 90_000);

  it("uploads a filled list: row errors first, then the results", async () => {
    const res = await fetch(`${srv.base}/api/sampling-rounds/${roundId}/export.csv`, { headers: { authorization: `Bearer ${supervisor}` } });
    const table = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    const h = table.findIndex((r) => r[0] === "序号");
    const col = (name: string) => table[h]!.indexOf(name);
    const rowOf = (position: number) => table.findIndex((r, i) => i > h && Number(r[0]) === position);
    const fill = (position: number, result: string, problems = "") => {
      const r = table[rowOf(position)]!;
      r[col("检查结果")] = result;
      r[col("问题类型")] = problems;
    };
    fill(items[2]!.position, "合格");
    fill(items[3]!.position, "好");
    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/sampling/${roundId}`);
    await page.setInputFiles("input[name=file]", { name: "名单.csv", mimeType: "text/csv", buffer: Buffer.from(toCsv(table)) });
    await page.click("button:has-text('上传')");
    expect(await page.textContent(".msg.err")).toContain("1 行错误");
    const errors = await page.textContent("table.row-errors");
    expect(errors).toContain(String(rowOf(items[3]!.position) + 1));
    expect(errors).toContain("检查结果");
    expect(errors).toContain("“好”");
    expect(await inspectionOf(items[2]!.accountId)).toBeUndefined();

    fill(items[3]!.position, "不合格", "错别字");
    await page.setInputFiles("input[name=file]", { name: "名单.csv", mimeType: "text/csv", buffer: Buffer.from(toCsv(table)) });
    await page.uncheck("input[name=dryRun]");
    await page.click("button:has-text('上传')");
    expect(await page.textContent(".msg.info")).toContain("已登记");
    expect((await inspectionOf(items[2]!.accountId)).result).toBe("pass");
    expect((await inspectionOf(items[3]!.accountId)).problems).toEqual(["typos"]);
  }, 90_000);

  it("lets an operator record 整改 of its overdue failure, highlighted until then", async () => {
    const page = await loggedIn(browser, srv.base, operator);
    await page.goto(`${srv.base}/rectification`);
    const row = page.locator("tr.overdue");
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(HOSTILE);
    expect(await row.textContent()).toContain("已逾期");
    await screenshot(page, "u3-rectification");
    // Before the inspection date: refused beside the field, the note kept.
    await row.locator("input[name=rectifiedAt]").fill(daysAgo(30));
    await row.locator("textarea[name=note]").fill("已修改全部失效链接");
    await row.locator("button:has-text('登记整改')").click();
    expect(await page.textContent("tr.overdue .field-err")).toContain("整改完成日期不能早于检查日期");
    expect(await page.inputValue("tr.overdue textarea[name=note]")).toBe("已修改全部失效链接");
    await page.fill("tr.overdue input[name=rectifiedAt]", daysAgo(5));
    await page.click("tr.overdue button:has-text('登记整改')");
    expect(await page.textContent(".msg.info")).toContain("已登记整改");
    expect(await page.locator("tr.overdue").count()).toBe(0);
    expect(await inspectionOf(items[0]!.accountId)).toMatchObject({ rectifiedAt: daysAgo(5), rectificationNote: "已修改全部失效链接" });

    // The inspection form shows the rectification; moving the inspection date past it is refused, nothing changes.
    const sup = await loggedIn(browser, srv.base, supervisor);
    await sup.goto(`${srv.base}/sampling/${roundId}/items/${items[0]!.accountId}`);
    expect(await sup.textContent(".rectified")).toContain("已修改全部失效链接");
    await sup.fill("input[name=inspectedOn]", daysAgo(4));
    await sup.click("button:has-text('保存')");
    expect(await sup.textContent("#f-inspectedOn-err")).toContain("整改完成日期不能早于检查日期");
    expect(await sup.inputValue("input[name=inspectedOn]")).toBe(daysAgo(4));
    // Saved unchanged, the rectification stays.
    await sup.goto(`${srv.base}/sampling/${roundId}/items/${items[0]!.accountId}`);
    await sup.click("button:has-text('保存')");
    expect(await inspectionOf(items[0]!.accountId)).toMatchObject({ inspectedOn: daysAgo(10), rectifiedAt: daysAgo(5), rectificationNote: "已修改全部失效链接" });
  }, 60_000);
});

describe("filing forms and 作废", () => {
  it("merges an account into one chosen from the picker", async () => {
    const all = (await srv.api(supervisor, "GET", "/api/accounts?q=教育抖音")).body.items as { id: string; name: string }[];
    const from = all.find((a) => a.name === "教育抖音7")!;
    const into = all.find((a) => a.name === "教育抖音8")!;
    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/accounts/${from.id}/filings/new`);
    // No kind is assumed: the page lists the kinds the status allows.
    expect(await page.locator("form").count()).toBe(1); // the header's logout form only
    expect(await page.textContent("ul.filing-kinds")).toContain("整合备案");
    await page.click("text=整合备案");
    const picker = page.locator("select[name=targetAccountId]");
    const labels = await picker.locator("option").allTextContents();
    expect(labels.some((l) => l.includes("教育抖音7"))).toBe(false); // never itself
    expect(labels.find((l) => l.includes("教育抖音8"))).toContain("市教育局");
    await picker.selectOption({ label: labels.find((l) => l.includes("教育抖音8"))! });
    await page.fill("textarea[name=reason]", "两个账号内容重复，整合为一个");
    await screenshot(page, "u3-filing-merge");
    await page.click("button:has-text('提交备案')");
    expect(await page.textContent(".msg.info")).toContain("已提交整合备案");
    const filing = (await srv.api(supervisor, "GET", `/api/filings?accountId=${from.id}&status=submitted`)).body.items[0];
    expect(filing).toMatchObject({ kind: "merge", targetAccountId: into.id });
    expect((await srv.api(supervisor, "POST", `/api/filings/${filing.id}/decision`, { approve: true })).status).toBe(200);
    expect((await srv.api(supervisor, "GET", `/api/accounts/${from.id}`)).body).toMatchObject({ status: "merged", mergedIntoId: into.id });
  }, 60_000);

  it("changes only the fields edited on the 变更 form", async () => {
    const acc = (await srv.api(supervisor, "GET", "/api/accounts?q=教育抖音6")).body.items[0];
    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/accounts/${acc.id}/filings/new?kind=change`);
    expect(await page.inputValue("input[name=name]")).toBe("教育抖音6");
    expect(await page.inputValue("input[name=platformId]")).toBe("dy-6");
    await page.fill("input[name=operator]", "某某传媒有限公司");
    // Another live account's id: refused beside 账号ID, every typed value kept.
    await page.fill("input[name=platformId]", "dy-5");
    await page.click("button:has-text('提交备案')");
    expect(await page.textContent("#f-platformId-err")).toContain("已被另一个在用账号登记");
    expect(await page.inputValue("input[name=platformId]")).toBe("dy-5");
    expect(await page.inputValue("input[name=operator]")).toBe("某某传媒有限公司");
    await page.fill("input[name=platformId]", "dy-6");
    await page.click("button:has-text('提交备案')");
    expect(await page.textContent(".msg.info")).toContain("已提交变更备案");
    const filing = (await srv.api(supervisor, "GET", `/api/filings?accountId=${acc.id}&status=submitted`)).body.items[0];
    expect(filing.changes).toEqual({ operator: "某某传媒有限公司" });

    // A WeChat account registered without a type (订阅号 by default): an untouched type is no change.
    const wx = (await srv.api(supervisor, "POST", "/api/accounts", { orgId: acc.orgId, platform: "wechat", name: "教育微信", platformId: "wx-jy" })).body;
    await page.goto(`${srv.base}/accounts/${wx.id}/filings/new?kind=change`);
    expect(await page.inputValue("select[name=accountType]")).toBe("subscription");
    await page.fill("input[name=contactPerson]", "王五");
    await page.click("button:has-text('提交备案')");
    expect(await page.textContent(".msg.info")).toContain("已提交变更备案");
    const wxFiling = (await srv.api(supervisor, "GET", `/api/filings?accountId=${wx.id}&status=submitted`)).body.items[0];
    expect(wxFiling.changes).toEqual({ contactPerson: "王五" });
  }, 60_000);

  it("voids a registration made in error", async () => {
    const orgs = (await srv.api(supervisor, "GET", "/api/orgs")).body.items as { id: string; name: string }[];
    const dept = orgs.find((o) => o.name === "市教育局")!;
    const acc = (await srv.api(supervisor, "POST", "/api/accounts", { orgId: dept.id, platform: "weibo", name: "误登记的微博", platformId: "wb-wrong" })).body;
    expect(acc.status).toBe("active");
    const page = await loggedIn(browser, srv.base, supervisor);
    await page.goto(`${srv.base}/accounts/${acc.id}/void`);
    await page.fill("textarea[name=reason]", "重复登记");
    await page.click("button:has-text('确认作废')");
    expect(await page.textContent(".msg.info")).toContain("已作废");
    expect((await srv.api(supervisor, "GET", `/api/accounts/${acc.id}`)).body.status).toBe("voided");
    // A second void is refused on the same page, in Chinese.
    await page.goto(`${srv.base}/accounts/${acc.id}/void`);
    await page.fill("textarea[name=reason]", "再次作废");
    await page.click("button:has-text('确认作废')");
    expect(await page.textContent(".field-err")).toContain("已作废");
    expect(await page.inputValue("textarea[name=reason]")).toBe("再次作废");
  }, 60_000);

  it("imports an account's posts from a file", async () => {
    const acc = (await srv.api(supervisor, "GET", "/api/accounts?q=教育抖音5")).body.items[0];
    const page = await loggedIn(browser, srv.base, operator);
    await page.goto(`${srv.base}/accounts/${acc.id}/posts/import`);
    const csv = toCsv([["发布时间", "标题", "链接", "唯一标识"], [`${daysAgo(1)} 10:00`, "一篇发文", "https://example.cn/a/1", ""], ["昨天", "坏时间", "", ""]]);
    await page.setInputFiles("input[name=file]", { name: "发文.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.click("button:has-text('上传')");
    expect(await page.textContent("table.row-errors")).toContain("无法识别的时间");
    const good = toCsv([["发布时间", "标题", "链接", "唯一标识"], [`${daysAgo(1)} 10:00`, "一篇发文", "https://example.cn/a/1", ""]]);
    await page.setInputFiles("input[name=file]", { name: "发文.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
    await page.uncheck("input[name=dryRun]");
    await page.click("button:has-text('上传')");
    expect(await page.textContent(".msg.info")).toContain("已导入 1 条");
    expect((await srv.api(operator, "GET", `/api/accounts/${acc.id}/posts`)).body.total).toBe(1);
  }, 60_000);
});
