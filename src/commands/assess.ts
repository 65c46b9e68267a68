// Dormancy, recommendations and registry flags for every in-use account, turned into alerts (docs/规则依据.md#两周单项否决).
import type { Db } from "../db/client";
import { accountsWithOrgName, flagsFor } from "../db/queries/accounts";
import { resolveAlertsOfEndedAccounts, syncAlertsBulk, type AlertSyncItem } from "../db/queries/alerts";
import { computeCompliance } from "../db/queries/compliance";
import { dormancySources } from "../db/queries/dormancy";
import { policyResolver } from "../db/queries/monitoring";
import { loadOrgIndex } from "../db/queries/org-tree";
import { judgeAccount, judgeDataSource, judgeWeek } from "../domain/alerts";
import type { ComplianceRow, WeekStatus } from "../domain/compliance";
import { assessAccount, DUPLICATE_WINDOW_WEEKS, recommend, type Candidate, type DormancyFinding } from "../domain/dormancy";
import { IN_USE_STATUSES } from "../domain/lifecycle";
import { treeGovernment } from "../domain/orgs";
import { PLATFORM_LABELS } from "../domain/platforms";
import { addWeeks, shanghaiDate, weekOf, weekRange, type Week } from "../domain/weeks";
import { vetoEntry, vetoNotice } from "../notify/messages";
import { notifyUnitsAndOffices, type AccountNotice } from "../notify/recipients";

/** Enough weeks to find the policy's chronic window (at most 52) among counted weeks. */
const HISTORY_WEEKS = 53;

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
  return (await assess(db, now)).result;
}

export interface WeekJudged {
  week: Week;
  /** Each in-use account's row for the week. */
  rows: Map<string, ComplianceRow>;
  counts: Record<WeekStatus, number>;
}

/**
 * The daily assessment and the finished week's minimum (below_minimum) judged together, from one
 * read of the evidence: evaluate-week's way, which would otherwise read the week twice.
 */
export async function assessWithWeek(db: Db, now: Date, week: Week) {
  const { weekJudged, ...rest } = await assess(db, now, week);
  return { ...rest, weekJudged: weekJudged! };
}

