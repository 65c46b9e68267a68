import { eq, like } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { orgs } from "../db/schema";
import { filingAuthority, type OrgNode } from "../domain/orgs";
import { notFound } from "../lib/errors";
import type { Actor } from "../lib/types";

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

/** The org if the actor may see it; otherwise 404, exactly as if it did not exist (SPEC §1). */
export async function visibleOrg(db: DbOrTx, actor: Actor, orgId: string, what = "机构"): Promise<OrgRow> {
  const [row] = await db.select().from(orgs).where(eq(orgs.id, orgId)).limit(1);
  if (!row || !isVisible(actor, row)) throw notFound(what);
  return row;
}

export function authorityOf(org: OrgNode, index: ReadonlyMap<string, OrgNode>): OrgNode {
  return filingAuthority(org, index);
}
