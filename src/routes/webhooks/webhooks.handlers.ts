import type { RouteHandler } from "@hono/zod-openapi";
import { and, count, desc, eq, like, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { orgs, webhookDeliveries, webhooks } from "../../db/schema";
import { canManageWebhooks } from "../../domain/access";
import { checkUrl, WEBHOOK_WORDING } from "../../net/address-guard";
import { writeAudit } from "../../db/queries/audit";
import { badRequest, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { maskWebhookUrl } from "../../notify/mask-url";
import type { Actor, AppEnv } from "../../lib/types";
import { inSubtree, visibleOrg } from "../../db/queries/org-tree";
import type * as routes from "./webhooks.routes";

type WebhookRow = typeof webhooks.$inferSelect;

/** How a webhook leaves the database, to every role and into audit rows: URL masked, secret never. */
function present(w: WebhookRow) {
  const { secret, url, ...rest } = w;
  return { ...rest, url: maskWebhookUrl(url), hasSecret: !!secret };
}

/** Admins and supervisors configure webhooks in their subtree; operators for their own org. */
function ensureMayConfigure(actor: Actor, orgId: string) {
  if (!canManageWebhooks(actor, orgId)) throw forbidden("当前角色不能配置消息推送");
}

/** A webhook URL is user-supplied: no private or loopback targets unless allowed (checked again at send time). */
function ensurePublic(url: string, allowHosts: readonly string[]) {
  const check = checkUrl(url, [...allowHosts], WEBHOOK_WORDING);
  if (!check.ok) {
    throw badRequest(check.reason, [{ path: "url", message: check.reason }]);
  }
}

async function visibleWebhook(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await db
    .select({ w: webhooks })
    .from(webhooks)
    .innerJoin(orgs, eq(orgs.id, webhooks.orgId))
    .where(and(eq(webhooks.id, id), inSubtree(actor)))
    .limit(1);
  if (!row) throw notFound("推送配置");
  return row.w;
}

export const createWebhook: RouteHandler<typeof routes.createWebhook, AppEnv> = async (c) => {
  const { db, now, webhookAllowHosts } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  await visibleOrg(db, actor, body.orgId);
  ensureMayConfigure(actor, body.orgId);
  ensurePublic(body.url, webhookAllowHosts ?? []);
  const row: WebhookRow = {
    id: newId(),
    orgId: body.orgId,
    kind: body.kind,
    label: body.label,
    url: body.url,
    secret: body.secret ?? null,
    events: [...new Set(body.events)],
    active: true,
    createdAt: now().toISOString(),
    createdBy: actor.tokenId,
  };
  await db.transaction(async (tx) => {
    await tx.insert(webhooks).values(row);
    await writeAudit(tx, actor, now(), { action: "webhook.create", entity: "webhook", entityId: row.id, orgId: row.orgId, after: present(row) });
  });
  return c.json(present(row), 201);
};

export const listWebhooks: RouteHandler<typeof routes.listWebhooks, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  const where: SQL[] = [inSubtree(actor)];
  if (q.orgId) where.push(like(orgs.path, `${(await visibleOrg(db, actor, q.orgId)).path}%`));
  const rows = await db
    .select({ w: webhooks })
    .from(webhooks)
    .innerJoin(orgs, eq(orgs.id, webhooks.orgId))
    .where(and(...where))
    .orderBy(desc(webhooks.createdAt))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(webhooks).innerJoin(orgs, eq(orgs.id, webhooks.orgId)).where(and(...where));
  return c.json({ items: rows.map((r) => present(r.w)), total: total?.n ?? 0 }, 200);
};

export const updateWebhook: RouteHandler<typeof routes.updateWebhook, AppEnv> = async (c) => {
  const { db, now, webhookAllowHosts } = c.get("deps");
  const actor = c.get("actor");
  const before = await visibleWebhook(db, actor, c.req.valid("param").id);
  ensureMayConfigure(actor, before.orgId);
  const body = c.req.valid("json");
  if (body.url) ensurePublic(body.url, webhookAllowHosts ?? []);
  const after: WebhookRow = {
    ...before,
    ...body,
    events: body.events ? [...new Set(body.events)] : before.events,
    secret: body.secret === undefined ? before.secret : body.secret,
  };
  if (body.active === undefined && body.label === undefined && body.url === undefined && body.secret === undefined && body.events === undefined) {
    throw badRequest("请至少修改一项");
  }
  await db.transaction(async (tx) => {
    await tx.update(webhooks).set(after).where(eq(webhooks.id, before.id));
    await writeAudit(tx, actor, now(), { action: "webhook.update", entity: "webhook", entityId: before.id, orgId: before.orgId, before: present(before), after: present(after) });
  });
  return c.json(present(after), 200);
};

export const listDeliveries: RouteHandler<typeof routes.listDeliveries, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const w = await visibleWebhook(db, c.get("actor"), c.req.valid("param").id);
  const q = c.req.valid("query");
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, w.id))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, w.id));
  return c.json({ items: rows, total: total?.n ?? 0 }, 200);
};
