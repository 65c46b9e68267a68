import type { DbOrTx } from "../db/client";
import { filingAuthority, type OrgNode } from "../domain/orgs";
import type { Notice } from "../notify/formats";
import { loadOrgIndex } from "./org-tree";
import { enqueue, type WebhookEvent } from "./webhooks";

/** An account's alerts reach its operating unit and its supervising office (SPEC §4). */
export async function accountRecipients(
  db: DbOrTx,
  account: { orgId: string },
  known?: ReadonlyMap<string, OrgNode>,
): Promise<string[]> {
  const index = known ?? (await loadOrgIndex(db));
  const org = index.get(account.orgId);
  if (!org) return [account.orgId];
  return [...new Set([org.id, filingAuthority(org, index).id])];
}

export async function notifyAccount(
  db: DbOrTx,
  account: { orgId: string },
  event: WebhookEvent,
  eventKey: string,
  notice: Notice,
  now: Date,
  index?: ReadonlyMap<string, OrgNode>,
) {
  return enqueue(db, await accountRecipients(db, account, index), event, eventKey, notice, now);
}
