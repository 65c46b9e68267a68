// Dormancy, recommendations and registry flags for every live account, turned into alerts (SPEC §4).
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { accounts, alerts, feedState, orgs } from "../db/schema";
import type { WeekStatus } from "../domain/compliance";
import { IN_USE_STATUSES } from "../domain/lifecycle";
import { assessDormancy, recommend, type DormancyFinding } from "../domain/dormancy";
import { filingAuthority } from "../domain/orgs";
import { PLATFORM_LABELS } from "../domain/platforms";
import { FLAG_CODES } from "../domain/registry-checks";
import { addWeeks, shanghaiDate, weekOf, weekRange } from "../domain/weeks";
import { formatShanghaiDateTime, vetoNotice } from "../notify/messages";
import { flagsFor } from "./accounts";
import { OPEN_ALERT_STATUSES, syncAlertsBulk, type AlertKind, type AlertSignal, type AlertSyncItem } from "./alerts";
import { computeCompliance } from "./compliance";
import { activePeriods, policyResolver } from "./monitoring-context";
import { loadOrgIndex } from "./org-tree";
import { lastPostTimes } from "./posts";
import { notifyUnitsAndOffices, type AccountNotice } from "./recipients";

export const DORMANCY_KINDS: readonly AlertKind[] = ["no_update_14d", "dormant_90d", "recommend_consolidate", "recommend_close"];
/** Findings that need data: with none, they stand as they are (never opened, never auto-closed). */
const VERDICT_KINDS: readonly AlertKind[] = DORMANCY_KINDS;
export const FLAG_KINDS: readonly AlertKind[] = FLAG_CODES;
/** Enough weeks to find the policy's chronic window (at most 52) among counted weeks. */
const HISTORY_WEEKS = 53;
/** Consecutive failures that make a feed "failing" (poll-feeds raises feed_failing at the same count). */
export const FEED_FAILING_AFTER = 3;

export interface AssessResult {
  accounts: number;
  opened: Record<string, number>;
  resolved: number;
  vetoNotices: number;
}

/**
 * Reads and judges outside any transaction (the slow part), then writes the alerts, notices and
 * clean-up in one short transaction, so requests and other writers wait milliseconds, not seconds.
 */
