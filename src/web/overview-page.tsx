// The overview (概览): the state of the clerk's subtree at a glance — four numbers, then charts.
// A fixed number of API calls whatever the number of accounts: the charts read the aggregates of
// GET /api/compliance (byWeek, byOrg, byPlatform, pace) and GET /api/alerts (summary).
import type { Hono } from "hono";
import { WEEK_STATUS_LABELS } from "../domain/compliance";
import { addWeeks, weekOf } from "../domain/weeks";
import * as accountRoutes from "../routes/accounts/accounts.routes";
import * as alertRoutes from "../routes/alerts/alerts.routes";
import * as complianceRoutes from "../routes/compliance/compliance.routes";
import * as filingRoutes from "../routes/filings/filings.routes";
import { MixBar, RankingChart, TrendChart, type RankRow, type TrendPoint } from "./charts";
import { Layout } from "./layout";
import { message, who, type PageKit, type UiEnv } from "./page-kit";
import { judgedLine, pct } from "./week-summary";

/** Weeks in the trend chart. */
const TREND_WEEKS = 12;
/** Units in the ranking. */
const RANKED_UNITS = 10;

export function registerOverviewPage(ui: Hono<UiEnv>, { api, now }: PageKit) {
  ui.get("/", async (c) => {
    const at = now();
    const current = weekOf(at);
    const last = addWeeks(current, -1).id;
    const first = addWeeks(current, -TREND_WEEKS).id;
    const [accounts, filings, alerts, compliance, trend, thisWeek] = await Promise.all([
      api(c, accountRoutes.listAccounts, { query: { pageSize: 1, status: "active" } }),
      api(c, filingRoutes.listFilings, { query: { status: "submitted", pageSize: 1 } }),
      api(c, alertRoutes.listAlerts, { query: { status: "open", pageSize: 1 } }),
      api(c, complianceRoutes.getCompliance, { query: { week: last, pageSize: 1 } }),
      api(c, complianceRoutes.getCompliance, { query: { from: first, to: last, pageSize: 1 } }),
      api(c, complianceRoutes.getCompliance, { query: { week: current.id, pageSize: 1 } }),
    ]);
    const s = compliance.ok ? compliance.body.summary.overall : undefined;

    // A week without any account in the subtree still gets its slot in the trend.
    const byWeek = new Map((trend.ok ? trend.body.summary.byWeek : []).map((w) => [w.key, w]));
    const points: TrendPoint[] = Array.from({ length: TREND_WEEKS }, (_, i) => addWeeks(current, i - TREND_WEEKS).id).map((week) => {
      const w = byWeek.get(week);
      return { week, rate: w?.rate ?? null, judged: w?.judged ?? 0, total: w?.total ?? 0 };
    });

    // Units by last week's problems (未达标 and 无法判断 accounts) and their open alerts.
    const units = new Map<string, RankRow>();
    const unit = (id: string, label: string) => {
      let r = units.get(id);
      if (!r) units.set(id, (r = { label, values: [0, 0, 0] }));
      return r;
    };
    for (const o of compliance.ok ? compliance.body.summary.byOrg : []) {
      const r = unit(o.key, o.label);
      r.values[0] = o.below;
      r.values[1] = o.unknown;
    }
    for (const o of alerts.ok ? alerts.body.summary.byOrg : []) unit(o.orgId, o.orgName).values[2] = o.count;
    const sum = (r: RankRow) => r.values.reduce((n, v) => n + v, 0);
    const ranked = [...units.values()].sort((a, b) => sum(b) - sum(a) || (a.label < b.label ? -1 : 1)).slice(0, RANKED_UNITS);

    const pace = thisWeek.ok ? thisWeek.body.summary.pace : null;
    const dayOfWeek = Math.min(7, Math.floor((at.getTime() - current.start.getTime()) / 86_400_000) + 1);
    const platforms = thisWeek.ok ? thisWeek.body.summary.byPlatform : [];

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
        <div class="charts">
          <TrendChart title={`近 ${TREND_WEEKS} 周达标率`} points={points} />
          {pace ? (
            <MixBar
              kind="pace"
              title={`本周进度（${current.id}，第 ${dayOfWeek}/7 天）`}
              parts={[
                { label: "已达标", value: pace.reached, tone: "good" },
                { label: "进度正常", value: pace.onTrack, tone: "fair" },
                { label: "落后于进度", value: pace.behind, tone: "bad" },
                { label: WEEK_STATUS_LABELS.unknown, value: pace.unknown, tone: "unknown" },
                { label: WEEK_STATUS_LABELS.exempt, value: pace.exempt, tone: "exempt" },
              ]}
              note="进度按每周最低更新次数 × 本周已过时间的比例（向上取整）计算。"
            />
          ) : null}
          <RankingChart
            title="问题较多的单位"
            labelHead="单位"
            series={[
              { label: `上周${WEEK_STATUS_LABELS.below}账号`, tone: "bad" },
              { label: `上周${WEEK_STATUS_LABELS.unknown}账号`, tone: "unknown" },
              { label: "未处理预警", tone: "warn" },
            ]}
            rows={ranked}
            empty="上周没有未达标或无法判断的账号，也没有未处理的预警。"
            note={units.size > RANKED_UNITS ? `只列问题最多的 ${RANKED_UNITS} 个单位。` : undefined}
          />
          <RankingChart
            title="未处理预警（按类型）"
            labelHead="类型"
            series={[{ label: "未处理预警", tone: "warn" }]}
            rows={(alerts.ok ? alerts.body.summary.byKind : []).map((k) => ({ label: k.label, values: [k.count] }))}
            empty="没有未处理的预警。"
            note={<a href="/alerts">查看预警</a>}
          />
          <MixBar
            kind="platforms"
            title="在用账号的平台分布"
            parts={platforms.map((p) => ({ label: p.label, value: p.total }))}
          />
          {s ? (
            <MixBar
              kind="sources"
              title={`数据来源（上周 ${last}）`}
              parts={[
                { label: "可判断", value: s.judged, tone: "good" },
                { label: "无数据来源", value: s.unknownReasons.no_source, tone: "bad" },
                { label: "数据采集异常", value: s.unknownReasons.collection_failed, tone: "warn" },
                { label: WEEK_STATUS_LABELS.exempt, value: s.exempt, tone: "exempt" },
              ]}
              note={
                <>
                  无数据来源：没有订阅地址，也没有推送或导入的发文，无法判断是否达标。<a href={`/compliance?week=${last}&status=unknown`}>查看这些账号</a>
                </>
              }
            />
          ) : null}
        </div>
      </Layout>,
    );
  });
}
