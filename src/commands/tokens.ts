// Issuing an access token: the admin's request, and the first admin token at bootstrap.
import type { DbOrTx } from "../db/client";
import { writeAudit } from "../db/queries/audit";
import { insertToken } from "../db/queries/tokens";
import type { Role } from "../domain/roles";
import { hashSecret, newId, newSecret } from "../lib/ids";
import type { Actor } from "../lib/types";

/** A new token secret and its hash, made before the transaction: no hashing while the write lock is held. */
export async function newTokenSecret(): Promise<{ token: string; hash: string }> {
  const token = newSecret();
  return { token, hash: await hashSecret(token) };
}

/** Creates a token and returns its secret, the only time it exists outside the caller. */
export async function issueToken(
  tx: DbOrTx,
  actor: Actor | null,
  at: Date,
  input: { orgId: string; role: Role; label: string },
  secret: { token: string; hash: string },
) {
  const id = newId();
  const { token, hash } = secret;
  const row = {
    id,
    ...input,
    hash,
    createdBy: actor?.tokenId ?? null,
    createdAt: at.toISOString(),
    revokedAt: null,
  };
  await insertToken(tx, row);
  const { hash: _h, ...after } = row;
  await writeAudit(tx, actor, at, { action: "token.create", entity: "token", entityId: id, orgId: input.orgId, after });
  return { id, token };
}
