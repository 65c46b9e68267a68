// Loads what the quarterly notice and the annual statistics need (docs/规则依据.md#公开抽查情况、docs/规则依据.md#年度统计); the arithmetic
// lives in domain/reports/, the Markdown and sheet layouts in export/.
import { and, asc, desc, eq, inArray, isNull, like, lt, ne, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, accountStatusChanges, alerts, filings, inspections, orgs, publishedNotices, samplingItems, samplingRounds, scoreRules } from "../schema";
import { OPEN_ALERT_STATUSES } from "../../domain/alerts";
import { ancestors } from "../../domain/orgs";
import { buildQuarterlyNotice, resolveScoreTable, type ScoreTable } from "../../domain/reports";
import { quarterEnd, quarterStart, weekOf, weekRange } from "../../domain/weeks";
import { computeCompliance, type MonitoredAccount } from "./compliance";
import { pickEarlierFailure, type EarlierFailure } from "../../domain/inspection";
import { isSamplingUnit, treeOrder, type OrgIndex } from "../../domain/orgs";
import type { AnnualInput, LowerInput, NoticeItemInput, NoticeRoundInput, QuarterlyInput } from "../../domain/reports";
import { shanghaiDate, shanghaiMidnight } from "../../domain/weeks";
import { badRequest } from "../../lib/errors";
import { chunks, inIds, policyResolver } from "./monitoring";
import { loadOrgIndex, type OrgRow } from "./org-tree";

const collator = new Intl.Collator("zh-CN");
import { statusesAt } from "./sampling";

/**
 * Failed inspections of these accounts in rounds of quarters before `before`, newest first per
 * account: what a re-check (复查) follows up.
 */
