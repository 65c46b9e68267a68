// The Chinese web UI: server-rendered pages over the JSON API, called in-process for the clerk whose
// token (kept in an HttpOnly cookie) is resolved once per request. Forms post back here; the API
// decides and the page says why. Pages live by area in the *-pages.tsx files.
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { findActor } from "../lib/auth";
import { tokenOf, TOKEN_COOKIE } from "./api-client";
import { Layout, UI_CSS, UI_CSS_PATH } from "./layout";
import { registerAccountDetailPages } from "./account-detail-pages";
import { registerAccountListPages } from "./account-list-pages";
import { registerFilingFormPages, registerFilingPages } from "./filing-pages";
import { registerPostImportPage } from "./post-import-page";
import { registerRectificationPages } from "./rectification-pages";
import { registerMonitoringPages } from "./monitoring-pages";
import { registerOverviewPage } from "./overview-page";
import { registerSamplingPages } from "./sampling-pages";
import { registerSettingsPages } from "./settings-pages";
import { registerOrgPages } from "./org-pages";
import { registerTokenPages } from "./token-pages";
import { registerAuditPages } from "./audit-pages";
import { message, pageKit, sameOrigin, type UiContext, type UiDeps, type UiEnv } from "./page-kit";
import { isHttps } from "./site";

export function createUi(deps: UiDeps) {
  const ui = new Hono<UiEnv>();
  const { db, site = {} } = deps;
  const kit = pageKit(deps);
  // Secure whenever the browser is on https (directly, via PUBLIC_URL, or via a trusted proxy).
  const cookie = (c: UiContext) => ({ httpOnly: true, sameSite: "Strict", path: "/", secure: isHttps(c, site) }) as const;

  ui.use("*", async (c, next) => {
    c.set("site", site);
    await next();
  });

  // Before the login check: the login page needs its stylesheet too.
  ui.get(UI_CSS_PATH, (c) => c.body(UI_CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" }));

  ui.get("/login", (c) =>
    c.html(
      <Layout title="登录" path="/login" message={message(c)}>
        <div class="card narrow">
          <h1>登录</h1>
          <p class="muted">请输入管理员为您签发的访问令牌（以 gm_ 开头）。</p>
          <form method="post" action="/login">
            <p>
              <input name="token" type="password" placeholder="访问令牌" class="wide" autocomplete="off" required />
            </p>
            <button type="submit">登录</button>
          </form>
        </div>
      </Layout>,
    ),
  );

  ui.post("/login", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const form = await c.req.parseBody();
    const token = String(form.token ?? "").trim();
    if (!(await findActor(db, token, deps.now()))) return c.redirect(`/login?err=${encodeURIComponent("令牌无效或已被吊销")}`);
    setCookie(c, TOKEN_COOKIE, token, cookie(c));
    return c.redirect("/");
  });

  // Logging out changes state, so only a same-origin POST does it; GET (an old bookmark, a link
  // planted elsewhere) only offers the button.
  ui.get("/logout", (c) =>
    c.html(
      <Layout title="退出登录" path="/logout">
        <div class="card narrow">
          <h1>退出登录</h1>
          <form method="post" action="/logout">
            <button type="submit">确认退出</button> <a href="/">返回</a>
          </form>
        </div>
      </Layout>,
    ),
  );

  ui.post("/logout", (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    deleteCookie(c, TOKEN_COOKIE, cookie(c));
    return c.redirect("/login");
  });

  // Everything below needs a valid token.
  ui.use("*", async (c, next) => {
    // The API answers for itself (JSON 401/404), never with a login page.
    if (c.req.path === "/api" || c.req.path.startsWith("/api/")) return next();
    // 公开抽查情况 (src/web/public-pages.tsx) is for anyone: never a login redirect.
    if (c.req.path.startsWith("/public/")) return next();
    const token = tokenOf(c);
    if (!token) return c.redirect("/login");
    // Once per request: every API call the page then makes acts for this actor without a second lookup.
    const found = await findActor(db, token, deps.now());
    if (!found) {
      deleteCookie(c, TOKEN_COOKIE, cookie(c));
      return c.redirect(`/login?err=${encodeURIComponent("登录已失效，请重新登录")}`);
    }
    const { orgName, ...actor } = found;
    c.set("actor", actor);
    c.set("me", { role: actor.role, org: { id: actor.orgId, name: orgName } });
    await next();
  });

  registerAccountListPages(ui, kit);
  registerAccountDetailPages(ui, kit);
  registerSamplingPages(ui, kit);
  registerSettingsPages(ui, kit);
  registerOrgPages(ui, kit);
  registerTokenPages(ui, kit);
  registerAuditPages(ui, kit);
  registerOverviewPage(ui, kit);
  registerMonitoringPages(ui, kit);
  registerFilingPages(ui, kit);
  registerFilingFormPages(ui, kit);
  registerRectificationPages(ui, kit);
  registerPostImportPage(ui, kit);

  // Files from the API (exports), fetched for the clerk.
  ui.get("/download/*", async (c) => {
    const rest = c.req.path.slice("/download".length);
    if (!/^\/(accounts\/(export\.(csv|xlsx)|import-template\.xlsx)|compliance\/export\.(csv|xlsx)|sampling-rounds\/[\w-]+\/export\.(csv|xlsx)|reports\/(quarterly|annual))$/.test(rest)) return c.notFound();
    const query = new URL(c.req.url).search;
    const res = await kit.raw(c, `/api${rest}${query}`);
    return new Response(res.body, { status: res.status, headers: res.headers });
  });

  return ui;
}
