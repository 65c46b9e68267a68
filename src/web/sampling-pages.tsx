// Spot-check pages of the web UI: draw a quarter's list, record each result on a full form, upload the
// filled list, verify, download the notice.
import type { Hono } from "hono";
import { canOrganiseSampling } from "../domain/access";
import { PROBLEM_CATEGORIES, PROBLEM_LABELS, RESULT_LABELS } from "../domain/inspection";
import { isSamplingUnit } from "../domain/orgs";
import { PLATFORM_LABELS } from "../domain/platforms";
import { ROUND_SCOPE_LABELS, ROUND_SCOPES } from "../domain/sampling";
import { quarterOf, shanghaiDate } from "../domain/weeks";
import { UPLOAD_FILE_LIMIT } from "../lib/body-limits";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import * as samplingRoutes from "../routes/sampling/sampling.routes";
import * as reportRoutes from "../routes/reports/reports.routes";
import type { ApiError } from "./api-client";
import { emptyForm, Field, inputAttrs, postedValues, refusedForm, RowErrorTable, type FormState } from "./form-kit";
import { back, message, sameOrigin, who, type PageKit, type UiContext, type UiEnv } from "./page-kit";
import { Layout } from "./layout";

/**
 * The form again after the API refused it (form-kit's refusedForm); a refusal without a field path
 * (the commands' own checks, e.g. "整改期限不能早于检查日期") goes beside the first field whose Chinese
 * name its message mentions, so the clerk sees where to look.
 */
export function refused(values: Record<string, string>, body: ApiError, names: readonly string[], words: readonly (readonly [string, string])[]): FormState {
  const state = refusedForm(values, body.error, names);
  if (Object.keys(state.errors).length === 0) {
    const hit = words.find(([word]) => body.error.message.includes(word));
    if (hit) state.errors[hit[1]] = body.error.message;
  }
  return state;
}

