// Quarterly spot-check rounds (季度抽查): the population at the quarter's start, the draw, storage.
import type { DbOrTx } from "../db/client";
import { accountsWithOpenAlerts } from "../db/queries/alerts";
import { writeAudit } from "../db/queries/audit";
import { policyResolver } from "../db/queries/monitoring";
import { loadOrgIndex, type OrgRow } from "../db/queries/org-tree";
import { accountsToRecheck, earlierPopulations, findRound, insertRound, populationAt, sampledEarlierInYear, type ItemRow, type RoundRow } from "../db/queries/sampling";
import { isSamplingUnit, type OrgNode } from "../domain/orgs";
import { draw, newSeed, ROUND_SCOPE_LABELS, withCarryOver, type PopulationMember, type RoundScope } from "../domain/sampling";
import { quarterStart, shanghaiDate } from "../domain/weeks";
import { badRequest, conflict } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor } from "../lib/types";

export interface RoundRequest {
  unit: OrgRow;
  /** The org tree, when the caller has it already (the job creates every unit's round). */
  index?: ReadonlyMap<string, OrgNode>;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** Absent = "own" (the quarterly-sampling job draws own rounds only). */
  scope?: RoundScope;
  /** Entropy for the published seed (SEED_BYTES). */
  randomBytes: Uint8Array;
  /**
   * Read once for every unit by the quarterly job instead of per unit: the own population at the
   * quarter's start (ids, sorted; ownPopulationsAt), the accounts sampled in the year's earlier
   * quarters and the accounts with open alerts. None changes while the job draws this quarter's rounds.
   */
  shared?: {
    ownPopulation: readonly string[];
    sampledEarlierInYear: ReadonlySet<string>;
    withOpenAlerts: ReadonlySet<string>;
    /** The rest the job reads once too: this quarter's rounds so far, each unit's earlier own populations, today's re-checks, the policies. */
    roundsThisQuarter?: ReadonlyMap<string, RoundRow>;
    earlierPopulations?: ReadonlyMap<string, string[][]>;
    rechecks?: ReadonlySet<string>;
    policyFor?: Awaited<ReturnType<typeof policyResolver>>;
  };
}

/**
 * Creates the round (or returns the existing one of the same scope: one per unit and quarter, so a
 * government draws either its own or its subtree round in a quarter — the other is refused with 409).
 */
export async function createRound(
  tx: DbOrTx,
  actor: Actor | null,
  now: Date,
  req: RoundRequest,
): Promise<{ round: RoundRow; created: boolean }> {
  const planned = await planRound(tx, actor, now, req);
  if ("existing" in planned) return { round: planned.existing, created: false };
  const { round, items } = planned;
  // The unique index decides if two requests race: the loser reads the winner's round.
  // (Read again, not from what the job read before: the winner's round is new.)
  if (!(await insertRound(tx, round, items))) return createRound(tx, actor, now, { ...req, shared: req.shared && { ...req.shared, roundsThisQuarter: undefined } });
  await writeAudit(tx, actor, now, roundAudit(round, items));
  return { round, created: true };
}

/** The audit entry of a new round. */
export function roundAudit(round: RoundRow, items: readonly ItemRow[]) {
  return {
    action: "sampling.create",
    entity: "sampling_round" as const,
    entityId: round.id,
    orgId: round.governmentOrgId,
    after: { ...round, population: undefined, items: items.length },
  };
}

/**
 * The round to store (or the unit's existing one of the same scope), drawn but not written: the
 * quarterly job writes many units' rounds together.
 */
export async function planRound(
  tx: DbOrTx,
  actor: Actor | null,
  now: Date,
  req: RoundRequest,
): Promise<{ existing: RoundRow } | { round: RoundRow; items: ItemRow[] }> {
  const scope = req.scope ?? "own";
  const shared = scope === "own" ? req.shared : undefined;
  const existing = shared?.roundsThisQuarter ? shared.roundsThisQuarter.get(req.unit.id) : await findRound(tx, req.unit.id, req.year, req.quarter);
  if (existing) {
    if (existing.scope === scope) return { existing };
    throw conflict(
      `${req.unit.name}${req.year}年第${req.quarter}季度已抽取“${ROUND_SCOPE_LABELS[existing.scope]}”抽查名单；同一政府每季度只抽查一轮（本级或全辖区二选一），不能再抽取“${ROUND_SCOPE_LABELS[scope]}”名单`,
    );
  }
  if (!isSamplingUnit(req.unit)) throw badRequest("抽查单位须为县级及以上政府或开发区（管委会）");
  const start = quarterStart(req.year, req.quarter);
  if (start > now) throw badRequest(`${req.year}年第${req.quarter}季度尚未开始，不能抽取`);

  const index = req.index ?? (await loadOrgIndex(tx));
  const ids = shared ? [...shared.ownPopulation] : await populationAt(tx, req.unit, index, start, scope);
  const withAlerts = shared?.withOpenAlerts ?? (await accountsWithOpenAlerts(tx, ids));
  // Carry-over serves 全年全覆盖, the unit's own duty: a subtree round carries nothing over.
  const earlier = scope === "own" ? (shared?.earlierPopulations ? (shared.earlierPopulations.get(req.unit.id) ?? []) : await earlierPopulations(tx, req.unit.id, req.year, req.quarter)) : [];
  const sampledAnywhere = shared?.sampledEarlierInYear ?? (await sampledEarlierInYear(tx, req.year, req.quarter));
  const members = withCarryOver(
    ids.map((accountId) => ({ accountId, hasOpenAlert: withAlerts.has(accountId) })),
    earlier,
    sampledAnywhere,
  );
  // 复查: failures of any earlier round, of any unit, whose deadline passed before today without rectification.
  const rechecks = shared?.rechecks ?? (await accountsToRecheck(tx, members.map((m) => m.accountId), shanghaiDate(now)));
  const population: PopulationMember[] = members.map((m) => (rechecks.has(m.accountId) ? { ...m, recheck: true } : m));
  const rate = (shared?.policyFor ?? (await policyResolver(tx, index)))(req.unit.id, shanghaiDate(start)).samplingRate;
  const seed = newSeed(req.randomBytes);
  const result = draw({ population, rate, quarter: req.quarter, seed, scope });
  const round: RoundRow = {
    id: newId(),
    governmentOrgId: req.unit.id,
    scope,
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
  return { round, items };
}