export async function assessAccounts(db: Db, now: Date): Promise<AssessResult> {
  const index = await loadOrgIndex(db);
  const live = await db
    .select({ a: accounts, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(inArray(accounts.status, [...IN_USE_STATUSES]));
  const list = live.map((r) => r.a);
  const ids = list.map((a) => a.id);
  const current = weekOf(now);
  const weeks = weekRange(addWeeks(current, -HISTORY_WEEKS), addWeeks(current, -1));
  const [compliance, lastPosts, periods, states, flags, policyFor] = await Promise.all([
    computeCompliance(db, list, weeks, index),
    lastPostTimes(db, ids, now),
    activePeriods(db, ids),
    ids.length ? db.select().from(feedState).where(inArray(feedState.accountId, ids)) : Promise.resolve([]),
    flagsFor(db, list),
    policyResolver(db, index),
  ]);
  const weeksByAccount = new Map<string, WeekStatus[]>();
  for (const row of compliance) weeksByAccount.set(row.accountId, [...(weeksByAccount.get(row.accountId) ?? []), row.status]);
  const stateById = new Map(states.map((s) => [s.accountId, s]));
  const candidates = list.map((a) => ({ ...a, lastPostAt: lastPosts.get(a.id) ?? null }));

  const result: AssessResult = { accounts: list.length, opened: {}, resolved: 0, vetoNotices: 0 };
  const items: AlertSyncItem[] = [];
  const findings = new Map<string, { orgName: string; finding: DormancyFinding }>();
  for (const { a, orgName } of live) {
    const signals: AlertSignal[] = (flags.get(a.id) ?? []).map((f) => ({ kind: f.code, message: f.message }));
    let kinds: AlertKind[] = [...FLAG_KINDS, ...DORMANCY_KINDS];
    let finding: DormancyFinding | undefined;
    // Only active accounts are judged: a suspension is announced (停更公告), a closure is under way.
    if (a.status === "active") {
      const state = stateById.get(a.id);
      // No verdict without data: a feed that has not been read successfully lately, or an account
      // with no feed and nothing ever pushed, is "unknown", never dormant (SPEC §7).
      const feedReadable = !!state && state.feedUrl === a.feedUrl && state.lastSuccessAt !== null && state.consecutiveFailures < FEED_FAILING_AFTER;
      const noData = a.feedUrl ? !feedReadable : !lastPosts.has(a.id);
      const since = periods.get(a.id)?.at(-1)?.from ?? new Date(a.createdAt);
      finding = assessDormancy({
        now,
        lastPostAt: lastPosts.get(a.id) ?? null,
        liveSince: since,
        feedFailing: noData,
        recentWeeks: [...(weeksByAccount.get(a.id) ?? [])].reverse(),
        policy: policyFor(a.orgId, shanghaiDate(now)),
        platform: a.platform,
      });
      // A failing feed gives no verdict either way: leave veto/zombie alerts as they stand.
      if (finding.unknown) kinds = kinds.filter((k) => !VERDICT_KINDS.includes(k));
      const evidence = { daysSinceLastPost: finding.daysSinceLastPost, belowWeeks: finding.belowWeeks, countedWeeks: finding.countedWeeks, lastPostAt: finding.lastPostAt?.toISOString() ?? null };
      if (finding.veto) {
        signals.push({ kind: "no_update_14d", message: `监测时间点前两周内无更新（${finding.daysSinceLastPost === null ? "开通以来未见更新" : `已${finding.daysSinceLastPost}天无更新`}），单项否决`, detail: evidence });
      }
      if (finding.zombie) signals.push({ kind: "dormant_90d", message: `长期未更新（超过${finding.zombieDays ?? 90}天），属僵尸账号`, detail: evidence });
      const org = index.get(a.orgId);
      const unitGovernment = org && org.kind === "department" ? filingAuthority(org, index).id : null;
      const advice = recommend(a, finding, candidates, unitGovernment);
      if (advice?.kind === "consolidate") {
        signals.push({ kind: "recommend_consolidate", message: advice.reason, detail: { ...evidence, targetAccountId: advice.targetAccountId } });
      } else if (advice?.kind === "close") {
        signals.push({ kind: "recommend_close", message: advice.reason, detail: evidence });
      }
    }
    items.push({ account: a, kinds, signals });
    if (finding) findings.set(a.id, { orgName, finding });
  }
  return db.transaction(async (tx) => {
    const res = await syncAlertsBulk(tx, items, now);
    result.resolved += res.resolved;
    const byId = new Map(list.map((a) => [a.id, a]));
    const vetoes: AccountNotice[] = [];
    for (const alert of res.opened) {
      result.opened[alert.kind] = (result.opened[alert.kind] ?? 0) + 1;
      const a = byId.get(alert.accountId);
      const f = findings.get(alert.accountId);
      if (alert.kind === "no_update_14d" && a && f) {
        const lastPostAt = f.finding.lastPostAt ?? null;
        vetoes.push({
          key: `veto:${alert.id}`,
          account: a,
          notice: vetoNotice({ orgName: f.orgName, accountName: a.name, platformLabel: PLATFORM_LABELS[a.platform], lastPostAt, days: f.finding.daysSinceLastPost ?? 14 }),
          entry: {
            orgName: f.orgName,
            accountName: `${a.name}（${PLATFORM_LABELS[a.platform]}）`,
            detail: lastPostAt ? `最近更新 ${formatShanghaiDateTime(lastPostAt)}，已 ${f.finding.daysSinceLastPost} 天` : "开通以来未见更新",
          },
        });
      }
    }
    // An immediate message on a new veto: to each unit, and one list to each supervising office.
    result.vetoNotices = await notifyUnitsAndOffices(tx, "veto", vetoes, now, index);
    // Accounts no longer live (closed, merged, rejected) keep no open alerts.
    const stale = await tx
      .select({ id: alerts.id })
      .from(alerts)
      .innerJoin(accounts, eq(accounts.id, alerts.accountId))
      .where(and(inArray(alerts.status, [...OPEN_ALERT_STATUSES]), inArray(accounts.status, ["closed", "merged", "rejected"])));
    for (const s of stale) {
      await tx
        .update(alerts)
        .set({ status: "resolved", resolvedAt: now.toISOString(), resolvedBy: "auto", note: "账号已关停、整合或未获批准，自动关闭" })
        .where(eq(alerts.id, s.id));
    }
    result.resolved += stale.length;
    return result;
  });
}

