// 机构管理: the visible org tree, and the admin's forms to add, rename, move, designate a filing
// authority (指定备案单位, docs/规则依据.md#指定备案单位) and set aliases. Supervisors see the tree only.
import type { Hono } from "hono";
import { canManageOrgs } from "../domain/access";
import { ORG_KIND_LABELS, ORG_KINDS, ORG_LEVEL_LABELS, ORG_LEVELS, type OrgKind, type OrgLevel } from "../domain/orgs";
import type { Role } from "../domain/roles";
import type { ResponseOf } from "./api-client";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import { Layout } from "./layout";
import { back, message, sameOrigin, who, type PageKit, type UiContext, type UiEnv } from "./page-kit";

type Org = ResponseOf<typeof orgRoutes.listOrgs>["items"][number];
type Msg = { kind: "err" | "info"; text: string } | undefined;

/** Supervisors read the tree (it is where their filings come from); only admins change it. */
const canViewOrgs = (role: Role) => canManageOrgs(role) || role === "supervisor";

/** The visible orgs depth-first, each with its depth below the clerk's own org. */
function treeRows(items: readonly Org[]): { org: Org; depth: number }[] {
  const ids = new Set(items.map((o) => o.id));
  const children = new Map<string | null, Org[]>();
  for (const o of items) {
    // The top of the visible tree is whatever has no visible parent (the clerk's own org).
    const parent = o.parentId && ids.has(o.parentId) ? o.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), o]);
  }
  const out: { org: Org; depth: number }[] = [];
  // Offices (政府、开发区) before departments, each by name: the order a 机构 list is read in.
  const rank = (o: Org) => (o.kind === "department" ? 1 : 0);
  const walk = (parent: string | null, depth: number) => {
    const siblings = [...(children.get(parent) ?? [])].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, "zh-CN"));
    for (const o of siblings) {
      out.push({ org: o, depth });
      walk(o.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The org and everything below it: where it cannot be moved to. */
function subtreeIds(items: readonly Org[], rootId: string): Set<string> {
  const out = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of items) {
      if (o.parentId && out.has(o.parentId) && !out.has(o.id)) {
        out.add(o.id);
        grew = true;
      }
    }
  }
  return out;
}

/** "　　某县教育局": indented by full-width spaces, which HTML does not collapse (no inline styles under the CSP). */
const indented = (name: string, depth: number) => `${"　".repeat(depth * 2)}${depth > 0 ? "└ " : ""}${name}`;

const OrgOptions = (props: { rows: { org: Org; depth: number }[]; selected?: string; skip?: Set<string> }) => (
  <>
    {props.rows
      .filter((r) => !props.skip?.has(r.org.id))
      .map((r) => (
        <option value={r.org.id} selected={r.org.id === props.selected}>
          {indented(r.org.name, r.depth)}
        </option>
      ))}
  </>
);

interface NewOrgForm {
  parentId?: string;
  name?: string;
  kind?: string;
  level?: string;
}

