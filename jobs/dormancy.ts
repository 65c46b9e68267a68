// dormancy (daily): two-week veto, 90-day zombie, chronic below-minimum, recommendations, registry flags.
import { assessAccounts } from "../src/commands/assess";
import { deliverDue } from "../src/notify/outbox";
import type { JobDeps } from "./deps";

export async function dormancy(deps: JobDeps, now: Date) {
  const assessed = await assessAccounts(deps.db, now);
  const delivery = await deliverDue(deps.db, deps.postWebhook, now);
  return { ...assessed, delivery };
}
