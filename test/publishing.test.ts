// 公开抽查情况: a supervisor publishes the quarter's notice; anyone reads it without login; nothing
// private reaches the page; withdrawing makes it 404 again. Fixture: test/support/score-fixture.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PHONE, scoreFixture, type ScoreFixture } from "./support/score-fixture";

let f: ScoreFixture;
const body = () => ({ governmentOrgId: f.cityId, year: 2026, quarter: 4 });
const page = () => `/public/${f.cityId}/sampling/2026/4`;
const anon = (path: string) => f.t.app.request(path);

beforeAll(async () => {
  f = await scoreFixture();
});
afterAll(() => f.t.close());

async function auditOf(action: string) {
  const r = await f.t.client.execute({ sql: "SELECT entity, org_id FROM audit_log WHERE action = ?", args: [action] });
  return r.rows.map((x) => [x.entity, x.org_id]);
}

describe("publishing the quarterly notice", () => {
  it("answers 404 at the public URL before publishing, the same as an unknown government", async () => {
    const before = await anon(page());
    const unknown = await anon("/public/no-such-org/sampling/2026/4");
    expect(before.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await before.text()).toBe(await unknown.text());
    expect((await anon(`/public/${f.cityId}/sampling`)).status).toBe(404);
    expect((await anon(`/public/${f.cityId}/sampling.xml`)).status).toBe(404);
  });

  it("refuses an operator (403) and a government outside the caller's subtree (404)", async () => {
    const op = await f.t.call(f.operator, "POST", "/api/reports/quarterly/publish", body());
    expect(op.status).toBe(404); // the operator's subtree is 乙局: the city is not visible to it
    const viewer = await f.t.call(f.admin, "POST", "/api/tokens", { orgId: f.cityId, role: "viewer", label: "viewer" });
    const v = await f.t.call(viewer.body.token, "POST", "/api/reports/quarterly/publish", body());
    expect(v.status).toBe(403);
    const noRound = await f.t.call(f.sup, "POST", "/api/reports/quarterly/publish", { ...body(), quarter: 3 });
    expect(noRound.status).toBe(400);
    expect(noRound.body.error.message).toContain("尚未开展抽查");
  });

  it("publishes: 200 without a cookie, cacheable, with unit scores and failed accounts, and nothing private", async () => {
    const r = await f.t.call(f.sup, "POST", "/api/reports/quarterly/publish", body());
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.publicPath).toBe(page());
    expect(await auditOf("notice.publish")).toEqual([["notice", f.cityId]]);

    const res = await anon(page());
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const html = await res.text();
    expect(html).toContain("关于2026年第4季度政务新媒体抽查情况的通报");
    expect(html).toContain("单位得分");
    expect(html).toMatch(/甲局<\/td><td class="n">91<\/td>/);
    expect(html).toContain("不合格（单项否决）");
    // Vetoed and failed accounts with their rectification status.
    for (const name of ["甲局微信", "甲局微博", "乙局微信"]) expect(html).toContain(name);
    expect(html).toContain("整改中");
    // The CSP allows no inline style: the print stylesheet is a file.
    expect(html).not.toMatch(/<style|style=/i);
    expect(html).toContain('href="/public/assets/public.css"');
    // Nothing private: no phone number, contact person, token, or internal ids of accounts.
    expect(html).not.toContain(PHONE);
    expect(html).not.toContain("张三");
    expect(html).not.toMatch(/gm_[A-Za-z0-9]/);
    expect(html).not.toContain(f.sup);
    expect(html).not.toContain(f.operator);
    for (const id of Object.values(f.ids)) expect(html).not.toContain(id);
    // And the stored snapshot itself holds none of it.
    const snap = await f.t.client.execute("SELECT snapshot FROM published_notices");
    const stored = String(snap.rows[0]!.snapshot);
    expect(stored).not.toContain(PHONE);
    for (const id of [...Object.values(f.ids), f.jiaId, f.yiId]) expect(stored).not.toContain(id);
    expect(stored).toContain("乙局微信");
  });

  it("answers 409 to a second publish of the same quarter", async () => {
    const again = await f.t.call(f.sup, "POST", "/api/reports/quarterly/publish", body());
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("先撤回");
  });

  it("lists the published quarter in the index and the RSS feed", async () => {
    const idx = await anon(`/public/${f.cityId}/sampling`);
    expect(idx.status).toBe(200);
    const html = await idx.text();
    expect(html).toContain(`href="${page()}"`);
    expect(html).toContain("2026年第4季度抽查情况");
    expect(html).not.toContain("2026年第3季度");
    const feed = await anon(`/public/${f.cityId}/sampling.xml`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toContain("application/rss+xml");
    const xml = await feed.text();
    expect(xml).toContain('<rss version="2.0">');
    expect(xml.match(/<item>/g)).toHaveLength(1);
    expect(xml).toContain(`${page()}</link>`);
    expect(xml).toContain("某市人民政府关于2026年第4季度政务新媒体抽查情况的通报");
  });

  it("does not send the public pages to the login page", async () => {
    const res = await anon(page());
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    const css = await anon("/public/assets/public.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");
  });

  it("unpublishes: 404 again everywhere, audited; publishing again works", async () => {
    const r = await f.t.call(f.sup, "POST", "/api/reports/quarterly/unpublish", body());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.unpublishedAt).not.toBeNull();
    expect(await auditOf("notice.unpublish")).toEqual([["notice", f.cityId]]);
    expect((await anon(page())).status).toBe(404);
    expect((await anon(`/public/${f.cityId}/sampling`)).status).toBe(404);
    expect((await anon(`/public/${f.cityId}/sampling.xml`)).status).toBe(404);
    const twice = await f.t.call(f.sup, "POST", "/api/reports/quarterly/unpublish", body());
    expect(twice.status).toBe(404);

    const again = await f.t.call(f.sup, "POST", "/api/reports/quarterly/publish", body());
    expect(again.status).toBe(201);
    expect((await anon(page())).status).toBe(200);
    const rows = await f.t.client.execute("SELECT count(*) AS n FROM published_notices");
    expect(Number(rows.rows[0]!.n)).toBe(2);
  });
});