export async function earlierFailures(
  db: DbOrTx,
  accountIds: readonly string[],
  before: { year: number; quarter: number },
): Promise<Map<string, EarlierFailure[]>> {
  const out = new Map<string, EarlierFailure[]>();
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select({
        accountId: inspections.accountId,
        inspectionId: inspections.id,
        roundId: inspections.roundId,
        deadline: inspections.deadline,
        rectifiedAt: inspections.rectifiedAt,
        year: samplingRounds.year,
        quarter: samplingRounds.quarter,
      })
      .from(inspections)
      .innerJoin(samplingRounds, eq(samplingRounds.id, inspections.roundId))
      .where(
        and(
          inIds(inspections.accountId, ids),
          eq(inspections.result, "fail"),
          or(lt(samplingRounds.year, before.year), and(eq(samplingRounds.year, before.year), lt(samplingRounds.quarter, before.quarter))),
        ),
      );
    for (const { accountId, ...f } of rows) {
      const list = out.get(accountId) ?? [];
      list.push(f);
      out.set(accountId, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => b.year - a.year || b.quarter - a.quarter || (a.inspectionId < b.inspectionId ? -1 : 1));
  return out;
}

/** The government a quarterly notice can be issued for: a sampling unit (county-level government or above). */
export function ensureNoticeUnit(org: OrgRow) {
  if (!isSamplingUnit(org)) throw badRequest("通报单位须为县级及以上政府（抽查单位）");
}

/**
 * The rounds of the quarter — the government's own, or (aggregate) those of every sampling unit in
 * its subtree — with their sampled accounts and recorded results.
 */
export async function loadQuarterly(
  db: DbOrTx,
  gov: OrgRow,
  req: { year: number; quarter: number; aggregate: boolean },
  now: Date,
): Promise<QuarterlyInput> {
  const scope = req.aggregate ? like(orgs.path, `${gov.path}%`) : eq(samplingRounds.governmentOrgId, gov.id);
  const [roundRows, index] = await Promise.all([
    db
      .select({ round: samplingRounds, unitName: orgs.name })
      .from(samplingRounds)
      .innerJoin(orgs, eq(orgs.id, samplingRounds.governmentOrgId))
      .where(and(eq(samplingRounds.year, req.year), eq(samplingRounds.quarter, req.quarter), scope)),
    loadOrgIndex(db),
  ]);
  const order = treeOrder(index);
  roundRows.sort((a, b) => order(a.round.governmentOrgId, b.round.governmentOrgId));
  const rounds: NoticeRoundInput[] = roundRows.map(({ round, unitName }) => ({
    roundId: round.id,
    governmentOrgId: round.governmentOrgId,
    unitName,
    population: round.populationSize,
    sampleSize: round.sampleSize,
    seed: round.seed,
    rate: round.rate,
  }));

  const items = await loadNoticeItems(db, rounds.map((r) => r.roundId), { year: req.year, quarter: req.quarter }, index, now);
  const monitoring = await monitoringFindings(db, [...new Set(items.map((i) => i.accountId))], req, index, now);
  for (const i of items) i.monitoring = monitoring.get(i.accountId) ?? { belowWeeks: 0, openVetoAlerts: 0 };
  const scoreTables = await scoreTablesFor(db, [...new Set(items.map((i) => i.orgId))], index, scoreDate(req, now));

  return {
    governmentOrgId: gov.id,
    governmentName: gov.name,
    year: req.year,
    quarter: req.quarter,
    aggregate: req.aggregate,
    today: shanghaiDate(now),
    rounds,
    items,
    scoreTables,
  };
}

/** The day the score table is read for: the quarter's last day, or today while it runs. */
function scoreDate(req: { year: number; quarter: number }, now: Date): string {
  const last = shanghaiDate(new Date(quarterEnd(req.year, req.quarter).getTime() - 1));
  const today = shanghaiDate(now);
  return today < last ? today : last;
}

/** The score table in force per org on the date: score_rules of the org and its ancestors over the default. */
export async function scoreTablesFor(db: DbOrTx, orgIds: readonly string[], index: OrgIndex, date: string): Promise<Record<string, ScoreTable>> {
  const rules = await db.select().from(scoreRules);
  const out: Record<string, ScoreTable> = {};
  for (const id of orgIds) {
    const org = index.get(id);
    const chain = org ? [id, ...ancestors(org, index).map((a) => a.id)] : [id];
    out[id] = resolveScoreTable(rules, chain, date);
  }
  return out;
}

/**
 * Monitoring findings per account for the unit score: account-weeks of the quarter judged below
 * the weekly minimum (weeks not over yet are not judged), and open 两周未更新 (no_update_14d) alerts.
 */
async function monitoringFindings(
  db: DbOrTx,
  accountIds: readonly string[],
  req: { year: number; quarter: number },
  index: OrgIndex,
  now: Date,
): Promise<Map<string, { belowWeeks: number; openVetoAlerts: number }>> {
  const out = new Map<string, { belowWeeks: number; openVetoAlerts: number }>();
  if (accountIds.length === 0) return out;
  const entry = (id: string) => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { belowWeeks: 0, openVetoAlerts: 0 }));
    return e;
  };
  const start = quarterStart(req.year, req.quarter);
  const end = quarterEnd(req.year, req.quarter);
  if (start < now) {
    // Weeks starting in the quarter (a week straddling the quarter's start belongs to the quarter before).
    const lastInstant = new Date((end < now ? end : now).getTime() - 1);
    const weeks = weekRange(weekOf(start), weekOf(lastInstant)).filter((w) => w.start >= start);
    const list: MonitoredAccount[] = [];
    for (const ids of chunks(accountIds)) {
      list.push(
        ...(await db
          .select({ id: accounts.id, orgId: accounts.orgId, name: accounts.name, platform: accounts.platform, accountType: accounts.accountType, feedUrl: accounts.feedUrl })
          .from(accounts)
          .where(inIds(accounts.id, ids))),
      );
    }
    if (weeks.length > 0) for (const r of await computeCompliance(db, list, weeks, index, now)) if (r.status === "below") entry(r.accountId).belowWeeks += 1;
  }
  for (const ids of chunks(accountIds)) {
    const open = await db
      .select({ accountId: alerts.accountId })
      .from(alerts)
      .where(and(inIds(alerts.accountId, ids), eq(alerts.kind, "no_update_14d"), inArray(alerts.status, [...OPEN_ALERT_STATUSES])));
    for (const a of open) entry(a.accountId).openVetoAlerts += 1;
  }
  return out;
}

/**
 * The sampled accounts of these rounds (all of one quarter) in notice order — units in tree order,
 * then account name — with their results, the 单项否决 types of the policy in force for the owning
 * org on the inspection day (today if not inspected), and for re-checks the earlier failure.
 */
