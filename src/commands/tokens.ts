// Issuing an access token: the admin's request, and the first admin token at bootstrap.
import type { DbOrTx } from "../db/client";
import { writeAudit } from "../db/queries/audit";
import { insertToken } from "../db/queries/tokens";
import type { Role } from "../domain/roles";
import { badRequest } from "../lib/errors";
import { hashSecret, newId, newSecret } from "../lib/ids";
import type { Actor } from "../lib/types";

/** A new token secret and its hash, made before the transaction: no hashing while the write lock is held. */
export async function newTokenSecret(): Promise<{ token: string; hash: string }> {
  const token = newSecret();
  return { token, hash: await hashSecret(token) };
}

/** A token may be issued for at most five years: a forgotten one does not stay valid for ever. */
export const MAX_TOKEN_LIFETIME_DAYS = 5 * 366;

/** The expiry as stored (toISOString, so text order is time order), or a 400 if past or too far out. */
export function tokenExpiry(expiresAt: string | null | undefined, now: Date): string | null {
  if (!expiresAt) return null;
  const t = Date.parse(expiresAt);
  const details = (message: string) => [{ path: "expiresAt", message }];
  if (Number.isNaN(t)) throw badRequest("有效期格式不正确，应为日期时间，如 2027-01-01T00:00:00+08:00", details("有效期格式不正确"));
  if (t <= now.getTime()) throw badRequest("有效期必须晚于当前时间", details("有效期必须晚于当前时间"));
  if (t > now.getTime() + MAX_TOKEN_LIFETIME_DAYS * 86_400_000) throw badRequest("有效期最长5年", details("有效期最长5年"));
  return new Date(t).toISOString();
}

/** Creates a token and returns its secret, the only time it exists outside the caller. */
export async function issueToken(
  tx: DbOrTx,
  actor: Actor | null,
  at: Date,
  input: { orgId: string; role: Role; label: string; expiresAt?: string | null },
  secret: { token: string; hash: string },
) {
  const id = newId();
  const { token, hash } = secret;
  const row = {
    id,
    orgId: input.orgId,
    role: input.role,
    label: input.label,
    hash,
    createdBy: actor?.tokenId ?? null,
    createdAt: at.toISOString(),
    revokedAt: null,
    expiresAt: tokenExpiry(input.expiresAt, at),
    lastUsedAt: null,
  };
  await insertToken(tx, row);
  const { hash: _h, ...after } = row;
  await writeAudit(tx, actor, at, { action: "token.create", entity: "token", entityId: id, orgId: input.orgId, after });
  return { id, token, expiresAt: row.expiresAt };
}
