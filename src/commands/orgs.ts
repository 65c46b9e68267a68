// Adding an org to the tree: one row and its audit, wherever it is created (API, demo seed).
import type { DbOrTx } from "../db/client";
import { writeAudit } from "../db/queries/audit";
import type { OrgRow } from "../db/queries/org-tree";
import { orgs } from "../db/schema";
import type { OrgKind, OrgLevel } from "../domain/orgs";
import { newId } from "../lib/ids";
import type { Actor } from "../lib/types";

/** Inserts a child of `parent` (placement already checked by the caller) and audits it; returns the row. */
export async function insertOrg(
  tx: DbOrTx,
  actor: Actor | null,
  at: Date,
  input: { name: string; kind: OrgKind; level: OrgLevel; parent: Pick<OrgRow, "id" | "path"> },
): Promise<OrgRow> {
  const id = newId();
  const stamp = at.toISOString();
  const row: OrgRow = {
    id,
    name: input.name,
    kind: input.kind,
    level: input.level,
    parentId: input.parent.id,
    path: `${input.parent.path}${id}/`,
    filingAuthorityId: null,
    aliases: null,
    createdAt: stamp,
    updatedAt: stamp,
  };
  await tx.insert(orgs).values(row);
  await writeAudit(tx, actor, at, { action: "org.create", entity: "org", entityId: id, orgId: id, after: row });
  return row;
}
