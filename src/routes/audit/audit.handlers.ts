import type { RouteHandler } from "@hono/zod-openapi";
import { and, count, desc, eq, getTableColumns, like, type SQL } from "drizzle-orm";
import { auditLog, orgs } from "../../db/schema";
import { canReadAudit } from "../../domain/access";
import { forbidden } from "../../lib/errors";
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
  const cond = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select(getTableColumns(auditLog))
      .from(auditLog)
      .innerJoin(orgs, eq(orgs.id, auditLog.orgId))
      .where(cond)
      .orderBy(desc(auditLog.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(auditLog).innerJoin(orgs, eq(orgs.id, auditLog.orgId)).where(cond),
  ]);
  const items = rows.map((r) => (r.entity === "webhook" ? { ...r, before: redactWebhook(r.before), after: redactWebhook(r.after) } : r));
  return c.json({ items, total: total?.n ?? 0 }, 200);
};
