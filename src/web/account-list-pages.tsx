// Account list pages of the web UI: the ledger, registering an account and the ledger upload.
// Everything goes through the JSON API for the clerk.
import type { Hono } from "hono";
import { ACCOUNT_CHANGE_LABELS, ACCOUNT_STATUS_LABELS, ACCOUNT_STATUSES } from "../domain/lifecycle";
import { FLAG_CODES, type FlagCode } from "../domain/registry-checks";
import { ACCOUNT_TYPE_LABELS, ACCOUNT_TYPES, PLATFORM_LABELS, PLATFORMS, platformWithType } from "../domain/platforms";
import { LEDGER_COLUMNS } from "../domain/ledger";
import { UPLOAD_FILE_LIMIT } from "../lib/body-limits";
import * as accountRoutes from "../routes/accounts/accounts.routes";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import { emptyForm, Field, inputAttrs, postedValues, refusedForm, RowErrorTable, type FormState } from "./form-kit";
import { Layout } from "./layout";
import { Choice, FilterForm, pageOf, Pager, pickParams, SortTh, UnitPicker } from "./list-kit";
import { back, message, sameOrigin, who, type PageKit, type UiContext, type UiEnv } from "./page-kit";

const PAGE_SIZE = 50;
const WECHAT_TYPE_LABELS: Record<string, string> = Object.fromEntries(ACCOUNT_TYPES.map((t) => [t, `微信${ACCOUNT_TYPE_LABELS[t]}`]));
/** Short names of the registry flags for the filter (each flag's own message says the rest). */
const FLAG_LABELS: Record<FlagCode, string> = {
  duplicate_platform: "同一平台多个账号",
  inconsistent_name: "名称不一致",
  reopened_after_close: "关停后重新开设",
  owner_mismatch: "认证主体不符",
  unapproved_opening: "未经开设备案",
  personal_owner: "以个人名义开设",
};

