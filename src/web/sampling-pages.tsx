// Spot-check pages of the web UI: draw a quarter's list, record results, verify, download the notice.
import type { Hono } from "hono";
import { canOrganiseSampling } from "../domain/access";
import { PROBLEM_CATEGORIES, PROBLEM_LABELS } from "../domain/inspection";
import { PLATFORM_LABELS } from "../domain/platforms";
import { quarterOf } from "../domain/weeks";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import * as samplingRoutes from "../routes/sampling/sampling.routes";
import { back, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";
import { Layout } from "./layout";


export function registerSamplingPages(ui: Hono<UiEnv>, { api, now }: PageKit) {

  ui.get("/sampling", async (c) => {
    const [r, orgs] = await Promise.all([api(c, samplingRoutes.listRounds, { query: { pageSize: 50 } }), api(c, orgRoutes.listOrgs)]);
    const rounds = r.ok ? r.body.items : [];
    const units = (orgs.ok ? orgs.body.items : []).filter((o) => o.kind === "government" && o.level !== "township");
    const q = quarterOf(now());
    return c.html(
      <Layout title="季度抽查" path="/sampling" who={who(c)} message={message(c)}>
        <h1>季度抽查</h1>
        {canOrganiseSampling(c.get("me").role) ? (
          <form class="card filters" method="post" action="/sampling">
            <select name="governmentOrgId">
              {units.map((o) => (
                <option value={o.id}>{o.name}</option>
              ))}
            </select>
            <input name="year" type="number" value={String(q.year)} class="w-year" />
            <select name="quarter">
              {[1, 2, 3, 4].map((n) => (
                <option value={String(n)} selected={n === q.quarter}>
                  第{n}季度
                </option>
              ))}
            </select>
            <button type="submit">抽取名单</button>
            <span class="muted">每季度第一天 08:00 也会自动抽取；同一单位同一季度只有一份名单。</span>
          </form>
        ) : null}
        <table>
          <thead>
            <tr>
              <th>抽查单位</th>
              <th>季度</th>
              <th>账号总数</th>
              <th>抽取</th>
              <th>已检查</th>
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
                <td>{round.population}</td>
                <td>{round.sampleSize}</td>
                <td>{round.items.filter((i) => i.inspection).length}</td>
                <td>
                  <code>{round.seed}</code>
                </td>
                <td>
                  <a href={`/download/sampling-rounds/${round.id}/export.xlsx`}>名单 Excel</a> · <a href={`/download/sampling-rounds/${round.id}/export.csv`}>CSV</a> ·{" "}
                  <a href={`/download/reports/quarterly?governmentOrgId=${round.governmentOrgId}&year=${round.year}&quarter=${round.quarter}&format=xlsx`}>通报 Excel</a> ·{" "}
                  <a href={`/download/reports/quarterly?governmentOrgId=${round.governmentOrgId}&year=${round.year}&quarter=${round.quarter}&format=md`}>通报 Markdown</a>
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
      body: { governmentOrgId: String(f.governmentOrgId ?? ""), year: Number(f.year), quarter: Number(f.quarter) },
    });
    if (!r.ok) return c.redirect(back("/sampling", false, r.body.error.message));
    return c.redirect(back(`/sampling/${r.body.id}`, true, r.status === 201 ? `已抽取 ${r.body.sampleSize} 个账号` : "该季度的名单已存在"));
  });

  ui.get("/sampling/:id", async (c) => {
    const id = c.req.param("id");
    const [r, v] = await Promise.all([api(c, samplingRoutes.getRound, { params: { id } }), api(c, samplingRoutes.verifyRound, { params: { id } })]);
    if (!r.ok) return c.redirect(back("/sampling", false, r.body.error.message));
    const round = r.body;
    const verified = v.ok ? v.body : undefined;
    const canRecord = canOrganiseSampling(c.get("me").role);
    return c.html(
      <Layout title="抽查名单" path="/sampling" who={who(c)} message={message(c)}>
        <h1>
          {round.governmentName} {round.year}年第{round.quarter}季度抽查名单
        </h1>
        <div class="card">
          抽查比例 {Math.round(round.rate * 1000) / 10}%，账号总数 {round.population}，抽取 {round.sampleSize}，随机种子 <code>{round.seed}</code>。复核：
          {verified?.matches ? <span class="tag ok">名单与重新计算的结果一致</span> : <span class="tag bad">名单与重新计算的结果不一致：{(verified?.differences ?? []).join("；")}</span>}
        </div>
        <table>
          <thead>
            <tr>
              <th>序号</th>
              <th>账号</th>
              <th>主办单位</th>
              <th>抽取原因</th>
              <th>检查结果</th>
              {canRecord ? <th>登记</th> : null}
            </tr>
          </thead>
          <tbody>
            {round.items.map((i) => (
              <tr>
                <td>{i.position}</td>
                <td>
                  <a href={`/accounts/${i.accountId}`}>{i.accountName}</a>（{PLATFORM_LABELS[i.platform]}）
                </td>
                <td>{i.orgName}</td>
                <td>{i.reasonLabel}</td>
                <td>
                  {i.inspection ? (
                    <span class={`tag ${i.inspection.result === "pass" ? "ok" : "bad"}`}>
                      {i.inspection.result === "pass" ? "合格" : `不合格：${i.inspection.problems.map((p) => PROBLEM_LABELS[p as keyof typeof PROBLEM_LABELS] ?? p).join("、")}`}
                    </span>
                  ) : (
                    "未检查"
                  )}
                </td>
                {canRecord ? (
                  <td>
                    <form method="post" action={`/sampling/${id}/inspections`}>
                      <input type="hidden" name="accountId" value={i.accountId} />
                      <select name="result">
                        <option value="pass">合格</option>
                        <option value="fail">不合格</option>
                      </select>{" "}
                      <select name="problem">
                        <option value="">（问题类型）</option>
                        {PROBLEM_CATEGORIES.map((p) => (
                          <option value={p}>{PROBLEM_LABELS[p]}</option>
                        ))}
                      </select>{" "}
                      <input name="deadline" type="date" title="整改期限" />{" "}
                      <input name="overrideNote" placeholder="说明（两周未更新判合格时必填）" />{" "}
                      <button type="submit">登记</button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  ui.post("/sampling/:id/inspections", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const f = await c.req.parseBody();
    const body: Record<string, unknown> = {
      accountId: String(f.accountId ?? ""),
      result: String(f.result ?? ""),
      problems: f.problem ? [String(f.problem)] : [],
    };
    if (typeof f.deadline === "string" && f.deadline) body.deadline = f.deadline;
    if (typeof f.overrideNote === "string" && f.overrideNote.trim()) body.overrideNote = f.overrideNote.trim();
    const r = await api(c, samplingRoutes.recordInspection, { params: { id }, body });
    return c.redirect(back(`/sampling/${encodeURIComponent(id)}`, r.ok, r.ok ? "已登记" : r.body.error.message));
  });
}
