import { deliverDue } from "../src/notify/outbox";
import type { JobDeps } from "./deps";

/** Retries queued webhook messages whose backoff has elapsed. */
export async function deliverWebhooks(deps: JobDeps, now: Date) {
  return deliverDue(deps.db, deps.postWebhook, now);
}
