// 审计日志: every recorded change in the clerk's subtree, filtered, with who did it and what changed
// (the changed fields only, before → after). Admins and supervisors (canReadAudit).
import type { Hono } from "hono";
import { canReadAudit } from "../domain/access";
import { FILING_KIND_LABELS, type FilingKind } from "../domain/lifecycle";
import { ORG_KIND_LABELS, ORG_LEVEL_LABELS, type OrgKind, type OrgLevel } from "../domain/orgs";
import { PLATFORM_LABELS, type Platform } from "../domain/platforms";
import { ROLE_LABELS, type Role } from "../domain/roles";
import { AUDIT_ENTITIES, type AuditEntity } from "../db/queries/audit";
import * as auditRoutes from "../routes/audit/audit.routes";
import * as orgRoutes from "../routes/orgs/orgs.routes";
import { Layout } from "./layout";
import { beijing, message, who, type PageKit, type UiEnv } from "./page-kit";

export const AUDIT_ENTITY_LABELS: Record<AuditEntity, string> = {
  notice: "公开通报",
  score_rule: "计分规则",
  word_rule: "错敏词规则",
  org: "机构",
  token: "令牌",
  account: "账号",
  filing: "备案",
  alert: "预警",
  webhook: "消息推送",
  policy: "监测标准",
  sampling_round: "抽查名单",
  inspection: "检查结果",
};

/** The actions the code writes (grep writeAudit), in Chinese. An unknown one shows as written. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "word_rule.create": "新增错敏词规则",
  "word_rule.import": "导入错敏词规则",
  "word_rule.disable": "停用错敏词规则",
  "notice.publish": "公开抽查情况",
  "notice.unpublish": "撤回公开",
  "score_rule.create": "调整扣分标准",
  "org.bootstrap": "初始化系统",
  "org.create": "新增机构",
  "org.rename": "机构改名",
  "org.move": "调整上级机构",
  "org.filing_authority": "指定备案主管单位",
  "org.aliases": "设置机构别名",
  "token.create": "签发令牌",
  "token.revoke": "吊销令牌",
  "account.create": "登记账号",
  "account.import": "导入台账（新增）",
  "account.import_update": "导入台账（更新）",
  "account.refile": "重新提交开设备案",
  "account.open_rejected": "开设备案被驳回",
  ...Object.fromEntries(Object.entries(FILING_KIND_LABELS).map(([k, v]) => [`account.${k}`, `备案通过：${v}`])),
  "account.void": "作废误登记账号",
  "filing.submit": "提交备案",
  "filing.decide": "审核备案",
  "filing.withdraw": "撤回备案",
  "alert.acknowledge": "知悉预警",
  "alert.resolve": "处理预警",
  "webhook.create": "添加消息推送",
  "webhook.update": "修改消息推送",
  "policy.create": "调整监测标准",
  "sampling.create": "抽取抽查名单",
  "inspection.record": "登记检查结果",
  "inspection.update": "修改检查结果",
  "inspection.rectify": "登记整改",
  "posts.push": "推送发文记录",
  "posts.import": "导入发文记录",
  "demo.seed": "生成演示数据",
};

const FIELD_LABELS: Record<string, string> = {
  name: "名称",
  kind: "类型",
  level: "层级",
  parentId: "上级机构",
  filingAuthorityId: "指定备案主管单位",
  aliases: "别名",
  label: "名称/用途说明",
  role: "角色",
  orgId: "机构",
  revokedAt: "吊销时间",
  expiresAt: "有效期至",
  lastUsedAt: "最近使用",
  status: "状态",
  platform: "平台",
  platformId: "账号ID",
  url: "链接",
  feedUrl: "订阅地址",
  openedOn: "开设日期",
  contactPerson: "运维人员",
  contactPhone: "联系电话",
  accountType: "账号类型",
  verifiedOwner: "认证主体",
  operationMode: "运维方式",
  operator: "运维单位",
  reason: "理由",
  changes: "变更内容",
  decisionNote: "审核意见",
  decidedAt: "审核时间",
  submittedAt: "提交时间",
  voidReason: "作废原因",
  active: "启用",
  events: "订阅",
  hasSecret: "加签",
  result: "检查结果",
  problems: "问题类型",
  requirement: "整改要求",
  deadline: "整改期限",
  rectifiedAt: "整改完成日期",
  inspectedOn: "检查日期",
  inspector: "检查人",
  key: "项目",
  value: "数值",
  effectiveFrom: "生效日期",
};

/** Bookkeeping that changes with every write, or secrets: never a row of the diff. */
const HIDDEN_FIELDS = new Set(["id", "path", "hash", "secret", "createdAt", "updatedAt", "createdBy"]);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

