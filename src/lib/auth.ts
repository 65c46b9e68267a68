import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { DbOrTx } from "../db/client";
import { orgs, tokens } from "../db/schema";
import { AppError } from "./errors";
import { hashSecret } from "./ids";
import type { Actor, AppEnv } from "./types";

/** last_used_at is a hint for the token list: written at most once an hour per token, so reads stay reads. */
const TOUCH_INTERVAL_MS = 3600_000;

/**
 * Records that a token was used, unless it already was within the hour (the condition is in the
 * UPDATE, so two requests at once write it once). Never awaited by a request: a busy database only
 * costs the hint, never the request.
 */
export function touchToken(db: DbOrTx, tokenId: string, now: Date): Promise<void> {
  const hourAgo = new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString();
  return db
    .update(tokens)
    .set({ lastUsedAt: now.toISOString() })
    .where(and(eq(tokens.id, tokenId), or(isNull(tokens.lastUsedAt), lt(tokens.lastUsedAt, hourAgo))))
    .then(
      () => undefined,
      () => undefined,
    );
}

/** Token → actor and its org's name; undefined for an unknown, revoked or expired token. */
export async function findActor(db: DbOrTx, token: string, now: Date = new Date()): Promise<(Actor & { orgName: string }) | undefined> {
  const hash = await hashSecret(token);
  const at = now.toISOString();
  const [row] = await db
    .select({ tokenId: tokens.id, orgId: tokens.orgId, role: tokens.role, orgPath: orgs.path, orgName: orgs.name, lastUsedAt: tokens.lastUsedAt })
    .from(tokens)
    .innerJoin(orgs, eq(orgs.id, tokens.orgId))
    // Expiry is stored as toISOString(), so the text comparison is the instant comparison.
    .where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt), or(isNull(tokens.expiresAt), gt(tokens.expiresAt, at))))
    .limit(1);
  if (!row) return undefined;
  const { lastUsedAt, ...actor } = row;
  if (!lastUsedAt || Date.parse(lastUsedAt) < now.getTime() - TOUCH_INTERVAL_MS) void touchToken(db, row.tokenId, now);
  return actor;
}

// An in-process call (the web UI) for an actor it has already resolved from the token carries the
// actor in the call's env under this symbol, so the token is looked up once per page, not once per
// API call. Only code in this process holds the symbol: no request from outside can claim it.
const RESOLVED_ACTOR = Symbol("resolvedActor");

/** The env for `app.request(path, init, env)` on behalf of an already resolved actor. */
export const resolvedActorEnv = (actor: Actor) => ({ [RESOLVED_ACTOR]: actor });

/** Bearer token → actor (token, org, role). A revoked, expired or unknown token is 401. */
export const requireActor = createMiddleware<AppEnv>(async (c, next) => {
  const resolved = (c.env as { [RESOLVED_ACTOR]?: Actor } | undefined)?.[RESOLVED_ACTOR];
  if (resolved) {
    c.set("actor", resolved);
    return next();
  }
  const header = c.req.header("authorization") ?? "";
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m?.[1]) throw new AppError(401, "unauthorized", "缺少访问令牌（Authorization: Bearer <token>）");
  const { db, now } = c.get("deps");
  const found = await findActor(db, m[1], now());
  if (!found) throw new AppError(401, "unauthorized", "访问令牌无效、已过期或已被吊销");
  const { orgName: _orgName, ...actor } = found;
  c.set("actor", actor);
  await next();
});
