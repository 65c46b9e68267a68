// Quarterly spot-check rounds: population at the quarter's start, the draw, storage, verification.
import { and, asc, eq, inArray, like, lt, lte } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { accounts, accountStatusChanges, alerts, orgs, samplingItems, samplingRounds } from "../db/schema";
import { isInUse, type AccountStatus } from "../domain/lifecycle";
import { levelRank, samplingUnit, type OrgNode } from "../domain/orgs";
import { draw, newSeed, verifyDraw, withCarryOver, type PopulationMember } from "../domain/sampling";
import { shanghaiDate, shanghaiMidnight } from "../domain/weeks";
import { writeAudit } from "../lib/audit";
import { badRequest } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor } from "../lib/types";
import { OPEN_ALERT_STATUSES } from "./alerts";
import { policyResolver } from "./monitoring-context";
import { loadOrgIndex, type OrgRow } from "./org-tree";

export type RoundRow = typeof samplingRounds.$inferSelect;
export type ItemRow = typeof samplingItems.$inferSelect;

export function quarterStart(year: number, quarter: number): Date {
  return shanghaiMidnight(`${year}-${String((quarter - 1) * 3 + 1).padStart(2, "0")}-01`);
}
export function quarterEnd(year: number, quarter: number): Date {
  return quarter === 4 ? quarterStart(year + 1, 1) : quarterStart(year, quarter + 1);
}

/** A sampling unit is a government at county level or above (SPEC §5). */
export function isSamplingUnit(org: Pick<OrgNode, "kind" | "level">): boolean {
  return org.kind === "government" && levelRank(org.level) <= levelRank("county");
}

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
 * SPEC §5: every account whose owning org's nearest county-or-higher government is the unit and
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

export interface RoundRequest {
  unit: OrgRow;
  /** The org tree, when the caller has it already (the job creates every unit's round). */
  index?: ReadonlyMap<string, OrgNode>;
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

/** Creates the round (or returns the existing one: one per unit and quarter). */
export async function createRound(
  db: DbOrTx,
  actor: Actor | null,
  req: RoundRequest,
  now: Date,
  randomBytes: Uint8Array,
): Promise<{ round: RoundRow; created: boolean }> {
  const [existing] = await db
    .select()
    .from(samplingRounds)
    .where(and(eq(samplingRounds.governmentOrgId, req.unit.id), eq(samplingRounds.year, req.year), eq(samplingRounds.quarter, req.quarter)))
    .limit(1);
  if (existing) return { round: existing, created: false };
  if (!isSamplingUnit(req.unit)) throw badRequest("抽查单位须为县级及以上政府");
  const start = quarterStart(req.year, req.quarter);
  if (start > now) throw badRequest(`${req.year}年第${req.quarter}季度尚未开始，不能抽取`);

  const index = req.index ?? (await loadOrgIndex(db));
  const ids = await populationAt(db, req.unit, index, start);
  const withAlerts = ids.length
    ? new Set(
        (
          await db
            .select({ accountId: alerts.accountId })
            .from(alerts)
            .where(and(inArray(alerts.accountId, ids), inArray(alerts.status, [...OPEN_ALERT_STATUSES])))
        ).map((a) => a.accountId),
      )
    : new Set<string>();
  // Only quarters before this one count, whatever order the rounds were created in.
  const earlierRounds = await db
    .select({ population: samplingRounds.population })
    .from(samplingRounds)
    .where(and(eq(samplingRounds.governmentOrgId, req.unit.id), eq(samplingRounds.year, req.year), lt(samplingRounds.quarter, req.quarter)));
  const sampledAnywhere = new Set(
    (
      await db
        .select({ accountId: samplingItems.accountId })
        .from(samplingItems)
        .innerJoin(samplingRounds, eq(samplingRounds.id, samplingItems.roundId))
        .where(and(eq(samplingRounds.year, req.year), lt(samplingRounds.quarter, req.quarter)))
    ).map((e) => e.accountId),
  );
  const population: PopulationMember[] = withCarryOver(
    ids.map((accountId) => ({ accountId, hasOpenAlert: withAlerts.has(accountId) })),
    earlierRounds.map((r) => r.population.map((m) => m.accountId)),
    sampledAnywhere,
  );
  const rate = (await policyResolver(db, index))(req.unit.id, shanghaiDate(start)).samplingRate;
  const seed = newSeed(randomBytes);
  const result = draw({ population, rate, quarter: req.quarter, seed });
  const round: RoundRow = {
    id: newId(),
    governmentOrgId: req.unit.id,
    year: req.year,
    quarter: req.quarter,
    population,
    populationSize: ids.length,
    rate,
    seed,
    sampleSize: result.sampleSize,
    minimumByRate: result.minimumByRate,
    minimumForCoverage: result.minimumForCoverage,
    quarterStart: start.toISOString(),
    createdAt: now.toISOString(),
    createdBy: actor?.tokenId ?? "job:quarterly-sampling",
  };
  // The unique index decides if two requests race: the loser reads the winner's round.
  const inserted = await db.insert(samplingRounds).values(round).onConflictDoNothing().returning({ id: samplingRounds.id });
  if (inserted.length === 0) return createRound(db, actor, req, now, randomBytes);
  const items = result.items.map((i) => ({ id: newId(), roundId: round.id, accountId: i.accountId, position: i.position, reason: i.reason }));
  for (let i = 0; i < items.length; i += 200) await db.insert(samplingItems).values(items.slice(i, i + 200));
  await writeAudit(db, actor, now, {
    action: "sampling.create",
    entity: "sampling_round",
    entityId: round.id,
    orgId: req.unit.id,
    after: { ...round, population: undefined, items: items.length },
  });
  return { round, created: true };
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