type Snapshot = Record<string, unknown> | null;
const asSnapshot = (v: unknown): Snapshot => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** The fields whose value differs, in the order they appear; a creation lists what was set. */
function changedFields(before: Snapshot, after: Snapshot): [string, unknown, unknown][] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((k) => !HIDDEN_FIELDS.has(k));
  const empty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
  return keys
    .map((k) => [k, before?.[k], after?.[k]] as [string, unknown, unknown])
    .filter(([, b, a]) => JSON.stringify(b) !== JSON.stringify(a) && !(empty(b) && empty(a)));
}

export function registerAuditPages(ui: Hono<UiEnv>, { api }: PageKit) {
  ui.get("/audit", async (c) => {
    const me = c.get("me");
    if (!canReadAudit(me.role)) {
      return c.html(
        <Layout title="审计日志" path="/audit" who={who(c)} message={{ kind: "err", text: "只有管理员和主管单位可以查看审计日志" }}>
          <p>
            <a href="/">返回概览</a>
          </p>
        </Layout>,
        403,
      );
    }
    const q = {
      entity: c.req.query("entity") || undefined,
      entityId: c.req.query("entityId")?.trim() || undefined,
      action: c.req.query("action") || undefined,
      orgId: c.req.query("orgId") || undefined,
      from: c.req.query("from") || undefined,
      to: c.req.query("to") || undefined,
    };
    const page = Math.max(1, Number(c.req.query("page")) || 1);
    const pageSize = 50;
    // Two calls whatever the page holds: the log (with each actor's label and org) and the org names.
    const [log, orgs] = await Promise.all([api(c, auditRoutes.listAudit, { query: { ...q, page, pageSize } }), api(c, orgRoutes.listOrgs)]);
    const orgList = orgs.ok ? orgs.body.items : [];
    const orgName = new Map(orgList.map((o) => [o.id, o.name]));
    const items = log.ok ? log.body.items : [];
    const total = log.ok ? log.body.total : 0;
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const link = (p: number) => `/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => v) as [string, string][]), page: String(p) })}`;

    /** A value as the clerk reads it: org names, Chinese labels, Beijing times. */
    const show = (field: string, v: unknown): string => {
      if (v === null || v === undefined || v === "") return "—";
      if (typeof v === "boolean") return v ? "是" : "否";
      if (Array.isArray(v)) return v.length ? v.map((x) => show(field, x)).join("、") : "—";
      if (typeof v === "string") {
        if (field === "orgId" || field === "parentId" || field === "filingAuthorityId") return orgName.get(v) ?? v;
        if (field === "kind" && v in ORG_KIND_LABELS) return ORG_KIND_LABELS[v as OrgKind];
        if (field === "kind" && v in FILING_KIND_LABELS) return FILING_KIND_LABELS[v as FilingKind];
        if (field === "level" && v in ORG_LEVEL_LABELS) return ORG_LEVEL_LABELS[v as OrgLevel];
        if (field === "role" && v in ROLE_LABELS) return ROLE_LABELS[v as Role];
        if (field === "platform" && v in PLATFORM_LABELS) return PLATFORM_LABELS[v as Platform];
        if (ISO_INSTANT.test(v)) return beijing(v);
        return v;
      }
      if (typeof v === "number") return String(v);
      return JSON.stringify(v);
    };
    const subject = (entity: string, entityId: string, before: Snapshot, after: Snapshot) => {
      const named = after?.name ?? before?.name ?? after?.label ?? before?.label;
      const name = entity === "org" ? (orgName.get(entityId) ?? named) : named;
      return `${AUDIT_ENTITY_LABELS[entity as AuditEntity] ?? entity}${typeof name === "string" ? `：${name}` : ""}`;
    };

    return c.html(
      <Layout title="审计日志" path="/audit" who={who(c)} message={log.ok ? message(c) : { kind: "err", text: log.body.error.message }}>
        <h1>审计日志</h1>
        <form class="card filters" method="get" action="/audit">
          <select name="entity" aria-label="对象">
            <option value="">全部对象</option>
            {AUDIT_ENTITIES.map((e) => (
              <option value={e} selected={e === q.entity}>
                {AUDIT_ENTITY_LABELS[e]}
              </option>
            ))}
          </select>
          <select name="action" aria-label="操作">
            <option value="">全部操作</option>
            {Object.entries(AUDIT_ACTION_LABELS).map(([k, v]) => (
              <option value={k} selected={k === q.action}>
                {v}
              </option>
            ))}
          </select>
          <select name="orgId" aria-label="机构">
            <option value="">全部机构</option>
            {orgList.map((o) => (
              <option value={o.id} selected={o.id === q.orgId}>
                {o.name}（含下级）
              </option>
            ))}
          </select>
          <input name="entityId" value={q.entityId ?? ""} placeholder="对象编号" aria-label="对象编号" />
          <label>
            自 <input type="date" name="from" value={q.from ?? ""} aria-label="起始日期" />
          </label>
          <label>
            至 <input type="date" name="to" value={q.to ?? ""} aria-label="截止日期" />
          </label>
          <button type="submit">筛选</button> <a href="/audit">清除</a>
        </form>
        <p class="muted">
          共 {total} 条（时间为北京时间）
        </p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>时间</th>
                <th>操作人</th>
                <th>操作</th>
                <th>对象</th>
                <th>变更（原值 → 新值）</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => {
                const before = asSnapshot(e.before);
                const after = asSnapshot(e.after);
                const diff = changedFields(before, after);
                return (
                  <tr>
                    <td>{beijing(e.at)}</td>
                    <td>{e.actorLabel ? `${e.actorLabel}（${e.actorOrgName ?? "—"}）` : "系统"}</td>
                    <td>{AUDIT_ACTION_LABELS[e.action] ?? e.action}</td>
                    <td>
                      {/* The object's whole history, one click away (clerks do not type ids). */}
                      <a href={`/audit?${new URLSearchParams({ entity: e.entity, entityId: e.entityId })}`} title="查看此对象的全部记录">
                        {subject(e.entity, e.entityId, before, after)}
                      </a>
                    </td>
                    <td>
                      {diff.length === 0 ? (
                        <span class="muted">—</span>
                      ) : (
                        <table class="diff">
                          <tbody>
                            {diff.map(([k, b, a]) => (
                              <tr>
                                <th>{FIELD_LABELS[k] ?? k}</th>
                                <td>{before ? show(k, b) : "—"}</td>
                                <td>→ {show(k, a)}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {items.length === 0 ? <p class="muted">没有符合条件的记录。</p> : null}
        {pages > 1 ? (
          <p class="pager">
            {page > 1 ? <a href={link(page - 1)}>上一页</a> : null}
            <span>
              第 {page} / {pages} 页
            </span>
            {page < pages ? <a href={link(page + 1)}>下一页</a> : null}
          </p>
        ) : null}
      </Layout>,
    );
  });
}
