// The org tree: the whole index for rules that walk it, and what an actor may see (docs/规则依据.md#可见范围).
import { eq, like } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { orgs } from "../schema";
import { notFound } from "../../lib/errors";
import type { Actor } from "../../lib/types";

export type OrgRow = typeof orgs.$inferSelect;

/** The whole tree, for rules that walk it. Orgs number in the thousands even for a province. */
export async function loadOrgIndex(db: DbOrTx): Promise<Map<string, OrgRow>> {
  const rows = await db.select().from(orgs);
  return new Map(rows.map((r) => [r.id, r]));
}

/** SQL condition: the org row lies in the actor's subtree. */
export function inSubtree(actor: Pick<Actor, "orgPath">) {
  return like(orgs.path, `${actor.orgPath}%`);
}

export function isVisible(actor: Pick<Actor, "orgPath">, org: Pick<OrgRow, "path">): boolean {
  return org.path.startsWith(actor.orgPath);
}

/** The org if the actor may see it; otherwise 404, exactly as if it did not exist (docs/规则依据.md#可见范围). */
export async function visibleOrg(db: DbOrTx, actor: Actor, orgId: string, what = "机构"): Promise<OrgRow> {
  const [row] = await db.select().from(orgs).where(eq(orgs.id, orgId)).limit(1);
  if (!row || !isVisible(actor, row)) throw notFound(what);
  return row;
}

/** Every org at or below the given tree path. */
export async function orgsInSubtree(db: DbOrTx, path: string): Promise<OrgRow[]> {
  return db.select().from(orgs).where(inSubtree({ orgPath: path }));
}
