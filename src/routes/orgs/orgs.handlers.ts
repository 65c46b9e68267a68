import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { orgs } from "../../db/schema";
import { filingAuthority, isWithin, orgPath, placementProblem } from "../../domain/orgs";
import { canManageOrgs } from "../../domain/access";
import { writeAudit } from "../../db/queries/audit";
import { badRequest, conflict, forbidden } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { AppEnv } from "../../lib/types";
import { inSubtree, loadOrgIndex, visibleOrg, type OrgRow } from "../../db/queries/org-tree";
import type * as routes from "./orgs.routes";

function present(org: OrgRow, index: Map<string, OrgRow>) {
  const { path: _path, ...rest } = org;
  const authority = filingAuthority(org, index);
  return { ...rest, filingAuthorityId: authority.id === org.id ? null : authority.id };
}

/** Siblings have distinct names: ledgers name the 主办单位 by name. */
async function ensureNameFree(db: DbOrTx, parentId: string, name: string, exceptId?: string) {
  const [clash] = await db
    .select({ id: orgs.id })
    .from(orgs)
    .where(and(eq(orgs.parentId, parentId), eq(orgs.name, name)))
    .limit(1);
  if (clash && clash.id !== exceptId) throw conflict(`同一上级下已有名为“${name}”的机构`);
}

export const createOrg: RouteHandler<typeof routes.createOrg, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  const parent = await visibleOrg(db, actor, body.parentId, "上级机构");
  if (!canManageOrgs(actor.role)) throw forbidden("只有管理员可以新建机构");
  const problem = placementProblem(body, parent);
  if (problem) throw badRequest(problem);
  await ensureNameFree(db, parent.id, body.name);
  const at = now().toISOString();
  const id = newId();
  const row: OrgRow = { id, ...body, parentId: parent.id, path: `${parent.path}${id}/`, filingAuthorityId: null, aliases: null, createdAt: at, updatedAt: at };
  await db.transaction(async (tx) => {
    await tx.insert(orgs).values(row);
    await writeAudit(tx, actor, now(), { action: "org.create", entity: "org", entityId: id, orgId: id, after: row });
  });
  const index = await loadOrgIndex(db);
  return c.json(present(row, index), 201);
};

export const listOrgs: RouteHandler<typeof routes.listOrgs, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  const index = await loadOrgIndex(db);
  const q = c.req.valid("query");
  const all = (await db.select().from(orgs).where(inSubtree(actor)).orderBy(asc(orgs.path))).filter(
    (o) => !q.q || o.name.includes(q.q),
  );
  const size = q.pageSize ?? (q.page ? 50 : all.length);
  const start = ((q.page ?? 1) - 1) * size;
  return c.json({ items: all.slice(start, start + size).map((r) => present(r, index)), total: all.length }, 200);
};

export const getOrg: RouteHandler<typeof routes.getOrg, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const org = await visibleOrg(db, c.get("actor"), c.req.valid("param").id);
  return c.json(present(org, await loadOrgIndex(db)), 200);
};

export const updateOrg: RouteHandler<typeof routes.updateOrg, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const org = await visibleOrg(db, actor, id);
  if (!canManageOrgs(actor.role)) throw forbidden("只有管理员可以修改机构");

  const updated = await db.transaction(async (tx) => {
    const index = await loadOrgIndex(tx);
    const next: OrgRow = { ...org, name: body.name ?? org.name, updatedAt: now().toISOString() };
    if (org.parentId && (body.name !== undefined || body.parentId !== undefined)) {
      await ensureNameFree(tx, body.parentId ?? org.parentId, next.name, org.id);
    }
    if (body.parentId !== undefined && body.parentId !== org.parentId) {
      if (org.id === actor.orgId || !org.parentId) throw forbidden("不能移动本单位自身或根机构");
      const parent = await visibleOrg(tx, actor, body.parentId, "上级机构");
      if (isWithin(parent, org, index)) throw badRequest("不能把机构移动到它自己的下级之下");
      const problem = placementProblem(org, parent);
      if (problem) throw badRequest(problem);
      next.parentId = parent.id;
      next.path = orgPath(next, new Map(index).set(next.id, next));
      // Keep every descendant's materialised path in step.
      for (const d of index.values()) {
        if (d.id !== org.id && d.path.startsWith(org.path)) {
          await tx
            .update(orgs)
            .set({ path: next.path + d.path.slice(org.path.length) })
            .where(eq(orgs.id, d.id));
        }
      }
    }
    await tx.update(orgs).set(next).where(eq(orgs.id, org.id));
    await writeAudit(tx, actor, now(), {
      action: next.parentId !== org.parentId ? "org.move" : "org.rename",
      entity: "org",
      entityId: org.id,
      orgId: org.id,
      before: org,
      after: next,
    });
    return next;
  });
  return c.json(present(updated, await loadOrgIndex(db)), 200);
};
