// Weekly compliance for a set of accounts and weeks: loads the evidence, lets the domain judge.
import type { DbOrTx } from "../client";
import { judgeWeeks, type ComplianceRow } from "../../domain/compliance";
import type { OrgNode } from "../../domain/orgs";
import type { Platform } from "../../domain/platforms";
import type { Week } from "../../domain/weeks";
import { coverageDates } from "./feeds";
import { activePeriods, policyResolver } from "./monitoring";
import { firstPostTimes, postCountsByWeek } from "./posts";

export interface MonitoredAccount {
  id: string;
  orgId: string;
  name: string;
  platform: Platform;
  feedUrl: string | null;
}

export async function computeCompliance(
  db: DbOrTx,
  list: readonly MonitoredAccount[],
  weeks: readonly Week[],
  index: ReadonlyMap<string, OrgNode>,
  /** Weeks not over at this instant are not judged below yet: short of the minimum, they are "unknown". */
  now?: Date,
): Promise<ComplianceRow[]> {
  if (list.length === 0 || weeks.length === 0) return [];
  const ids = list.map((a) => a.id);
  const [periods, counts, firstPosts, coverage, policyFor] = await Promise.all([
    activePeriods(db, ids),
    postCountsByWeek(db, ids, weeks),
    firstPostTimes(db, ids),
    coverageDates(db, ids, weeks[0]!.start, weeks.at(-1)!.end),
    policyResolver(db, index),
  ]);
  return judgeWeeks(list, weeks, { periods, counts, firstPosts, coverage, policyFor }, now);
}
