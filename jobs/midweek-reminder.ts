// midweek-reminder (Thursday 09:00 Beijing; local practice, 张掖 warns every Thursday): tell units whose
// accounts are behind this week's pace while the week can still be saved.
import { accountsWithOrgName } from "../src/db/queries/accounts";
import { activePeriods, policyResolver } from "../src/db/queries/monitoring";
import { loadOrgIndex } from "../src/db/queries/org-tree";
import { postCountsByWeek } from "../src/db/queries/posts";
import { activeThroughout, paceTarget } from "../src/domain/compliance";
import { PLATFORM_LABELS } from "../src/domain/platforms";
import { shanghaiDate, weekOf } from "../src/domain/weeks";
import { midweekEntry, midweekReminderNotice } from "../src/notify/messages";
import { deliverDue } from "../src/notify/outbox";
import { notifyUnitsAndOffices, type AccountNotice } from "../src/notify/recipients";
import type { JobDeps } from "./deps";

export async function midweekReminder(deps: JobDeps, now: Date) {
  const { db } = deps;
  const week = weekOf(now);
  const index = await loadOrgIndex(db);
  const live = await accountsWithOrgName(db, ["active"]);
  const ids = live.map((r) => r.a.id);
  const [counts, periods, policyFor] = await Promise.all([
    postCountsByWeek(db, ids, [week]),
    activePeriods(db, ids),
    policyResolver(db, index),
  ]);
  // Only accounts that count this week (active since its start) and are behind pace.
  const soFar = { ...week, end: now };
  const behind = new Map<string, { orgName: string; list: { name: string; platformLabel: string; posts: number; required: number; orgId: string }[] }>();
  for (const { a, orgName } of live) {
    if (!activeThroughout(periods.get(a.id) ?? [], soFar)) continue;
    const required = policyFor(a.orgId, shanghaiDate(now)).weeklyMinimum[a.platform];
    const posts = counts.get(a.id)?.[0] ?? 0;
    if (posts >= paceTarget(required, week.start, now)) continue;
    const entry = behind.get(a.orgId) ?? { orgName, list: [] };
    entry.list.push({ name: a.name, platformLabel: PLATFORM_LABELS[a.platform], posts, required, orgId: a.orgId });
    behind.set(a.orgId, entry);
  }
  const items: AccountNotice[] = [...behind].map(([orgId, { orgName, list }]) => ({
    key: `midweek:${week.id}:${orgId}`,
    account: { orgId },
    notice: midweekReminderNotice({ orgName, weekId: week.id, accounts: list }),
    entry: midweekEntry(orgName, list),
  }));
  // Each unit hears about its own accounts; each office gets one list of its units.
  const queued = await notifyUnitsAndOffices(db, "midweek_reminder", items, now, index, week.id);
  const delivery = await deliverDue(db, deps.postWebhook, now);
  return { week: week.id, behindAccounts: [...behind.values()].reduce((n, e) => n + e.list.length, 0), units: behind.size, queued, delivery };
}
