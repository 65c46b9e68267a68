// quarterly-sampling (first day of each quarter, 08:00 Beijing): every sampling unit's round.
// 鹤政办〔2019〕20号第十二条：各县区政府每季度对政务新媒体抽查比例不低于50%，实现全年全覆盖.
import { createRound } from "../src/commands/sampling";
import { loadOrgIndex } from "../src/db/queries/org-tree";
import { policyResolver } from "../src/db/queries/monitoring";
import { accountsToRecheck, allAccountsWithOpenAlerts, allEarlierPopulations, ownPopulationsAt, roundsOfQuarter, sampledEarlierInYear } from "../src/db/queries/sampling";
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
  // subtree round this quarter has its one round (409 from createRound, thrown before it writes
  // anything) and counts as existing.
  for (let i = 0; i < units.length; i += UNITS_PER_TRANSACTION) {
    await deps.db.transaction(async (tx) => {
      let c = 0;
      let e = 0;
      for (const unit of units.slice(i, i + UNITS_PER_TRANSACTION)) {
        try {
          const r = await createRound(tx, null, now, {
            unit,
            year,
            quarter,
            scope: "own",
            index,
            randomBytes: crypto.getRandomValues(new Uint8Array(16)),
            shared: { ownPopulation: populations.get(unit.id) ?? [], sampledEarlierInYear: sampledEarlier, withOpenAlerts, roundsThisQuarter, earlierPopulations, rechecks, policyFor },
          });
          if (r.created) c++;
          else e++;
        } catch (err) {
          if (err instanceof AppError && err.status === 409) e++;
          else throw err;
        }
      }
      created += c;
      existing += e;
    });
  }
  return { year, quarter, units: units.length, created, existing };
}
