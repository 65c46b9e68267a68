// One account's page of the web UI: its record, its weeks as a heatmap, alerts, inspections and
// rectifications, filings, posts and feed, with links to the filing pages. Everything goes through
// the JSON API for the clerk, in a fixed number of calls.
import type { Hono } from "hono";
import { ALERT_STATUSES } from "../db/schema";
import { PROBLEM_LABELS, type ProblemCategory } from "../domain/inspection";
import { ACCOUNT_STATUS_LABELS, FILING_KIND_LABELS, filingKindsFor, voidProblem } from "../domain/lifecycle";
import { platformWithType } from "../domain/platforms";
import { DEFAULT_POLICY } from "../domain/policy";
import { addWeeks, shanghaiDate, weekOf } from "../domain/weeks";
import * as accountRoutes from "../routes/accounts/accounts.routes";
import * as alertRoutes from "../routes/alerts/alerts.routes";
import * as complianceRoutes from "../routes/compliance/compliance.routes";
import * as filingRoutes from "../routes/filings/filings.routes";
import * as policyRoutes from "../routes/policies/policies.routes";
import * as postRoutes from "../routes/posts/posts.routes";
import * as samplingRoutes from "../routes/sampling/sampling.routes";
import { WeekHeatmap } from "./charts";
import { Layout } from "./layout";
import { back, beijing as dt, message, who, type PageKit, type UiEnv } from "./page-kit";
import { heatCells } from "./week-summary";

/** Weeks in the account's heatmap, the current one last. */
const HEATMAP_WEEKS = 26;

const ALERT_STATUS_LABELS: Record<(typeof ALERT_STATUSES)[number], string> = { open: "未处理", acknowledged: "已知悉", resolved: "已关闭" };

