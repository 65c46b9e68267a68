import type { RouteHandler } from "@hono/zod-openapi";
import { asc, inArray } from "drizzle-orm";
import { policyOverrides } from "../../db/schema";
import { canSetPolicy } from "../../domain/access";
import { ancestors } from "../../domain/orgs";
import { decodePolicyValue, encodePolicyValue, validateOverride } from "../../domain/policy";
import { shanghaiDate } from "../../domain/weeks";
import { writeAudit } from "../../db/queries/audit";
import { badRequest, forbidden } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { AppEnv } from "../../lib/types";
import { policyResolver } from "../../db/queries/monitoring";
import { loadOrgIndex, visibleOrg } from "../../db/queries/org-tree";
import type * as routes from "./policies.routes";

export const listPolicies: RouteHandler<typeof routes.listPolicies, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const q = c.req.valid("query");
  const org = await visibleOrg(db, c.get("actor"), q.orgId);
  const index = await loadOrgIndex(db);
  const chain = [org.id, ...ancestors(org, index).map((a) => a.id)];
  const onDate = q.onDate ?? shanghaiDate(now());
  const overrides = await db
    .select()
    .from(policyOverrides)
    .where(inArray(policyOverrides.orgId, chain))
    .orderBy(asc(policyOverrides.effectiveFrom), asc(policyOverrides.createdAt));
  const effective = (await policyResolver(db, index))(org.id, onDate);
  // Stored as numbers; shown as the API takes them (updateUnit words, countReposts true/false).
  const shown = overrides.map((o) => ({ ...o, value: decodePolicyValue(o.key, o.value) }));
  return c.json({ overrides: shown, effective: { ...effective, vetoProblems: [...effective.vetoProblems] }, onDate }, 200);
};

export const createPolicy: RouteHandler<typeof routes.createPolicy, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  const org = await visibleOrg(db, actor, body.orgId);
  if (!canSetPolicy(actor.role)) throw forbidden("只有主管单位可以调整政策");
  if (org.kind !== "government") throw badRequest("政策按政府辖区设置，请选择政府机构");
  const encoded = encodePolicyValue(body.key, body.value);
  const problem = "error" in encoded ? encoded.error : validateOverride(body.key, body.platform, encoded.value);
  if (problem || "error" in encoded) throw badRequest(problem ?? "", [{ path: "value", message: problem }]);
  const row = { id: newId(), ...body, value: encoded.value, createdAt: now().toISOString(), createdBy: actor.tokenId };
  await db.transaction(async (tx) => {
    await tx.insert(policyOverrides).values(row);
    await writeAudit(tx, actor, now(), { action: "policy.create", entity: "policy", entityId: row.id, orgId: org.id, after: row });
  });
  return c.json({ ...row, value: body.value }, 201);
};
