import type { RouteHandler } from "@hono/zod-openapi";
import { and, count, desc, eq, like, type SQL } from "drizzle-orm";
import { accounts, alerts, orgs } from "../../db/schema";
import { canHandleAlert } from "../../domain/access";
import { writeAudit } from "../../db/queries/audit";
import { conflict, forbidden, notFound } from "../../lib/errors";
import type { Actor, AppEnv } from "../../lib/types";
import type { DbOrTx } from "../../db/client";
import { ALERT_KIND_LABELS } from "../../domain/alerts";
import type { Platform } from "../../domain/platforms";
import { inSubtree, visibleOrg } from "../../db/queries/org-tree";
import type * as routes from "./alerts.routes";

export const selection = { alert: alerts, accountName: accounts.name, accountOrgId: accounts.orgId, orgName: orgs.name, platform: accounts.platform };

export function present(r: { alert: typeof alerts.$inferSelect; accountName: string; orgName: string; platform: Platform }) {
  return { ...r.alert, accountName: r.accountName, orgName: r.orgName, platform: r.platform, kindLabel: ALERT_KIND_LABELS[r.alert.kind] };
}

// An alert is visible with its account's current org: the unit and every office above it.
export function base(db: DbOrTx) {
  return db.select(selection).from(alerts).innerJoin(accounts, eq(accounts.id, alerts.accountId)).innerJoin(orgs, eq(orgs.id, accounts.orgId));
}

export const listAlerts: RouteHandler<typeof routes.listAlerts, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  const where: SQL[] = [inSubtree(actor)];
  if (q.status) where.push(eq(alerts.status, q.status));
  if (q.kind) where.push(eq(alerts.kind, q.kind));
  if (q.accountId) where.push(eq(alerts.accountId, q.accountId));
  if (q.orgId) where.push(like(orgs.path, `${(await visibleOrg(db, actor, q.orgId)).path}%`));
  if (q.platform) where.push(eq(accounts.platform, q.platform));
  const cond = and(...where);
  // Counts by kind and by the account's unit: two grouped queries, whatever the number of alerts.
  const [rows, byKind, byOrg] = await Promise.all([
    base(db).where(cond).orderBy(desc(alerts.openedAt), desc(alerts.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ kind: alerts.kind, n: count() }).from(alerts).innerJoin(accounts, eq(accounts.id, alerts.accountId)).innerJoin(orgs, eq(orgs.id, accounts.orgId)).where(cond).groupBy(alerts.kind),
    db
      .select({ orgId: orgs.id, orgName: orgs.name, n: count() })
      .from(alerts)
      .innerJoin(accounts, eq(accounts.id, alerts.accountId))
      .innerJoin(orgs, eq(orgs.id, accounts.orgId))
      .where(cond)
      .groupBy(orgs.id, orgs.name),
  ]);
  const total = byKind.reduce((n, k) => n + k.n, 0);
  const most = <T extends { n: number }>(a: T, b: T) => b.n - a.n;
  return c.json(
    {
      items: rows.map(present),
      total,
      summary: {
        byKind: byKind.sort(most).map((k) => ({ kind: k.kind, label: ALERT_KIND_LABELS[k.kind], count: k.n })),
        byOrg: byOrg.sort((a, b) => most(a, b) || (a.orgName < b.orgName ? -1 : 1)).map((o) => ({ orgId: o.orgId, orgName: o.orgName, count: o.n })),
      },
    },
    200,
  );
};

async function handle(c: Parameters<RouteHandler<typeof routes.resolveAlert, AppEnv>>[0], action: "acknowledge" | "resolve") {
  const { db, now } = c.get("deps");
  const actor: Actor = c.get("actor");
  const { id } = c.req.valid("param");
  const { note } = c.req.valid("json");
  const [row] = await base(db).where(and(eq(alerts.id, id), inSubtree(actor))).limit(1);
  if (!row) throw notFound("预警");
  // The operating unit handles its own alerts; supervisors those of their subtree.
  if (!canHandleAlert(actor, row.accountOrgId)) throw forbidden("只有主办单位或主管单位可以处理预警");
  if (row.alert.status === "resolved") throw conflict("该预警已关闭");
  if (action === "acknowledge" && row.alert.status === "acknowledged") throw conflict("该预警已知悉");
  const at = now().toISOString();
  const patch =
    action === "acknowledge"
      ? { status: "acknowledged" as const, acknowledgedAt: at, acknowledgedBy: actor.tokenId, note }
      : { status: "resolved" as const, resolvedAt: at, resolvedBy: actor.tokenId, note };
  const after = { ...row.alert, ...patch };
  await db.transaction(async (tx) => {
    await tx.update(alerts).set(patch).where(eq(alerts.id, id));
    await writeAudit(tx, actor, now(), { action: `alert.${action}`, entity: "alert", entityId: id, orgId: row.alert.orgId, before: row.alert, after });
  });
  return c.json(present({ ...row, alert: after }), 200);
}

export const acknowledgeAlert: RouteHandler<typeof routes.acknowledgeAlert, AppEnv> = (c) => handle(c as never, "acknowledge");
export const resolveAlert: RouteHandler<typeof routes.resolveAlert, AppEnv> = (c) => handle(c, "resolve");