async function loadNoticeItems(
  db: DbOrTx,
  roundIds: readonly string[],
  quarter: { year: number; quarter: number },
  index: OrgIndex,
  now: Date,
): Promise<NoticeItemInput[]> {
  if (roundIds.length === 0) return [];
  const order = treeOrder(index);
  const today = shanghaiDate(now);
  const [rows, policyFor] = await Promise.all([
    db
      .select({
        roundId: samplingItems.roundId,
        position: samplingItems.position,
        reason: samplingItems.reason,
        accountId: accounts.id,
        accountName: accounts.name,
        platform: accounts.platform,
        orgId: accounts.orgId,
        orgName: orgs.name,
        inspection: inspections,
      })
      .from(samplingItems)
      .innerJoin(accounts, eq(accounts.id, samplingItems.accountId))
      .innerJoin(orgs, eq(orgs.id, accounts.orgId))
      .leftJoin(inspections, and(eq(inspections.roundId, samplingItems.roundId), eq(inspections.accountId, samplingItems.accountId)))
      .where(inArray(samplingItems.roundId, [...roundIds])),
    policyResolver(db, index),
  ]);
  const earlier = await earlierFailures(
    db,
    rows.filter((r) => r.reason === "recheck").map((r) => r.accountId),
    quarter,
  );
  const roundRank = new Map(roundIds.map((id, i) => [id, i]));
  rows.sort(
    (a, b) =>
      order(a.orgId, b.orgId) ||
      collator.compare(a.accountName, b.accountName) ||
      roundRank.get(a.roundId)! - roundRank.get(b.roundId)! ||
      a.position - b.position,
  );
  return rows.map((r) => {
    const onDate = r.inspection?.inspectedOn ?? today;
    return {
      roundId: r.roundId,
      accountId: r.accountId,
      accountName: r.accountName,
      platform: r.platform,
      orgId: r.orgId,
      orgName: r.orgName,
      reason: r.reason,
      vetoProblems: policyFor(r.orgId, onDate).vetoProblems,
      earlierFailure: r.reason === "recheck" ? pickEarlierFailure(earlier.get(r.accountId) ?? [], onDate) : null,
      inspection: r.inspection
        ? {
            id: r.inspection.id,
            result: r.inspection.result,
            problems: r.inspection.problems,
            requirement: r.inspection.requirement,
            deadline: r.inspection.deadline,
            rectifiedAt: r.inspection.rectifiedAt,
            inspectedOn: r.inspection.inspectedOn,
          }
        : null,
    };
  });
}

/**
 * The sampling units strictly below the government (tree order), their rounds of the quarter and
 * the sampled accounts: what the roll-up (includeLower) aggregates.
 */
export async function loadLower(db: DbOrTx, gov: OrgRow, req: { year: number; quarter: number }, now: Date): Promise<LowerInput> {
  const index = await loadOrgIndex(db);
  const order = treeOrder(index);
  const below = await db
    .select({ id: orgs.id, name: orgs.name, kind: orgs.kind, level: orgs.level })
    .from(orgs)
    .where(and(like(orgs.path, `${gov.path}%`), ne(orgs.id, gov.id)));
  const units = below.filter((o) => isSamplingUnit(o)).sort((a, b) => order(a.id, b.id));
  const unitIds = units.map((u) => u.id);
  const rounds: { roundId: string; governmentOrgId: string }[] = [];
  for (const ids of chunks(unitIds)) {
    rounds.push(
      ...(await db
        .select({ roundId: samplingRounds.id, governmentOrgId: samplingRounds.governmentOrgId })
        .from(samplingRounds)
        .where(and(eq(samplingRounds.year, req.year), eq(samplingRounds.quarter, req.quarter), inIds(samplingRounds.governmentOrgId, ids)))),
    );
  }
  return {
    today: shanghaiDate(now),
    units: units.map((u) => ({ orgId: u.id, orgName: u.name })),
    rounds,
    items: await loadNoticeItems(db, rounds.map((r) => r.roundId), req, index, now),
  };
}

/** The government an annual report can be made for: any government (a department reports through its own). */
export function ensureAnnualUnit(org: OrgRow) {
  if (org.kind !== "government") throw badRequest("年度统计须按政府（kind=government）出具");
}

/**
 * Accounts owned in the government's subtree with their status at the end of the year (Shanghai)
 * or now if earlier, their status history, and the year's rounds and inspections of the sampling
 * units in the subtree.
 */
