// Browser-facing hardening: security headers on every answer, no inline script or style for the CSP
// to allow, Secure session cookies on https (direct, PUBLIC_URL, trusted proxy), logout only by a
// same-origin POST.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { createDb } from "../src/db/client";
import { parseEnv } from "../src/env";
import { resolvedActorEnv } from "../src/lib/auth";
import type { AppDeps } from "../src/lib/types";
import { makeTestApp, type TestApp } from "./helpers";

let t: TestApp;
let admin = "";

beforeAll(async () => {
  t = await makeTestApp();
  admin = (await t.bootstrap("某市人民政府", "city")).token;
});
afterAll(() => t?.close());

/** Another app over the same database, configured as a deployment would be. */
const appWith = (extra: Partial<AppDeps>) => createApp({ db: t.db, now: () => t.clock.now, ...extra });

const login = (app: ReturnType<typeof createApp>, url = "http://localhost/login", headers: Record<string, string> = {}) =>
  app.request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ token: admin }).toString(),
  });

function expectSecurityHeaders(res: Response, what: string) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).toContain("style-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toContain("unsafe-inline");
  expect(csp, what).not.toContain("unsafe-eval");
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), what).toBe("same-origin");
}

describe("security headers", () => {
  it("are on pages, the docs, the API, errors and redirects", async () => {
    const cookie = { cookie: `gm_token=${admin}` };
    const cases: [string, RequestInit?][] = [
      ["/"], // redirect to the login page
      ["/login"],
      ["/", { headers: cookie }],
      ["/settings", { headers: cookie }],
      ["/api/docs"],
      ["/api/docs.js"],
      ["/api/openapi.json"],
      ["/api/orgs", { headers: { authorization: `Bearer ${admin}` } }],
      ["/api/orgs"], // 401
      ["/api/nope", { headers: { authorization: `Bearer ${admin}` } }], // 404
      ["/health"],
    ];
    for (const [path, init] of cases) expectSecurityHeaders(await t.app.request(path, init), path);
  });

  it("pages carry no inline script, style element or style attribute for the CSP to allow", async () => {
    const cookie = { cookie: `gm_token=${admin}` };
    const pages = ["/", "/accounts", "/accounts/new", "/import", "/filings", "/compliance", "/alerts", "/sampling", "/settings", "/orgs", "/tokens", "/audit", "/rectification", "/logout"];
    const docs = await (await t.app.request("/api/docs")).text();
    const login = await (await t.app.request("/login")).text();
    const htmls: [string, string][] = [["/api/docs", docs], ["/login", login]];
    for (const p of pages) {
      const res = await t.app.request(p, { headers: cookie });
      expect(res.status, p).toBe(200);
      htmls.push([p, await res.text()]);
    }
    for (const [p, html] of htmls) {
      expect(html, p).not.toMatch(/<script(?![^>]*\bsrc=)/i);
      expect(html, p).not.toMatch(/<style/i);
      expect(html, p).not.toMatch(/\sstyle=/i);
      expect(html, p).not.toMatch(/\son[a-z]+=/i);
    }
    expect(docs).toContain('<script src="/api/docs.js"></script>');
    expect(login).toContain('<link rel="stylesheet" href="/assets/ui.css"/>');
  });

  it("serves the stylesheets and the docs script without a login, with their own types", async () => {
    for (const [path, type, needle] of [
      ["/assets/ui.css", "text/css", "box-sizing"],
      ["/api/docs.css", "text/css", "details.op"],
      ["/api/docs.js", "text/javascript", "data-spec-url"],
    ] as const) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toContain(type);
      expect(await res.text(), path).toContain(needle);
    }
  });
});

describe("session cookie", () => {
  const isSecure = (res: Response) => /;\s*Secure/i.test(res.headers.get("set-cookie") ?? "");

  it("is not Secure on plain http without PUBLIC_URL or a trusted proxy", async () => {
    const res = await login(t.app);
    expect(res.status).toBe(302);
    expect(res.headers.get("set-cookie")).toMatch(/^gm_token=gm_/);
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly/);
    expect(res.headers.get("set-cookie")).toMatch(/SameSite=Strict/);
    expect(isSecure(res)).toBe(false);
    // An untrusted X-Forwarded-Proto is ignored.
    expect(isSecure(await login(t.app, undefined, { "x-forwarded-proto": "https" }))).toBe(false);
    // http PUBLIC_URL: still not Secure.
    expect(isSecure(await login(appWith({ publicUrl: "http://govmedia.intranet" })))).toBe(false);
  });

  it("is Secure when PUBLIC_URL is https", async () => {
    const res = await login(appWith({ publicUrl: "https://govmedia.example.gov.cn" }));
    expect(res.status).toBe(302);
    expect(isSecure(res)).toBe(true);
  });

  it("is Secure behind a trusted proxy that says https", async () => {
    const app = appWith({ trustProxy: true });
    expect(isSecure(await login(app, undefined, { "x-forwarded-proto": "https" }))).toBe(true);
    expect(isSecure(await login(app, undefined, { "x-forwarded-proto": "https, http" }))).toBe(true);
    expect(isSecure(await login(app, undefined, { "x-forwarded-proto": "http" }))).toBe(false);
    expect(isSecure(await login(app))).toBe(false);
  });

  it("is Secure when the request itself is https", async () => {
    expect(isSecure(await login(t.app, "https://localhost/login"))).toBe(true);
  });
});

