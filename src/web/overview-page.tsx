// The overview (概览): the state of the clerk's subtree at a glance.
import type { Hono } from "hono";
import { WEEK_STATUS_LABELS } from "../domain/compliance";
import { addWeeks, weekOf } from "../domain/weeks";
import * as accountRoutes from "../routes/accounts/accounts.routes";
import * as alertRoutes from "../routes/alerts/alerts.routes";
import * as complianceRoutes from "../routes/compliance/compliance.routes";
import * as filingRoutes from "../routes/filings/filings.routes";
import { Layout } from "./layout";
import { message, who, type PageKit, type UiEnv } from "./page-kit";
import { judgedLine, pct } from "./week-summary";

export function registerOverviewPage(ui: Hono<UiEnv>, { api, now }: PageKit) {
  ui.get("/", async (c) => {
    const last = addWeeks(weekOf(now()), -1).id;
    const [accounts, filings, alerts, compliance] = await Promise.all([
      api(c, accountRoutes.listAccounts, { query: { pageSize: 1, status: "active" } }),
      api(c, filingRoutes.listFilings, { query: { status: "submitted", pageSize: 1 } }),
      api(c, alertRoutes.listAlerts, { query: { status: "open", pageSize: 1 } }),
      api(c, complianceRoutes.getCompliance, { query: { week: last, pageSize: 1 } }),
    ]);
    const s = compliance.ok ? compliance.body.summary.overall : undefined;
    return c.html(
      <Layout title="概览" path="/" who={who(c)} message={message(c)}>
        <h1>概览</h1>
        <div class="stats">
          <div class="stat">在用账号<b>{accounts.ok ? accounts.body.total : null}</b></div>
          <div class="stat">待审核备案<b>{filings.ok ? filings.body.total : null}</b></div>
          <div class="stat">未处理预警<b>{alerts.ok ? alerts.body.total : null}</b></div>
          <div class="stat">上周（{last}）达标率<b>{pct(s?.rate)}</b></div>
        </div>
        {s ? (
          <div class="card gap-top">
            <p class="judged">{judgedLine(s)}。</p>
            上周：{WEEK_STATUS_LABELS.compliant} {s.compliant}，{WEEK_STATUS_LABELS.below} {s.below}，{WEEK_STATUS_LABELS.unknown} {s.unknown}，{WEEK_STATUS_LABELS.exempt} {s.exempt}。<a href={`/compliance?week=${last}`}>查看明细</a>
          </div>
        ) : null}
      </Layout>,
    );
  });

}