async function assess(db: Db, now: Date, judgedWeek?: Week) {
  const index = await loadOrgIndex(db);
  const live = await accountsWithOrgName(db, IN_USE_STATUSES);
  const list = live.map((r) => r.a);
  const ids = list.map((a) => a.id);
  const current = weekOf(now);
  const [{ lastPosts, periods, feeds }, flags, policyFor] = await Promise.all([dormancySources(db, ids, now), flagsFor(db, list, { index, listStatuses: IN_USE_STATUSES }), policyResolver(db, index)]);
  const today = shanghaiDate(now);
  const policies = new Map(list.map((a) => [a.id, policyFor(a.orgId, today)]));
  // The chronic rule looks at the last chronicWindowWeeks *counted* weeks, which may lie further back
  // than that many calendar weeks (exempt and unknown weeks are skipped). Judge the recent weeks for
  // every account first, then the older weeks only for the active accounts still short of counted
  // weeks: the weekly job reads about the window's posts, not up to a year of history each time.
  const recentSpan = Math.min(HISTORY_WEEKS, list.reduce((m, a) => Math.max(m, policies.get(a.id)!.chronicWindowWeeks), DUPLICATE_WINDOW_WEEKS));
  const recent = await computeCompliance(db, list, weekRange(addWeeks(current, -recentSpan), addWeeks(current, -1)), index, undefined, { keepAt: now, periods });
  const countedRecent = new Map<string, number>();
  for (const row of recent) if (row.status === "compliant" || row.status === "below") countedRecent.set(row.accountId, (countedRecent.get(row.accountId) ?? 0) + 1);
  const short = list.filter((a) => a.status === "active" && (countedRecent.get(a.id) ?? 0) < policies.get(a.id)!.chronicWindowWeeks);
  const older =
    recentSpan < HISTORY_WEEKS && short.length > 0
      ? await computeCompliance(db, short, weekRange(addWeeks(current, -HISTORY_WEEKS), addWeeks(current, -recentSpan - 1)), index, undefined, { keepAt: now, periods })
      : [];
  const compliance = [...older, ...recent];
  // Oldest first per account, as the weeks run.
  const weeksByAccount = new Map<string, WeekStatus[]>();
  for (const row of compliance) {
    let statuses = weeksByAccount.get(row.accountId);
    if (!statuses) weeksByAccount.set(row.accountId, (statuses = []));
    statuses.push(row.status);
  }
  // Posts in the last DUPLICATE_WINDOW_WEEKS finished weeks: which of two same-platform accounts is the less active.
  const window = new Set(weekRange(addWeeks(current, -DUPLICATE_WINDOW_WEEKS), addWeeks(current, -1)).map((w) => w.id));
  const recentPosts = new Map<string, number>();
  for (const row of compliance) if (window.has(row.week)) recentPosts.set(row.accountId, (recentPosts.get(row.accountId) ?? 0) + row.posts);
  // recommend() compares an account only with accounts of its own org and of its unit's government:
  // handing it those (in list order) instead of every account keeps the job linear in the accounts.
  const candidatesByOrg = new Map<string, Candidate[]>();
  for (const a of list) {
    let group = candidatesByOrg.get(a.orgId);
    if (!group) candidatesByOrg.set(a.orgId, (group = []));
    // Only what recommend() compares, not a copy of the whole row: a province holds every account here.
    group.push({ id: a.id, orgId: a.orgId, platform: a.platform, status: a.status, name: a.name, lastPostAt: lastPosts.get(a.id) ?? null, recentPosts: recentPosts.get(a.id) ?? 0 });
  }
  const candidatesFor = (orgId: string, unitGovernment: string | null): Candidate[] => {
    const own = candidatesByOrg.get(orgId) ?? [];
    if (unitGovernment === null || unitGovernment === orgId) return own;
    return [...own, ...(candidatesByOrg.get(unitGovernment) ?? [])];
  };

  // The finished week's rows: from the window when it lies inside it (always, for evaluate-week).
  let weekJudged: WeekJudged | undefined;
  if (judgedWeek) {
    const inWindow = recent.filter((r) => r.week === judgedWeek.id);
    const rows = inWindow.length > 0 || list.length === 0 ? inWindow : await computeCompliance(db, list, [judgedWeek], index, undefined, { keepAt: now, periods });
    weekJudged = { week: judgedWeek, rows: new Map(rows.map((r) => [r.accountId, r])), counts: { compliant: 0, below: 0, exempt: 0, unknown: 0 } };
  }
  const result: AssessResult = { accounts: list.length, opened: {}, resolved: 0, vetoNotices: 0 };
  const items: AlertSyncItem[] = [];
  const findings = new Map<string, { orgName: string; finding: DormancyFinding }>();
  for (const { a, orgName } of live) {
    let dormancy: Parameters<typeof judgeAccount>[1];
    // Only active accounts are judged: a suspension is announced (停更公告), a closure is under way.
    if (a.status === "active") {
      const finding = assessAccount({
        now,
        account: a,
        feed: feeds.get(a.id),
        lastPostAt: lastPosts.get(a.id) ?? null,
        periods: periods.get(a.id) ?? [],
        recentWeeks: [...(weeksByAccount.get(a.id) ?? [])].reverse(),
        policy: policies.get(a.id)!,
      });
      const org = index.get(a.orgId);
      // The government (or zone) the department belongs to by the tree, not a designated filing
      // authority: a 县公安局 account is consolidated into 县政府's, never into 市公安局's.
      const unitGovernment = org && org.kind === "department" ? (treeGovernment(org, index)?.id ?? null) : null;
      dormancy = { finding, advice: recommend(a, finding, candidatesFor(a.orgId, unitGovernment), unitGovernment) };
      findings.set(a.id, { orgName, finding });
    }
    const judged = judgeAccount(flags.get(a.id) ?? [], dormancy);
    // No feed and no post ever pushed or imported (backfill is not a post here): its own alert, once.
    const source = judgeDataSource(a, lastPosts.has(a.id));
    const item = { account: a, kinds: [...judged.kinds, ...source.kinds], signals: [...judged.signals, ...source.signals] };
    const weekRow = weekJudged?.rows.get(a.id);
    if (weekJudged && weekRow) {
      weekJudged.counts[weekRow.status]++;
      const minimum = judgeWeek(weekJudged.week.id, weekRow);
      if (minimum) {
        item.kinds.push(...minimum.kinds);
        item.signals.push(...minimum.signals);
      }
    }
    items.push(item);
  }
  const written = await db.transaction(async (tx) => {
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
        const who = { orgName: f.orgName, accountName: a.name, platformLabel: PLATFORM_LABELS[a.platform], lastPostAt };
        vetoes.push({
          key: `veto:${alert.id}`,
          account: a,
          notice: vetoNotice({ ...who, days: f.finding.daysSinceLastPost ?? 14 }),
          entry: vetoEntry({ ...who, days: f.finding.daysSinceLastPost }),
        });
      }
    }
    // An immediate message on a new veto: to each unit, and one list to each supervising office.
    result.vetoNotices = await notifyUnitsAndOffices(tx, "veto", vetoes, now, index);
    result.resolved += await resolveAlertsOfEndedAccounts(tx, now);
    return result;
  });
  return { result: written, live, index, weekJudged };
}
