// The Chinese web UI: server-rendered pages over the JSON API (called in-process with the clerk's
// token, kept in an HttpOnly cookie). Forms post back here; the API decides and the page says why.
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { ACCOUNT_STATUS_LABELS, ACCOUNT_STATUSES, FILING_KIND_LABELS, type AccountStatus, type FilingKind } from "../domain/lifecycle";
import { PLATFORM_LABELS, PLATFORMS, type Platform } from "../domain/platforms";
import { WEEK_STATUS_LABELS, type WeekStatus } from "../domain/compliance";
import { addWeeks, weekOf } from "../domain/weeks";
import { callApi, tokenOf, TOKEN_COOKIE, type ApiFetch } from "./api-client";
import { Layout, UI_CSS, UI_CSS_PATH } from "./layout";
import { registerAccountPages } from "./account-pages";
import { registerSamplingPages } from "./sampling-pages";
import { registerSettingsPages } from "./settings-pages";
import { beijing as dt, message, pageKit, sameOrigin, who, type UiContext, type UiEnv } from "./page-kit";
import { isHttps, type SiteOptions } from "./site";

type Me = UiEnv["Variables"]["me"];

const pct = (r: number | null | undefined) => (r == null ? "—" : `${Math.round(r * 1000) / 10}%`);