export function registerOrgPages(ui: Hono<UiEnv>, { api }: PageKit) {
  async function treePage(c: UiContext, form: NewOrgForm = {}, msg: Msg = message(c), status: 200 | 400 = 200) {
    const me = c.get("me");
    if (!canViewOrgs(me.role)) return forbiddenPage(c);
    const r = await api(c, orgRoutes.listOrgs);
    const items = r.ok ? r.body.items : [];
    const byId = new Map(items.map((o) => [o.id, o]));
    const rows = treeRows(items);
    const admin = canManageOrgs(me.role);
    return c.html(
      <Layout title="机构管理" path="/orgs" who={who(c)} message={msg}>
        <h1>机构管理</h1>
        <p class="muted">
          本单位及下级机构。备案主管单位默认按机构树分级确定（部门向本级政府备案，政府、开发区向上一级政府备案）；垂直管理系统或由数据局受理备案的，可单独指定。
          {admin ? null : " 您可以查看，只有管理员可以修改。"}
        </p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>机构</th>
                <th>类型</th>
                <th>层级</th>
                <th>备案主管单位</th>
                <th>别名</th>
                {admin ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map(({ org: o, depth }) => (
                <tr id={`org-${o.id}`}>
                  <td>{indented(o.name, depth)}</td>
                  <td>{ORG_KIND_LABELS[o.kind]}</td>
                  <td>{ORG_LEVEL_LABELS[o.level]}</td>
                  <td>
                    {o.filingAuthorityId ? (byId.get(o.filingAuthorityId)?.name ?? "（本单位范围外）") : "自行审核（最高一级）"}{" "}
                    {o.filingAuthorityDesignated ? <span class="tag warn">指定</span> : <span class="tag">按机构树</span>}
                  </td>
                  <td>{o.aliases.length > 0 ? o.aliases.join("、") : "—"}</td>
                  {admin ? (
                    <td>
                      <a href={`/orgs/${encodeURIComponent(o.id)}`}>修改</a>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {admin ? (
          <>
            <h2 class="section">新增机构</h2>
            {/* Defaults: a department at the clerk's own level, the commonest addition. */}
            <form class="card form-grid" method="post" action="/orgs">
              <label for="new-parent">上级机构</label>
              <select id="new-parent" name="parentId" required>
                <OrgOptions rows={rows} selected={form.parentId} />
              </select>
              <label for="new-name">名称</label>
              <input id="new-name" name="name" required maxlength={100} value={form.name ?? ""} placeholder="如：某县人民政府、某县教育局" />
              <label for="new-kind">类型</label>
              <select id="new-kind" name="kind">
                {ORG_KINDS.map((k) => (
                  <option value={k} selected={k === (form.kind ?? "department")}>
                    {ORG_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
              <label for="new-level">层级</label>
              <select id="new-level" name="level">
                {ORG_LEVELS.map((l) => (
                  <option value={l} selected={l === (form.level ?? rows[0]?.org.level)}>
                    {ORG_LEVEL_LABELS[l]}
                  </option>
                ))}
              </select>
              <span />
              <div>
                <button type="submit">新增</button>
              </div>
            </form>
          </>
        ) : null}
      </Layout>,
      status,
    );
  }

  interface EditForm {
    name?: string;
    parentId?: string;
    filingAuthorityId?: string;
    aliases?: string;
  }

  async function editPage(c: UiContext, id: string, form: EditForm = {}, msg: Msg = message(c), status: 200 | 400 = 200) {
    const me = c.get("me");
    if (!canManageOrgs(me.role)) return forbiddenPage(c);
    const r = await api(c, orgRoutes.listOrgs);
    const items = r.ok ? r.body.items : [];
    const org = items.find((o) => o.id === id);
    if (!org) return c.html(<Layout title="机构管理" path="/orgs" who={who(c)} message={{ kind: "err", text: "机构不存在或不在本单位范围内" }}><p><a href="/orgs">返回机构管理</a></p></Layout>, 404);
    const rows = treeRows(items);
    const below = subtreeIds(items, org.id);
    const isTop = !org.parentId || org.id === me.org.id;
    const action = `/orgs/${encodeURIComponent(org.id)}`;
    return c.html(
      <Layout title={`修改机构：${org.name}`} path="/orgs" who={who(c)} message={msg}>
        <h1>修改机构：{org.name}</h1>
        <p>
          <a href="/orgs">返回机构管理</a>
        </p>
        <form class="card form-grid" method="post" action={action}>
          <input type="hidden" name="op" value="rename" />
          <label for="edit-name">名称</label>
          <input id="edit-name" name="name" required maxlength={100} value={form.name ?? org.name} />
          <span />
          <div>
            <button type="submit">改名</button>
          </div>
        </form>
        {isTop ? null : (
          <form class="card form-grid" method="post" action={action}>
            <input type="hidden" name="op" value="move" />
            <label for="edit-parent">新的上级机构</label>
            <select id="edit-parent" name="parentId">
              <OrgOptions rows={rows} selected={form.parentId ?? org.parentId ?? undefined} skip={below} />
            </select>
            <span />
            <div>
              <button type="submit">调整上级</button>
            </div>
          </form>
        )}
        <form class="card form-grid" method="post" action={action}>
          <input type="hidden" name="op" value="authority" />
          <label for="edit-authority">备案主管单位</label>
          <select id="edit-authority" name="filingAuthorityId">
            <option value="">恢复默认（按机构树分级备案）</option>
            <OrgOptions rows={rows} selected={form.filingAuthorityId ?? (org.filingAuthorityDesignated ? (org.filingAuthorityId ?? undefined) : undefined)} skip={new Set([org.id])} />
          </select>
          <span />
          <div>
            <button type="submit">指定备案单位</button>{" "}
            <span class="muted">用于公安、税务、气象等垂直管理系统，或由数据局等单位受理备案的情形。</span>
          </div>
        </form>
        <form class="card form-grid" method="post" action={action}>
          <input type="hidden" name="op" value="aliases" />
          <label for="edit-aliases">别名（每行一个）</label>
          <textarea id="edit-aliases" name="aliases" rows={4}>
            {form.aliases ?? org.aliases.join("\n")}
          </textarea>
          <span />
          <div>
            <button type="submit">保存别名</button> <span class="muted">如认证主体使用的名称；核对认证主体时与机构名称同等对待。</span>
          </div>
        </form>
      </Layout>,
      status,
    );
  }

  function forbiddenPage(c: UiContext) {
    return c.html(
      <Layout title="机构管理" path="/orgs" who={who(c)} message={{ kind: "err", text: "只有管理员和主管单位可以查看机构管理" }}>
        <p>
          <a href="/">返回概览</a>
        </p>
      </Layout>,
      403,
    );
  }

  ui.get("/orgs", (c) => treePage(c));

  ui.post("/orgs", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const f = await c.req.parseBody();
    const form: NewOrgForm = { parentId: String(f.parentId ?? ""), name: String(f.name ?? "").trim(), kind: String(f.kind ?? ""), level: String(f.level ?? "") };
    const r = await api(c, orgRoutes.createOrg, { body: { ...form, kind: form.kind as OrgKind, level: form.level as OrgLevel } });
    if (!r.ok) return treePage(c, form, { kind: "err", text: r.body.error.message }, 400);
    return c.redirect(back("/orgs", true, `已新增“${r.body.name}”`));
  });

  ui.get("/orgs/:id", (c) => editPage(c, c.req.param("id")));

  ui.post("/orgs/:id", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const f = await c.req.parseBody();
    const op = String(f.op ?? "");
    const form: EditForm = {};
    let body: Record<string, unknown>;
    let done: string;
    if (op === "rename") {
      form.name = String(f.name ?? "").trim();
      body = { name: form.name };
      done = `已改名为“${form.name}”`;
    } else if (op === "move") {
      form.parentId = String(f.parentId ?? "");
      body = { parentId: form.parentId };
      done = "已调整上级机构";
    } else if (op === "authority") {
      form.filingAuthorityId = String(f.filingAuthorityId ?? "");
      body = { filingAuthorityId: form.filingAuthorityId || null };
      done = form.filingAuthorityId ? "已指定备案主管单位" : "已恢复按机构树分级备案";
    } else if (op === "aliases") {
      form.aliases = String(f.aliases ?? "");
      body = { aliases: form.aliases.split(/\r?\n/).map((s) => s.trim()).filter(Boolean) };
      done = "已保存别名";
    } else {
      return editPage(c, id, {}, { kind: "err", text: "无法识别的操作" }, 400);
    }
    const r = await api(c, orgRoutes.updateOrg, { params: { id }, body });
    // The form again, with what the clerk typed and the API's reason.
    if (!r.ok) return editPage(c, id, form, { kind: "err", text: r.body.error.message }, 400);
    return c.redirect(back("/orgs", true, `${r.body.name}：${done}`));
  });
}
