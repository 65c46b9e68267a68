import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { filings, orgs } from "../../db/schema";
import { designationProblem, filingAuthority, hasDesignatedAuthority, isWithin, orgPath, placementProblem } from "../../domain/orgs";
import { canManageOrgs } from "../../domain/access";
import { writeAudit } from "../../db/queries/audit";
import { badRequest, conflict, forbidden } from "../../lib/errors";
import { insertOrg } from "../../commands/orgs";
import type { AppEnv } from "../../lib/types";
import { inSubtree, loadOrgIndex, visibleOrg, type OrgRow } from "../../db/queries/org-tree";
import type * as routes from "./orgs.routes";

/** `filingAuthorityId` is the authority in force (designated or by the tree), null for the root. */
function present(org: OrgRow, index: Map<string, OrgRow>) {
  const { path: _path, ...rest } = org;
  const authority = filingAuthority(org, index);
  return {
    ...rest,
    aliases: org.aliases ?? [],
    filingAuthorityId: authority.id === org.id ? null : authority.id,
    filingAuthorityDesignated: hasDesignatedAuthority(org, index),
  };
}

/** Which change an org update is, for the audit log (the row before and after says the rest). */
function updateAction(before: OrgRow, after: OrgRow): string {
  if (after.parentId !== before.parentId) return "org.move";
  if (after.name !== before.name) return "org.rename";
  if (after.filingAuthorityId !== before.filingAuthorityId) return "org.filing_authority";
  if (JSON.stringify(after.aliases) !== JSON.stringify(before.aliases)) return "org.aliases";
  return "org.rename";
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
  const row = await db.transaction((tx) => insertOrg(tx, actor, now(), { ...body, parent }));
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
    if (body.aliases !== undefined) {
      const unique = [...new Set(body.aliases)];
      next.aliases = unique.length > 0 ? unique : null;
    }
    if (body.filingAuthorityId !== undefined) next.filingAuthorityId = body.filingAuthorityId;
    const after = new Map(index).set(next.id, next);
    if (next.filingAuthorityId) {
      // 指定备案单位 (docs/规则依据.md#指定备案单位): inside the caller's subtree, like the org itself (else 404,
      // as if it did not exist); never the org itself, never a loop back to it. Rechecked after a move too.
      const authority = body.filingAuthorityId ? await visibleOrg(tx, actor, body.filingAuthorityId, "备案主管单位") : after.get(next.filingAuthorityId);
      const problem = authority ? designationProblem(next, authority, after) : undefined;
      if (problem) throw badRequest(problem, [{ path: "filingAuthorityId", message: problem }]);
    }
    // Filings still waiting go to the authority now in force, so its supervisors see and decide them.
    const authorityBefore = filingAuthority(org, index);
    const authorityAfter = filingAuthority(next, after);
    if (authorityAfter.id !== authorityBefore.id) {
      await tx
        .update(filings)
        .set({ authorityOrgId: authorityAfter.id })
        .where(and(eq(filings.orgId, org.id), eq(filings.status, "submitted")));
    }
    await tx.update(orgs).set(next).where(eq(orgs.id, org.id));
    await writeAudit(tx, actor, now(), {
      action: updateAction(org, next),
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