export function createUi(fetchApi: ApiFetch, now: () => Date, site: SiteOptions = {}) {
  const ui = new Hono<UiEnv>();
  const kit = pageKit(fetchApi, now);
  const { api } = kit;
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
    const me = await callApi(fetchApi, token, "/api/me");
    if (me.status !== 200) return c.redirect(`/login?err=${encodeURIComponent("令牌无效或已被吊销")}`);
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
    const token = tokenOf(c);
    if (!token) return c.redirect("/login");
    const me = await callApi<Me>(fetchApi, token, "/api/me");
    if (me.status !== 200) {
      deleteCookie(c, TOKEN_COOKIE, cookie(c));
      return c.redirect(`/login?err=${encodeURIComponent("登录已失效，请重新登录")}`);
    }
    c.set("token", token);
    c.set("me", me.body);
    await next();
  });

  registerAccountPages(ui, kit);
  registerSamplingPages(ui, kit);
  registerSettingsPages(ui, kit);

  ui.get("/", async (c) => {
    const last = addWeeks(weekOf(now()), -1).id;
    const [accounts, filings, alerts, compliance] = await Promise.all([
      api(c, "/api/accounts?pageSize=1&status=active"),
      api(c, "/api/filings?status=submitted&pageSize=1"),
      api(c, "/api/alerts?status=open&pageSize=1"),
      api(c, `/api/compliance?week=${last}&pageSize=1`),
    ]);
    const s = compliance.body?.summary?.overall;
    return c.html(
      <Layout title="概览" path="/" who={who(c)} message={message(c)}>
        <h1>概览</h1>
        <div class="stats">
          <div class="stat">在用账号<b>{accounts.body.total}</b></div>
          <div class="stat">待审核备案<b>{filings.body.total}</b></div>
          <div class="stat">未处理预警<b>{alerts.body.total}</b></div>
          <div class="stat">上周（{last}）达标率<b>{pct(s?.rate)}</b></div>
        </div>
        {s ? (
          <div class="card gap-top">
            上周：达标 {s.compliant}，未达标 {s.below}，无法判断 {s.unknown}，不计入 {s.exempt}。<a href={`/compliance?week=${last}`}>查看明细</a>
          </div>
        ) : null}
      </Layout>,
    );
  });

  ui.get("/accounts", async (c) => {
    const q = new URLSearchParams();
    for (const k of ["platform", "status", "q", "flag", "page"]) {
      const v = c.req.query(k);
      if (v) q.set(k, v);
    }
    q.set("pageSize", "50");
    const r = await api(c, `/api/accounts?${q}`);
    const exportQuery = new URLSearchParams(q);
    exportQuery.delete("page");
    exportQuery.delete("pageSize");
    return c.html(
      <Layout title="账号台账" path="/accounts" who={who(c)} message={r.status === 200 ? message(c) : { kind: "err", text: r.body.error.message }}>
        <h1>账号台账</h1>
        <form class="filters" method="get" action="/accounts">
          <select name="platform">
            <option value="">全部平台</option>
            {PLATFORMS.map((p) => (
              <option value={p} selected={c.req.query("platform") === p}>
                {PLATFORM_LABELS[p]}
              </option>
            ))}
          </select>
          <select name="status">
            <option value="">全部状态</option>
            {ACCOUNT_STATUSES.map((s) => (
              <option value={s} selected={c.req.query("status") === s}>
                {ACCOUNT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <input name="q" value={c.req.query("q") ?? ""} placeholder="名称或账号ID" />
          <button type="submit">查询</button>
          <a href={`/download/accounts/export.csv?${exportQuery}`}>导出 CSV</a>
          <a href={`/download/accounts/export.xlsx?${exportQuery}`}>导出 Excel</a>
          <a href="/accounts/new">登记账号</a>
          <a href="/import">导入台账</a>
        </form>
        <p class="muted">共 {r.body.total ?? 0} 个账号</p>
        <table>
          <thead>
            <tr>
              <th>账号名称</th>
              <th>平台</th>
              <th>账号ID</th>
              <th>主办单位</th>
              <th>状态</th>
              <th>风险提示</th>
            </tr>
          </thead>
          <tbody>
            {(r.body.items ?? []).map((a: any) => (
              <tr>
                <td>
                  <a href={`/accounts/${a.id}`}>{a.name}</a>
                </td>
                <td>{PLATFORM_LABELS[a.platform as Platform]}</td>
                <td>{a.platformId ?? "—"}</td>
                <td>{a.orgName}</td>
                <td>{ACCOUNT_STATUS_LABELS[a.status as AccountStatus]}</td>
                <td>
                  {a.flags.map((f: any) => (
                    <span class="tag warn" title={f.message}>
                      {f.message}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  ui.get("/filings", async (c) => {
    const status = c.req.query("status") ?? "submitted";
    const r = await api(c, `/api/filings?status=${encodeURIComponent(status)}&pageSize=100`);
    const ids = [...new Set((r.body.items ?? []).map((f: any) => f.accountId))] as string[];
    const names = new Map<string, string>();
    await Promise.all(
      ids.map(async (id) => {
        const a = await api(c, `/api/accounts/${id}`);
        if (a.status === 200) names.set(id, `${a.body.name}（${PLATFORM_LABELS[a.body.platform as Platform]}，${a.body.orgName}）`);
      }),
    );
    return c.html(
      <Layout title="备案审核" path="/filings" who={who(c)} message={message(c)}>
        <h1>备案审核</h1>
        <p>
          <a href="/filings?status=submitted">待审核</a> · <a href="/filings?status=approved">已批准</a> · <a href="/filings?status=rejected">已驳回</a>
        </p>
        <table>
          <thead>
            <tr>
              <th>类型</th>
              <th>账号</th>
              <th>内容</th>
              <th>提交时间</th>
              <th>{status === "submitted" ? "审核" : "审核意见"}</th>
            </tr>
          </thead>
          <tbody>
            {(r.body.items ?? []).map((f: any) => (
              <tr>
                <td>{FILING_KIND_LABELS[f.kind as FilingKind]}</td>
                <td>{names.get(f.accountId) ?? f.accountId}</td>
                <td>{[f.reason, f.changes ? JSON.stringify(f.changes) : null].filter(Boolean).join("；") || "—"}</td>
                <td>{dt(f.submittedAt)}</td>
                <td>
                  {status === "submitted" ? (
                    <form method="post" action={`/filings/${f.id}/decision`}>
                      <input name="note" placeholder="审核意见（驳回时必填）" />{" "}
                      <button name="approve" value="true" type="submit">批准</button>{" "}
                      <button name="approve" value="false" type="submit" class="secondary">驳回</button>
                    </form>
                  ) : (
                    f.decisionNote || "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {(r.body.items ?? []).length === 0 ? <p class="muted">没有记录。</p> : null}
      </Layout>,
    );
  });

  ui.post("/filings/:id/decision", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const form = await c.req.parseBody();
    const r = await api(c, `/api/filings/${encodeURIComponent(c.req.param("id"))}/decision`, {
      method: "POST",
      body: { approve: form.approve === "true", note: String(form.note ?? "") },
    });
    const text = r.status === 200 ? (r.body.status === "approved" ? "已批准" : "已驳回") : r.body.error.message;
    return c.redirect(`/filings?${r.status === 200 ? "ok" : "err"}=${encodeURIComponent(text)}`);
  });

  ui.get("/compliance", async (c) => {
    const week = c.req.query("week") ?? addWeeks(weekOf(now()), -1).id;
    const status = c.req.query("status") ?? "";
    const r = await api(c, `/api/compliance?week=${encodeURIComponent(week)}&pageSize=500${status ? `&status=${status}` : ""}`);
    const ok = r.status === 200;
    return c.html(
      <Layout title="更新监测" path="/compliance" who={who(c)} message={ok ? message(c) : { kind: "err", text: r.body.error.message }}>
        <h1>每周更新情况</h1>
        <form class="filters" method="get" action="/compliance">
          <input name="week" value={week} placeholder="2026-W47" />
          <select name="status">
            <option value="">全部</option>
            {(Object.keys(WEEK_STATUS_LABELS) as WeekStatus[]).map((s) => (
              <option value={s} selected={status === s}>
                {WEEK_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <button type="submit">查询</button>
        </form>
        {ok ? (
          <>
            <div class="card">
              达标率 {pct(r.body.summary.overall.rate)}：达标 {r.body.summary.overall.compliant}，未达标 {r.body.summary.overall.below}，无法判断{" "}
              {r.body.summary.overall.unknown}，不计入 {r.body.summary.overall.exempt}
            </div>
            <table>
              <thead>
                <tr>
                  <th>账号</th>
                  <th>平台</th>
                  <th>主办单位</th>
                  <th>本周更新</th>
                  <th>最低要求</th>
                  <th>结果</th>
                </tr>
              </thead>
              <tbody>
                {r.body.items.map((i: any) => (
                  <tr>
                    <td>{i.accountName}</td>
                    <td>{PLATFORM_LABELS[i.platform as Platform]}</td>
                    <td>{i.orgName}</td>
                    <td>{i.posts}</td>
                    <td>{i.required}</td>
                    <td>
                      <span class={`tag ${i.status === "compliant" ? "ok" : i.status === "below" ? "bad" : "warn"}`}>{WEEK_STATUS_LABELS[i.status as WeekStatus]}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Layout>,
    );
  });

  ui.get("/alerts", async (c) => {
    const r = await api(c, "/api/alerts?status=open&pageSize=200");
    return c.html(
      <Layout title="预警" path="/alerts" who={who(c)} message={message(c)}>
        <h1>未处理预警</h1>
        <table>
          <thead>
            <tr>
              <th>账号</th>
              <th>主办单位</th>
              <th>类型</th>
              <th>说明</th>
              <th>发现时间</th>
              <th>处理</th>
            </tr>
          </thead>
          <tbody>
            {(r.body.items ?? []).map((a: any) => (
              <tr>
                <td>{a.accountName}</td>
                <td>{a.orgName}</td>
                <td>
                  <span class="tag bad">{a.kindLabel}</span>
                </td>
                <td>{a.message}</td>
                <td>{dt(a.openedAt)}</td>
                <td>
                  <form method="post" action={`/alerts/${a.id}/acknowledge`}>
                    <input name="note" placeholder="处理说明" required />{" "}
                    <button type="submit">知悉</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {(r.body.items ?? []).length === 0 ? <p class="muted">没有未处理的预警。</p> : null}
      </Layout>,
    );
  });

  ui.post("/alerts/:id/acknowledge", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const form = await c.req.parseBody();
    const r = await api(c, `/api/alerts/${encodeURIComponent(c.req.param("id"))}/acknowledge`, { method: "POST", body: { note: String(form.note ?? "") } });
    return c.redirect(`/alerts?${r.status === 200 ? `ok=${encodeURIComponent("已知悉")}` : `err=${encodeURIComponent(r.body.error.message)}`}`);
  });

  // Files from the API (exports), fetched with the clerk's token.
  ui.get("/download/*", async (c) => {
    const rest = c.req.path.slice("/download".length);
    if (!/^\/(accounts\/export\.(csv|xlsx)|sampling-rounds\/[\w-]+\/export\.(csv|xlsx)|reports\/(quarterly|annual))$/.test(rest)) return c.notFound();
    const query = new URL(c.req.url).search;
    const res = await fetchApi(`/api${rest}${query}`, { headers: { authorization: `Bearer ${c.get("token")}` } });
    return new Response(res.body, { status: res.status, headers: res.headers });
  });

  return ui;
}
