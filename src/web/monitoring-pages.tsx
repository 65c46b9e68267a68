// Monitoring pages of the web UI: a week's update results (with a week picker, summaries by unit and by
// platform, and an export) and the alerts (filters, history, 知悉 one or many, 关闭 with a note).
import type { Hono } from "hono";
import { ALERT_KINDS, ALERT_STATUSES } from "../db/schema";
import { ALERT_KIND_LABELS } from "../domain/alerts";
import { UNKNOWN_REASON_LABELS, WEEK_STATUS_LABELS, WEEK_STATUSES } from "../domain/compliance";
import { PLATFORM_LABELS, PLATFORMS, platformWithType } from "../domain/platforms";
import { UPDATE_UNIT_LABELS } from "../domain/policy";
import { addWeeks, parseWeekId, shanghaiDate, weekOf, type Week } from "../domain/weeks";
import * as alertRoutes from "../routes/alerts/alerts.routes";
import * as bulkRoutes from "../routes/alerts/bulk.routes";
import * as complianceRoutes from "../routes/compliance/compliance.routes";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import { Layout } from "./layout";
import { Choice, FilterForm, listHref, pageOf, Pager, pickParams, UnitPicker, type ListParams } from "./list-kit";
import { back, beijing as dt, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";
import { judgedLine, pct } from "./week-summary";

const COMPLIANCE_PAGE = 100;
const ALERTS_PAGE = 50;
/** How many past weeks the week <select> offers (the previous/next links go further). */
const PICKER_WEEKS = 26;

const ALERT_STATUS_LABELS: Record<(typeof ALERT_STATUSES)[number], string> = { open: "未处理", acknowledged: "已知悉", resolved: "已关闭" };

/** "11月23日–11月29日": a week as the clerk's calendar shows it (Monday to Sunday, Beijing). */
export function weekRangeLabel(w: Week): string {
  const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  return `${md(shanghaiDate(w.start))}–${md(shanghaiDate(new Date(w.end.getTime() - 1)))}`;
}

/** "2026年第48周（11月23日–11月29日）". */
const weekLabel = (w: Week) => `${w.id.slice(0, 4)}年第${Number(w.id.slice(6))}周（${weekRangeLabel(w)}）`;

function SummaryTable(props: { title: string; rows: { key: string; label: string; total: number; compliant: number; below: number; unknown: number; exempt: number; rate: number | null }[]; link?: (key: string) => string }) {
  return (
    <div class="card">
      <h2>{props.title}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{props.title.replace(/^按/, "").replace(/汇总$/, "")}</th>
              <th>账号</th>
              <th>达标</th>
              <th>未达标</th>
              <th>无法判断</th>
              <th>{WEEK_STATUS_LABELS.exempt}</th>
              <th>达标率</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((s) => (
              <tr>
                <td>{props.link ? <a href={props.link(s.key)}>{s.label}</a> : s.label}</td>
                <td>{s.total}</td>
                <td>{s.compliant}</td>
                <td>{s.below}</td>
                <td>{s.unknown}</td>
                <td>{s.exempt}</td>
                <td>{pct(s.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.rows.length === 0 ? <p class="muted">没有数据。</p> : null}
    </div>
  );
}

export function registerMonitoringPages(ui: Hono<UiEnv>, { api, now }: PageKit) {
  ui.get("/compliance", async (c) => {
    const current = weekOf(now());
    const latest = addWeeks(current, -1);
    // A typed or stale week id that is no week falls back to the last complete one.
    const week = parseWeekId(c.req.query("week") ?? "") ?? latest;
    const params: ListParams = { week: week.id === latest.id ? undefined : week.id, ...pickParams((k) => c.req.query(k), ["orgId", "platform", "status"]) };
    const page = pageOf(c.req.query("page"));
    // Two API calls whatever the number of accounts: the week (rows and summaries) and the unit tree.
    const [r, orgs] = await Promise.all([
      api(c, complianceRoutes.getCompliance, { query: { week: week.id, orgId: params.orgId, platform: params.platform, status: params.status, page, pageSize: COMPLIANCE_PAGE } }),
      api(c, orgRoutes.listOrgs),
    ]);
    const prev = addWeeks(week, -1);
    const next = addWeeks(week, 1);
    const choices = Array.from({ length: PICKER_WEEKS }, (_, i) => addWeeks(current, -i));
    if (!choices.some((w) => w.id === week.id)) choices.push(week);
    const exportQuery = new URLSearchParams(Object.entries({ ...params, week: week.id }).filter((e): e is [string, string] => !!e[1]));
    const withParams = (change: ListParams) => listHref("/compliance", params, { ...change, page: undefined });
    return c.html(
      <Layout title="更新监测" path="/compliance" who={who(c)} message={r.ok ? message(c) : { kind: "err", text: r.body.error.message }}>
        <h1>每周更新情况</h1>
        <div class="week-nav">
          <a href={withParams({ week: prev.id })} rel="prev">
            ← 上一周
          </a>
          <span class="range" aria-live="polite">
            {weekLabel(week)}
          </span>
          {next.start <= now() ? (
            <a href={withParams({ week: next.id === latest.id ? undefined : next.id })} rel="next">
              下一周 →
            </a>
          ) : (
            <span class="muted">下一周 →</span>
          )}
        </div>
        <FilterForm
          path="/compliance"
          extra={
            <>
              <a href={`/download/compliance/export.xlsx?${exportQuery}`}>导出 Excel</a>
              <a href={`/download/compliance/export.csv?${exportQuery}`}>导出 CSV</a>
            </>
          }
        >
          <select name="week" aria-label="周">
            {choices.map((w) => (
              <option value={w.id} selected={w.id === week.id}>
                {weekLabel(w)}
                {w.id === current.id ? " 本周" : ""}
              </option>
            ))}
          </select>
          <UnitPicker orgs={orgs.ok ? orgs.body.items : []} selected={params.orgId} />
          <Choice name="platform" label="平台" all="全部平台" values={PLATFORMS} labels={PLATFORM_LABELS} selected={params.platform} />
          <Choice name="status" label="结果" all="全部结果" values={WEEK_STATUSES} labels={WEEK_STATUS_LABELS} selected={params.status} />
        </FilterForm>
        {r.ok ? (
          <>
            <div class="card">
              达标率 {pct(r.body.summary.overall.rate)}：达标 {r.body.summary.overall.compliant}，未达标 {r.body.summary.overall.below}，无法判断{" "}
              {r.body.summary.overall.unknown}，{WEEK_STATUS_LABELS.exempt} {r.body.summary.overall.exempt}
              <p class="judged">{judgedLine(r.body.summary.overall)}。“更新”按监测标准的计数单位计算（默认按推送：同一分钟内发布的多篇算一次），“发文”是条目数；原创占比 {pct(r.body.summary.overall.originalShare)}。</p>
            </div>
            <div class="summary-tables">
              <SummaryTable title="按单位汇总" rows={r.body.summary.byOrg} link={(k) => withParams({ orgId: k })} />
              <SummaryTable title="按平台汇总" rows={r.body.summary.byPlatform} link={(k) => withParams({ platform: k })} />
            </div>
            <Pager path="/compliance" params={params} page={page} pageSize={COMPLIANCE_PAGE} total={r.body.total} unit="个账号" />
            <div class="table-wrap">
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
                      <td>
                        <a href={`/accounts/${i.accountId}`}>{i.accountName}</a>
                      </td>
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
            </div>
            {r.body.items.length === 0 ? <p class="muted">没有符合条件的账号。</p> : null}
            <Pager path="/compliance" params={params} page={page} pageSize={COMPLIANCE_PAGE} total={r.body.total} unit="个账号" />
          </>
        ) : null}
      </Layout>,
    );
  });

  ui.get("/alerts", async (c) => {
    const status = c.req.query("status") ?? "open";
    const params: ListParams = { status: status === "open" ? undefined : status, ...pickParams((k) => c.req.query(k), ["kind", "orgId", "platform"]) };
    const page = pageOf(c.req.query("page"));
    const query = { status: status || undefined, kind: params.kind, orgId: params.orgId, platform: params.platform, page, pageSize: ALERTS_PAGE };
    // Two API calls whatever the number of alerts: the page of alerts (with the account's platform) and the unit tree.
    const [r, orgs] = await Promise.all([api(c, alertRoutes.listAlerts, { query }), api(c, orgRoutes.listOrgs)]);
    const items = r.ok ? r.body.items : [];
    const here = listHref("/alerts", params, { page: page > 1 ? String(page) : undefined });
    const canHandle = c.get("me").role === "supervisor" || c.get("me").role === "operator";
    const open = items.filter((a) => a.status === "open");
    return c.html(
      <Layout title="预警" path="/alerts" who={who(c)} message={r.ok ? message(c) : { kind: "err", text: r.body.error.message }}>
        <h1>预警</h1>
        <FilterForm path="/alerts">
          <select name="status" aria-label="处理状态">
            {ALERT_STATUSES.map((s) => (
              <option value={s} selected={status === s}>
                {ALERT_STATUS_LABELS[s]}
              </option>
            ))}
            <option value="" selected={status === ""}>
              全部（含历史）
            </option>
          </select>
          <Choice name="kind" label="类型" all="全部类型" values={ALERT_KINDS} labels={ALERT_KIND_LABELS} selected={params.kind} />
          <UnitPicker orgs={orgs.ok ? orgs.body.items : []} selected={params.orgId} />
          <Choice name="platform" label="平台" all="全部平台" values={PLATFORMS} labels={PLATFORM_LABELS} selected={params.platform} />
        </FilterForm>
        {canHandle && open.length > 0 ? (
          // The checkboxes in the table belong to this form through their form= attribute: no nested forms, no script.
          <form id="bulk" class="bulk-bar card" method="post" action="/alerts/acknowledge">
            <input type="hidden" name="back" value={here} />
            <span>勾选的预警：</span>
            <input name="note" placeholder="处理说明（必填）" aria-label="批量知悉的处理说明" required maxlength={500} />
            <button type="submit">批量知悉</button>
            <span class="muted">一次最多 {bulkRoutes.MAX_BULK_ALERTS} 条</span>
          </form>
        ) : null}
        <Pager path="/alerts" params={params} page={page} pageSize={ALERTS_PAGE} total={r.ok ? r.body.total : 0} unit="条预警" />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {canHandle && open.length > 0 ? <th>选择</th> : null}
                <th>账号</th>
                <th>主办单位</th>
                <th>类型</th>
                <th>说明</th>
                <th>发现时间</th>
                <th>状态</th>
                <th>处理</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr>
                  {canHandle && open.length > 0 ? (
                    <td class="pick">
                      {a.status === "open" ? <input type="checkbox" name="ids" value={a.id} form="bulk" aria-label={`选择 ${a.accountName} 的预警`} /> : null}
                    </td>
                  ) : null}
                  <td>
                    <a href={`/accounts/${a.accountId}`}>{a.accountName}</a> <span class="tag">{PLATFORM_LABELS[a.platform]}</span>
                  </td>
                  <td>{a.orgName}</td>
                  <td>
                    <span class="tag bad">{a.kindLabel}</span>
                  </td>
                  <td>{a.message}</td>
                  <td>{dt(a.openedAt)}</td>
                  <td>
                    {ALERT_STATUS_LABELS[a.status]}
                    {a.status === "acknowledged" && a.acknowledgedAt ? <div class="muted">{dt(a.acknowledgedAt)}</div> : null}
                    {a.status === "resolved" && a.resolvedAt ? <div class="muted">{dt(a.resolvedAt)}</div> : null}
                  </td>
                  <td>
                    {a.note ? <div class="muted">{a.note}</div> : null}
                    {canHandle && a.status !== "resolved" ? (
                      <form method="post" action={`/alerts/${a.id}/${a.status === "open" ? "acknowledge" : "resolve"}`}>
                        <input type="hidden" name="back" value={here} />
                        <input name="note" placeholder="处理说明" aria-label="处理说明" required maxlength={500} />{" "}
                        {a.status === "open" ? (
                          <>
                            <button type="submit">知悉</button>{" "}
                            <button type="submit" class="secondary" formaction={`/alerts/${a.id}/resolve`}>
                              关闭
                            </button>
                          </>
                        ) : (
                          <button type="submit" class="secondary">
                            关闭
                          </button>
                        )}
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {items.length === 0 ? <p class="muted">{status === "open" ? "没有未处理的预警。" : "没有符合条件的预警。"}</p> : null}
        <Pager path="/alerts" params={params} page={page} pageSize={ALERTS_PAGE} total={r.ok ? r.body.total : 0} unit="条预警" />
      </Layout>,
    );
  });

  /** Back to the list the clerk was on (only an /alerts address: the field is posted, so not trusted). */
  const returnTo = (v: unknown) => (typeof v === "string" && /^\/alerts(\?[^#]*)?$/.test(v) ? v : "/alerts");

  ui.post("/alerts/acknowledge", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const form = await c.req.parseBody({ all: true });
    const raw = form.ids;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === "string");
    const to = returnTo(Array.isArray(form.back) ? form.back[0] : form.back);
    if (ids.length === 0) return c.redirect(back(to, false, "请先勾选要知悉的预警"));
    const r = await api(c, bulkRoutes.acknowledgeAlerts, { body: { ids, note: String(Array.isArray(form.note) ? form.note[0] : (form.note ?? "")) } });
    return c.redirect(back(to, r.ok, r.ok ? `已知悉 ${r.body.acknowledged} 条预警` : r.body.error.message));
  });

  for (const action of ["acknowledge", "resolve"] as const) {
    ui.post(`/alerts/:id/${action}`, async (c) => {
      if (!sameOrigin(c)) return c.text("forbidden", 403);
      const form = await c.req.parseBody();
      const route = action === "acknowledge" ? alertRoutes.acknowledgeAlert : alertRoutes.resolveAlert;
      const r = await api(c, route, { params: { id: c.req.param("id") }, body: { note: String(form.note ?? "") } });
      return c.redirect(back(returnTo(form.back), r.ok, r.ok ? (action === "acknowledge" ? "已知悉" : "已关闭") : r.body.error.message));
    });
  }
}
