// Loads what the pure monitoring rules need for a set of accounts, in a fixed number of queries:
// status history (active periods) and the policy overrides.
import { asc, sql, type SQL, type Column } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accountStatusChanges, policyOverrides } from "../schema";
import type { ActivePeriod } from "../../domain/compliance";
import type { OrgIndex } from "../../domain/orgs";
import { policyResolver as resolverOver, type Policy, type PolicyOverride } from "../../domain/policy";

// One JSON parameter per slice (not one bound parameter per id, which SQLite caps at 32766), so a
// page or job costs the same number of statements for 50 accounts as for 20,000.
const CHUNK = 20_000;

/** `col IN (ids)` with the ids as one JSON array parameter. */
export function inIds(col: Column | SQL, ids: readonly string[]): SQL {
  return sql`${col} in (select value from json_each(${JSON.stringify(ids)}))`;
}

/** The ids in slices for one `inIds` each. */
export function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Intervals during which each account was `active`, from its status history. */
export async function activePeriods(db: DbOrTx, accountIds: readonly string[]): Promise<Map<string, ActivePeriod[]>> {
  const out = new Map<string, ActivePeriod[]>();
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .select()
      .from(accountStatusChanges)
      .where(inIds(accountStatusChanges.accountId, ids))
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

/** The policy in force for an org on a date: nearest override up the tree wins (各地数字是可调整的默认值：docs/规则依据.md). */
export async function policyResolver(db: DbOrTx, index: OrgIndex): Promise<(orgId: string, date: string) => Policy> {
  const overrides: PolicyOverride[] = (await db.select().from(policyOverrides)).map((o) => ({
    orgId: o.orgId,
    key: o.key,
    platform: o.platform,
    value: o.value,
    effectiveFrom: o.effectiveFrom,
    createdAt: o.createdAt,
  }));
  return resolverOver(overrides, index);
}
