import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq, inArray } from "drizzle-orm";
import { alerts } from "../../db/schema";
import { writeAudit } from "../../db/queries/audit";
import { inSubtree } from "../../db/queries/org-tree";
import { canHandleAlert } from "../../domain/access";
import { AppError, conflict, forbidden } from "../../lib/errors";
import type { AppEnv } from "../../lib/types";
import { base, present } from "./alerts.handlers";
import type * as routes from "./bulk.routes";

/**
 * All or nothing: each alert is checked as a single 知悉 would be (visible, the clerk's to handle, still
 * open); if any is refused nothing changes and the details name each refused alert and why.
 */
export const acknowledgeAlerts: RouteHandler<typeof routes.acknowledgeAlerts, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const { ids: posted, note } = c.req.valid("json");
  const ids = [...new Set(posted)];
  const rows = await base(db).where(and(inArray(alerts.id, ids), inSubtree(actor)));
  const byId = new Map(rows.map((r) => [r.alert.id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new AppError(404, "not_found", `有 ${missing.length} 条预警不存在或无权访问，未做任何更改`, missing.map((id) => ({ id, message: "预警不存在或无权访问" })));
  }
  const refused = rows.filter((r) => !canHandleAlert(actor, r.accountOrgId));
  if (refused.length > 0) {
    throw forbidden(`只有主办单位或主管单位可以处理预警：有 ${refused.length} 条不能由本单位知悉，未做任何更改`);
  }
  const closed = rows.filter((r) => r.alert.status !== "open");
  if (closed.length > 0) {
    throw conflict(
      `有 ${closed.length} 条预警已知悉或已关闭，未做任何更改；请刷新后重新勾选`,
      closed.map((r) => ({ id: r.alert.id, accountName: r.accountName, message: r.alert.status === "resolved" ? "该预警已关闭" : "该预警已知悉" })),
    );
  }
  const at = now();
  const patch = { status: "acknowledged" as const, acknowledgedAt: at.toISOString(), acknowledgedBy: actor.tokenId, note };
  await db.transaction(async (tx) => {
    // Only rows still open: a concurrent 知悉 of one of them is not overwritten.
    await tx.update(alerts).set(patch).where(and(inArray(alerts.id, ids), eq(alerts.status, "open")));
    for (const r of rows) {
      await writeAudit(tx, actor, at, { action: "alert.acknowledge", entity: "alert", entityId: r.alert.id, orgId: r.alert.orgId, before: r.alert, after: { ...r.alert, ...patch } });
    }
  });
  return c.json({ acknowledged: rows.length, items: rows.map((r) => present({ ...r, alert: { ...r.alert, ...patch } })) }, 200);
};