describe("the 发布/撤回 buttons of the sampling page", () => {
  const ui = (path: string, init: RequestInit = {}) => f.t.app.request(path, { ...init, headers: { cookie: `gm_token=${f.sup}`, ...(init.headers ?? {}) } });
  const form = (over: Record<string, string> = {}) =>
    new URLSearchParams({ governmentOrgId: f.cityId, year: "2026", quarter: "4", ...over }).toString();
  const post = (path: string, body: string) => ui(path, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });

  it("offers both buttons to a supervisor and says why a publish is refused", async () => {
    const html = await (await ui("/sampling")).text();
    expect(html).toContain('action="/sampling/publish"');
    expect(html).toContain('action="/sampling/unpublish"');
    // Published by the tests above: a second publish is refused with the API's reason.
    const again = await post("/sampling/publish", form());
    expect(again.status).toBe(302);
    expect(decodeURIComponent(again.headers.get("location")!)).toContain("先撤回");
  });

  it("withdraws and publishes from the page", async () => {
    const off = await post("/sampling/unpublish", form());
    expect(decodeURIComponent(off.headers.get("location")!)).toContain("ok=已撤回");
    expect((await anon(page())).status).toBe(404);
    const on = await post("/sampling/publish", form());
    expect(decodeURIComponent(on.headers.get("location")!)).toContain("ok=已公开");
    expect((await anon(page())).status).toBe(200);
  });

  it("does not offer the buttons to a viewer", async () => {
    const viewer = await f.t.call(f.admin, "POST", "/api/tokens", { orgId: f.cityId, role: "viewer", label: "viewer2" });
    const html = await (await f.t.app.request("/sampling", { headers: { cookie: `gm_token=${viewer.body.token}` } })).text();
    expect(html).not.toContain('action="/sampling/publish"');
  });
});
