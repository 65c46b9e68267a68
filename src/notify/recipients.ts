// Who hears about an account: its operating unit, and its supervising office in one combined message.
import type { DbOrTx } from "../db/client";
import { loadOrgIndex } from "../db/queries/org-tree";
import { filingAuthority, type OrgNode } from "../domain/orgs";
import { fnv1a64 } from "../lib/ids";
import type { Notice } from "./formats";
import { officeBatchNotice, type OfficeBatchInput } from "./messages";
import { enqueue, type WebhookEvent } from "./outbox";

export interface AccountNotice {
  /** Idempotency key of the unit's own message (e.g. "veto:<alertId>"). */
  key: string;
  account: { orgId: string };
  notice: Notice;
  /** The account's line in the office's combined message. */
  entry: { orgName: string; accountName: string; detail: string };
}

/**
 * An account's alerts reach its operating unit and its supervising office (docs/规则依据.md#预警去重与通知).
 * Sends each account's message to its operating unit, and one combined message per supervising
 * office listing all of this run's accounts in its care — an office with fifty departments gets one
 * message, not fifty. Keys derive from the accounts concerned, so a rerun queues nothing new.
 */
export async function notifyUnitsAndOffices(
  db: DbOrTx,
  event: WebhookEvent & OfficeBatchInput["event"],
  items: readonly AccountNotice[],
  now: Date,
  known?: ReadonlyMap<string, OrgNode>,
  weekId?: string,
): Promise<number> {
  if (items.length === 0) return 0;
  const index = known ?? (await loadOrgIndex(db));
  let queued = 0;
  const byOffice = new Map<string, AccountNotice[]>();
  for (const item of items) {
    queued += await enqueue(db, [item.account.orgId], event, item.key, item.notice, now);
    const org = index.get(item.account.orgId);
    const office = org ? filingAuthority(org, index) : undefined;
    if (office && office.id !== item.account.orgId) byOffice.set(office.id, [...(byOffice.get(office.id) ?? []), item]);
  }
  for (const [officeId, list] of byOffice) {
    const keys = list.map((l) => l.key).sort();
    const notice = officeBatchNotice({ event, officeName: index.get(officeId)?.name ?? "", entries: list.map((l) => l.entry), weekId });
    queued += await enqueue(db, [officeId], event, `${event}:office:${officeId}:${fnv1a64(keys.join("\n"))}`, notice, now);
  }
  return queued;
}
