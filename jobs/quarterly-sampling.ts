// quarterly-sampling (first day of each quarter, 08:00 Beijing): every sampling unit's round.
// 鹤政办〔2019〕20号第十二条：各县区政府每季度对政务新媒体抽查比例不低于50%，实现全年全覆盖.
import { createRound, planRound, roundAudit, type RoundRequest } from "../src/commands/sampling";
import { writeAudits } from "../src/db/queries/audit";
import { loadOrgIndex } from "../src/db/queries/org-tree";
import { policyResolver } from "../src/db/queries/monitoring";
import { accountsToRecheck, allAccountsWithOpenAlerts, allEarlierPopulations, insertRounds, ownPopulationsAt, roundsOfQuarter, sampledEarlierInYear, type ItemRow, type RoundRow } from "../src/db/queries/sampling";
import { isSamplingUnit } from "../src/domain/orgs";
import { AppError } from "../src/lib/errors";
import { quarterOf, quarterStart, shanghaiDate } from "../src/domain/weeks";
import type { JobDeps } from "./deps";

const UNITS_PER_TRANSACTION = 25;

export async function quarterlySampling(deps: JobDeps, now: Date) {
  const { year, quarter } = quarterOf(now);
  const index = await loadOrgIndex(deps.db);
  const units = [...index.values()].filter(isSamplingUnit);
  // Every unit's population and the year's earlier samples read once, not once per unit.
  const [populations, sampledEarlier, withOpenAlerts, roundsThisQuarter, earlierPopulations, rechecks, policyFor] = await Promise.all([
    ownPopulationsAt(deps.db, index, quarterStart(year, quarter)),
    sampledEarlierInYear(deps.db, year, quarter),
    allAccountsWithOpenAlerts(deps.db),
    roundsOfQuarter(deps.db, year, quarter),
    allEarlierPopulations(deps.db, year, quarter),
    accountsToRecheck(deps.db, "all", shanghaiDate(now)),
    policyResolver(deps.db, index),
  ]);
  let created = 0;
  let existing = 0;
  // A few units per transaction (short enough for requests to get their turn, few enough commits to
  // not cost more than the draws): a run interrupted half-way resumes where it stopped, the chunk
  // under way rolled back whole. The job draws own rounds only; a unit whose supervisor already drew a
  // subtree round this quarter has its one round (409 from planRound, thrown before anything is
  // written) and counts as existing.
  for (let i = 0; i < units.length; i += UNITS_PER_TRANSACTION) {
    await deps.db.transaction(async (tx) => {
      let c = 0;
      let e = 0;
      const requests = new Map<string, RoundRequest>();
      const planned: { round: RoundRow; items: ItemRow[] }[] = [];
      for (const unit of units.slice(i, i + UNITS_PER_TRANSACTION)) {
        const req: RoundRequest = {
          unit,
          year,
          quarter,
          scope: "own",
          index,
          randomBytes: crypto.getRandomValues(new Uint8Array(16)),
          shared: { ownPopulation: populations.get(unit.id) ?? [], sampledEarlierInYear: sampledEarlier, withOpenAlerts, roundsThisQuarter, earlierPopulations, rechecks, policyFor },
        };
        try {
          const p = await planRound(tx, null, now, req);
          if ("existing" in p) e++;
          else {
            planned.push(p);
            requests.set(p.round.id, req);
          }
        } catch (err) {
          if (err instanceof AppError && err.status === 409) e++;
          else throw err;
        }
      }
      // The chunk's rounds, items and audit rows in a few statements.
      const stored = await insertRounds(tx, planned);
      await writeAudits(tx, null, now, planned.filter((p) => stored.has(p.round.id)).map((p) => roundAudit(p.round, p.items)));
      c += stored.size;
      // A unit whose round appeared meanwhile (another process drew it): read it as createRound does.
      for (const p of planned.filter((x) => !stored.has(x.round.id))) {
        const req = requests.get(p.round.id)!;
        const r = await createRound(tx, null, now, { ...req, shared: { ...req.shared!, roundsThisQuarter: undefined } }).catch((err: unknown) => {
          if (err instanceof AppError && err.status === 409) return { created: false };
          throw err;
        });
        if (r.created) c++;
        else e++;
      }
      created += c;
      existing += e;
    });
  }
  return { year, quarter, units: units.length, created, existing };
}
