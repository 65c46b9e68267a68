import type { RouteHandler } from "@hono/zod-openapi";
import { inArray } from "drizzle-orm";
import { scoreRules } from "../../db/schema";
import { canSetPolicy } from "../../domain/access";
import { ancestors } from "../../domain/orgs";
import { isScoreItem, resolveScoreTable, SCORE_ITEM_LABELS, SCORE_ITEMS } from "../../domain/reports";
import { shanghaiDate } from "../../domain/weeks";
import { writeAudit } from "../../db/queries/audit";
import { loadOrgIndex, visibleOrg } from "../../db/queries/org-tree";
import { badRequest, forbidden } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { AppEnv } from "../../lib/types";
import type * as routes from "./scores.routes";

const withLabel = <T extends { item: string }>(r: T) => ({ ...r, itemLabel: (SCORE_ITEM_LABELS as Record<string, string>)[r.item] ?? r.item });

export const listScoreRules: RouteHandler<typeof routes.listScoreRules, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const q = c.req.valid("query");
  const org = await visibleOrg(db, c.get("actor"), q.orgId);
  const index = await loadOrgIndex(db);
  const chain = [org.id, ...ancestors(org, index).map((a) => a.id)];
  const rules = (await db.select().from(scoreRules).where(inArray(scoreRules.orgId, chain))).sort(
    (a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : a.createdAt < b.createdAt ? -1 : 1),
  );
  const onDate = q.onDate ?? shanghaiDate(now());
  const table = resolveScoreTable(rules, chain, onDate);
  const effective = SCORE_ITEMS.map((item) => ({ item, label: SCORE_ITEM_LABELS[item], ...table[item] }));
  return c.json({ rules: rules.map(withLabel), effective, onDate }, 200);
};

export const createScoreRule: RouteHandler<typeof routes.createScoreRule, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  const org = await visibleOrg(db, actor, body.orgId);
  if (!canSetPolicy(actor.role)) throw forbidden("只有主管单位可以调整单位得分的扣分标准");
  if (!isScoreItem(body.item)) {
    const message = `扣分项“${body.item}”不存在；可选：${SCORE_ITEMS.map((i) => `${i}（${SCORE_ITEM_LABELS[i]}）`).join("、")}`;
    throw badRequest(message, [{ path: "item", message }]);
  }
  const row = { id: newId(), orgId: org.id, item: body.item, points: body.points, effectiveFrom: body.effectiveFrom, createdAt: now().toISOString(), createdBy: actor.tokenId };
  await db.transaction(async (tx) => {
    await tx.insert(scoreRules).values(row);
    await writeAudit(tx, actor, now(), { action: "score_rule.create", entity: "score_rule", entityId: row.id, orgId: org.id, after: row });
  });
  return c.json(withLabel(row), 201);
};
