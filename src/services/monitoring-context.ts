// Loads what the pure monitoring rules need for a set of accounts, in a fixed number of queries.
import { and, asc, gte, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { accountStatusChanges, feedCoverage, policyOverrides, posts } from "../db/schema";
import type { ActivePeriod } from "../domain/compliance";
import { ancestors, type OrgNode } from "../domain/orgs";
import { resolvePolicy, type Policy, type PolicyOverride } from "../domain/policy";
import { shanghaiDate, type Week } from "../domain/weeks";

const CHUNK = 400;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Intervals during which each account was `active`, from its status history. */
export async function activePeriods(db: DbOrTx, accountIds: readonly string[]): Promise<Map<string, ActivePeriod[]>> {
  const out = new Map<string, ActivePeriod[]>();
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select()
      .from(accountStatusChanges)
      .where(inArray(accountStatusChanges.accountId, ids))
      // Recorded order is the order of events; `at` may be backdated to the opening date.
      .orderBy(asc(accountStatusChanges.accountId), asc(accountStatusChanges.id));
    for (const r of rows) {
      const list = out.get(r.accountId) ?? [];
      const last = list.at(-1);
      const open = last && last.to === null;
      if (r.status === "active" && !open) list.push({ from: new Date(r.at), to: null });
      else if (r.status !== "active" && open) last.to = new Date(r.at);
      out.set(r.accountId, list);
    }
  }
  return out;
}

/** Posts per account per week, counted with exact string bounds on the stored UTC instants. */
export async function postCountsByWeek(
  db: DbOrTx,
  accountIds: readonly string[],
  weeks: readonly Week[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (weeks.length === 0) return out;
  const from = weeks[0]!.start.toISOString();
  const to = weeks.at(-1)!.end.toISOString();
  const sums = weeks.map(
    (w) =>
      sql<number>`sum(case when ${posts.publishedAt} >= ${w.start.toISOString()} and ${posts.publishedAt} < ${w.end.toISOString()} then 1 else 0 end)`,
  );
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select({ accountId: posts.accountId, ...Object.fromEntries(sums.map((s, i) => [`w${i}`, s])) })
      .from(posts)
      .where(and(inArray(posts.accountId, ids), gte(posts.publishedAt, from), lt(posts.publishedAt, to)))
      .groupBy(posts.accountId);
    for (const r of rows as Record<string, unknown>[]) {
      out.set(String(r.accountId), weeks.map((_, i) => Number(r[`w${i}`] ?? 0)));
    }
  }
  return out;
}

/**
 * The earliest known post per account. For accounts without a feed, data starts there: weeks before
 * it are "unknown" (nobody was pushing yet), not "0 posts".
 */
export async function firstPostTimes(db: DbOrTx, accountIds: readonly string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select({ id: posts.accountId, first: sql<string>`min(${posts.publishedAt})` })
      .from(posts)
      .where(inArray(posts.accountId, ids))
      .groupBy(posts.accountId);
    for (const r of rows) out.set(r.id, new Date(r.first));
  }
  return out;
}

/** Shanghai dates with a successful fetch, per account, between two instants. */
export async function coverageDates(
  db: DbOrTx,
  accountIds: readonly string[],
  from: Date,
  to: Date,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select()
      .from(feedCoverage)
      .where(
        and(
          inArray(feedCoverage.accountId, ids),
          gte(feedCoverage.date, shanghaiDate(from)),
          lt(feedCoverage.date, shanghaiDate(new Date(to.getTime() + 86_400_000))),
        ),
      );
    for (const r of rows) out.set(r.accountId, (out.get(r.accountId) ?? new Set()).add(r.date));
  }
  return out;
}

/** A successful fetch during the week or on the Monday after it covers the week (feeds list recent items). */
export function weekCovered(dates: Set<string> | undefined, week: Week): boolean {
  if (!dates) return false;
  for (let t = week.start.getTime(); t <= week.end.getTime(); t += 86_400_000) {
    if (dates.has(shanghaiDate(new Date(t)))) return true;
  }
  return false;
}

/** The policy in force for an org on a date: nearest override up the tree wins (SPEC: policy, not constants). */
export async function policyResolver(db: DbOrTx, index: ReadonlyMap<string, OrgNode>) {
  const overrides: PolicyOverride[] = (await db.select().from(policyOverrides)).map((o) => ({
    orgId: o.orgId,
    key: o.key,
    platform: o.platform,
    value: o.value,
    effectiveFrom: o.effectiveFrom,
    createdAt: o.createdAt,
  }));
  const cache = new Map<string, Policy>();
  return (orgId: string, date: string): Policy => {
    const key = `${orgId}|${date}`;
    let p = cache.get(key);
    if (!p) {
      const org = index.get(orgId);
      const chain = org ? [org.id, ...ancestors(org, index).map((a) => a.id)] : [orgId];
      p = resolvePolicy(chain, overrides, date);
      cache.set(key, p);
    }
    return p;
  };
}
