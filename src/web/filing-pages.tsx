// Filing review pages of the web UI: the filings awaiting (or past) a decision, and the decision.
import type { Hono } from "hono";
import { ACCOUNT_STATUS_LABELS, FILING_KINDS, filingKindsFor, REGISTRATION_LABELS, REGISTRATIONS, VOID_WINDOW_DAYS, type FilingKind } from "../domain/lifecycle";
import { ACCOUNT_TYPE_LABELS, ACCOUNT_TYPES, platformWithType } from "../domain/platforms";
import * as accountRoutes from "../routes/accounts/accounts.routes";
import * as voidRoutes from "../routes/accounts/void.routes";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import type { ResponseOf } from "./api-client";
import { emptyForm, Field, inputAttrs, postedValues, type FormState } from "./form-kit";
import { UnitPicker } from "./list-kit";
import { back, beijing, type UiContext } from "./page-kit";
import { refused } from "./sampling-pages";
import { FILING_KIND_LABELS } from "../domain/lifecycle";
import * as filingRoutes from "../routes/filings/filings.routes";
import { accountLabels } from "./account-labels";
import { Layout } from "./layout";
import { Choice, FilterForm, pageOf as pageOfList, Pager } from "./list-kit";

// The filings list (GET /filings): status and kind filters, paged.
const FILINGS_PAGE = 50;
const FILING_STATUS_TEXT = { submitted: "待审核", approved: "已批准", rejected: "已驳回" } as const;
import { beijing as dt, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";

export function registerFilingPages(ui: Hono<UiEnv>, { api, db }: PageKit) {
  ui.get("/filings", async (c) => {
    const status = c.req.query("status") ?? "submitted";
    const params = { status: status === "submitted" ? undefined : status, kind: c.req.query("kind") || undefined };
    const page = pageOfList(c.req.query("page"));
    const r = await api(c, filingRoutes.listFilings, { query: { status: status || undefined, kind: params.kind, page, pageSize: FILINGS_PAGE } });
    const items = r.ok ? r.body.items : [];
    // Every row's account in one query, not one API call per row.
    const names = await accountLabels(db, c.get("actor"), [...new Set(items.map((f) => f.accountId))]);
    return c.html(
      <Layout title="备案审核" path="/filings" who={who(c)} message={r.ok ? message(c) : { kind: "err", text: r.body.error.message }}>
        <h1>备案审核</h1>
        <FilterForm path="/filings">
          <select name="status" aria-label="审核状态">
            {(["submitted", "approved", "rejected"] as const).map((s) => (
              <option value={s} selected={status === s}>
                {FILING_STATUS_TEXT[s]}
              </option>
            ))}
            <option value="" selected={status === ""}>
              全部
            </option>
          </select>
          <Choice name="kind" label="备案类型" all="全部类型" values={FILING_KINDS} labels={FILING_KIND_LABELS} selected={params.kind} />
        </FilterForm>
        <Pager path="/filings" params={params} page={page} pageSize={FILINGS_PAGE} total={r.ok ? r.body.total : 0} unit="份备案" />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>类型</th>
                <th>账号</th>
                <th>内容</th>
                <th>提交时间</th>
                <th>状态</th>
                <th>审核</th>
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr>
                  <td>{FILING_KIND_LABELS[f.kind]}</td>
                  <td>{names.has(f.accountId) ? <a href={`/accounts/${f.accountId}`}>{names.get(f.accountId)}</a> : f.accountId}</td>
                  <td>{[f.reason, f.changes ? JSON.stringify(f.changes) : null].filter(Boolean).join("；") || "—"}</td>
                  <td>{dt(f.submittedAt)}</td>
                  <td>{FILING_STATUS_TEXT[f.status]}</td>
                  <td>
                    {f.status === "submitted" ? (
                      <form method="post" action={`/filings/${f.id}/decision`}>
                        <input name="note" placeholder="审核意见（驳回时必填）" aria-label="审核意见" />{" "}
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
        </div>
        {items.length === 0 ? <p class="muted">没有记录。</p> : null}
        <Pager path="/filings" params={params} page={page} pageSize={FILINGS_PAGE} total={r.ok ? r.body.total : 0} unit="份备案" />
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

// ── Filing forms, one per kind (and 作废), linked from the account page ─────────────────────────────

/** The account fields a 变更 filing can change, in form order; orgId and accountType have their own controls. */
const CHANGE_FIELDS = ["name", "platformId", "url", "feedUrl", "orgId", "accountType", "openedOn", "contactPerson", "contactPhone", "verifiedOwner", "operationMode", "operator"] as const;
type ChangeField = (typeof CHANGE_FIELDS)[number];
const REASON_FIELDS = ["reason", "completed", "targetAccountId", "registration"] as const;
const FILING_WORDS = [
  ["账号ID", "platformId"],
  ["账号名称", "name"],
  ["主办单位", "orgId"],
  ["账号类型", "accountType"],
  ["开设日期", "openedOn"],
  ["目标账号", "targetAccountId"],
  ["整合", "targetAccountId"],
  ["原因", "reason"],
  ["关停", "completed"],
] as const;
const KIND_HINTS: Record<FilingKind, string> = {
  open: "补充办理开设备案（存量账号或开设未获批准后重新申请）。",
  change: "修改需要变更的项目，未修改的项目不会提交。",
  suspend: "账号暂停更新前，须在账号上发布停更公告。",
  resume: "恢复更新后按正常账号监测。",
  close: "关停注销前，须在账号上发布关停公告；平台已注销完毕的，勾选“已完成注销”。",
  merge: "整合后本账号停止运营，内容并入目标账号。目标账号须为同一平台、正常或停更的账号。",
};

type AccountView = ResponseOf<typeof accountRoutes.getAccount>;

/** The account's current value of a change field, as the form shows it. */
const currentValue = (acc: AccountView, k: ChangeField): string => {
  // A WeChat account without a type is a 订阅号 (the default): the select shows it, so it is no change.
  if (k === "accountType" && acc.platform === "wechat") return acc.accountType ?? "subscription";
  const v = acc[k];
  return typeof v === "string" ? v : "";
};

/** Only what the clerk changed: a cleared field becomes null (账号名称 stays "" so the API says it is required). */
function changedFields(acc: AccountView, values: Record<string, string>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of CHANGE_FIELDS) {
    if (k === "accountType" && acc.platform !== "wechat") continue;
    const v = values[k] ?? "";
    if (v !== currentValue(acc, k)) out[k] = v === "" && k !== "name" && k !== "orgId" ? null : v;
  }
  return out;
}

export function registerFilingFormPages(ui: Hono<UiEnv>, { api }: PageKit) {
  const accountPath = (id: string) => `/accounts/${encodeURIComponent(id)}`;

  const renderNew = async (c: UiContext, posted?: FormState) => {
    const id = c.req.param("id")!;
    const a = await api(c, accountRoutes.getAccount, { params: { id } });
    if (!a.ok) return c.redirect(back("/accounts", false, a.body.error.message));
    const acc = a.body;
    const allowed = filingKindsFor(acc.status, acc.origin);
    const asked = c.req.query("kind");
    const kind = (FILING_KINDS as readonly string[]).includes(asked ?? "") ? (asked as FilingKind) : undefined;
    const title = `办理备案：${acc.name}（${platformWithType(acc.platform, acc.accountType)}，${acc.orgName}）`;
    // No default kind: without ?kind= the page lists what the account's status allows.
    if (!kind || !allowed.includes(kind)) {
      return c.html(
        <Layout title="办理备案" path="/accounts" who={who(c)} message={kind ? { kind: "err", text: `账号当前状态为“${ACCOUNT_STATUS_LABELS[acc.status]}”，不能办理${FILING_KIND_LABELS[kind]}备案` } : message(c)}>
          <h1>{title}</h1>
          <div class="card">
            <p>请选择备案类型：</p>
            {allowed.length === 0 ? <p class="muted">账号当前状态为“{ACCOUNT_STATUS_LABELS[acc.status]}”，没有可办理的备案。</p> : null}
            <ul class="filing-kinds">
              {allowed.map((k) => (
                <li>
                  <a href={`${accountPath(id)}/filings/new?kind=${k}`}>{k === "open" ? "补充开设备案" : `${FILING_KIND_LABELS[k]}备案`}</a>
                  <span class="muted"> {KIND_HINTS[k]}</span>
                </li>
              ))}
            </ul>
            <a href={accountPath(id)}>返回账号</a>
          </div>
        </Layout>,
      );
    }
    // The picker and the unit list are fetched only for the kinds that need them: a fixed number of calls.
    const [orgs, near, all] = await Promise.all([
      kind === "change" ? api(c, orgRoutes.listOrgs) : undefined,
      kind === "merge" ? api(c, accountRoutes.listAccounts, { query: { orgId: acc.orgId, platform: acc.platform, pageSize: 500 } }) : undefined,
      kind === "merge" ? api(c, accountRoutes.listAccounts, { query: { platform: acc.platform, pageSize: 500 } }) : undefined,
    ]);
    const state = posted ?? emptyForm(kind === "change" ? Object.fromEntries(CHANGE_FIELDS.map((k) => [k, currentValue(acc, k)])) : {});
    const v = state.values;
    // 整合 targets: live (正常/停更) accounts on the same platform, never itself; the unit's own subtree first.
    const eligible = (r: typeof near) => (r?.ok ? r.body.items : []).filter((t) => t.id !== acc.id && (t.status === "active" || t.status === "suspended"));
    const nearList = eligible(near);
    const nearIds = new Set(nearList.map((t) => t.id));
    const otherList = eligible(all).filter((t) => !nearIds.has(t.id));
    const targetLabel = (t: (typeof nearList)[number]) => `${t.name}（${platformWithType(t.platform, t.accountType)}，${t.orgName}${t.status === "suspended" ? "，停更" : ""}${t.platformId ? `，ID ${t.platformId}` : ""}）`;
    return c.html(
      <Layout title={`${FILING_KIND_LABELS[kind]}备案`} path="/accounts" who={who(c)} message={message(c)}>
        <h1>
          {kind === "open" ? "补充开设备案" : `${FILING_KIND_LABELS[kind]}备案`}：{acc.name}
        </h1>
        <p class="muted">
          {platformWithType(acc.platform, acc.accountType)} · {acc.orgName} · 状态：{ACCOUNT_STATUS_LABELS[acc.status]} · {KIND_HINTS[kind]}
        </p>
        {state.message ? <div class="msg err">{state.message}</div> : null}
        <form class="card form-grid" method="post" action={`${accountPath(id)}/filings/new?kind=${kind}`}>
          {kind === "change" ? (
            <>
              <Field label="账号名称" name="name" state={state}>
                <input class="wide" maxlength={100} {...inputAttrs(state, "name")} />
              </Field>
              <Field label="账号ID" name="platformId" state={state}>
                <input maxlength={128} {...inputAttrs(state, "platformId")} />
              </Field>
              <Field label="链接" name="url" state={state}>
                <input type="url" class="wide" {...inputAttrs(state, "url")} />
              </Field>
              <Field label="订阅地址" name="feedUrl" state={state} hint="RSS/Atom 地址，用于自动监测更新">
                <input type="url" class="wide" {...inputAttrs(state, "feedUrl")} />
              </Field>
              <Field label="主办单位" name="orgId" state={state}>
                <UnitPicker id="f-orgId" orgs={orgs?.ok ? orgs.body.items : []} selected={v.orgId} all="" />
              </Field>
              {acc.platform === "wechat" ? (
                <Field label="账号类型" name="accountType" state={state}>
                  <select id="f-accountType" name="accountType">
                    {ACCOUNT_TYPES.map((t) => (
                      <option value={t} selected={v.accountType === t}>
                        {ACCOUNT_TYPE_LABELS[t]}
                      </option>
                    ))}
                  </select>
                </Field>
              ) : null}
              <Field label="开设日期" name="openedOn" state={state}>
                <input type="date" {...inputAttrs(state, "openedOn")} />
              </Field>
              <Field label="运维人员" name="contactPerson" state={state}>
                <input maxlength={50} {...inputAttrs(state, "contactPerson")} />
              </Field>
              <Field label="联系电话" name="contactPhone" state={state}>
                <input {...inputAttrs(state, "contactPhone")} />
              </Field>
              <Field label="认证主体" name="verifiedOwner" state={state}>
                <input class="wide" maxlength={100} {...inputAttrs(state, "verifiedOwner")} />
              </Field>
              <Field label="运维方式" name="operationMode" state={state} hint="如 自行运维、委托第三方运维">
                <input {...inputAttrs(state, "operationMode")} />
              </Field>
              <Field label="运维单位" name="operator" state={state}>
                <input class="wide" {...inputAttrs(state, "operator")} />
              </Field>
            </>
          ) : null}
          {kind === "merge" ? (
            <Field label="整合到" name="targetAccountId" state={state} hint="同一平台、正常或停更的账号；本单位及下级的排在前面">
              <select id="f-targetAccountId" name="targetAccountId" required>
                <option value="">（请选择目标账号）</option>
                {nearList.length ? (
                  <optgroup label="本单位及下级">
                    {nearList.map((t) => (
                      <option value={t.id} selected={v.targetAccountId === t.id}>
                        {targetLabel(t)}
                      </option>
                    ))}
                  </optgroup>
                ) : null}
                {otherList.length ? (
                  <optgroup label="其他单位">
                    {otherList.map((t) => (
                      <option value={t.id} selected={v.targetAccountId === t.id}>
                        {targetLabel(t)}
                      </option>
                    ))}
                  </optgroup>
                ) : null}
              </select>
            </Field>
          ) : null}
          {kind === "open" ? (
            <Field label="登记类型" name="registration" state={state} hint="不选时：开设日期早于今天为存量登记，否则为新开设">
              <select id="f-registration" name="registration">
                <option value="">（按开设日期判断）</option>
                {REGISTRATIONS.map((r) => (
                  <option value={r} selected={v.registration === r}>
                    {REGISTRATION_LABELS[r]}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          {kind !== "change" && kind !== "open" ? (
            <Field label={kind === "close" ? "关停原因" : kind === "merge" ? "整合原因" : "原因"} name="reason" state={state} hint={kind === "close" ? "必填" : "选填"}>
              <textarea id="f-reason" name="reason" rows={3} class="wide" maxlength={500} required={kind === "close"} aria-invalid={state.errors.reason ? "true" : undefined}>
                {v.reason ?? ""}
              </textarea>
            </Field>
          ) : null}
          {kind === "close" ? (
            <Field label="平台注销" name="completed" state={state}>
              <label class="check">
                <input id="f-completed" type="checkbox" name="completed" value="true" checked={v.completed === "true"} /> 已完成注销（平台已注销完毕，直接标记为已关停）
              </label>
            </Field>
          ) : null}
          <span></span>
          <div>
            <button type="submit">提交备案</button> <a href={accountPath(id)}>取消</a>
          </div>
        </form>
      </Layout>,
    );
  };

  ui.get("/accounts/:id/filings/new", (c) => renderNew(c));

  ui.post("/accounts/:id/filings/new", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const kind = c.req.query("kind") as FilingKind;
    if (!(FILING_KINDS as readonly string[]).includes(kind)) return c.redirect(`${accountPath(id)}/filings/new`);
    const f = await c.req.parseBody();
    let values: Record<string, string>;
    const body: Record<string, unknown> = { kind, accountId: id };
    if (kind === "change") {
      // Blank fields are kept as "" so a cleared one can be told from an untouched one.
      values = Object.fromEntries(CHANGE_FIELDS.map((k) => [k, typeof f[k] === "string" ? (f[k] as string).trim() : ""]));
      const a = await api(c, accountRoutes.getAccount, { params: { id } });
      if (!a.ok) return c.redirect(back("/accounts", false, a.body.error.message));
      body.changes = changedFields(a.body, values);
    } else {
      values = postedValues(f, REASON_FIELDS);
      if (values.reason) body.reason = values.reason;
      if (kind === "close") body.completed = values.completed === "true";
      if (kind === "merge") body.targetAccountId = values.targetAccountId ?? "";
      if (kind === "open" && values.registration) body.registration = values.registration;
    }
    const r = await api(c, filingRoutes.submitFiling, { body });
    if (r.ok) return c.redirect(back(accountPath(id), true, `已提交${FILING_KIND_LABELS[kind]}备案，等待备案主管单位审核`));
    // "changes.name" is the form's "name".
    const error = { ...r.body, error: { ...r.body.error, details: (r.body.error.details ?? []).map((d) => (d && typeof d === "object" && "path" in d && typeof d.path === "string" ? { ...d, path: d.path.replace(/^changes\./, "") } : d)) } };
    return renderNew(c, refused(values, error, kind === "change" ? CHANGE_FIELDS : REASON_FIELDS, FILING_WORDS));
  });

  // ── 作废: a registration made in error ──

  const renderVoid = async (c: UiContext, posted?: FormState) => {
    const id = c.req.param("id")!;
    const a = await api(c, accountRoutes.getAccount, { params: { id } });
    if (!a.ok) return c.redirect(back("/accounts", false, a.body.error.message));
    const acc = a.body;
    const state = posted ?? emptyForm();
    const isSupervisor = c.get("me").role === "supervisor";
    return c.html(
      <Layout title="作废误登记的账号" path="/accounts" who={who(c)} message={message(c)}>
        <h1>
          作废：{acc.name}（{platformWithType(acc.platform, acc.accountType)}，{acc.orgName}）
        </h1>
        <div class="card">
          <p>
            作废用于纠正误登记（如重复登记、登记错单位、测试数据）：账号状态改为“已作废”，不计入年度统计、更新监测和抽查，账号ID可重新登记；待审核的备案撤回，未关闭的预警关闭。作废原因记入操作日志。
          </p>
          <p class="muted">
            只有备案主管单位的主管人员可以作废，且仅限登记后 {VOID_WINDOW_DAYS} 天内、状态为待审核或正常、除开设外未办理过备案的账号；其他情况请办理关停注销备案。
          </p>
          <p>
            登记时间：{beijing(acc.createdAt)}　状态：{ACCOUNT_STATUS_LABELS[acc.status]}
          </p>
        </div>
        {state.message ? <div class="msg err">{state.message}</div> : null}
        {isSupervisor ? (
          <form class="card form-grid" method="post" action={`${accountPath(id)}/void`}>
            <Field label="作废原因" name="reason" state={state}>
              <textarea id="f-reason" name="reason" rows={3} class="wide" maxlength={500} required aria-invalid={state.errors.reason ? "true" : undefined}>
                {state.values.reason ?? ""}
              </textarea>
            </Field>
            <span></span>
            <div>
              <button type="submit">确认作废</button> <a href={accountPath(id)}>取消</a>
            </div>
          </form>
        ) : (
          <p class="msg err">只有备案主管单位的主管人员可以作废账号。</p>
        )}
      </Layout>,
    );
  };

  ui.get("/accounts/:id/void", (c) => renderVoid(c));

  ui.post("/accounts/:id/void", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const values = postedValues(await c.req.parseBody(), ["reason"]);
    const r = await api(c, voidRoutes.voidAccount, { params: { id }, body: { reason: values.reason ?? "" } });
    if (r.ok) return c.redirect(back(accountPath(id), true, "已作废，该账号不再计入统计和监测"));
    // Every refusal here is about the account or the reason; the reason field shows it.
    const state = refused(values, r.body, ["reason"], [["", "reason"]]);
    return renderVoid(c, state);
  });
}
