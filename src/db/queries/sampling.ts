// Sampling rounds (抽查轮次): the population's status history, stored rounds and their lists.
import { and, asc, eq, inArray, like, lt, lte } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, accountStatusChanges, orgs, samplingItems, samplingRounds } from "../schema";
import { isInUse, type AccountStatus } from "../../domain/lifecycle";
import { samplingUnit, type OrgNode } from "../../domain/orgs";
import { verifyDraw } from "../../domain/sampling";
import type { OrgRow } from "./org-tree";

export type RoundRow = typeof samplingRounds.$inferSelect;
export type ItemRow = typeof samplingItems.$inferSelect;

/** Each account's status at an instant, from its status history (later records win; `at` may be backdated). */
export async function statusesAt(db: DbOrTx, at: Date, accountIds?: readonly string[]): Promise<Map<string, AccountStatus>> {
  const out = new Map<string, AccountStatus>();
  const chunks = accountIds ? Array.from({ length: Math.ceil(accountIds.length / 500) }, (_, i) => accountIds.slice(i * 500, i * 500 + 500)) : [undefined];
  for (const ids of chunks) {
    if (ids && ids.length === 0) continue;
    const rows = await db
      .select({ accountId: accountStatusChanges.accountId, status: accountStatusChanges.status })
      .from(accountStatusChanges)
      .where(and(lte(accountStatusChanges.at, at.toISOString()), ids ? inArray(accountStatusChanges.accountId, ids) : undefined))
      .orderBy(asc(accountStatusChanges.id));
    for (const r of rows) out.set(r.accountId, r.status);
  }
  return out;
}

/**
 * docs/规则依据.md#抽查单位: every account whose owning org's nearest county-or-higher government is the unit and
 * that is live (opened, not closed or merged) at the quarter's start.
 */
export async function populationAt(db: DbOrTx, unit: OrgRow, index: ReadonlyMap<string, OrgNode>, at: Date): Promise<string[]> {
  const inUnit = (
    await db.select({ id: accounts.id, orgId: accounts.orgId }).from(accounts).innerJoin(orgs, eq(orgs.id, accounts.orgId)).where(like(orgs.path, `${unit.path}%`))
  ).filter((a) => {
    const org = index.get(a.orgId);
    return org && samplingUnit(org, index)?.id === unit.id;
  });
  const statuses = await statusesAt(db, at, inUnit.map((a) => a.id));
  return inUnit
    .filter((a) => {
      const s = statuses.get(a.id);
      return s !== undefined && isInUse(s);
    })
    .map((a) => a.id)
    .sort();
}

/** The unit's round for the quarter, if one was drawn. */
export async function findRound(db: DbOrTx, unitId: string, year: number, quarter: number): Promise<RoundRow | undefined> {
  const [existing] = await db
    .select()
    .from(samplingRounds)
    .where(and(eq(samplingRounds.governmentOrgId, unitId), eq(samplingRounds.year, year), eq(samplingRounds.quarter, quarter)))
    .limit(1);
  return existing;
}

/** The populations of the unit's rounds in the year's quarters before this one (whatever order they were created in). */
export async function earlierPopulations(db: DbOrTx, unitId: string, year: number, quarter: number): Promise<string[][]> {
  const rows = await db
    .select({ population: samplingRounds.population })
    .from(samplingRounds)
    .where(and(eq(samplingRounds.governmentOrgId, unitId), eq(samplingRounds.year, year), lt(samplingRounds.quarter, quarter)));
  return rows.map((r) => r.population.map((m) => m.accountId));
}

/** Accounts sampled by any unit in the year's quarters before this one. */
export async function sampledEarlierInYear(db: DbOrTx, year: number, quarter: number): Promise<Set<string>> {
  const rows = await db
    .select({ accountId: samplingItems.accountId })
    .from(samplingItems)
    .innerJoin(samplingRounds, eq(samplingRounds.id, samplingItems.roundId))
    .where(and(eq(samplingRounds.year, year), lt(samplingRounds.quarter, quarter)));
  return new Set(rows.map((e) => e.accountId));
}

/** Stores a round unless the unit already has one for the quarter (the unique index decides a race). */
export async function insertRound(db: DbOrTx, round: RoundRow, items: ItemRow[]): Promise<boolean> {
  const inserted = await db.insert(samplingRounds).values(round).onConflictDoNothing().returning({ id: samplingRounds.id });
  if (inserted.length === 0) return false;
  for (let i = 0; i < items.length; i += 200) await db.insert(samplingItems).values(items.slice(i, i + 200));
  return true;
}

export async function roundItems(db: DbOrTx, roundId: string): Promise<ItemRow[]> {
  return db.select().from(samplingItems).where(eq(samplingItems.roundId, roundId)).orderBy(asc(samplingItems.position));
}

/** Recomputes the draw from the stored inputs and compares it with the stored list. */
export async function verifyRound(db: DbOrTx, round: RoundRow) {
  const items = await roundItems(db, round.id);
  return verifyDraw(
    { population: round.population, rate: round.rate, quarter: round.quarter as 1 | 2 | 3 | 4, seed: round.seed },
    items.map((i) => ({ accountId: i.accountId, reason: i.reason })),
  );
}
