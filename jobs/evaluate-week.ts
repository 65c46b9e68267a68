// evaluate-week (Monday 01:00 Beijing): judge the week just ended, alert, and send each org's digest.
import { assessWithWeek } from "../src/commands/assess";
import { openAlertKinds } from "../src/db/queries/alerts";
import { isVisible } from "../src/db/queries/org-tree";
import { ALERT_KIND_LABELS } from "../src/domain/alerts";
import { platformWithType } from "../src/domain/platforms";
import { addWeeks, weekOf, type Week } from "../src/domain/weeks";
import { weeklyDigestNotice } from "../src/notify/messages";
import { deliverDue, enqueue, subscribedOrgIds } from "../src/notify/outbox";
import type { JobDeps } from "./deps";

export async function evaluateWeek(deps: JobDeps, now: Date) {
  const week: Week = addWeeks(weekOf(now), -1);
  const { db } = deps;
  // One read of the evidence for the week's minimum and the daily assessment; reads and judgements
  // outside any transaction, each write step its own short transaction.
  const { result: assessed, live, index, weekJudged } = await assessWithWeek(db, now, week);
  const { counts, rows: byAccount } = weekJudged;

  // A digest for each org that has asked for one, covering its subtree.
  const digestOrgs = await subscribedOrgIds(db, "weekly_digest");
  const openAlerts = await openAlertKinds(db);
  const digestNotices: { orgId: string; notice: ReturnType<typeof weeklyDigestNotice> }[] = [];
  for (const orgId of digestOrgs) {
    const org = index.get(orgId);
    if (!org) continue;
    const mine = live.filter((r) => {
      const o = index.get(r.a.orgId);
      return o && isVisible({ orgPath: org.path }, o);
    });
    const names = new Map(mine.map((r) => [r.a.id, r.a.name]));
    const notice = weeklyDigestNotice({
      orgName: org.name,
      weekId: week.id,
      accounts: mine.map(({ a }) => {
        const r = byAccount.get(a.id)!;
        return {
          name: a.name,
          platformLabel: platformWithType(a.platform, a.accountType),
          posts: r.posts,
          updates: r.updates,
          required: r.required,
          status: r.status,
          unknownReason: r.unknownReason,
        };
      }),
      openAlerts: openAlerts
        .filter((al) => names.has(al.accountId))
        .map((al) => ({ accountName: names.get(al.accountId)!, kindLabel: ALERT_KIND_LABELS[al.kind] })),
    });
    digestNotices.push({ orgId, notice });
  }
  const digests = await db.transaction(async (tx) => {
    let n = 0;
    for (const d of digestNotices) n += await enqueue(tx, [d.orgId], "weekly_digest", `weekly_digest:${week.id}:${d.orgId}`, d.notice, now);
    return n;
  });
  const judged = { week: week.id, ...counts, assessed, digests };
  const delivery = await deliverDue(deps.db, deps.postWebhook, now);
  return { ...judged, delivery };
}
