// Filing review pages of the web UI: the filings awaiting (or past) a decision, and the decision.
import type { Hono } from "hono";
import { FILING_KIND_LABELS } from "../domain/lifecycle";
import * as filingRoutes from "../routes/filings/filings.routes";
import { accountLabels } from "./account-labels";
import { Layout } from "./layout";
import { beijing as dt, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";

export function registerFilingPages(ui: Hono<UiEnv>, { api, db }: PageKit) {
  ui.get("/filings", async (c) => {
    const status = c.req.query("status") ?? "submitted";
    const r = await api(c, filingRoutes.listFilings, { query: { status, pageSize: 100 } });
    const items = r.ok ? r.body.items : [];
    // Every row's account in one query, not one API call per row.
    const names = await accountLabels(db, c.get("actor"), [...new Set(items.map((f) => f.accountId))]);
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
            {items.map((f) => (
              <tr>
                <td>{FILING_KIND_LABELS[f.kind]}</td>
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
        {items.length === 0 ? <p class="muted">没有记录。</p> : null}
      </Layout>,
    );
  });

  ui.post("/filings/:id/decision", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const form = await c.req.parseBody();
    const r = await api(c, filingRoutes.decideFiling, {
      params: { id: c.req.param("id") },
      body: { approve: form.approve === "true", note: String(form.note ?? "") },
    });
    const text = r.ok ? (r.body.status === "approved" ? "已批准" : "已驳回") : r.body.error.message;
    return c.redirect(`/filings?${r.ok ? "ok" : "err"}=${encodeURIComponent(text)}`);
  });
}
