// Loads what the quarterly notice and the annual statistics need (docs/规则依据.md#公开抽查情况、docs/规则依据.md#年度统计); the arithmetic
// lives in domain/reports/, the Markdown and sheet layouts in export/.
import { and, asc, eq, inArray, like } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, accountStatusChanges, filings, inspections, orgs, samplingItems, samplingRounds } from "../schema";
import { isSamplingUnit, treeOrder } from "../../domain/orgs";
import type { AnnualInput, NoticeItemInput, NoticeRoundInput, QuarterlyInput } from "../../domain/reports";
import { shanghaiDate, shanghaiMidnight } from "../../domain/weeks";
import { badRequest } from "../../lib/errors";
import { loadOrgIndex, type OrgRow } from "./org-tree";

const collator = new Intl.Collator("zh-CN");
import { statusesAt } from "./sampling";

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

  const roundIds = rounds.map((r) => r.roundId);
  const rows = roundIds.length
    ? await db
        .select({
          roundId: samplingItems.roundId,
          position: samplingItems.position,
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
        .where(inArray(samplingItems.roundId, roundIds))
    : [];
  const roundRank = new Map(roundIds.map((id, i) => [id, i]));
  rows.sort(
    (a, b) =>
      order(a.orgId, b.orgId) ||
      collator.compare(a.accountName, b.accountName) ||
      roundRank.get(a.roundId)! - roundRank.get(b.roundId)! ||
      a.position - b.position,
  );
  const items: NoticeItemInput[] = rows.map((r) => ({
    roundId: r.roundId,
    accountId: r.accountId,
    accountName: r.accountName,
    platform: r.platform,
    orgId: r.orgId,
    orgName: r.orgName,
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
  }));

  return {
    governmentOrgId: gov.id,
    governmentName: gov.name,
    year: req.year,
    quarter: req.quarter,
    aggregate: req.aggregate,
    today: shanghaiDate(now),
    rounds,
    items,
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
  };
}
