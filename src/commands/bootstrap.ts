// Bootstrap (初始化): the root government and its first admin token, on an empty database only.
import { count } from "drizzle-orm";
import type { Db } from "../db/client";
import { writeAudit } from "../db/queries/audit";
import { orgs } from "../db/schema";
import type { OrgLevel } from "../domain/orgs";
import { newId } from "../lib/ids";
import { issueToken, newTokenSecret } from "./tokens";

export class BootstrapRefused extends Error {}

/** Creates the root government and its first admin token, only on an empty database. */
export async function bootstrap(db: Db, at: Date, input: { name: string; level: OrgLevel }) {
  const secret = await newTokenSecret();
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(orgs);
    if ((existing?.n ?? 0) > 0) {
      throw new BootstrapRefused("数据库中已有机构，拒绝再次初始化 (database is not empty; bootstrap refused)");
    }
    const id = newId();
    const row = {
      id,
      name: input.name,
      kind: "government" as const,
      level: input.level,
      parentId: null,
      path: `/${id}/`,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    };
    await tx.insert(orgs).values(row);
    await writeAudit(tx, null, at, { action: "org.bootstrap", entity: "org", entityId: id, orgId: id, after: row });
    const { token } = await issueToken(tx, null, at, { orgId: id, role: "admin", label: "初始管理员" }, secret);
    return { orgId: id, token };
  });
}
