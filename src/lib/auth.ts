import { and, eq, isNull } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { DbOrTx } from "../db/client";
import { orgs, tokens } from "../db/schema";
import { AppError } from "./errors";
import { hashSecret } from "./ids";
import type { Actor, AppEnv } from "./types";

/** Token → actor and its org's name; undefined for an unknown or revoked token. */
export async function findActor(db: DbOrTx, token: string): Promise<(Actor & { orgName: string }) | undefined> {
  const hash = await hashSecret(token);
  const [row] = await db
    .select({ tokenId: tokens.id, orgId: tokens.orgId, role: tokens.role, orgPath: orgs.path, orgName: orgs.name })
    .from(tokens)
    .innerJoin(orgs, eq(orgs.id, tokens.orgId))
    .where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt)))
    .limit(1);
  return row;
}

// An in-process call (the web UI) for an actor it has already resolved from the token carries the
// actor in the call's env under this symbol, so the token is looked up once per page, not once per
// API call. Only code in this process holds the symbol: no request from outside can claim it.
const RESOLVED_ACTOR = Symbol("resolvedActor");

/** The env for `app.request(path, init, env)` on behalf of an already resolved actor. */
export const resolvedActorEnv = (actor: Actor) => ({ [RESOLVED_ACTOR]: actor });

/** Bearer token → actor (token, org, role). A revoked or unknown token is 401. */
export const requireActor = createMiddleware<AppEnv>(async (c, next) => {
  const resolved = (c.env as { [RESOLVED_ACTOR]?: Actor } | undefined)?.[RESOLVED_ACTOR];
  if (resolved) {
    c.set("actor", resolved);
    return next();
  }
  const header = c.req.header("authorization") ?? "";
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m?.[1]) throw new AppError(401, "unauthorized", "缺少访问令牌（Authorization: Bearer <token>）");
  const found = await findActor(c.get("deps").db, m[1]);
  if (!found) throw new AppError(401, "unauthorized", "访问令牌无效或已被吊销");
  const { orgName: _orgName, ...actor } = found;
  c.set("actor", actor);
  await next();
});
