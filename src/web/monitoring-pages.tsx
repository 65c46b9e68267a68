// Monitoring pages of the web UI: the week's update results and the open alerts.
import type { Hono } from "hono";
import { UNKNOWN_REASON_LABELS, WEEK_STATUS_LABELS, type WeekStatus } from "../domain/compliance";
import { platformWithType } from "../domain/platforms";
import { UPDATE_UNIT_LABELS } from "../domain/policy";
import { addWeeks, weekOf } from "../domain/weeks";
import * as alertRoutes from "../routes/alerts/alerts.routes";
import * as complianceRoutes from "../routes/compliance/compliance.routes";
import { Layout } from "./layout";
import { beijing as dt, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";
import { judgedLine, pct } from "./week-summary";

export function registerMonitoringPages(ui: Hono<UiEnv>, { api, now }: PageKit) {
  ui.get("/compliance", async (c) => {
    const week = c.req.query("week") ?? addWeeks(weekOf(now()), -1).id;
    const status = c.req.query("status") ?? "";
    const r = await api(c, complianceRoutes.getCompliance, { query: { week, pageSize: 500, status: status || undefined } });
    return c.html(
      <Layout title="更新监测" path="/compliance" who={who(c)} message={r.ok ? message(c) : { kind: "err", text: r.body.error.message }}>
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
        {r.ok ? (
          <>
            <div class="card">
              达标率 {pct(r.body.summary.overall.rate)}：达标 {r.body.summary.overall.compliant}，未达标 {r.body.summary.overall.below}，无法判断{" "}
              {r.body.summary.overall.unknown}，{WEEK_STATUS_LABELS.exempt} {r.body.summary.overall.exempt}
              <p class="judged">{judgedLine(r.body.summary.overall)}。“更新”按监测标准的计数单位计算（默认按推送：同一分钟内发布的多篇算一次），“发文”是条目数；原创占比 {pct(r.body.summary.overall.originalShare)}。</p>
            </div>
            <table>
              <thead>
                <tr>
                  <th>账号</th>
                  <th>平台</th>
                  <th>主办单位</th>
                  <th>更新（次）</th>
                  <th>发文（条）</th>
                  <th>原创占比</th>
                  <th>最低要求</th>
                  <th>结果</th>
                  <th>说明</th>
                </tr>
              </thead>
              <tbody>
                {r.body.items.map((i) => (
                  <tr>
                    <td>{i.accountName}</td>
                    <td>{platformWithType(i.platform, i.accountType)}</td>
                    <td>{i.orgName}</td>
                    <td title={UPDATE_UNIT_LABELS[i.updateUnit]}>{i.updates}</td>
                    <td>{i.posts}</td>
                    <td>{i.reposts > 0 ? `${pct(i.originalShare)}（转发 ${i.reposts}）` : pct(i.originalShare)}</td>
                    <td>{i.required}</td>
                    <td>
                      <span class={`tag ${i.status === "compliant" ? "ok" : i.status === "below" ? "bad" : "warn"}`}>{WEEK_STATUS_LABELS[i.status]}</span>
                    </td>
                    <td class="muted">{i.unknownReason ? UNKNOWN_REASON_LABELS[i.unknownReason] : ""}</td>
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
    const r = await api(c, alertRoutes.listAlerts, { query: { status: "open", pageSize: 200 } });
    const items = r.ok ? r.body.items : [];
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
            {items.map((a) => (
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
        {items.length === 0 ? <p class="muted">没有未处理的预警。</p> : null}
      </Layout>,
    );
  });

  ui.post("/alerts/:id/acknowledge", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const form = await c.req.parseBody();
    const r = await api(c, alertRoutes.acknowledgeAlert, { params: { id: c.req.param("id") }, body: { note: String(form.note ?? "") } });
    return c.redirect(`/alerts?${r.ok ? `ok=${encodeURIComponent("已知悉")}` : `err=${encodeURIComponent(r.body.error.message)}`}`);
  });
}
