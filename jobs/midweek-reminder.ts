// midweek-reminder (Thursday 09:00 Beijing; local practice, 张掖 warns every Thursday): tell units whose
// accounts are behind this week's pace while the week can still be saved.
import { eq, inArray } from "drizzle-orm";
import { accounts, orgs } from "../src/db/schema";
import { activeThroughout } from "../src/domain/compliance";
import { PLATFORM_LABELS } from "../src/domain/platforms";
import { shanghaiDate, weekOf } from "../src/domain/weeks";
import { midweekReminderNotice } from "../src/notify/messages";
import { activePeriods, policyResolver, postCountsByWeek } from "../src/services/monitoring-context";
import { loadOrgIndex } from "../src/services/org-tree";
import { notifyUnitsAndOffices, type AccountNotice } from "../src/services/recipients";
import { deliverDue } from "../src/services/webhooks";
import type { JobDeps } from "./deps";

const WEEK_MS = 7 * 86_400_000;

/** Posts expected by now at an even pace: ceil(required × elapsed share of the week). */
export function paceTarget(required: number, weekStart: Date, now: Date): number {
  const share = Math.min(1, Math.max(0, (now.getTime() - weekStart.getTime()) / WEEK_MS));
  return Math.ceil(required * share);
}

export async function midweekReminder(deps: JobDeps, now: Date) {
  const { db } = deps;
  const week = weekOf(now);
  const index = await loadOrgIndex(db);
  const live = await db
    .select({ a: accounts, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(inArray(accounts.status, ["active"]));
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
    entry: { orgName, accountName: `${list.length} 个账号`, detail: list.map((a) => `${a.name}（${a.platformLabel}）${a.posts}/${a.required}`).join("、") },
  }));
  // Each unit hears about its own accounts; each office gets one list of its units.
  const queued = await notifyUnitsAndOffices(db, "midweek_reminder", items, now, index, week.id);
  const delivery = await deliverDue(db, deps.postWebhook, now);
  return { week: week.id, behindAccounts: [...behind.values()].reduce((n, e) => n + e.list.length, 0), units: behind.size, queued, delivery };
}
