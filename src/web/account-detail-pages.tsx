// One account's page of the web UI: its record, posts, feed, filings and the filing form.
// Everything goes through the JSON API for the clerk.
import type { Hono } from "hono";
import { ACCOUNT_STATUS_LABELS, FILING_KIND_LABELS, type FilingKind } from "../domain/lifecycle";
import { ACCOUNT_TYPE_LABELS, ACCOUNT_TYPES, platformWithType } from "../domain/platforms";
import * as accountRoutes from "../routes/accounts/accounts.routes";
import * as filingRoutes from "../routes/filings/filings.routes";
import * as postRoutes from "../routes/posts/posts.routes";
import { Layout } from "./layout";

import { back, beijing as dt, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";


export function registerAccountDetailPages(ui: Hono<UiEnv>, { api }: PageKit) {
  const text = (v: unknown) => {
    const s = typeof v === "string" ? v.trim() : "";
    return s === "" ? undefined : s;
  };

  ui.get("/accounts/:id", async (c) => {
    const id = c.req.param("id");
    const a = await api(c, accountRoutes.getAccount, { params: { id } });
    if (!a.ok) return c.redirect(back("/accounts", false, a.body.error.message));
    const [filings, posts, feed] = await Promise.all([
      api(c, filingRoutes.listFilings, { query: { accountId: id, pageSize: 50 } }),
      api(c, postRoutes.listPosts, { params: { id }, query: { pageSize: 10 } }),
      api(c, postRoutes.getFeedState, { params: { id } }),
    ]);
    const acc = a.body;
    const f = feed.ok ? feed.body : null;
    return c.html(
      <Layout title={acc.name} path="/accounts" who={who(c)} message={message(c)}>
        <h1>
          {acc.name} <span class="tag">{platformWithType(acc.platform, acc.accountType)}</span> <span class="tag">{ACCOUNT_STATUS_LABELS[acc.status]}</span>
        </h1>
        <div class="card">
          <p>
            主办单位：{acc.orgName}　账号ID：{acc.platformId ?? "—"}　开设日期：{acc.openedOn ?? "—"}　运维人员：{acc.contactPerson ?? "—"} {acc.contactPhone ?? ""}
          </p>
          {acc.closingReason ? <p>关停原因：{acc.closingReason}</p> : null}
          <p>
            订阅地址：{acc.feedUrl ?? "未配置"}
            {f ? (
              <span>
                　最近成功抓取：{dt(f.lastSuccessAt)}
                {f.lastError ? <span class="tag bad">连续失败 {f.consecutiveFailures} 次：{f.lastError}</span> : null}
                {f.datesUnreliable ? <span class="tag warn" title="订阅源给所有条目标了同一个时间（抓取时间），按首次抓到的时间计">日期不可靠</span> : null}
              </span>
            ) : null}
          </p>
          {acc.flags.map((fl) => (
            <span class="tag warn">{fl.message}</span>
          ))}
        </div>
        <h2>办理备案</h2>
        <form class="card form-grid" method="post" action={`/accounts/${id}/filings`}>
          <label>备案类型</label>
          <select name="kind">
            {(["suspend", "resume", "close", "merge", "change"] as FilingKind[]).map((k) => (
              <option value={k}>{FILING_KIND_LABELS[k]}</option>
            ))}
            {acc.origin === "import" && acc.status === "active" ? <option value="open">补充开设备案（台账导入的账号）</option> : null}
          </select>
          <label>原因</label>
          <input name="reason" placeholder="关停注销须填写，如：机构改革" />
          <label>平台已注销</label>
          <label>
            <input type="checkbox" name="completed" value="true" /> 关停时平台已完成注销（直接标记为已关停）
          </label>
          <label>整合到账号</label>
          <input name="targetAccountId" placeholder="整合时填写目标账号的编号" />
          <label>新名称</label>
          <input name="newName" placeholder="变更时填写" />
          <label>新订阅地址</label>
          <input name="newFeedUrl" placeholder="变更时填写" />
          <label>新账号类型</label>
          <select name="newAccountType">
            <option value="">（不变更）</option>
            {ACCOUNT_TYPES.map((t) => (
              <option value={t}>微信{ACCOUNT_TYPE_LABELS[t]}</option>
            ))}
          </select>
          <span />
          <div>
            <button type="submit">提交备案</button>
          </div>
        </form>
        <h2>备案记录</h2>
        <table>
          <thead>
            <tr>
              <th>类型</th>
              <th>状态</th>
              <th>提交时间</th>
              <th>审核时间</th>
              <th>审核意见</th>
            </tr>
          </thead>
          <tbody>
            {(filings.ok ? filings.body.items : []).map((fi) => (
              <tr>
                <td>{FILING_KIND_LABELS[fi.kind]}</td>
                <td>{fi.status === "submitted" ? "待审核" : fi.status === "approved" ? "已批准" : "已驳回"}</td>
                <td>{dt(fi.submittedAt)}</td>
                <td>{dt(fi.decidedAt)}</td>
                <td>{fi.decisionNote || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>最近发文（共 {posts.ok ? posts.body.total : null} 条）</h2>
        <table>
          <tbody>
            {(posts.ok ? posts.body.items : []).map((p) => (
              <tr>
                <td class="w-time">{dt(p.publishedAt)}</td>
                <td>
                  {p.url ? <a href={p.url} rel="noopener noreferrer">{p.title}</a> : p.title}
                  {p.repost ? <span class="tag">转发</span> : null}
                  {p.backfill ? <span class="tag" title="首次抓取时已有、没有可信发布时间的条目：保留显示，不计入任何一周">历史条目，不计入</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  ui.post("/accounts/:id/filings", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const f = await c.req.parseBody();
    const kind = String(f.kind ?? "");
    const body: Record<string, unknown> = { kind, accountId: id };
    if (text(f.reason)) body.reason = text(f.reason);
    if (kind === "close" && f.completed === "true") body.completed = true;
    if (kind === "merge" && text(f.targetAccountId)) body.targetAccountId = text(f.targetAccountId);
    if (kind === "change") {
      const changes: Record<string, string> = {};
      if (text(f.newName)) changes.name = text(f.newName)!;
      if (text(f.newFeedUrl)) changes.feedUrl = text(f.newFeedUrl)!;
      if (text(f.newAccountType)) changes.accountType = text(f.newAccountType)!;
      body.changes = changes;
    }
    const r = await api(c, filingRoutes.submitFiling, { body });
    return c.redirect(back(`/accounts/${encodeURIComponent(id)}`, r.ok, r.ok ? "备案已提交，等待审核" : r.body.error.message));
  });

}
