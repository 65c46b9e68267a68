// quarterly-sampling (first day of each quarter, 08:00 Beijing): every sampling unit's round.
// 鹤政办〔2019〕20号第十二条：各县区政府每季度对政务新媒体抽查比例不低于50%，实现全年全覆盖.
import { createRound } from "../src/commands/sampling";
import { loadOrgIndex } from "../src/db/queries/org-tree";
import { isSamplingUnit } from "../src/domain/orgs";
import { AppError } from "../src/lib/errors";
import { quarterOf } from "../src/domain/weeks";
import type { JobDeps } from "./deps";

export async function quarterlySampling(deps: JobDeps, now: Date) {
  const { year, quarter } = quarterOf(now);
  const index = await loadOrgIndex(deps.db);
  const units = [...index.values()].filter(isSamplingUnit);
  let created = 0;
  let existing = 0;
  // One transaction per unit: a run interrupted half-way resumes where it stopped.
  // The job draws own rounds only; a unit whose supervisor already drew a subtree round this quarter
  // has its one round (409 from createRound) and counts as existing.
  for (const unit of units) {
    try {
      const r = await deps.db.transaction((tx) =>
        createRound(tx, null, now, { unit, year, quarter, scope: "own", index, randomBytes: crypto.getRandomValues(new Uint8Array(16)) }),
      );
      if (r.created) created++;
      else existing++;
    } catch (e) {
      if (e instanceof AppError && e.status === 409) existing++;
      else throw e;
    }
  }
  return { year, quarter, units: units.length, created, existing };
}
