// Weekly compliance for a set of accounts and weeks: loads the evidence, lets the domain judge.
import type { DbOrTx } from "../db/client";
import { weekStatus, type WeekStatus } from "../domain/compliance";
import type { OrgNode } from "../domain/orgs";
import type { Platform } from "../domain/platforms";
import { shanghaiDate, type Week } from "../domain/weeks";
import {
  activePeriods,
  coverageDates,
  firstPostTimes,
  policyResolver,
  postCountsByWeek,
  weekCovered,
} from "./monitoring-context";
import { activeThroughout } from "../domain/compliance";

export interface MonitoredAccount {
  id: string;
  orgId: string;
  name: string;
  platform: Platform;
  feedUrl: string | null;
}

export interface ComplianceRow {
  accountId: string;
  week: string;
  posts: number;
  required: number;
  status: WeekStatus;
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
  const rows: ComplianceRow[] = [];
  for (const a of list) {
    for (const [i, week] of weeks.entries()) {
      // The policy in force on the week's last day decides the minimum for that week.
      const required = policyFor(a.orgId, shanghaiDate(new Date(week.end.getTime() - 1))).weeklyMinimum[a.platform];
      const posts = counts.get(a.id)?.[i] ?? 0;
      const unfinished = now !== undefined && week.end > now;
      rows.push({
        accountId: a.id,
        week: week.id,
        posts,
        required,
        status: unfinished && posts < required ? "unknown" : weekStatus({
          week,
          required,
          posts,
          activeThroughout: activeThroughout(periods.get(a.id) ?? [], week),
          hasFeed: a.feedUrl !== null,
          fetchCovered: weekCovered(coverage.get(a.id), week),
          hasAnySource: a.feedUrl !== null || (firstPosts.get(a.id)?.getTime() ?? Infinity) < week.end.getTime(),
        }),
      });
    }
  }
  return rows;
}
