import { auditLog } from "../schema";
import type { DbOrTx } from "../client";
import type { Actor } from "../../lib/types";

export const AUDIT_ENTITIES = ["org", "token", "account", "filing", "alert", "webhook", "policy", "sampling_round", "inspection", "notice", "score_rule", "word_rule"] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export interface AuditEntry {
  action: string;
  entity: AuditEntity;
  entityId: string;
  orgId: string;
  before?: unknown;
  after?: unknown;
}

/** Written inside the same transaction as the change it records. */
export async function writeAudit(tx: DbOrTx, actor: Actor | null, at: Date, entry: AuditEntry) {
  await writeAudits(tx, actor, at, [entry]);
}

/** Several entries by one actor at one instant, in one statement per 100 (a job's batch). */
export async function writeAudits(tx: DbOrTx, actor: Actor | null, at: Date, entries: readonly AuditEntry[]) {
  for (let i = 0; i < entries.length; i += 100) {
    await tx.insert(auditLog).values(
      entries.slice(i, i + 100).map((entry) => ({
        at: at.toISOString(),
        actorTokenId: actor?.tokenId ?? null,
        actorOrgId: actor?.orgId ?? null,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId,
        orgId: entry.orgId,
        before: entry.before ?? null,
        after: entry.after ?? null,
      })),
    );
  }
}