export async function loadAnnual(db: DbOrTx, gov: OrgRow, year: number, now: Date): Promise<AnnualInput> {
  const yearStart = shanghaiMidnight(`${year}-01-01`);
  const yearEnd = shanghaiMidnight(`${year + 1}-01-01`);
  if (yearStart > now) throw badRequest(`${year}年尚未开始，无法统计`);
  const lastInstant = new Date(yearEnd.getTime() - 1);
  const asOf = now < lastInstant ? now : lastInstant;
  const inTree = like(orgs.path, `${gov.path}%`);

  const [list, statuses, changes, rounds, results, existingFiled] = await Promise.all([
    db
      .select({ accountId: accounts.id, platform: accounts.platform, level: orgs.level, origin: accounts.origin, openedOn: accounts.openedOn })
      .from(accounts)
      .innerJoin(orgs, eq(orgs.id, accounts.orgId))
      .where(inTree),
    statusesAt(db, asOf),
    db
      .select({ accountId: accountStatusChanges.accountId, status: accountStatusChanges.status, at: accountStatusChanges.at })
      .from(accountStatusChanges)
      .innerJoin(accounts, eq(accounts.id, accountStatusChanges.accountId))
      .innerJoin(orgs, eq(orgs.id, accounts.orgId))
      .where(inTree)
      .orderBy(asc(accountStatusChanges.id)),
    db
      .select({ roundId: samplingRounds.id, quarter: samplingRounds.quarter, sampleSize: samplingRounds.sampleSize })
      .from(samplingRounds)
      .innerJoin(orgs, eq(orgs.id, samplingRounds.governmentOrgId))
      .where(and(eq(samplingRounds.year, year), inTree)),
    db
      .select({ quarter: samplingRounds.quarter, result: inspections.result })
      .from(inspections)
      .innerJoin(samplingRounds, eq(samplingRounds.id, inspections.roundId))
      .innerJoin(orgs, eq(orgs.id, samplingRounds.governmentOrgId))
      .where(and(eq(samplingRounds.year, year), inTree)),
    // 存量登记: approved open filings that registered an account already running (docs/规则依据.md#开设日期与存量登记).
    db
      .select({ accountId: filings.accountId })
      .from(filings)
      .innerJoin(accounts, eq(accounts.id, filings.accountId))
      .innerJoin(orgs, eq(orgs.id, accounts.orgId))
      .where(and(eq(filings.kind, "open"), eq(filings.status, "approved"), eq(filings.registration, "existing"), inTree)),
  ]);
  const existing = new Set(existingFiled.map((f) => f.accountId));
  // 单位得分: the year's average over the quarters that had a round (the notices' unitScores).
  const quarterScores = [];
  for (const quarter of [...new Set(rounds.map((r) => r.quarter))].sort()) {
    const notice = buildQuarterlyNotice(await loadQuarterly(db, gov, { year, quarter, aggregate: true }, now));
    quarterScores.push({ quarter, unitScores: notice.unitScores });
  }

  return {
    governmentOrgId: gov.id,
    governmentName: gov.name,
    year,
    asOf,
    asOfDate: shanghaiDate(asOf),
    yearStart,
    yearEnd,
    accounts: list.map(({ origin, ...a }) => ({
      ...a,
      status: statuses.get(a.accountId) ?? null,
      // A ledger lists accounts that exist: an import is a registration, not an opening.
      existing: origin === "import" || existing.has(a.accountId),
    })),
    changes,
    rounds,
    inspections: results,
    quarterScores,
  };
}

export type PublishedNoticeRow = typeof publishedNotices.$inferSelect;

/** The notice of the quarter that is public now (published, not withdrawn), if any. */
export async function currentPublication(db: DbOrTx, governmentOrgId: string, year: number, quarter: number): Promise<PublishedNoticeRow | undefined> {
  const [row] = await db
    .select()
    .from(publishedNotices)
    .where(
      and(
        eq(publishedNotices.governmentOrgId, governmentOrgId),
        eq(publishedNotices.year, year),
        eq(publishedNotices.quarter, quarter),
        isNull(publishedNotices.unpublishedAt),
      ),
    )
    .orderBy(desc(publishedNotices.publishedAt))
    .limit(1);
  return row;
}

/** Every notice of the government that is public now, newest quarter first: the index page and RSS. */
export async function currentPublications(db: DbOrTx, governmentOrgId: string): Promise<PublishedNoticeRow[]> {
  return db
    .select()
    .from(publishedNotices)
    .where(and(eq(publishedNotices.governmentOrgId, governmentOrgId), isNull(publishedNotices.unpublishedAt)))
    .orderBy(desc(publishedNotices.year), desc(publishedNotices.quarter), desc(publishedNotices.publishedAt));
}
