import { and, eq, isNull } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { orgs, tokens } from "../db/schema";
import { AppError } from "./errors";
import { hashSecret } from "./ids";
import type { AppEnv } from "./types";

/** Bearer token → actor (token, org, role). A revoked or unknown token is 401. */
export const requireActor = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m?.[1]) throw new AppError(401, "unauthorized", "缺少访问令牌（Authorization: Bearer <token>）");
  const { db } = c.get("deps");
  const hash = await hashSecret(m[1]);
  const [row] = await db
    .select({ tokenId: tokens.id, orgId: tokens.orgId, role: tokens.role, orgPath: orgs.path })
    .from(tokens)
    .innerJoin(orgs, eq(orgs.id, tokens.orgId))
    .where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt)))
    .limit(1);
  if (!row) throw new AppError(401, "unauthorized", "访问令牌无效或已被吊销");
  c.set("actor", row);
  await next();
});
