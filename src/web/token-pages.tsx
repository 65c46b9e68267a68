// 令牌: the admin's access tokens — who holds one, until when, when it was last used — issued with a
// label and an expiry and shown once, revoked after a confirmation.
import type { Hono } from "hono";
import { canManageTokens } from "../domain/access";
import { ROLE_LABELS, ROLES, type Role } from "../domain/roles";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import * as tokenRoutes from "../routes/tokens/tokens.routes";
import { Layout } from "./layout";
import { back, beijing, message, sameOrigin, who, type PageKit, type UiContext, type UiEnv } from "./page-kit";

/** Lifetimes offered when issuing (days); "" = no expiry. The API allows up to five years. */
const LIFETIMES: [string, string][] = [
  ["30", "30天"],
  ["90", "90天"],
  ["365", "1年"],
  ["", "长期有效"],
];

type Msg = { kind: "err" | "info"; text: string } | undefined;

interface IssueForm {
  orgId?: string;
  role?: string;
  label?: string;
  days?: string;
}

export function registerTokenPages(ui: Hono<UiEnv>, { api, now }: PageKit) {
  function forbiddenPage(c: UiContext) {
    return c.html(
      <Layout title="令牌" path="/tokens" who={who(c)} message={{ kind: "err", text: "只有管理员可以管理令牌" }}>
        <p>
          <a href="/">返回概览</a>
        </p>
      </Layout>,
      403,
    );
  }

  async function listPage(c: UiContext, form: IssueForm = {}, msg: Msg = message(c), status: 200 | 400 = 200) {
    if (!canManageTokens(c.get("me").role)) return forbiddenPage(c);
    const [tokens, orgs] = await Promise.all([api(c, tokenRoutes.listTokens), api(c, orgRoutes.listOrgs)]);
    const orgList = orgs.ok ? orgs.body.items : [];
    const orgName = new Map(orgList.map((o) => [o.id, o.name]));
    const at = now().toISOString();
    return c.html(
      <Layout title="令牌" path="/tokens" who={who(c)} message={msg}>
        <h1>访问令牌</h1>
        <p class="muted">每个令牌属于一个机构和一种角色；令牌只在签发时显示一次。离职、转岗或令牌可能泄露时请立即吊销。</p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>用途说明</th>
                <th>机构</th>
                <th>角色</th>
                <th>签发时间</th>
                <th>有效期至</th>
                <th>最近使用</th>
                <th>状态</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(tokens.ok ? tokens.body.items : []).map((t) => {
                const expired = !!t.expiresAt && t.expiresAt <= at;
                return (
                  <tr>
                    <td>{t.label}</td>
                    <td>{orgName.get(t.orgId) ?? t.orgId}</td>
                    <td>{ROLE_LABELS[t.role]}</td>
                    <td>{beijing(t.createdAt)}</td>
                    <td>{t.expiresAt ? beijing(t.expiresAt) : "长期有效"}</td>
                    <td>{t.lastUsedAt ? beijing(t.lastUsedAt) : "从未使用"}</td>
                    <td>
                      {t.revokedAt ? (
                        <span class="tag bad">已吊销 {beijing(t.revokedAt)}</span>
                      ) : expired ? (
                        <span class="tag warn">已过期</span>
                      ) : (
                        <span class="tag ok">有效</span>
                      )}
                    </td>
                    <td>{t.revokedAt ? null : <a href={`/tokens/${encodeURIComponent(t.id)}/revoke`}>吊销</a>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {tokens.ok ? null : <p class="msg err">{tokens.body.error.message}</p>}

        <h2 class="section">签发令牌</h2>
        <form class="card form-grid" method="post" action="/tokens">
          <label for="token-org">机构</label>
          <select id="token-org" name="orgId" required>
            {orgList.map((o) => (
              <option value={o.id} selected={o.id === form.orgId}>
                {o.name}
              </option>
            ))}
          </select>
          <label for="token-role">角色</label>
          <select id="token-role" name="role">
            {ROLES.map((r) => (
              <option value={r} selected={r === (form.role ?? "operator")}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          <label for="token-label">用途说明</label>
          <input id="token-label" name="label" required maxlength={100} value={form.label ?? ""} placeholder="如：县教育局 张三（账号运维）" />
          <label for="token-days">有效期</label>
          <select id="token-days" name="days">
            {LIFETIMES.map(([v, l]) => (
              <option value={v} selected={v === (form.days ?? "365")}>
                {l}
              </option>
            ))}
          </select>
          <span />
          <div>
            <button type="submit">签发</button>
          </div>
        </form>
      </Layout>,
      status,
    );
  }

  ui.get("/tokens", (c) => listPage(c));

  ui.post("/tokens", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    if (!canManageTokens(c.get("me").role)) return forbiddenPage(c);
    const f = await c.req.parseBody();
    const form: IssueForm = { orgId: String(f.orgId ?? ""), role: String(f.role ?? ""), label: String(f.label ?? "").trim(), days: String(f.days ?? "") };
    const days = Number(form.days);
    const expiresAt = form.days && Number.isInteger(days) && days > 0 ? new Date(now().getTime() + days * 86_400_000).toISOString() : null;
    const r = await api(c, tokenRoutes.createToken, { body: { orgId: form.orgId, role: form.role as Role, label: form.label, expiresAt } });
    if (!r.ok) return listPage(c, form, { kind: "err", text: r.body.error.message }, 400);
    // The secret is on this page and nowhere else: not in a URL, not in a cache.
    c.header("cache-control", "no-store");
    return c.html(
      <Layout title="令牌已签发" path="/tokens" who={who(c)}>
        <div class="card narrow">
          <h1>令牌已签发</h1>
          <p class="msg err">请立即复制并交给使用人。此令牌只显示这一次，离开本页后无法再次查看；遗失只能吊销后重新签发。</p>
          <p>
            <code id="new-token">{r.body.token}</code>
          </p>
          <p class="muted">
            {form.label} · {ROLE_LABELS[r.body.role as Role] ?? r.body.role} · {r.body.expiresAt ? `有效期至 ${beijing(r.body.expiresAt)}` : "长期有效"}
          </p>
          <p>
            <a href="/tokens">返回令牌列表</a>
          </p>
        </div>
      </Layout>,
    );
  });

  ui.get("/tokens/:id/revoke", async (c) => {
    if (!canManageTokens(c.get("me").role)) return forbiddenPage(c);
    const id = c.req.param("id");
    const tokens = await api(c, tokenRoutes.listTokens);
    const t = tokens.ok ? tokens.body.items.find((x) => x.id === id) : undefined;
    if (!t) return c.redirect(back("/tokens", false, "令牌不存在或不在本单位范围内"));
    return c.html(
      <Layout title="吊销令牌" path="/tokens" who={who(c)}>
        <div class="card narrow">
          <h1>吊销令牌</h1>
          <p>
            确认吊销“{t.label}”（{ROLE_LABELS[t.role]}）？吊销后使用该令牌的人员将无法登录和调用接口，此操作不能撤销。
          </p>
          <form method="post" action={`/tokens/${encodeURIComponent(t.id)}/revoke`}>
            <button type="submit">确认吊销</button> <a href="/tokens">取消</a>
          </form>
        </div>
      </Layout>,
    );
  });

  ui.post("/tokens/:id/revoke", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const r = await api(c, tokenRoutes.revokeToken, { params: { id: c.req.param("id") } });
    return c.redirect(back("/tokens", r.ok, r.ok ? `已吊销“${r.body.label}”` : r.body.error.message));
  });
}
