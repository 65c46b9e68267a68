// 整改 (rectification) tracking in the web UI: the failed inspections the clerk can see, overdue ones
// highlighted, and the form to record that one was put right. Operators see and rectify their own
// accounts' results here; supervisors their subtree's. One API call and one label query per page.
import type { Hono } from "hono";
import { PROBLEM_LABELS } from "../domain/inspection";
import { shanghaiDate } from "../domain/weeks";
import { RECTIFICATION_FILTERS } from "../routes/sampling/sampling.routes";
import * as samplingRoutes from "../routes/sampling/sampling.routes";
import { accountLabels } from "./account-labels";
import { emptyForm, postedValues, type FormState } from "./form-kit";
import { Layout } from "./layout";
import { back, message, sameOrigin, who, type PageKit, type UiContext, type UiEnv } from "./page-kit";
import { refused } from "./sampling-pages";

type Filter = (typeof RECTIFICATION_FILTERS)[number];
const FILTER_LABELS: Record<Filter, string> = { open: "待整改", overdue: "逾期未整改", done: "已整改" };
const PAGE_SIZE = 100;
const FIELDS = ["rectifiedAt", "note"] as const;
const WORDS = [
  ["整改完成日期", "rectifiedAt"],
  ["整改情况", "note"],
] as const;

/** One row's form; ids carry the inspection's id so every label and error belongs to its own row. */
function RectificationForm(props: { inspectionId: string; status: Filter; state: FormState }) {
  const { state } = props;
  const id = (name: string) => `r-${props.inspectionId}-${name}`;
  const error = (name: (typeof FIELDS)[number]) =>
    state.errors[name] ? (
      <div class="field-err" id={id(`${name}-err`)} role="alert">
        {state.errors[name]}
      </div>
    ) : null;
  const invalid = (name: (typeof FIELDS)[number]) => (state.errors[name] ? { "aria-invalid": "true", "aria-describedby": id(`${name}-err`) } : {});
  return (
    <form method="post" action={`/rectification/${props.inspectionId}?status=${props.status}`} class="rectify">
      {state.message && Object.keys(state.errors).length === 0 ? <div class="msg err">{state.message}</div> : null}
      <p>
        <label for={id("rectifiedAt")}>整改完成日期</label> <input id={id("rectifiedAt")} type="date" name="rectifiedAt" value={state.values.rectifiedAt ?? ""} required {...invalid("rectifiedAt")} />
        {error("rectifiedAt")}
      </p>
      <p>
        <label for={id("note")}>整改情况</label>
        <br />
        <textarea id={id("note")} name="note" rows={2} maxlength={500} required {...invalid("note")}>
          {state.values.note ?? ""}
        </textarea>
        {error("note")}
      </p>
      <button type="submit">登记整改</button>
    </form>
  );
}

export function registerRectificationPages(ui: Hono<UiEnv>, { api, db, now }: PageKit) {
  const render = async (c: UiContext, posted?: { id: string; state: FormState }) => {
    const q = c.req.query("status");
    const status: Filter = (RECTIFICATION_FILTERS as readonly string[]).includes(q ?? "") ? (q as Filter) : "open";
    const r = await api(c, samplingRoutes.listInspections, { query: { rectification: status, pageSize: PAGE_SIZE } });
    const items = r.ok ? r.body.items : [];
    // Every row's account in one query, not one API call per row.
    const names = await accountLabels(db, c.get("actor"), [...new Set(items.map((i) => i.accountId))]);
    const today = shanghaiDate(now());
    const role = c.get("me").role;
    const canRecord = role === "operator" || role === "supervisor";
    return c.html(
      <Layout title="整改跟踪" path="/rectification" who={who(c)} message={message(c)}>
        <h1>整改跟踪</h1>
        <p>
          {RECTIFICATION_FILTERS.map((f) => (
            <>
              <a href={`/rectification?status=${f}`} class={f === status ? "tag" : ""} aria-current={f === status ? "page" : undefined}>
                {FILTER_LABELS[f]}
              </a>{" "}
            </>
          ))}
          <span class="muted">抽查不合格的账号须在整改期限内整改，并登记整改完成日期和整改情况；逾期未整改的，下一季度抽查时列为复查。</span>
        </p>
        {r.ok ? null : <div class="msg err">{r.body.error.message}</div>}
        <table class="rectifications">
          <thead>
            <tr>
              <th>账号</th>
              <th>检查日期</th>
              <th>问题</th>
              <th>整改要求</th>
              <th>整改期限</th>
              <th>{status === "done" ? "整改情况" : "登记整改"}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => {
              const overdue = !i.rectifiedAt && !!i.deadline && i.deadline < today;
              const state = posted?.id === i.id ? posted.state : emptyForm({ rectifiedAt: today });
              return (
                <tr class={overdue ? "bad overdue" : ""} data-inspection={i.id}>
                  <td>
                    <a href={`/accounts/${i.accountId}`}>{names.get(i.accountId) ?? "（账号）"}</a>
                    {role === "supervisor" ? (
                      <>
                        {" "}
                        <a class="muted" href={`/sampling/${i.roundId}/items/${i.accountId}`}>
                          检查记录
                        </a>
                      </>
                    ) : null}
                  </td>
                  <td>{i.inspectedOn}</td>
                  <td>{i.problems.map((p) => PROBLEM_LABELS[p as keyof typeof PROBLEM_LABELS] ?? p).join("、")}</td>
                  <td>{i.requirement ?? "—"}</td>
                  <td>
                    {i.deadline ?? "未定"}
                    {overdue ? <span class="tag bad">已逾期</span> : null}
                  </td>
                  <td>
                    {i.rectifiedAt ? (
                      `${i.rectifiedAt} 整改完成：${i.rectificationNote ?? "—"}`
                    ) : canRecord ? (
                      <RectificationForm inspectionId={i.id} status={status} state={state} />
                    ) : (
                      "未整改"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {items.length === 0 ? <p class="muted">没有{FILTER_LABELS[status]}的检查结果。</p> : null}
        {r.ok && r.body.total > items.length ? <p class="muted">共 {r.body.total} 条，仅显示整改期限最早的 {items.length} 条。</p> : null}
      </Layout>,
    );
  };

  ui.get("/rectification", (c) => render(c));

  ui.post("/rectification/:id", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const values = postedValues(await c.req.parseBody(), FIELDS);
    const r = await api(c, samplingRoutes.recordRectification, { params: { id }, body: { rectifiedAt: values.rectifiedAt ?? "", note: values.note ?? "" } });
    if (r.ok) return c.redirect(back(`/rectification?status=${c.req.query("status") ?? "open"}`, true, "已登记整改"));
    return render(c, { id, state: refused(values, r.body, FIELDS, WORDS) });
  });
}
