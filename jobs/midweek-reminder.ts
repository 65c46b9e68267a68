// midweek-reminder (Thursday 09:00 Beijing; local practice, 张掖 warns every Thursday): tell units whose
// accounts are behind this week's pace while the week can still be saved.
import { accountsWithOrgName } from "../src/db/queries/accounts";
import { weekTallies } from "../src/db/queries/compliance";
import { activePeriods, policyResolver } from "../src/db/queries/monitoring";
import { loadOrgIndex } from "../src/db/queries/org-tree";
import { activeThroughout, EMPTY_TALLY, paceTarget, updatesOf } from "../src/domain/compliance";
import { platformWithType } from "../src/domain/platforms";
import { weeklyMinimumFor } from "../src/domain/policy";
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
    weekTallies(db, ids, [week]),
    activePeriods(db, ids),
    policyResolver(db, index),
  ]);
  // Only accounts that count this week (active since its start) and are behind pace.
  const soFar = { ...week, end: now };
  const behind = new Map<string, { orgName: string; list: { name: string; platformLabel: string; posts: number; updates: number; required: number; orgId: string }[] }>();
  for (const { a, orgName } of live) {
    if (!activeThroughout(periods.get(a.id) ?? [], soFar)) continue;
    // The pace is in updates, counted in the unit of the policy in force (docs/规则依据.md#更新的计数单位).
    const policy = policyFor(a.orgId, shanghaiDate(now));
    const required = weeklyMinimumFor(policy, a.platform, a.accountType);
    const tally = counts.get(a.id)?.[0] ?? EMPTY_TALLY;
    const updates = updatesOf(tally, policy.updateUnit, policy.countReposts);
    if (updates >= paceTarget(required, week.start, now)) continue;
    const entry = behind.get(a.orgId) ?? { orgName, list: [] };
    entry.list.push({ name: a.name, platformLabel: platformWithType(a.platform, a.accountType), posts: tally.items, updates, required, orgId: a.orgId });
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