export function registerAccountListPages(ui: Hono<UiEnv>, { api }: PageKit) {
  ui.get("/accounts", async (c) => {
    const params = pickParams((k) => c.req.query(k), ["orgId", "platform", "accountType", "status", "flag", "q", "sort", "order"]);
    const page = pageOf(c.req.query("page"));
    // Two API calls whatever the number of rows: the page of accounts (flags computed in bulk) and the unit tree.
    const [r, orgs] = await Promise.all([
      api(c, accountRoutes.listAccounts, { query: { ...params, page, pageSize: PAGE_SIZE } }),
      api(c, orgRoutes.listOrgs),
    ]);
    const { sort: _s, order: _o, ...filter } = params;
    const exportQuery = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
    const sortTh = (by: string, label: string) => <SortTh path="/accounts" params={params} by={by} label={label} defaultSort="org" />;
    return c.html(
      <Layout title="账号台账" path="/accounts" who={who(c)} message={r.ok ? message(c) : { kind: "err", text: r.body.error.message }}>
        <h1>账号台账</h1>
        <FilterForm path="/accounts">
          <UnitPicker orgs={orgs.ok ? orgs.body.items : []} selected={params.orgId} />
          <Choice name="platform" label="平台" all="全部平台" values={PLATFORMS} labels={PLATFORM_LABELS} selected={params.platform} />
          <Choice name="accountType" label="账号类型" all="全部类型" values={ACCOUNT_TYPES} labels={WECHAT_TYPE_LABELS} selected={params.accountType} />
          <Choice name="status" label="状态" all="全部状态" values={ACCOUNT_STATUSES} labels={ACCOUNT_STATUS_LABELS} selected={params.status} />
          <Choice name="flag" label="风险提示" all="全部（含无提示）" values={FLAG_CODES} labels={FLAG_LABELS} selected={params.flag} />
          <input name="q" value={params.q ?? ""} placeholder="名称或账号ID" aria-label="名称或账号ID" />
          {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
          {params.order ? <input type="hidden" name="order" value={params.order} /> : null}
        </FilterForm>
        <p class="actions">
          <a href={`/download/accounts/export.csv?${exportQuery}`}>导出 CSV</a>
          <a href={`/download/accounts/export.xlsx?${exportQuery}`}>导出 Excel</a>
          <a href="/accounts/new">登记账号</a>
          <a href="/import">导入台账</a>
        </p>
        <Pager path="/accounts" params={params} page={page} pageSize={PAGE_SIZE} total={r.ok ? r.body.total : 0} unit="个账号" />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {sortTh("name", "账号名称")}
                {sortTh("platform", "平台")}
                <th>账号ID</th>
                {sortTh("org", "主办单位")}
                {sortTh("status", "状态")}
                {sortTh("openedOn", "开设日期")}
                <th>风险提示</th>
              </tr>
            </thead>
            <tbody>
              {(r.ok ? r.body.items : []).map((a) => (
                <tr>
                  <td>
                    <a href={`/accounts/${a.id}`}>{a.name}</a>
                  </td>
                  <td>{platformWithType(a.platform, a.accountType)}</td>
                  <td>{a.platformId ?? "—"}</td>
                  <td>{a.orgName}</td>
                  <td>{ACCOUNT_STATUS_LABELS[a.status]}</td>
                  <td>{a.openedOn ?? "—"}</td>
                  <td>
                    {a.flags.map((f) => (
                      <span class="tag warn" title={f.message}>
                        {f.message}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {r.ok && r.body.items.length === 0 ? <p class="muted">没有符合条件的账号。</p> : null}
        <Pager path="/accounts" params={params} page={page} pageSize={PAGE_SIZE} total={r.ok ? r.body.total : 0} unit="个账号" />
      </Layout>,
    );
  });

  const NEW_FIELDS = ["orgId", "platform", "accountType", "name", "platformId", "url", "feedUrl", "openedOn", "contactPerson", "contactPhone", "operationMode", "operator"] as const;

  /** The registration form; after a refusal, with what was typed and each problem beside its field. */
  const newAccountPage = async (c: UiContext, state: FormState) => {
    const orgs = await api(c, orgRoutes.listOrgs);
    const v = state.values;
    return (
      <Layout title="登记账号" path="/accounts" who={who(c)} message={state.message ? { kind: "err", text: state.message } : message(c)}>
        <h1>登记账号</h1>
        <p class="muted">备案主管单位直接登记的账号即为“正常”；其他情况提交开设备案，由备案主管单位审核。</p>
        <form class="card form-grid" method="post" action="/accounts/new">
          <Field label="主办单位" name="orgId" state={state}>
            <UnitPicker id="f-orgId" all="" orgs={orgs.ok ? orgs.body.items : []} selected={v.orgId} />
          </Field>
          <Field label="平台" name="platform" state={state}>
            <select id="f-platform" name="platform">
              {PLATFORMS.map((p) => (
                <option value={p} selected={v.platform === p}>
                  {PLATFORM_LABELS[p]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="账号类型" name="accountType" state={state}>
            <select id="f-accountType" name="accountType">
              <option value="">（微信默认订阅号；其他平台不填）</option>
              {ACCOUNT_TYPES.map((t) => (
                <option value={t} selected={v.accountType === t}>
                  微信{ACCOUNT_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="账号名称" name="name" state={state}>
            <input {...inputAttrs(state, "name")} required maxlength={100} />
          </Field>
          <Field label="账号ID" name="platformId" state={state}>
            <input {...inputAttrs(state, "platformId")} maxlength={128} />
          </Field>
          <Field label="链接" name="url" state={state}>
            <input {...inputAttrs(state, "url")} placeholder="https://…" />
          </Field>
          <Field label="订阅地址" name="feedUrl" state={state}>
            <input {...inputAttrs(state, "feedUrl")} placeholder="RSS/Atom 地址，如 RSSHub 路由" />
          </Field>
          <Field label="开设日期" name="openedOn" state={state}>
            <input {...inputAttrs(state, "openedOn")} type="date" />
          </Field>
          <Field label="运维人员" name="contactPerson" state={state}>
            <input {...inputAttrs(state, "contactPerson")} maxlength={50} />
          </Field>
          <Field label="联系电话" name="contactPhone" state={state}>
            <input {...inputAttrs(state, "contactPhone")} maxlength={40} />
          </Field>
          <Field label="运维方式" name="operationMode" state={state} hint="如 自行运维、委托第三方运维">
            <input {...inputAttrs(state, "operationMode")} />
          </Field>
          <Field label="运维单位" name="operator" state={state}>
            <input {...inputAttrs(state, "operator")} />
          </Field>
          <span />
          <div>
            <button type="submit">提交</button>
          </div>
        </form>
      </Layout>
    );
  };

  ui.get("/accounts/new", async (c) => c.html(await newAccountPage(c, emptyForm())));

  ui.post("/accounts/new", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const values = postedValues(await c.req.parseBody(), NEW_FIELDS);
    const r = await api(c, accountRoutes.createAccount, { body: values });
    if (!r.ok) return c.html(await newAccountPage(c, refusedForm(values, r.body.error, NEW_FIELDS)), 400);
    return c.redirect(back(`/accounts/${r.body.id}`, true, r.body.status === "active" ? "已登记，账号状态为正常" : "已提交开设备案，等待备案主管单位审核"));
  });

  ui.get("/import", (c) =>
    c.html(
      <Layout title="导入台账" path="/accounts" who={who(c)} message={message(c)}>
        <h1>导入台账</h1>
        <div class="card">
          <p>
            上传 CSV 或 Excel（.xlsx）文件（不超过 {UPLOAD_FILE_LIMIT / 1024 / 1024} MB），第一行为表头：{LEDGER_COLUMNS.join("、")}。其中账号名称、平台、主办单位必填。
            <a href="/download/accounts/import-template.xlsx">下载导入模板（Excel）</a>
          </p>
          <p class="muted">先“只校验”检查全部行；有任何错误行时不会导入。主办单位须已在<a href="/orgs">机构管理</a>中登记。</p>
          <form method="post" action="/import" enctype="multipart/form-data">
            <fieldset class="plain">
              <legend>导入方式</legend>
              <label class="check">
                <input type="radio" name="mode" value="create" checked /> 新建账号（默认）
              </label>
              <label class="check">
                <input type="radio" name="mode" value="upsert" /> 更新已有账号（按平台+账号ID）
              </label>
            </fieldset>
            <p class="muted">更新已有账号时：平台和账号ID与在用账号相同的行更新该账号，空白单元格不清除已有内容；主办单位、名称、账号类型、开设日期的变化提交变更备案，审核通过后生效；其余行新建。</p>
            <input type="file" name="file" accept=".csv,.xlsx" required aria-label="台账文件" />{" "}
            <label>
              <input type="checkbox" name="dryRun" value="true" checked /> 只校验
            </label>{" "}
            <button type="submit">上传</button>
          </form>
        </div>
      </Layout>,
    ),
  );

  ui.post("/import", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const form = await c.req.formData();
    const dryRun = form.get("dryRun") === "true";
    const mode = form.get("mode") === "upsert" ? "upsert" : "create";
    const out = new FormData();
    const file = form.get("file");
    if (file && typeof file !== "string") out.append("file", file);
    const res = await api(c, accountRoutes.importLedger, { query: { dryRun: String(dryRun), mode }, body: out });
    // A refused import lists its row errors in the error's details.
    const errors = (res.ok ? res.body.errors : (res.body.error.details ?? [])) as { row: number; column?: string; message: string }[];
    const result = res.ok ? res.body : undefined;
    const will = dryRun ? "将" : "已";
    const summary = result
      ? [
          `共 ${result.total} 行，${result.valid} 行无误`,
          errors.length ? `${errors.length} 处错误${dryRun ? "" : "，未导入"}` : dryRun ? "可以导入" : "",
          `${will}新建 ${result.created}`,
          result.mode === "upsert" ? `${will}更新 ${result.updated}，无变化 ${result.unchanged}，${will}提交变更备案 ${result.filed.length}` : "",
        ]
          .filter(Boolean)
          .join("；")
      : res.ok
        ? ""
        : res.body.error.message;
    return c.html(
      <Layout title="导入台账" path="/accounts" who={who(c)} message={{ kind: res.ok && errors.length === 0 ? "info" : "err", text: summary }}>
        <h1>导入台账{dryRun ? "（只校验）" : ""}</h1>
        {result ? (
          <div class="stats">
            <div class="stat">
              {will}新建<b>{result.created}</b>
            </div>
            {result.mode === "upsert" ? (
              <>
                <div class="stat">
                  {will}更新<b>{result.updated}</b>
                </div>
                <div class="stat">
                  无变化<b>{result.unchanged}</b>
                </div>
                <div class="stat">
                  {dryRun ? "将提交变更备案" : "已提交变更备案"}
                  <b>{result.filed.length}</b>
                </div>
              </>
            ) : null}
          </div>
        ) : null}
        {result && result.updates.length > 0 ? (
          <section class="section">
            <h2>{will}直接更新的字段</h2>
            <table>
              <thead>
                <tr>
                  <th>行号</th>
                  <th>账号</th>
                  <th>字段</th>
                </tr>
              </thead>
              <tbody>
                {result.updates.map((u) => (
                  <tr>
                    <td>{u.row}</td>
                    <td>
                      <a href={`/accounts/${u.accountId}`}>查看账号</a>
                    </td>
                    <td>{u.fields.map((f) => ACCOUNT_CHANGE_LABELS[f as keyof typeof ACCOUNT_CHANGE_LABELS] ?? f).join("、")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {result && result.filed.length > 0 ? (
          <section class="section">
            <h2>{dryRun ? "将提交的变更备案" : "已提交的变更备案"}</h2>
            <table>
              <thead>
                <tr>
                  <th>行号</th>
                  <th>账号</th>
                  <th>变更内容</th>
                  <th>备案</th>
                </tr>
              </thead>
              <tbody>
                {result.filed.map((f) => (
                  <tr>
                    <td>{f.row}</td>
                    <td>
                      <a href={`/accounts/${f.accountId}`}>查看账号</a>
                    </td>
                    <td>
                      {Object.entries(f.changes)
                        .map(([k, v]) => `${ACCOUNT_CHANGE_LABELS[k as keyof typeof ACCOUNT_CHANGE_LABELS] ?? k}：${v === null || v === undefined ? "（空）" : String(v)}`)
                        .join("；")}
                    </td>
                    <td>{f.filingId ? <a href={`/filings?status=submitted`}>待审核</a> : <span class="muted">导入后提交</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {result?.ignoredColumns?.length ? <p class="muted">未读取的列：{result.ignoredColumns.join("、")}</p> : null}
        {errors.length > 0 ? (
          <section class="section">
            <h2>错误行</h2>
            <RowErrorTable
              errors={errors}
              message={(text) =>
                text.includes("机构管理") ? (
                  <>
                    {text} <a href="/orgs">前往机构管理</a>
                  </>
                ) : (
                  text
                )
              }
            />
          </section>
        ) : null}
        <p>
          <a href="/import">继续上传</a> · <a href="/accounts">返回台账</a>
        </p>
      </Layout>,
    );
  });
}
