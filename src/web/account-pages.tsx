// Account pages of the web UI: register an account, one account's record and its filings,
// and the ledger upload. Everything goes through the JSON API with the clerk's token.
import type { Hono } from "hono";
import { ACCOUNT_STATUS_LABELS, FILING_KIND_LABELS, type AccountStatus, type FilingKind } from "../domain/lifecycle";
import { PLATFORM_LABELS, PLATFORMS, type Platform } from "../domain/platforms";
import { LEDGER_COLUMNS } from "../domain/ledger";
import { UPLOAD_FILE_LIMIT } from "../lib/body-limits";
import { Layout } from "./layout";

import { back, beijing as dt, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";

export function registerAccountPages(ui: Hono<UiEnv>, { api, fetchApi }: PageKit) {
  const text = (v: unknown) => {
    const s = typeof v === "string" ? v.trim() : "";
    return s === "" ? undefined : s;
  };

  ui.get("/accounts/new", async (c) => {
    const orgs = await api(c, "/api/orgs");
    return c.html(
      <Layout title="登记账号" path="/accounts" who={who(c)} message={message(c)}>
        <h1>登记账号</h1>
        <p class="muted">备案主管单位直接登记的账号即为“正常”；其他情况提交开设备案，由备案主管单位审核。</p>
        <form class="card form-grid" method="post" action="/accounts/new">
          <label>主办单位</label>
          <select name="orgId" required>
            {orgs.body.items.map((o: any) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
          <label>平台</label>
          <select name="platform">
            {PLATFORMS.map((p) => (
              <option value={p}>{PLATFORM_LABELS[p]}</option>
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
    for (const k of ["orgId", "platform", "name", "platformId", "url", "feedUrl", "openedOn", "contactPerson", "contactPhone"]) {
      const v = text(f[k]);
      if (v) body[k] = v;
    }
    const r = await api(c, "/api/accounts", { method: "POST", body });
    if (r.status !== 201) return c.redirect(back("/accounts/new", false, r.body.error.message));
    return c.redirect(back(`/accounts/${r.body.id}`, true, r.body.status === "active" ? "已登记，账号状态为正常" : "已提交开设备案，等待备案主管单位审核"));
  });

  ui.get("/accounts/:id", async (c) => {
    const id = c.req.param("id");
    const a = await api(c, `/api/accounts/${encodeURIComponent(id)}`);
    if (a.status !== 200) return c.redirect(back("/accounts", false, a.body.error.message));
    const [filings, posts, feed] = await Promise.all([
      api(c, `/api/filings?accountId=${id}&pageSize=50`),
      api(c, `/api/accounts/${id}/posts?pageSize=10`),
      api(c, `/api/accounts/${id}/feed`),
    ]);
    const acc = a.body;
    const f = feed.body;
    return c.html(
      <Layout title={acc.name} path="/accounts" who={who(c)} message={message(c)}>
        <h1>
          {acc.name} <span class="tag">{PLATFORM_LABELS[acc.platform as Platform]}</span> <span class="tag">{ACCOUNT_STATUS_LABELS[acc.status as AccountStatus]}</span>
        </h1>
        <div class="card">
          <p>
            主办单位：{acc.orgName}　账号ID：{acc.platformId ?? "—"}　开设日期：{acc.openedOn ?? "—"}　运维人员：{acc.contactPerson ?? "—"} {acc.contactPhone ?? ""}
          </p>
          {acc.closingReason ? <p>关停原因：{acc.closingReason}</p> : null}
          <p>
            订阅地址：{acc.feedUrl ?? "未配置"}
            {f ? (
              <span>
                　最近成功抓取：{dt(f.lastSuccessAt)}
                {f.lastError ? <span class="tag bad">连续失败 {f.consecutiveFailures} 次：{f.lastError}</span> : null}
              </span>
            ) : null}
          </p>
          {acc.flags.map((fl: any) => (
            <span class="tag warn">{fl.message}</span>
          ))}
        </div>
        <h2>办理备案</h2>
        <form class="card form-grid" method="post" action={`/accounts/${id}/filings`}>
          <label>备案类型</label>
          <select name="kind">
            {(["suspend", "resume", "close", "merge", "change"] as FilingKind[]).map((k) => (
              <option value={k}>{FILING_KIND_LABELS[k]}</option>
            ))}
            {acc.origin === "import" && acc.status === "active" ? <option value="open">补充开设备案（台账导入的账号）</option> : null}
          </select>
          <label>原因</label>
          <input name="reason" placeholder="关停注销须填写，如：机构改革" />
          <label>平台已注销</label>
          <label>
            <input type="checkbox" name="completed" value="true" /> 关停时平台已完成注销（直接标记为已关停）
          </label>
          <label>整合到账号</label>
          <input name="targetAccountId" placeholder="整合时填写目标账号的编号" />
          <label>新名称</label>
          <input name="newName" placeholder="变更时填写" />
          <label>新订阅地址</label>
          <input name="newFeedUrl" placeholder="变更时填写" />
          <span />
          <div>
            <button type="submit">提交备案</button>
          </div>
        </form>
        <h2>备案记录</h2>
        <table>
          <thead>
            <tr>
              <th>类型</th>
              <th>状态</th>
              <th>提交时间</th>
              <th>审核时间</th>
              <th>审核意见</th>
            </tr>
          </thead>
          <tbody>
            {filings.body.items.map((fi: any) => (
              <tr>
                <td>{FILING_KIND_LABELS[fi.kind as FilingKind]}</td>
                <td>{fi.status === "submitted" ? "待审核" : fi.status === "approved" ? "已批准" : "已驳回"}</td>
                <td>{dt(fi.submittedAt)}</td>
                <td>{dt(fi.decidedAt)}</td>
                <td>{fi.decisionNote || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>最近发文（共 {posts.body.total} 条）</h2>
        <table>
          <tbody>
            {posts.body.items.map((p: any) => (
              <tr>
                <td class="w-time">{dt(p.publishedAt)}</td>
                <td>{p.url ? <a href={p.url} rel="noopener noreferrer">{p.title}</a> : p.title}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  ui.post("/accounts/:id/filings", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const f = await c.req.parseBody();
    const kind = String(f.kind ?? "");
    const body: Record<string, unknown> = { kind, accountId: id };
    if (text(f.reason)) body.reason = text(f.reason);
    if (kind === "close" && f.completed === "true") body.completed = true;
    if (kind === "merge" && text(f.targetAccountId)) body.targetAccountId = text(f.targetAccountId);
    if (kind === "change") {
      const changes: Record<string, string> = {};
      if (text(f.newName)) changes.name = text(f.newName)!;
      if (text(f.newFeedUrl)) changes.feedUrl = text(f.newFeedUrl)!;
      body.changes = changes;
    }
    const r = await api(c, "/api/filings", { method: "POST", body });
    return c.redirect(back(`/accounts/${encodeURIComponent(id)}`, r.status === 201, r.status === 201 ? "备案已提交，等待审核" : r.body.error.message));
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
    const res = await fetchApi(`/api/accounts/import?dryRun=${dryRun}`, { method: "POST", body: out, headers: { authorization: `Bearer ${c.get("token")}` } });
    const body = (await res.json()) as any;
    const errors: { row: number; column?: string; message: string }[] = res.status === 200 ? body.errors : (body.error.details ?? []);
    const summary =
      res.status === 200
        ? dryRun
          ? `共 ${body.total} 行，${body.valid} 行无误${body.errors.length ? `，${body.errors.length} 处错误` : "，可以导入"}`
          : `已导入 ${body.imported} 个账号`
        : body.error.message;
    return c.html(
      <Layout title="导入台账" path="/accounts" who={who(c)} message={{ kind: res.status === 200 && errors.length === 0 ? "info" : "err", text: summary }}>
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
