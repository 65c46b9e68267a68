// The demo database (`npm run demo`): the fictional city of 青川 seeded once, and fresh tokens to log in with.
import { and, count, eq } from "drizzle-orm";
import { issueToken, newTokenSecret } from "../commands/tokens";
import type { Db } from "../db/client";
import { auditLog, orgs } from "../db/schema";
import { buildPlan, DEMO_SEED } from "./plan";
import { seedPlan, SEED_MARK, type SeedResult } from "./seed";

/** Where `npm run demo` keeps its data unless DATABASE_URL says otherwise. */
export const DEMO_DATABASE_URL = "file:data/demo.db";
/** One year of posts for about 150 accounts: 青川市, its bureaus, 东河县、西岭县、南湖区 and their townships. */
export const DEMO_SIZE = { accounts: 150, weeks: 52 } as const;

export class DemoRefused extends Error {}

export type DatabaseState = { kind: "empty" } | { kind: "seeded"; rootOrgId: string } | { kind: "other" };

/** Empty, a finished seed (its mark is in the audit log), or anything else (real data, or an interrupted seed). */
export async function databaseState(db: Db): Promise<DatabaseState> {
  const [orgCount] = await db.select({ n: count() }).from(orgs);
  if ((orgCount?.n ?? 0) === 0) return { kind: "empty" };
  const [mark] = await db.select({ orgId: auditLog.entityId }).from(auditLog).where(and(eq(auditLog.action, SEED_MARK), eq(auditLog.entity, "org"))).limit(1);
  return mark ? { kind: "seeded", rootOrgId: mark.orgId } : { kind: "other" };
}

export interface DemoReady {
  created: boolean;
  seed?: SeedResult;
  rootOrgId: string;
  rootName: string;
  supervisorToken: string;
  adminToken: string;
}

/**
 * Seeds the demo on an empty database (once: a rerun finds the mark and seeds nothing), then issues a
 * supervisor token for the city and, on a rerun, a new admin token too: tokens are stored hashed, so
 * earlier ones cannot be shown again. Refuses a database holding anything else.
 */
export async function ensureDemo(db: Db, opts: { now?: Date; log?: (line: string) => void } = {}): Promise<DemoReady> {
  const now = opts.now ?? new Date();
  let state = await databaseState(db);
  let seed: SeedResult | undefined;
  if (state.kind === "other") {
    throw new DemoRefused(
      "该数据库中已有数据，但不是完整的演示数据（可能是正式数据，或上次生成演示数据时被中断）；npm run demo 不会改动它。" +
        "请删除演示数据库文件后重试，或用 DATABASE_URL 指定一个新的文件 (database is not an untouched demo database)",
    );
  }
  if (state.kind === "empty") {
    opts.log?.("正在生成演示数据：虚构的青川市（3 个县区、约 150 个账号、一年的发文）……");
    seed = await seedPlan(db, buildPlan({ ...DEMO_SIZE, seed: DEMO_SEED, now }), { log: opts.log });
    state = { kind: "seeded", rootOrgId: seed.rootOrgId };
  }
  const [root] = await db.select().from(orgs).where(eq(orgs.id, state.rootOrgId));
  if (!root) throw new DemoRefused("演示数据的根机构不存在，请删除演示数据库文件后重试");
  const stamp = now.toISOString().slice(0, 16).replace("T", " ");
  const [supervisorSecret, adminSecret] = await Promise.all([newTokenSecret(), newTokenSecret()]);
  const tokens = await db.transaction(async (tx) => {
    const supervisor = await issueToken(tx, null, now, { orgId: root.id, role: "supervisor", label: `演示登录（主管单位）${stamp}` }, supervisorSecret);
    const admin = seed ? null : await issueToken(tx, null, now, { orgId: root.id, role: "admin", label: `演示登录（管理员）${stamp}` }, adminSecret);
    return { supervisor: supervisor.token, admin: admin?.token ?? seed!.adminToken };
  });
  return { created: !!seed, seed, rootOrgId: root.id, rootName: root.name, supervisorToken: tokens.supervisor, adminToken: tokens.admin };
}