describe("logout", () => {
  const cookie = () => `gm_token=${admin}`;
  const clears = (res: Response) => /^gm_token=;.*Max-Age=0/i.test(res.headers.get("set-cookie") ?? "");

  it("GET only offers the button; it does not log out", async () => {
    const res = await t.app.request("/logout", { headers: { cookie: cookie() } });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/logout">');
    // Still logged in.
    expect((await t.app.request("/settings", { headers: { cookie: cookie() } })).status).toBe(200);
  });

  it("every page's header logs out with a POST form, not a link", async () => {
    const html = await (await t.app.request("/", { headers: { cookie: cookie() } })).text();
    expect(html).not.toContain('href="/logout"');
    expect(html).toMatch(/<form method="post" action="\/logout"><button type="submit">退出<\/button><\/form>/);
  });

  it("POST from the same origin (or with no Origin) clears the cookie", async () => {
    for (const headers of [{ origin: "http://localhost" }, {}] as Record<string, string>[]) {
      const res = await t.app.request("/logout", { method: "POST", headers: { cookie: cookie(), ...headers } });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/login");
      expect(clears(res)).toBe(true);
    }
  });

  it("a cross-origin POST is refused and leaves the cookie alone", async () => {
    const res = await t.app.request("/logout", { method: "POST", headers: { cookie: cookie(), origin: "http://evil.example" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("behind a proxy, the public origin counts as same-origin", async () => {
    const post = (app: ReturnType<typeof createApp>, headers: Record<string, string>) =>
      app.request("http://10.0.0.5:3000/logout", { method: "POST", headers: { cookie: cookie(), ...headers } });
    const viaPublicUrl = appWith({ publicUrl: "https://govmedia.example.gov.cn" });
    expect((await post(viaPublicUrl, { origin: "https://govmedia.example.gov.cn" })).status).toBe(302);
    expect((await post(viaPublicUrl, { origin: "https://evil.example" })).status).toBe(403);
    const viaProxy = appWith({ trustProxy: true });
    const fwd = { "x-forwarded-proto": "https", "x-forwarded-host": "govmedia.example.gov.cn" };
    expect((await post(viaProxy, { origin: "https://govmedia.example.gov.cn", ...fwd })).status).toBe(302);
    // Without trusting the proxy its headers do not widen the check.
    expect((await post(t.app, { origin: "https://govmedia.example.gov.cn", ...fwd })).status).toBe(403);
  });
});

describe("the web UI's in-process API calls", () => {
  it("look the token up once per page, not once per API call", async () => {
    let lookups = 0;
    // The same database, counting the statements that read the tokens table.
    const client = new Proxy(t.client, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (prop !== "execute" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
        return (stmt: string | { sql: string }) => {
          if (/from "tokens"/i.test(typeof stmt === "string" ? stmt : stmt.sql)) lookups++;
          return value.call(target, stmt);
        };
      },
    });
    const app = createApp({ db: createDb(client), now: () => t.clock.now });
    // The overview calls four API routes.
    const res = await app.request("/", { headers: { cookie: `gm_token=${admin}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("未处理预警");
    expect(lookups).toBe(1);
  });

  it("are the only calls that skip the lookup", async () => {
    const me = (await t.call(admin, "GET", "/api/me")).body;
    const actor = { tokenId: me.tokenId, orgId: me.org.id, orgPath: `/${me.org.id}/`, role: me.role };
    expect((await t.app.request("/api/me", {}, resolvedActorEnv(actor))).status).toBe(200);
    // Without the process's own symbol, an env (or a header) claiming an actor counts for nothing.
    expect((await t.app.request("/api/me", {}, { resolvedActor: actor, actor })).status).toBe(401);
    expect((await t.app.request("/api/me", { headers: { "x-actor": JSON.stringify(actor) } })).status).toBe(401);
  });
});

describe("environment", () => {
  it("validates PUBLIC_URL and TRUST_PROXY", () => {
    expect(parseEnv({}).PUBLIC_URL).toBeUndefined();
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ PUBLIC_URL: "" }).PUBLIC_URL).toBeUndefined();
    expect(parseEnv({ PUBLIC_URL: "https://govmedia.example.gov.cn", TRUST_PROXY: "true" })).toMatchObject({
      PUBLIC_URL: "https://govmedia.example.gov.cn",
      TRUST_PROXY: true,
    });
    expect(() => parseEnv({ PUBLIC_URL: "govmedia.example.gov.cn" })).toThrow(/PUBLIC_URL/);
    expect(() => parseEnv({ PUBLIC_URL: "ftp://govmedia.example.gov.cn" })).toThrow(/PUBLIC_URL/);
    expect(() => parseEnv({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY/);
  });
});
