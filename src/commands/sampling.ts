// Quarterly spot-check rounds (季度抽查): the population at the quarter's start, the draw, storage.
import type { DbOrTx } from "../db/client";
import { accountsWithOpenAlerts } from "../db/queries/alerts";
import { writeAudit } from "../db/queries/audit";
import { policyResolver } from "../db/queries/monitoring";
import { loadOrgIndex, type OrgRow } from "../db/queries/org-tree";
import { earlierPopulations, findRound, insertRound, populationAt, sampledEarlierInYear, type ItemRow, type RoundRow } from "../db/queries/sampling";
import { isSamplingUnit, type OrgNode } from "../domain/orgs";
import { draw, newSeed, withCarryOver, type PopulationMember } from "../domain/sampling";
import { quarterStart, shanghaiDate } from "../domain/weeks";
import { badRequest } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor } from "../lib/types";

export interface RoundRequest {
  unit: OrgRow;
  /** The org tree, when the caller has it already (the job creates every unit's round). */
  index?: ReadonlyMap<string, OrgNode>;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** Entropy for the published seed (SEED_BYTES). */
  randomBytes: Uint8Array;
}

/** Creates the round (or returns the existing one: one per unit and quarter). */
export async function createRound(
  tx: DbOrTx,
  actor: Actor | null,
  now: Date,
  req: RoundRequest,
): Promise<{ round: RoundRow; created: boolean }> {
  const existing = await findRound(tx, req.unit.id, req.year, req.quarter);
  if (existing) return { round: existing, created: false };
  if (!isSamplingUnit(req.unit)) throw badRequest("抽查单位须为县级及以上政府");
  const start = quarterStart(req.year, req.quarter);
  if (start > now) throw badRequest(`${req.year}年第${req.quarter}季度尚未开始，不能抽取`);

  const index = req.index ?? (await loadOrgIndex(tx));
  const ids = await populationAt(tx, req.unit, index, start);
  const withAlerts = await accountsWithOpenAlerts(tx, ids);
  const earlier = await earlierPopulations(tx, req.unit.id, req.year, req.quarter);
  const sampledAnywhere = await sampledEarlierInYear(tx, req.year, req.quarter);
  const population: PopulationMember[] = withCarryOver(
    ids.map((accountId) => ({ accountId, hasOpenAlert: withAlerts.has(accountId) })),
    earlier,
    sampledAnywhere,
  );
  const rate = (await policyResolver(tx, index))(req.unit.id, shanghaiDate(start)).samplingRate;
  const seed = newSeed(req.randomBytes);
  const result = draw({ population, rate, quarter: req.quarter, seed });
  const round: RoundRow = {
    id: newId(),
    governmentOrgId: req.unit.id,
    scope: "own",
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
  const items: ItemRow[] = result.items.map((i) => ({ id: newId(), roundId: round.id, accountId: i.accountId, position: i.position, reason: i.reason }));
  // The unique index decides if two requests race: the loser reads the winner's round.
  if (!(await insertRound(tx, round, items))) return createRound(tx, actor, now, req);
  await writeAudit(tx, actor, now, {
    action: "sampling.create",
    entity: "sampling_round",
    entityId: round.id,
    orgId: req.unit.id,
    after: { ...round, population: undefined, items: items.length },
  });
  return { round, created: true };
}
