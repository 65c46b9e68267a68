import type { RouteHandler } from "@hono/zod-openapi";
import { and, desc, eq, getTableColumns } from "drizzle-orm";
import { orgs, tokens } from "../../db/schema";
import { canManageTokens } from "../../domain/access";
import { writeAudit } from "../../db/queries/audit";
import { conflict, forbidden, notFound } from "../../lib/errors";
import type { AppEnv } from "../../lib/types";
import { issueToken, newTokenSecret, tokenExpiry } from "../../commands/tokens";
import { inSubtree, visibleOrg } from "../../db/queries/org-tree";
import type * as routes from "./tokens.routes";

const { hash: _hash, ...publicColumns } = getTableColumns(tokens);

export const createToken: RouteHandler<typeof routes.createToken, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  await visibleOrg(db, actor, body.orgId);
  if (!canManageTokens(actor.role)) throw forbidden("只有管理员可以签发令牌");
  // Checked before the transaction too: a bad date is the clerk's to fix, not a rolled-back write.
  tokenExpiry(body.expiresAt, now());
  const secret = await newTokenSecret();
  const issued = await db.transaction((tx) => issueToken(tx, actor, now(), body, secret));
  return c.json({ ...issued, orgId: body.orgId, role: body.role }, 201);
};

export const listTokens: RouteHandler<typeof routes.listTokens, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  if (!canManageTokens(actor.role)) throw forbidden("只有管理员可以查看令牌");
  const rows = await db
    .select(publicColumns)
    .from(tokens)
    .innerJoin(orgs, eq(orgs.id, tokens.orgId))
    .where(inSubtree(actor))
    .orderBy(desc(tokens.createdAt));
  return c.json({ items: rows, total: rows.length }, 200);
};

export const revokeToken: RouteHandler<typeof routes.revokeToken, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const { id } = c.req.valid("param");
  const [row] = await db
    .select(publicColumns)
    .from(tokens)
    .innerJoin(orgs, eq(orgs.id, tokens.orgId))
    .where(and(eq(tokens.id, id), inSubtree(actor)));
  if (!row) throw notFound("令牌");
  if (!canManageTokens(actor.role)) throw forbidden("只有管理员可以吊销令牌");
  if (row.revokedAt) throw conflict("该令牌已被吊销");
  const after = { ...row, revokedAt: now().toISOString() };
  await db.transaction(async (tx) => {
    await tx.update(tokens).set({ revokedAt: after.revokedAt }).where(eq(tokens.id, id));
    await writeAudit(tx, actor, now(), { action: "token.revoke", entity: "token", entityId: id, orgId: row.orgId, before: row, after });
  });
  return c.json(after, 200);
};

export const whoAmI: RouteHandler<typeof routes.whoAmI, AppEnv> = async (c) => {
  const actor = c.get("actor");
  const org = await visibleOrg(c.get("deps").db, actor, actor.orgId);
  return c.json({ tokenId: actor.tokenId, role: actor.role, org: { id: org.id, name: org.name, kind: org.kind, level: org.level } }, 200);
};
