import type { RouteHandler } from "@hono/zod-openapi";
import { and, count, desc, eq, getTableColumns, gte, like, lt, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { auditLog, orgs, tokens } from "../../db/schema";
import { canReadAudit } from "../../domain/access";
import { badRequest, forbidden } from "../../lib/errors";
import type { AppEnv } from "../../lib/types";
import { maskWebhookUrl } from "../../notify/mask-url";
import { inSubtree, visibleOrg } from "../../db/queries/org-tree";
import type * as routes from "./audit.routes";

/**
 * Webhook rows are written masked; rows written before masking covered path tokens (or by an older
 * version) are masked again on the way out. Masking is idempotent, so current rows are unchanged.
 */
function redactWebhook(snapshot: unknown): unknown {
  if (!snapshot || typeof snapshot !== "object" || Array.isArray(snapshot)) return snapshot;
  const { secret, ...rest } = snapshot as Record<string, unknown>;
  if (typeof rest.url === "string") rest.url = maskWebhookUrl(rest.url);
  return secret === undefined ? rest : { ...rest, hasSecret: !!secret };
}

/** The UTC instant a Beijing calendar day starts (audit times are stored in UTC). */
const beijingDayStart = (day: string, plusDays = 0) => new Date(Date.parse(`${day}T00:00:00+08:00`) + plusDays * 86_400_000).toISOString();

const actorOrg = alias(orgs, "actor_org");

export const listAudit: RouteHandler<typeof routes.listAudit, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  if (!canReadAudit(actor.role)) throw forbidden("只有管理员和主管单位可以查看审计日志");
  const q = c.req.valid("query");
  const where: SQL[] = [inSubtree(actor)];
  if (q.entity) where.push(eq(auditLog.entity, q.entity));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  // An org and everything below it, as the other lists do.
  if (q.orgId) where.push(like(orgs.path, `${(await visibleOrg(db, actor, q.orgId)).path}%`));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.from && q.to && q.from > q.to) throw badRequest("起始日期不能晚于截止日期", [{ path: "from", message: "起始日期不能晚于截止日期" }]);
  if (q.from) where.push(gte(auditLog.at, beijingDayStart(q.from)));
  if (q.to) where.push(lt(auditLog.at, beijingDayStart(q.to, 1)));
  const cond = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      // Who acted, by the token's label and its org, in the same query: the log page makes no call per row.
      .select({ ...getTableColumns(auditLog), actorLabel: tokens.label, actorOrgName: actorOrg.name })
      .from(auditLog)
      .innerJoin(orgs, eq(orgs.id, auditLog.orgId))
      .leftJoin(tokens, eq(tokens.id, auditLog.actorTokenId))
      .leftJoin(actorOrg, eq(actorOrg.id, auditLog.actorOrgId))
      .where(cond)
      .orderBy(desc(auditLog.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(auditLog).innerJoin(orgs, eq(orgs.id, auditLog.orgId)).where(cond),
  ]);
  const items = rows.map((r) => (r.entity === "webhook" ? { ...r, before: redactWebhook(r.before), after: redactWebhook(r.after) } : r));
  return c.json({ items, total: total?.n ?? 0 }, 200);
};
