// Settings pages of the web UI: message robots (webhooks) and the jurisdiction's monitoring standards.
import type { Hono } from "hono";
import { canSetPolicy } from "../domain/access";
import { parseProblem } from "../domain/inspection";
import { PLATFORM_LABELS, PLATFORMS } from "../domain/platforms";
import { POLICY_KEY_LABELS, POLICY_KEYS, UPDATE_UNIT_LABELS, type Policy } from "../domain/policy";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import * as policyRoutes from "../routes/policies/policies.routes";
import * as webhookRoutes from "../routes/webhooks/webhooks.routes";
import { WEBHOOK_KIND_LABELS, WEBHOOK_KINDS } from "../notify/formats";
import { back, beijing, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";
import { Layout } from "./layout";

const EVENT_LABELS: Record<string, string> = {
  weekly_digest: "周报",
  veto: "两周未更新",
  midweek_reminder: "周四提醒",
  feed_failing: "订阅源异常",
  bad_link: "链接无法访问",
  wording: "错敏词",
};
const done = (ok: boolean, text: string) => back("/settings", ok, text);

const DELIVERY_STATUS: Record<string, [string, string]> = {
  pending: ["待发送/重试中", "warn"],
  delivered: ["已送达", "ok"],
  failed: ["发送失败（不再重试）", "bad"],
};

export function registerSettingsPages(ui: Hono<UiEnv>, { api, now }: PageKit) {

  ui.get("/settings", async (c) => {
    const me = c.get("me");
    const [hooks, orgs, policy] = await Promise.all([
      api(c, webhookRoutes.listWebhooks, { query: { pageSize: 100 } }),
      api(c, orgRoutes.listOrgs),
      api(c, policyRoutes.listPolicies, { query: { orgId: me.org.id } }),
    ]);
    // The contract types the effective policy loosely (a record); it is the domain's Policy.
    const eff: Partial<Policy> = policy.ok ? (policy.body.effective as Partial<Policy>) : {};
    return c.html(
      <Layout title="设置" path="/settings" who={who(c)} message={message(c)}>
        <h1>消息推送</h1>
        <table>
          <thead>
            <tr>
              <th>名称</th>
              <th>类型</th>
              <th>地址</th>
              <th>订阅</th>
              <th>状态</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(hooks.ok ? hooks.body.items : []).map((h) => (
              <tr>
                <td>{h.label}</td>
                <td>{WEBHOOK_KIND_LABELS[h.kind as keyof typeof WEBHOOK_KIND_LABELS]}</td>
                <td>
                  <code>{h.url}</code>
                  {h.hasSecret ? <span class="tag">已加签</span> : null}
                </td>
                <td>{h.events.map((e) => EVENT_LABELS[e] ?? e).join("、")}</td>
                <td>{h.active ? "启用" : "停用"}</td>
                <td>
                  <a href={`/settings/webhooks/${encodeURIComponent(h.id)}/deliveries`}>推送记录</a>
                  <form method="post" action={`/settings/webhooks/${h.id}`}>
                    <input type="hidden" name="active" value={h.active ? "false" : "true"} />
                    <button class="secondary" type="submit">{h.active ? "停用" : "启用"}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="card form-grid gap-top" method="post" action="/settings/webhooks">
          <label>接收单位</label>
          <select name="orgId">
            {(orgs.ok ? orgs.body.items : []).map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
          <label>类型</label>
          <select name="kind">
            {WEBHOOK_KINDS.map((k) => (
              <option value={k}>{WEBHOOK_KIND_LABELS[k]}</option>
            ))}
          </select>
          <label>名称</label>
          <input name="label" required placeholder="如：政务公开办工作群" />
          <label>Webhook 地址</label>
          <input name="url" required placeholder="机器人设置中复制的完整地址" />
          <label>加签密钥</label>
          <input name="secret" placeholder="钉钉、飞书开启“加签”时填写；保存后不再显示" />
          <label>订阅</label>
          <span>
            {Object.entries(EVENT_LABELS).map(([k, v]) => (
              <label class="check">
                <input type="checkbox" name="events" value={k} checked /> {v}
              </label>
            ))}
          </span>
          <span />
          <div>
            <button type="submit">添加</button>
          </div>
        </form>

        <h1 class="section">监测标准（{me.org.name}）</h1>
        <div class="card">
          <p>
            每周最低更新次数：
            {PLATFORMS.map((p) => `${PLATFORM_LABELS[p]} ${eff.weeklyMinimum?.[p] ?? "—"}`).join("，")}；微信服务号 {eff.serviceWeeklyMinimum ?? "—"}
          </p>
          <p>
            更新的计数单位：{eff.updateUnit ? UPDATE_UNIT_LABELS[eff.updateUnit] : "—"}；转发{eff.countReposts === false ? "不计入" : "计入"}更新。
          </p>
          <p>
            两周未更新判定 {eff.vetoDays} 天；长期未更新（僵尸账号）{eff.zombieDays} 天；近 {eff.chronicWindowWeeks} 个计入周中 {eff.chronicBelowWeeks} 周未达标视为长期不达标；季度抽查比例{" "}
            {eff.samplingRate !== undefined ? `${Math.round(eff.samplingRate * 1000) / 10}%` : "—"}。
          </p>
        </div>
        {canSetPolicy(me.role) ? (
          <form class="card filters" method="post" action="/settings/policies">
            <select name="key">
              {POLICY_KEYS.map((k) => (
                <option value={k}>{POLICY_KEY_LABELS[k]}</option>
              ))}
            </select>
            <select name="platform">
              <option value="">全部平台</option>
              {PLATFORMS.map((p) => (
                <option value={p}>{PLATFORM_LABELS[p]}</option>
              ))}
            </select>
            <input name="value" required placeholder="数值（抽查比例填 0.5；计数单位填 push/item/day；转发填 true/false）" />
            <input name="effectiveFrom" type="date" required value={new Date(now().getTime() + 8 * 3600_000).toISOString().slice(0, 10)} />
            <button type="submit">调整（自生效日期起适用于本级及下级）</button>
          </form>
        ) : null}
      </Layout>,
    );
  });

  ui.get("/settings/webhooks/:id/deliveries", async (c) => {
    const id = c.req.param("id");
    const page = Math.max(1, Number(c.req.query("page")) || 1);
    const pageSize = 50;
    const [hooks, deliveries] = await Promise.all([
      api(c, webhookRoutes.listWebhooks, { query: { pageSize: 100 } }),
      api(c, webhookRoutes.listDeliveries, { params: { id }, query: { page, pageSize } }),
    ]);
    if (!deliveries.ok) return c.redirect(done(false, deliveries.body.error.message));
    const hook = hooks.ok ? hooks.body.items.find((h) => h.id === id) : undefined;
    const { items, total } = deliveries.body;
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const link = (p: number) => `/settings/webhooks/${encodeURIComponent(id)}/deliveries?page=${p}`;
    return c.html(
      <Layout title="推送记录" path="/settings" who={who(c)} message={message(c)}>
        <h1>推送记录{hook ? `：${hook.label}` : ""}</h1>
        <p>
          <a href="/settings">返回设置</a> · 共 {total} 条，新的在前；时间为北京时间。发送失败的消息会按间隔自动重试，多次失败后不再重试。
        </p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>事件</th>
                <th>状态</th>
                <th>尝试次数</th>
                <th>下次重试</th>
                <th>最近错误</th>
                <th>生成时间</th>
                <th>送达时间</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const [label, tone] = DELIVERY_STATUS[d.status] ?? [d.status, ""];
                return (
                  <tr>
                    <td>{EVENT_LABELS[d.event] ?? d.event}</td>
                    <td>
                      <span class={`tag ${tone}`}>{label}</span>
                    </td>
                    <td>{d.attempts}</td>
                    <td>{d.status === "pending" ? beijing(d.nextAttemptAt) : "—"}</td>
                    <td>{d.lastError ? `${d.lastStatus ? `HTTP ${d.lastStatus}：` : ""}${d.lastError}` : "—"}</td>
                    <td>{beijing(d.createdAt)}</td>
                    <td>{beijing(d.deliveredAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {items.length === 0 ? <p class="muted">还没有推送记录。</p> : null}
        {pages > 1 ? (
          <p class="pager">
            {page > 1 ? <a href={link(page - 1)}>上一页</a> : null}
            <span>
              第 {page} / {pages} 页
            </span>
            {page < pages ? <a href={link(page + 1)}>下一页</a> : null}
          </p>
        ) : null}
      </Layout>,
    );
  });

  ui.post("/settings/webhooks", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const f = await c.req.parseBody({ all: true });
    const events = ([] as unknown[]).concat(f.events ?? []).map(String);
    const body: Record<string, unknown> = { orgId: String(f.orgId ?? ""), kind: String(f.kind ?? ""), label: String(f.label ?? "").trim(), url: String(f.url ?? "").trim(), events };
    if (typeof f.secret === "string" && f.secret.trim()) body.secret = f.secret.trim();
    const r = await api(c, webhookRoutes.createWebhook, { body });
    return c.redirect(done(r.ok, r.ok ? "已添加消息推送" : r.body.error.message));
  });

  ui.post("/settings/webhooks/:id", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const f = await c.req.parseBody();
    const r = await api(c, webhookRoutes.updateWebhook, { params: { id: c.req.param("id") }, body: { active: f.active === "true" } });
    return c.redirect(done(r.ok, r.ok ? (r.body.active ? "已启用" : "已停用") : r.body.error.message));
  });

  ui.post("/settings/policies", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const f = await c.req.parseBody();
    // The API takes words for the unit and true/false for reposts, numbers for the rest.
    const key = String(f.key ?? "");
    const raw = String(f.value ?? "").trim();
    // 单项否决 items as codes or the labels clerks read (更新不及时（超过2周）、严重表述错误 …); unknown words go to the API, which names them.
    const vetoList = () => raw.split(/[,，、;；\s]+/).filter(Boolean).map((w) => parseProblem(w) ?? w);
    const value =
      key === "updateUnit" ? raw : key === "countReposts" ? (raw === "true" ? true : raw === "false" ? false : raw) : key === "vetoProblems" ? vetoList() : Number(raw);
    const body: Record<string, unknown> = { orgId: c.get("me").org.id, key, value, effectiveFrom: String(f.effectiveFrom ?? "") };
    if (typeof f.platform === "string" && f.platform) body.platform = f.platform;
    const r = await api(c, policyRoutes.createPolicy, { body });
    return c.redirect(done(r.ok, r.ok ? "已调整监测标准" : r.body.error.message));
  });
}