export function registerAccountDetailPages(ui: Hono<UiEnv>, { api, now }: PageKit) {
  ui.get("/accounts/:id", async (c) => {
    const id = c.req.param("id");
    const a = await api(c, accountRoutes.getAccount, { params: { id } });
    if (!a.ok) return c.redirect(back("/accounts", false, a.body.error.message));
    const acc = a.body;
    const current = weekOf(now());
    const weekIds = Array.from({ length: HEATMAP_WEEKS }, (_, i) => addWeeks(current, i - HEATMAP_WEEKS + 1).id);
    const [filings, posts, feed, weeks, policy, alerts, inspections] = await Promise.all([
      api(c, filingRoutes.listFilings, { query: { accountId: id, pageSize: 50 } }),
      api(c, postRoutes.listPosts, { params: { id }, query: { pageSize: 10 } }),
      api(c, postRoutes.getFeedState, { params: { id } }),
      api(c, complianceRoutes.getCompliance, { query: { accountId: id, from: weekIds[0], to: current.id, pageSize: HEATMAP_WEEKS } }),
      api(c, policyRoutes.listPolicies, { query: { orgId: acc.orgId } }),
      api(c, alertRoutes.listAlerts, { query: { accountId: id, pageSize: 50 } }),
      api(c, samplingRoutes.listInspections, { query: { accountId: id, pageSize: 50 } }),
    ]);
    const f = feed.ok ? feed.body : null;
    const platform = platformWithType(acc.platform, acc.accountType);
    // The platform goes with the name everywhere on the page: units run same-named accounts on several.
    const named = `${acc.name} · ${platform}`;
    const ofAccount = <span class="muted">{named}</span>;
    const vetoDays = policy.ok && typeof policy.body.effective.vetoDays === "number" ? policy.body.effective.vetoDays : DEFAULT_POLICY.vetoDays;
    const cells = heatCells(weekIds, weeks.ok ? weeks.body.items : [], vetoDays);
    const role = c.get("me").role;
    const kinds = role === "viewer" ? [] : filingKindsFor(acc.status, acc.origin);
    const today = shanghaiDate(now());
    // 作废（误登记） is offered to supervisors only while the domain would allow it; the API decides again.
    const decided = (filings.ok ? filings.body.items : []).filter((fi) => fi.status !== "submitted");
    const mayVoid = role === "supervisor" && voidProblem(acc, now(), decided) === undefined;
    return c.html(
      <Layout title={named} path="/accounts" who={who(c)} message={message(c)}>
        <h1>
          {acc.name} <span class="tag">{platform}</span> <span class="tag">{ACCOUNT_STATUS_LABELS[acc.status]}</span>
        </h1>
        <div class="card">
          <p>
            平台：{platform}　主办单位：{acc.orgName}　账号ID：{acc.platformId ?? "—"}　开设日期：{acc.openedOn ?? "—"}　运维人员：{acc.contactPerson ?? "—"} {acc.contactPhone ?? ""}
          </p>
          {acc.operationMode || acc.operator ? (
            <p>
              运维方式：{acc.operationMode ?? "—"}　运维单位：{acc.operator ?? "—"}
            </p>
          ) : null}
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
        <WeekHeatmap
          title={`${named} 近 ${HEATMAP_WEEKS} 周更新情况`}
          cells={cells}
          note={`每格一周（周一至周日，北京时间），格内数字为更新次数；鼠标悬停可看“更新/最低”次数。最后一格为本周（${current.id}），尚未结束。`}
        />
        <h2 class="section">办理备案 {ofAccount}</h2>
        <div class="card filing-links">
          {kinds.length === 0 && !mayVoid ? <span class="muted">当前状态下没有可办理的备案。</span> : null}
          {kinds.map((k) => (
            <a class="tag" href={`/accounts/${encodeURIComponent(id)}/filings/new?kind=${k}`}>
              {k === "open" ? "补充开设备案" : `${FILING_KIND_LABELS[k]}备案`}
            </a>
          ))}
          {role === "viewer" ? null : (
            <a class="tag" href={`/accounts/${encodeURIComponent(id)}/posts/import`}>
              导入发文
            </a>
          )}
          {mayVoid ? (
            <a class="tag bad" href={`/accounts/${encodeURIComponent(id)}/void`}>
              作废（误登记）
            </a>
          ) : null}
        </div>
        <h2 class="section">预警 {ofAccount}</h2>
        {alerts.ok && alerts.body.items.length > 0 ? (
          <table class="alerts">
            <thead>
              <tr>
                <th>类型</th>
                <th>状态</th>
                <th>内容</th>
                <th>发现时间</th>
                <th>最近一次</th>
                <th>处理</th>
              </tr>
            </thead>
            <tbody>
              {alerts.body.items.map((al) => (
                <tr>
                  <td>{al.kindLabel}</td>
                  <td>
                    <span class={`tag ${al.status === "open" ? "bad" : al.status === "acknowledged" ? "warn" : "ok"}`}>{ALERT_STATUS_LABELS[al.status]}</span>
                  </td>
                  <td>{al.message}</td>
                  <td>{dt(al.openedAt)}</td>
                  <td>{dt(al.lastSeenAt)}</td>
                  <td>
                    {al.status === "resolved" ? `${dt(al.resolvedAt)} 关闭` : al.status === "acknowledged" ? `${dt(al.acknowledgedAt)} 知悉` : "—"}
                    {al.note ? `：${al.note}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">没有预警。</p>
        )}
        <h2 class="section">检查与整改 {ofAccount}</h2>
        {inspections.ok && inspections.body.items.length > 0 ? (
          <table class="inspections">
            <thead>
              <tr>
                <th>检查日期</th>
                <th>结果</th>
                <th>问题</th>
                <th>整改要求</th>
                <th>整改期限</th>
                <th>整改情况</th>
              </tr>
            </thead>
            <tbody>
              {inspections.body.items.map((i) => (
                <tr>
                  <td>{i.inspectedOn}</td>
                  <td>{i.result === "pass" ? <span class="tag ok">合格</span> : <span class="tag bad">不合格</span>}</td>
                  <td>{i.problems.length ? i.problems.map((p) => PROBLEM_LABELS[p as ProblemCategory] ?? p).join("、") : "—"}</td>
                  <td>{i.requirement ?? "—"}</td>
                  <td>{i.deadline ?? "—"}</td>
                  <td>
                    {i.rectifiedAt ? (
                      <span>
                        <span class="tag ok">已整改</span> {dt(i.rectifiedAt)}
                        {i.rectificationNote ? `：${i.rectificationNote}` : ""}
                      </span>
                    ) : i.result === "fail" ? (
                      i.deadline && i.deadline < today ? <span class="tag bad">逾期未整改</span> : <span class="tag warn">待整改</span>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">没有检查记录。</p>
        )}
        <h2 class="section">备案记录 {ofAccount}</h2>
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
        <h2 class="section">
          最近发文（共 {posts.ok ? posts.body.total : null} 条） {ofAccount}
        </h2>
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
}
