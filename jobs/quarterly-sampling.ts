// quarterly-sampling (first day of each quarter, 08:00 Beijing): every sampling unit's round.
// seed 001: 各县区政府每季度对政务新媒体抽查比例不低于50%，实现全年全覆盖.
import { orgs } from "../src/db/schema";
import { quarterOf } from "../src/domain/weeks";
import { createRound, isSamplingUnit } from "../src/services/sampling";
import type { JobDeps } from "./deps";

export async function quarterlySampling(deps: JobDeps, now: Date) {
  const { year, quarter } = quarterOf(now);
  const all = await deps.db.select().from(orgs);
  const index = new Map(all.map((o) => [o.id, o]));
  const units = all.filter(isSamplingUnit);
  let created = 0;
  let existing = 0;
  // One transaction per unit: a run interrupted half-way resumes where it stopped.
  for (const unit of units) {
    const r = await deps.db.transaction((tx) =>
      createRound(tx, null, { unit, year, quarter, index }, now, crypto.getRandomValues(new Uint8Array(16))),
    );
    if (r.created) created++;
    else existing++;
  }
  return { year, quarter, units: units.length, created, existing };
}
