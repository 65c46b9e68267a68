// Account list pages of the web UI: the ledger, registering an account and the ledger upload.
// Everything goes through the JSON API for the clerk.
import type { Hono } from "hono";
import { ACCOUNT_STATUS_LABELS, ACCOUNT_STATUSES } from "../domain/lifecycle";
import { ACCOUNT_TYPE_LABELS, ACCOUNT_TYPES, PLATFORM_LABELS, PLATFORMS, platformWithType } from "../domain/platforms";
import { LEDGER_COLUMNS } from "../domain/ledger";
import { UPLOAD_FILE_LIMIT } from "../lib/body-limits";
import * as accountRoutes from "../routes/accounts/accounts.routes";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import { Layout } from "./layout";

import { back, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";


export function registerAccountListPages(ui: Hono<UiEnv>, { api }: PageKit) {
  const text = (v: unknown) => {
    const s = typeof v === "string" ? v.trim() : "";
    return s === "" ? undefined : s;
  };

  ui.get("/accounts", async (c) => {
    const pick = (k: string) => c.req.query(k) || undefined;
    const filter = { platform: pick("platform"), status: pick("status"), q: pick("q"), flag: pick("flag") };
    const r = await api(c, accountRoutes.listAccounts, { query: { ...filter, page: pick("page"), pageSize: 50 } });
    const exportQuery = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
    return c.html(
      <Layout title="账号台账" path="/accounts" who={who(c)} message={r.ok ? message(c) : { kind: "err", text: r.body.error.message }}>
        <h1>账号台账</h1>
        <form class="filters" method="get" action="/accounts">
          <select name="platform">
            <option value="">全部平台</option>
            {PLATFORMS.map((p) => (
              <option value={p} selected={c.req.query("platform") === p}>
                {PLATFORM_LABELS[p]}
              </option>
            ))}
          </select>
          <select name="status">
            <option value="">全部状态</option>
            {ACCOUNT_STATUSES.map((s) => (
              <option value={s} selected={c.req.query("status") === s}>
                {ACCOUNT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <input name="q" value={c.req.query("q") ?? ""} placeholder="名称或账号ID" />
          <button type="submit">查询</button>
          <a href={`/download/accounts/export.csv?${exportQuery}`}>导出 CSV</a>
          <a href={`/download/accounts/export.xlsx?${exportQuery}`}>导出 Excel</a>
          <a href="/accounts/new">登记账号</a>
          <a href="/import">导入台账</a>
        </form>
        <p class="muted">共 {r.ok ? r.body.total : 0} 个账号</p>
        <table>
          <thead>
            <tr>
              <th>账号名称</th>
              <th>平台</th>
              <th>账号ID</th>
              <th>主办单位</th>
              <th>状态</th>
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
      </Layout>,
    );
  });


  ui.get("/accounts/new", async (c) => {
    const orgs = await api(c, orgRoutes.listOrgs);
    return c.html(
      <Layout title="登记账号" path="/accounts" who={who(c)} message={message(c)}>
        <h1>登记账号</h1>
        <p class="muted">备案主管单位直接登记的账号即为“正常”；其他情况提交开设备案，由备案主管单位审核。</p>
        <form class="card form-grid" method="post" action="/accounts/new">
          <label>主办单位</label>
          <select name="orgId" required>
            {(orgs.ok ? orgs.body.items : []).map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
          <label>平台</label>
          <select name="platform">
            {PLATFORMS.map((p) => (
              <option value={p}>{PLATFORM_LABELS[p]}</option>
            ))}
          </select>
          <label>账号类型</label>
          <select name="accountType">
            <option value="">（微信默认订阅号；其他平台不填）</option>
            {ACCOUNT_TYPES.map((t) => (
              <option value={t}>微信{ACCOUNT_TYPE_LABELS[t]}</option>
            ))}
          </select>
          <label>账号名称</label>
          <input name="name" required maxlength={100} />
          <label>账号ID</label>
          <input name="platformId" maxlength={128} />
          <label>链接</label>
          <input name="url" placeholder="https://…" />
          <label>订阅地址</label>
          <input name="feedUrl" placeholder="RSS/Atom 地址，如 RSSHub 路由" />
          <label>开设日期</label>
          <input name="openedOn" type="date" />
          <label>运维人员</label>
          <input name="contactPerson" maxlength={50} />
          <label>联系电话</label>
          <input name="contactPhone" maxlength={40} />
          <span />
          <div>
            <button type="submit">提交</button>
          </div>
        </form>
      </Layout>,
    );
  });

  ui.post("/accounts/new", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const f = await c.req.parseBody();
    const body: Record<string, string> = {};
    for (const k of ["orgId", "platform", "accountType", "name", "platformId", "url", "feedUrl", "openedOn", "contactPerson", "contactPhone"]) {
      const v = text(f[k]);
      if (v) body[k] = v;
    }
    const r = await api(c, accountRoutes.createAccount, { body });
    if (!r.ok) return c.redirect(back("/accounts/new", false, r.body.error.message));
    return c.redirect(back(`/accounts/${r.body.id}`, true, r.body.status === "active" ? "已登记，账号状态为正常" : "已提交开设备案，等待备案主管单位审核"));
  });

  ui.get("/import", (c) =>
    c.html(
      <Layout title="导入台账" path="/accounts" who={who(c)} message={message(c)}>
        <h1>导入台账</h1>
        <div class="card">
          <p>
            上传 CSV 或 Excel（.xlsx）文件（不超过 {UPLOAD_FILE_LIMIT / 1024 / 1024} MB），第一行为表头：{LEDGER_COLUMNS.join("、")}。其中账号名称、平台、主办单位必填。
          </p>
          <p class="muted">先“只校验”检查全部行；有任何错误行时不会导入。</p>
          <form method="post" action="/import" enctype="multipart/form-data">
            <input type="file" name="file" accept=".csv,.xlsx" required />{" "}
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
    const out = new FormData();
    const file = form.get("file");
    if (file && typeof file !== "string") out.append("file", file);
    const res = await api(c, accountRoutes.importLedger, { query: { dryRun: String(dryRun) }, body: out });
    // A refused import lists its row errors in the error's details.
    const errors = (res.ok ? res.body.errors : (res.body.error.details ?? [])) as { row: number; column?: string; message: string }[];
    const summary = res.ok
      ? dryRun
        ? `共 ${res.body.total} 行，${res.body.valid} 行无误${res.body.errors.length ? `，${res.body.errors.length} 处错误` : "，可以导入"}`
        : `已导入 ${res.body.imported} 个账号`
      : res.body.error.message;
    return c.html(
      <Layout title="导入台账" path="/accounts" who={who(c)} message={{ kind: res.ok && errors.length === 0 ? "info" : "err", text: summary }}>
        <h1>导入台账</h1>
        {errors.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th>行号</th>
                <th>列</th>
                <th>问题</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e) => (
                <tr>
                  <td>{e.row}</td>
                  <td>{e.column ?? "—"}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p>
          <a href="/import">继续上传</a> · <a href="/accounts">返回台账</a>
        </p>
      </Layout>,
    );
  });
}
