// evaluate-week (Monday 01:00 Beijing): judge the week just ended, alert, and send each org's digest.
import { eq, inArray } from "drizzle-orm";
import { accounts, alerts, orgs, webhooks } from "../src/db/schema";
import { PLATFORM_LABELS } from "../src/domain/platforms";
import { addWeeks, weekOf, type Week } from "../src/domain/weeks";
import { weeklyDigestNotice } from "../src/notify/messages";
import { ALERT_KIND_LABELS, OPEN_ALERT_STATUSES, syncAlertsBulk } from "../src/services/alerts";
import { IN_USE_STATUSES } from "../src/domain/lifecycle";
import { assessAccounts } from "../src/services/assess";
import { computeCompliance } from "../src/services/compliance";
import { isVisible, loadOrgIndex } from "../src/services/org-tree";
import { deliverDue, enqueue } from "../src/services/webhooks";
import type { JobDeps } from "./deps";

export async function evaluateWeek(deps: JobDeps, now: Date) {
  const week: Week = addWeeks(weekOf(now), -1);
  const { db } = deps;
  // Reads and judgements outside any transaction; each write step is its own short transaction.
  const index = await loadOrgIndex(db);
  const live = await db
    .select({ a: accounts, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(inArray(accounts.status, [...IN_USE_STATUSES]));
  const rows = await computeCompliance(db, live.map((r) => r.a), [week], index);
  const byAccount = new Map(rows.map((r) => [r.accountId, r]));
  const counts = { compliant: 0, below: 0, exempt: 0, unknown: 0 };
  const items = live.flatMap(({ a }) => {
    const r = byAccount.get(a.id)!;
    counts[r.status]++;
    // "unknown" is no evidence either way: the alert stays as it is.
    if (r.status === "unknown") return [];
    const signals =
      r.status === "below"
        ? [{ kind: "below_minimum" as const, message: `${week.id} 更新 ${r.posts} 次，低于每周最低 ${r.required} 次`, detail: { week: week.id, posts: r.posts, required: r.required } }]
        : [];
    return [{ account: a, kinds: ["below_minimum" as const], signals }];
  });
  await db.transaction((tx) => syncAlertsBulk(tx, items, now));
  const assessed = await assessAccounts(db, now);

  // A digest for each org that has asked for one, covering its subtree.
  const hooks = await db.select().from(webhooks).where(eq(webhooks.active, true));
  const digestOrgs = [...new Set(hooks.filter((h) => h.events.includes("weekly_digest")).map((h) => h.orgId))];
  const openAlerts = await db
    .select({ accountId: alerts.accountId, kind: alerts.kind })
    .from(alerts)
    .where(inArray(alerts.status, [...OPEN_ALERT_STATUSES]));
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
        return { name: a.name, platformLabel: PLATFORM_LABELS[a.platform], posts: r.posts, required: r.required, status: r.status };
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
