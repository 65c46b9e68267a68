// Sampling rounds (抽查轮次): the population's status history, stored rounds and their lists.
import { and, asc, eq, gt, inArray, isNull, like, lt, lte, ne, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, accountStatusChanges, alerts, inspections, orgs, samplingItems, samplingRounds } from "../schema";
import { OPEN_ALERT_STATUSES } from "../../domain/alerts";
import { isInUse, type AccountStatus } from "../../domain/lifecycle";
import { samplingUnit, type OrgNode } from "../../domain/orgs";
import { verifyDraw, type RoundScope } from "../../domain/sampling";
import { chunks } from "./monitoring";
import type { OrgRow } from "./org-tree";

export type RoundRow = typeof samplingRounds.$inferSelect;
export type ItemRow = typeof samplingItems.$inferSelect;

/** Each account's status at an instant, from its status history (later records win; `at` may be backdated). */
export async function statusesAt(db: DbOrTx, at: Date, accountIds?: readonly string[]): Promise<Map<string, AccountStatus>> {
  const out = new Map<string, AccountStatus>();
  for (const ids of accountIds ? chunks(accountIds, 500) : [undefined]) {
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
 * docs/规则依据.md#抽查单位: for an own round, every account whose owning org's nearest county-or-higher
 * government is the unit; for a subtree round, every account of any org under the government (lower
 * governments, zones, townships, departments). Either way, live (opened, not closed or merged) at the
 * quarter's start.
 */
export async function populationAt(db: DbOrTx, unit: OrgRow, index: ReadonlyMap<string, OrgNode>, at: Date, scope: RoundScope = "own"): Promise<string[]> {
  const inUnit = (
    await db
      .select({ id: accounts.id, orgId: accounts.orgId })
      .from(accounts)
      .innerJoin(orgs, eq(orgs.id, accounts.orgId))
      // A voided registration (作废) is out even if its history says it was in use at the quarter's start.
      .where(and(like(orgs.path, `${unit.path}%`), ne(accounts.status, "voided")))
  ).filter((a) => {
    if (scope === "subtree") return true;
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

/**
 * The own-round population of every sampling unit at once (the same as populationAt(…, "own") per
 * unit): one read of the accounts and one of the status history, grouped by each account's sampling
 * unit, so the quarterly job costs the same per account for 10 units as for 2,000.
 */
export async function ownPopulationsAt(db: DbOrTx, index: ReadonlyMap<string, OrgNode>, at: Date): Promise<Map<string, string[]>> {
  const all = await db.select({ id: accounts.id, orgId: accounts.orgId }).from(accounts).where(ne(accounts.status, "voided"));
  const statuses = await statusesAt(db, at);
  const out = new Map<string, string[]>();
  const unitOf = new Map<string, string | null>();
  for (const a of all) {
    const s = statuses.get(a.id);
    if (s === undefined || !isInUse(s)) continue;
    let unitId = unitOf.get(a.orgId);
    if (unitId === undefined) {
      const org = index.get(a.orgId);
      unitOf.set(a.orgId, (unitId = (org && samplingUnit(org, index)?.id) ?? null));
    }
    if (unitId === null) continue;
    let list = out.get(unitId);
    if (!list) out.set(unitId, (list = []));
    list.push(a.id);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** Every account with an open (or acknowledged) alert, in one read: the quarterly job's tier input for all units. */
export async function allAccountsWithOpenAlerts(db: DbOrTx): Promise<Set<string>> {
  const rows = await db.selectDistinct({ accountId: alerts.accountId }).from(alerts).where(inArray(alerts.status, [...OPEN_ALERT_STATUSES]));
  return new Set(rows.map((r) => r.accountId));
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

/**
 * The populations of the unit's own rounds in the year's quarters before this one (whatever order they were
 * created in). Subtree rounds are left out: their populations are not the unit's coverage duty.
 */
export async function earlierPopulations(db: DbOrTx, unitId: string, year: number, quarter: number): Promise<string[][]> {
  const rows = await db
    .select({ population: samplingRounds.population })
    .from(samplingRounds)
    .where(and(eq(samplingRounds.governmentOrgId, unitId), eq(samplingRounds.year, year), lt(samplingRounds.quarter, quarter), eq(samplingRounds.scope, "own")));
  return rows.map((r) => r.population.map((m) => m.accountId));
}

/** Every unit's round of the quarter (the quarterly job reads them once). */
export async function roundsOfQuarter(db: DbOrTx, year: number, quarter: number): Promise<Map<string, RoundRow>> {
  const rows = await db.select().from(samplingRounds).where(and(eq(samplingRounds.year, year), eq(samplingRounds.quarter, quarter)));
  return new Map(rows.map((r) => [r.governmentOrgId, r]));
}

/** earlierPopulations for every unit at once. */
export async function allEarlierPopulations(db: DbOrTx, year: number, quarter: number): Promise<Map<string, string[][]>> {
  const rows = await db
    .select({ unitId: samplingRounds.governmentOrgId, population: samplingRounds.population })
    .from(samplingRounds)
    .where(and(eq(samplingRounds.year, year), lt(samplingRounds.quarter, quarter), eq(samplingRounds.scope, "own")));
  const out = new Map<string, string[][]>();
  for (const r of rows) {
    const list = out.get(r.unitId) ?? [];
    list.push(r.population.map((m) => m.accountId));
    out.set(r.unitId, list);
  }
  return out;
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

/**
 * Accounts to re-check (复查) on `today` (YYYY-MM-DD, Shanghai): an inspection of the account, in any round
 * of any unit, failed, its rectification deadline is before today, and no rectification was completed by
 * today. The account stays a re-check until that failure's rectification is recorded.
 */
export async function accountsToRecheck(db: DbOrTx, accountIds: readonly string[] | "all", today: string): Promise<Set<string>> {
  const overdue = and(eq(inspections.result, "fail"), lt(inspections.deadline, today), or(isNull(inspections.rectifiedAt), gt(inspections.rectifiedAt, today)));
  const out = new Set<string>();
  for (const ids of accountIds === "all" ? [null] : chunks(accountIds, 500)) {
    const rows = await db
      .selectDistinct({ accountId: inspections.accountId })
      .from(inspections)
      .where(ids ? and(inArray(inspections.accountId, ids), overdue) : overdue);
    for (const r of rows) out.add(r.accountId);
  }
  return out;
}

/** Stores a round unless the unit already has one for the quarter (the unique index decides a race). */
export async function insertRound(db: DbOrTx, round: RoundRow, items: ItemRow[]): Promise<boolean> {
  const inserted = await db.insert(samplingRounds).values(round).onConflictDoNothing().returning({ id: samplingRounds.id });
  if (inserted.length === 0) return false;
  for (let i = 0; i < items.length; i += 200) await db.insert(samplingItems).values(items.slice(i, i + 200));
  return true;
}

/**
 * Stores many units' rounds at once (the quarterly job); returns the ids stored. A round whose unit
 * already has one for the quarter (a race) is skipped, and its items with it.
 */
export async function insertRounds(db: DbOrTx, planned: readonly { round: RoundRow; items: readonly ItemRow[] }[]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let i = 0; i < planned.length; i += 25) {
    const rows = await db
      .insert(samplingRounds)
      .values(planned.slice(i, i + 25).map((p) => p.round))
      .onConflictDoNothing()
      .returning({ id: samplingRounds.id });
    for (const r of rows) stored.add(r.id);
  }
  const items = planned.filter((p) => stored.has(p.round.id)).flatMap((p) => p.items);
  for (let i = 0; i < items.length; i += 500) await db.insert(samplingItems).values(items.slice(i, i + 500));
  return stored;
}

export async function roundItems(db: DbOrTx, roundId: string): Promise<ItemRow[]> {
  return db.select().from(samplingItems).where(eq(samplingItems.roundId, roundId)).orderBy(asc(samplingItems.position));
}

/** Recomputes the draw from the stored inputs and compares it with the stored list. */
export async function verifyRound(db: DbOrTx, round: RoundRow) {
  const items = await roundItems(db, round.id);
  return verifyDraw(
    { population: round.population, rate: round.rate, quarter: round.quarter as 1 | 2 | 3 | 4, seed: round.seed, scope: round.scope },
    items.map((i) => ({ accountId: i.accountId, reason: i.reason })),
  );
}