/** Every value of a repeated field (checkboxes), from parseBody({ all: true }). */
export const allValues = (f: Record<string, unknown>, name: string): string[] => {
  const v = f[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string" && x !== "");
};

// ── Inspection form ──────────────────────────────────────────────────────────────────────────

/** Every field the API records for an inspection; the form shows and sends them all (整改 is shown, edited on /rectification). */
const INSPECTION_FIELDS = ["result", "problems", "inspectedOn", "inspector", "requirement", "deadline", "notes", "overrideNote"] as const;
const TEXT_FIELDS = ["inspectedOn", "inspector", "requirement", "deadline", "notes", "overrideNote"] as const;

// First match wins: the more specific words first ("整改期限不能早于检查日期" is about the deadline).
const INSPECTION_WORDS = [
  ["判为合格时不应", "problems"],
  ["判为不合格", "problems"],
  ["问题类型", "problems"],
  ["单项否决", "overrideNote"],
  ["复查", "result"],
  ["整改期限", "deadline"],
  // The recorded rectification is not edited here: the inspection date is what moved past it.
  ["整改完成日期", "inspectedOn"],
  ["检查结果", "result"],
  ["检查日期", "inspectedOn"],
  ["整改要求", "requirement"],
  ["检查人", "inspector"],
] as const;

/** The recorded inspection as form values (problems comma-joined), or an empty form: no result is assumed. */
function recordedValues(i: Record<string, unknown> | undefined, today: string): Record<string, string> {
  const out: Record<string, string> = { inspectedOn: today };
  if (!i) return out;
  for (const k of ["result", ...TEXT_FIELDS]) if (typeof i[k] === "string" && i[k]) out[k] = i[k] as string;
  out.problems = Array.isArray(i.problems) ? i.problems.join(",") : "";
  return out;
}

/** The API body: every field the form shows, so saving never wipes what was recorded before. Blank = cleared. */
function inspectionBody(accountId: string, v: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = { accountId, result: v.result ?? "", problems: v.problems ? v.problems.split(",") : [] };
  for (const k of TEXT_FIELDS) if (v[k]) body[k] = v[k];
  // The recorded 整改完成日期 goes back with a failed result, so the API checks it against the
  // inspection date as sent (a pass clears the rectification: nothing to send).
  if (v.result === "fail" && v.rectifiedAt) body.rectifiedAt = v.rectifiedAt;
  return body;
}

export function registerSamplingPages(ui: Hono<UiEnv>, { api, now }: PageKit) {
  ui.get("/sampling", async (c) => {
    const [r, orgs] = await Promise.all([api(c, samplingRoutes.listRounds, { query: { pageSize: 50 } }), api(c, orgRoutes.listOrgs)]);
    const rounds = r.ok ? r.body.items : [];
    // Governments and zones (开发区/管委会) at county level or above draw rounds.
    const units = (orgs.ok ? orgs.body.items : []).filter((o) => isSamplingUnit(o));
    const q = quarterOf(now());
    return c.html(
      <Layout title="季度抽查" path="/sampling" who={who(c)} message={message(c)}>
        <h1>季度抽查</h1>
        <p>
          <a href="/rectification">整改跟踪</a>
        </p>
        {canOrganiseSampling(c.get("me").role) ? (
          <form class="card filters" method="post" action="/sampling">
            <label>
              抽查单位{" "}
              <select name="governmentOrgId">
                {units.map((o) => (
                  <option value={o.id}>{o.name}</option>
                ))}
              </select>
            </label>
            <label>
              抽查范围{" "}
              <select name="scope">
                {ROUND_SCOPES.map((s) => (
                  <option value={s} selected={s === "own"}>
                    {ROUND_SCOPE_LABELS[s]}
                  </option>
                ))}
              </select>
            </label>
            <input name="year" type="number" value={String(q.year)} class="w-year" aria-label="年份" />
            <select name="quarter" aria-label="季度">
              {[1, 2, 3, 4].map((n) => (
                <option value={String(n)} selected={n === q.quarter}>
                  第{n}季度
                </option>
              ))}
            </select>
            <button type="submit">抽取名单</button>
            <span class="muted">本级：该单位自己的账号（全年全覆盖）；全辖区：该单位以下所有在用账号。每季度第一天 08:00 也会自动抽取本级名单；同一单位同一季度只有一份名单。</span>
          </form>
        ) : null}
        <table>
          <thead>
            <tr>
              <th>抽查单位</th>
              <th>季度</th>
              <th>范围</th>
              <th>账号总数</th>
              <th>抽取</th>
              <th>复查</th>
              <th>已检查</th>
              <th>不合格</th>
              <th>随机种子</th>
              <th>名单与通报</th>
            </tr>
          </thead>
          <tbody>
            {rounds.map((round) => (
              <tr>
                <td>
                  <a href={`/sampling/${round.id}`}>{round.governmentName}</a>
                </td>
                <td>
                  {round.year}年第{round.quarter}季度
                </td>
                <td>{ROUND_SCOPE_LABELS[round.scope]}</td>
                <td>{round.population}</td>
                <td>{round.sampleSize}</td>
                <td>{round.rechecks}</td>
                <td>{round.items.filter((i) => i.inspection).length}</td>
                <td>{round.items.filter((i) => i.inspection?.result === "fail").length}</td>
                <td>
                  <code>{round.seed}</code>
                </td>
                <td>
                  <a href={`/download/sampling-rounds/${round.id}/export.xlsx`}>名单 Excel</a> · <a href={`/download/sampling-rounds/${round.id}/export.csv`}>CSV</a> ·{" "}
                  <a href={`/download/reports/quarterly?governmentOrgId=${round.governmentOrgId}&year=${round.year}&quarter=${round.quarter}&format=xlsx`}>通报 Excel</a> ·{" "}
                  <a href={`/download/reports/quarterly?governmentOrgId=${round.governmentOrgId}&year=${round.year}&quarter=${round.quarter}&format=md`}>通报 Markdown</a>
                  {canOrganiseSampling(c.get("me").role) ? (
                    <>
                      {" · "}
                      <a href={`/public/${round.governmentOrgId}/sampling/${round.year}/${round.quarter}`}>公开页面</a>{" "}
                      {(["publish", "unpublish"] as const).map((action) => (
                        <form method="post" action={`/sampling/${action}`} class="inline">
                          <input type="hidden" name="governmentOrgId" value={round.governmentOrgId} />
                          <input type="hidden" name="year" value={String(round.year)} />
                          <input type="hidden" name="quarter" value={String(round.quarter)} />
                          <button type="submit" class={action === "publish" ? undefined : "secondary"}>
                            {action === "publish" ? "发布" : "撤回"}
                          </button>
                        </form>
                      ))}
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rounds.length === 0 ? <p class="muted">尚无抽查记录。</p> : null}
      </Layout>,
    );
  });

  ui.post("/sampling", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const f = await c.req.parseBody();
    const r = await api(c, samplingRoutes.createRound, {
      body: { governmentOrgId: String(f.governmentOrgId ?? ""), year: Number(f.year), quarter: Number(f.quarter), scope: String(f.scope ?? "own") },
    });
    if (!r.ok) return c.redirect(back("/sampling", false, r.body.error.message));
    return c.redirect(back(`/sampling/${r.body.id}`, true, r.status === 201 ? `已抽取 ${r.body.sampleSize} 个账号` : "该季度的名单已存在"));
  });

  // 公开抽查情况: publish or withdraw the quarter's notice; the API decides and says why not.
  for (const action of ["publish", "unpublish"] as const) {
    ui.post(`/sampling/${action}`, async (c) => {
      if (!sameOrigin(c)) return c.text("forbidden", 403);
      const f = await c.req.parseBody();
      const body = { governmentOrgId: String(f.governmentOrgId ?? ""), year: Number(f.year), quarter: Number(f.quarter) };
      const r = await api(c, action === "publish" ? reportRoutes.publishQuarterly : reportRoutes.unpublishQuarterly, { body });
      if (!r.ok) return c.redirect(back("/sampling", false, r.body.error.message));
      return c.redirect(back("/sampling", true, action === "publish" ? `已公开：${body.year}年第${body.quarter}季度抽查情况（点“公开页面”查看）` : "已撤回，公开页面不再可访问"));
    });
  }

  ui.get("/sampling/:id", async (c) => {
    const id = c.req.param("id");
    const [r, v] = await Promise.all([api(c, samplingRoutes.getRound, { params: { id } }), api(c, samplingRoutes.verifyRound, { params: { id } })]);
    if (!r.ok) return c.redirect(back("/sampling", false, r.body.error.message));
    const round = r.body;
    const verified = v.ok ? v.body : undefined;
    const canRecord = canOrganiseSampling(c.get("me").role);
    const today = shanghaiDate(now());
    const checked = round.items.filter((i) => i.inspection);
    const failed = checked.filter((i) => i.inspection!.result === "fail");
    return c.html(
      <Layout title="抽查名单" path="/sampling" who={who(c)} message={message(c)}>
        <h1>
          {round.governmentName} {round.year}年第{round.quarter}季度抽查名单（{ROUND_SCOPE_LABELS[round.scope]}）
        </h1>
        <div class="card">
          <p>
            抽查范围：{ROUND_SCOPE_LABELS[round.scope]}　抽查比例 {Math.round(round.rate * 1000) / 10}%　账号总数 {round.population}　抽取 {round.sampleSize}（其中复查 {round.rechecks}）　已检查 {checked.length}　不合格 {failed.length}　未检查 {round.items.length - checked.length}
          </p>
          <p>
            随机种子 <code>{round.seed}</code>。复核：
            {verified?.matches ? <span class="tag ok">名单与重新计算的结果一致</span> : <span class="tag bad">名单与重新计算的结果不一致：{(verified?.differences ?? []).join("；")}</span>}
          </p>
          <p>
            <a href={`/download/sampling-rounds/${round.id}/export.xlsx`}>下载名单 Excel</a> · <a href={`/download/sampling-rounds/${round.id}/export.csv`}>CSV</a> · <a href="/rectification">整改跟踪</a>
          </p>
        </div>
        <table>
          <thead>
            <tr>
              <th>序号</th>
              <th>账号</th>
              <th>主办单位</th>
              <th>抽取原因</th>
              <th>检查结果</th>
              <th>整改</th>
              {canRecord ? <th>登记</th> : null}
            </tr>
          </thead>
          <tbody>
            {round.items.map((i) => {
              const insp = i.inspection;
              const overdue = insp?.result === "fail" && !insp.rectifiedAt && !!insp.deadline && insp.deadline < today;
              return (
                <tr class={overdue ? "bad" : ""}>
                  <td>{i.position}</td>
                  <td>
                    <a href={`/accounts/${i.accountId}`}>{i.accountName}</a>（{PLATFORM_LABELS[i.platform]}）
                  </td>
                  <td>{i.orgName}</td>
                  <td>{i.reason === "recheck" ? <span class="tag warn">{i.reasonLabel}</span> : i.reasonLabel}</td>
                  <td>
                    {insp ? (
                      <span class={`tag ${insp.result === "pass" ? "ok" : "bad"}`}>
                        {insp.result === "pass" ? "合格" : `不合格：${insp.problems.map((p) => PROBLEM_LABELS[p as keyof typeof PROBLEM_LABELS] ?? p).join("、")}`}
                      </span>
                    ) : (
                      "未检查"
                    )}
                  </td>
                  <td>
                    {insp?.result !== "fail"
                      ? "—"
                      : insp.rectifiedAt
                        ? `${insp.rectifiedAt} 已整改`
                        : insp.deadline
                          ? `期限 ${insp.deadline}${overdue ? "（已逾期）" : ""}`
                          : "未定期限"}
                  </td>
                  {canRecord ? (
                    <td>
                      <a href={`/sampling/${round.id}/items/${i.accountId}`}>{insp ? "查看/修改" : "登记结果"}</a>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
        {canRecord ? <UploadForm roundId={round.id} dryRun={true} /> : null}
      </Layout>,
    );
  });

  // ── One account's inspection: every field, prefilled from what was recorded ──

  const renderItem = async (c: UiContext, posted?: FormState) => {
    const id = c.req.param("id")!;
    const accountId = c.req.param("accountId")!;
    const [r, list] = await Promise.all([
      api(c, samplingRoutes.getRound, { params: { id } }),
      api(c, samplingRoutes.listInspections, { query: { roundId: id, accountId, pageSize: 1 } }),
    ]);
    if (!r.ok) return c.redirect(back("/sampling", false, r.body.error.message));
    const item = r.body.items.find((i) => i.accountId === accountId);
    if (!item) return c.redirect(back(`/sampling/${id}`, false, "该账号不在本轮抽查名单中"));
    const recorded = list.ok ? list.body.items[0] : undefined;
    const state = posted ?? emptyForm(recordedValues(recorded, shanghaiDate(now())));
    const v = state.values;
    const problems = (v.problems ?? "").split(",");
    const canRecord = canOrganiseSampling(c.get("me").role);
    const err = (name: string) => (state.errors[name] ? "true" : undefined);
    return c.html(
      <Layout title="检查结果" path="/sampling" who={who(c)} message={message(c)}>
        <h1>
          {item.accountName}（{PLATFORM_LABELS[item.platform]}）检查结果
        </h1>
        <p class="muted">
          {r.body.governmentName} {r.body.year}年第{r.body.quarter}季度抽查名单第 {item.position} 号 · {item.orgName} · 抽取原因：{item.reasonLabel} · <a href={`/sampling/${id}`}>返回名单</a>
        </p>
        {state.message ? <div class="msg err">{state.message}</div> : null}
        <form class="card form-grid" method="post" action={`/sampling/${id}/items/${accountId}`}>
          <Field label="检查结果" name="result" state={state} hint={recorded ? undefined : "尚未登记，请选择"}>
            <span id="f-result" role="radiogroup" aria-label="检查结果">
              {(["pass", "fail"] as const).map((res) => (
                <label class="check">
                  <input type="radio" name="result" value={res} checked={v.result === res} aria-invalid={err("result")} /> {RESULT_LABELS[res]}
                </label>
              ))}
            </span>
          </Field>
          <Field label="问题类型" name="problems" state={state} hint="判为不合格时至少选一项；合格时不选">
            <span id="f-problems" role="group" aria-label="问题类型">
              {PROBLEM_CATEGORIES.map((p) => (
                <label class="check">
                  <input type="checkbox" name="problems" value={p} checked={problems.includes(p)} /> {PROBLEM_LABELS[p]}
                </label>
              ))}
            </span>
          </Field>
          <Field label="检查日期" name="inspectedOn" state={state}>
            <input type="date" {...inputAttrs(state, "inspectedOn")} />
          </Field>
          <Field label="检查人" name="inspector" state={state}>
            <input maxlength={50} {...inputAttrs(state, "inspector")} />
          </Field>
          <Field label="整改要求" name="requirement" state={state}>
            <textarea id="f-requirement" name="requirement" rows={2} class="wide" maxlength={500} aria-invalid={err("requirement")}>
              {v.requirement ?? ""}
            </textarea>
          </Field>
          <Field label="整改期限" name="deadline" state={state}>
            <input type="date" {...inputAttrs(state, "deadline")} />
          </Field>
          <Field label="说明" name="notes" state={state}>
            <textarea id="f-notes" name="notes" rows={2} class="wide" maxlength={1000} aria-invalid={err("notes")}>
              {v.notes ?? ""}
            </textarea>
          </Field>
          <Field label="判合格说明" name="overrideNote" state={state} hint="该账号检查时点前两周内无更新（单项否决）而仍判为合格时必填">
            <input class="wide" maxlength={500} {...inputAttrs(state, "overrideNote")} />
          </Field>
          {recorded?.rectifiedAt ? (
            <>
              <span>整改情况</span>
              <div class="rectified">
                <input type="hidden" name="rectifiedAt" value={recorded.rectifiedAt} />
                {recorded.rectifiedAt} 整改完成：{recorded.rectificationNote ?? "—"}
                <div class="muted">
                  整改情况在<a href="/rectification?status=done">整改跟踪</a>页登记，此处不修改；改判为合格会清除整改记录。
                </div>
              </div>
            </>
          ) : null}
          {canRecord ? (
            <>
              <span></span>
              <div>
                <button type="submit">保存</button> <a href={`/sampling/${id}`}>取消</a>
              </div>
            </>
          ) : null}
        </form>
      </Layout>,
    );
  };

  ui.get("/sampling/:id/items/:accountId", (c) => renderItem(c));

  ui.post("/sampling/:id/items/:accountId", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const accountId = c.req.param("accountId");
    const f = await c.req.parseBody({ all: true });
    const values = postedValues(f, ["result", "rectifiedAt", ...TEXT_FIELDS]);
    values.problems = allValues(f, "problems").join(",");
    const r = await api(c, samplingRoutes.recordInspection, { params: { id }, body: inspectionBody(accountId, values) });
    if (r.ok) return c.redirect(back(`/sampling/${encodeURIComponent(id)}`, true, "已登记"));
    return renderItem(c, refused(values, r.body, INSPECTION_FIELDS, INSPECTION_WORDS));
  });

  // ── The filled list uploaded back ──

  ui.post("/sampling/:id/import", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const form = await c.req.formData();
    const dryRun = form.get("dryRun") === "true";
    const out = new FormData();
    const file = form.get("file");
    if (file && typeof file !== "string") out.append("file", file);
    const res = await api(c, samplingRoutes.importInspections, { params: { id }, query: { dryRun: String(dryRun) }, body: out });
    // A refused import lists its row errors in the error's details.
    const errors = (res.ok ? res.body.errors : (res.body.error.details ?? [])) as { row: number; column?: string; message: string }[];
    const clean = res.ok && errors.length === 0;
    const summary = res.ok
      ? dryRun
        ? errors.length
          ? `校验发现 ${new Set(errors.map((e) => e.row)).size} 行错误，未登记任何结果；请修改后重新上传`
          : "校验通过，可以导入：请再次选择该文件，取消“只校验”后上传"
        : `已登记 ${res.body.recorded} 个账号的检查结果`
      : res.body.error.message;
    return c.html(
      <Layout title="上传检查结果" path="/sampling" who={who(c)} message={{ kind: clean ? "info" : "err", text: summary }}>
        <h1>上传检查结果</h1>
        {errors.length > 0 ? (
          <RowErrorTable class="row-errors" errors={errors} />
        ) : null}
        {res.ok && !dryRun ? null : <UploadForm roundId={id} dryRun={!clean} />}
        <p>
          <a href={`/sampling/${id}`}>返回抽查名单</a>
        </p>
      </Layout>,
    );
  });
}

function UploadForm(props: { roundId: string; dryRun: boolean }) {
  return (
    <div class="card gap-top">
      <h2>上传填写好的名单</h2>
      <p>
        下载本轮名单（Excel 或 CSV），在“检查结果”“问题类型”等列填写后上传（不超过 {UPLOAD_FILE_LIMIT / 1024 / 1024} MB）。先“只校验”检查全部行；有任何错误行时不会登记。
      </p>
      <form method="post" action={`/sampling/${props.roundId}/import`} enctype="multipart/form-data">
        <input type="file" name="file" accept=".csv,.xlsx" required aria-label="名单文件" />{" "}
        <label>
          <input type="checkbox" name="dryRun" value="true" checked={props.dryRun} /> 只校验
        </label>{" "}
        <button type="submit">上传</button>
      </form>
    </div>
  );
}
