// Accounts (账号): loading, visibility, the platform-id rule, status history, registry flags.
import { and, eq, inArray, isNotNull, isNull, ne, notInArray } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, accountStatusChanges, filings, orgs } from "../schema";
import { LIVE_STATUSES, type AccountStatus } from "../../domain/lifecycle";
import { PLATFORM_LABELS, type Platform } from "../../domain/platforms";
import { registryFlags, type Flag } from "../../domain/registry-checks";
import { shanghaiMidnightOf } from "../../domain/weeks";
import { writeAudit } from "./audit";
import { conflict, notFound } from "../../lib/errors";
import type { Actor } from "../../lib/types";
import { isVisible, type OrgRow } from "./org-tree";
import { inIds } from "./monitoring";

export type AccountRow = typeof accounts.$inferSelect;

/**
 * Records a status and since when, so weeks can later be judged active or exempt (docs/规则依据.md#不计入的周).
 * An account with an opening date was running since then, however it entered the registry (ledger
 * import, direct registration, or an open filing approved later — 存量登记): its first `active`
 * period starts at that date, not at the approval (docs/规则依据.md#开设日期与存量登记). Only the first:
 * a resumption after 停更 starts when it happens.
 */
export async function recordStatus(db: DbOrTx, account: AccountRow, status: AccountStatus, at: Date, opts: { isNew?: boolean } = {}) {
  let since = at;
  if (status === "active" && account.openedOn) {
    const opened = shanghaiMidnightOf(account.openedOn);
    if (opened && opened < at && (opts.isNew || !(await wasEverActive(db, account.id)))) since = opened;
  }
  await db.insert(accountStatusChanges).values({ accountId: account.id, status, at: since.toISOString() });
}

async function wasEverActive(db: DbOrTx, accountId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: accountStatusChanges.id })
    .from(accountStatusChanges)
    .where(and(eq(accountStatusChanges.accountId, accountId), eq(accountStatusChanges.status, "active")))
    .limit(1);
  return row !== undefined;
}

/** Inserts a new account with its audit row and first status. */
export async function insertAccounts(db: DbOrTx, actor: Actor, at: Date, rows: AccountRow[], action: string) {
  for (let i = 0; i < rows.length; i += 100) await db.insert(accounts).values(rows.slice(i, i + 100));
  for (const row of rows) {
    await writeAudit(db, actor, at, { action, entity: "account", entityId: row.id, orgId: row.orgId, after: row });
    await recordStatus(db, row, row.status, at, { isNew: true });
  }
}

export async function accountById(db: DbOrTx, id: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return row;
}

/** Account names by id (missing ids are left out). */
export async function accountNames(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, [...ids]));
  return new Map(rows.map((a) => [a.id, a.name]));
}

/** The account and its owning org if the actor may see it; otherwise 404. */
export async function visibleAccount(
  db: DbOrTx,
  actor: Actor,
  id: string,
  what = "账号",
): Promise<{ account: AccountRow; org: OrgRow }> {
  const [row] = await db
    .select({ account: accounts, org: orgs })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(eq(accounts.id, id))
    .limit(1);
  if (!row || !isVisible(actor, row.org)) throw notFound(what);
  return row;
}

/** docs/规则依据.md#台账风险提示: a platform id belongs to at most one live account. */
export async function ensurePlatformIdFree(
  db: DbOrTx,
  platform: Platform,
  platformId: string | null | undefined,
  exceptAccountId?: string,
) {
  if (!platformId) return;
  const conds = [
    eq(accounts.platform, platform),
    eq(accounts.platformId, platformId),
    inArray(accounts.status, [...LIVE_STATUSES]),
  ];
  if (exceptAccountId) conds.push(ne(accounts.id, exceptAccountId));
  const [clash] = await db.select({ id: accounts.id }).from(accounts).where(and(...conds)).limit(1);
  if (clash) {
    throw conflict(`${PLATFORM_LABELS[platform]}账号ID“${platformId}”已被另一个在用账号登记`, [
      { field: "platformId", accountId: clash.id },
    ]);
  }
}

/** Registry flags for a set of accounts, with a fixed number of queries whatever the set's size. */
export async function flagsFor(
  db: DbOrTx,
  list: readonly AccountRow[],
  /**
   * What the caller has read already: every org (loadOrgIndex), and that `list` holds every account
   * in these statuses, so only the units' other accounts are read (the daily job's whole province).
   */
  known: { index?: ReadonlyMap<string, OrgRow>; listStatuses?: readonly AccountStatus[] } = {},
): Promise<Map<string, Flag[]>> {
  const out = new Map<string, Flag[]>();
  if (list.length === 0) return out;
  const orgIds = [...new Set(list.map((a) => a.orgId))];
  const ids = list.map((a) => a.id);
  const platformIds = [...new Set(list.map((a) => a.platformId).filter((p): p is string => !!p))];
  const { index, listStatuses } = known;
  const [orgRows, siblings, closed, approvedOpen] = await Promise.all([
    index ? orgIds.flatMap((id) => index.get(id) ?? []) : db.select().from(orgs).where(inIds(orgs.id, orgIds)),
    listStatuses
      ? db
          .select()
          .from(accounts)
          .where(and(inIds(accounts.orgId, orgIds), notInArray(accounts.status, [...listStatuses])))
          .then((rest) => [...list, ...rest])
      : db.select().from(accounts).where(inIds(accounts.orgId, orgIds)),
    platformIds.length
      ? db
          .select()
          .from(accounts)
          .where(
            and(
              inIds(accounts.platformId, platformIds),
              isNotNull(accounts.platformId),
              // A voided registration (作废) was a mistake, not an earlier account with this id.
              notInArray(accounts.status, [...LIVE_STATUSES, "rejected", "voided"]),
            ),
          )
      : Promise.resolve([] as AccountRow[]),
    db
      .select({ accountId: filings.accountId })
      .from(filings)
      .where(and(inIds(filings.accountId, ids), eq(filings.kind, "open"), eq(filings.status, "approved"))),
  ]);
  const orgById = new Map(orgRows.map((o) => [o.id, o]));
  const approved = new Set(approvedOpen.map((f) => f.accountId));
  // Grouped once: filtering every account's unit and platform id per account is quadratic.
  const byOrg = groupBy(siblings, (s) => s.orgId);
  const closedById = groupBy(closed, (c) => `${c.platform}\u0000${c.platformId}`);
  for (const a of list) {
    const org = orgById.get(a.orgId);
    if (!org) continue;
    out.set(
      a.id,
      registryFlags(a, {
        org,
        unitAccounts: byOrg.get(a.orgId) ?? [],
        closedSamePlatformId: (closedById.get(`${a.platform}\u0000${a.platformId}`) ?? []).filter((c) => c.id !== a.id),
        hasApprovedOpen: approved.has(a.id),
      }),
    );
  }
  return out;
}

/** Accounts in the given statuses with their owning org's name: what the jobs go through. */
export async function accountsWithOrgName(db: DbOrTx, statuses: readonly AccountStatus[]): Promise<{ a: AccountRow; orgName: string }[]> {
  return db
    .select({ a: accounts, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(inArray(accounts.status, [...statuses]));
}

/** Accounts by id with their owning org's name (missing ids are left out). */
export async function accountsByIdWithOrgName(db: DbOrTx, ids: readonly string[]): Promise<{ a: AccountRow; orgName: string }[]> {
  if (ids.length === 0) return [];
  return db.select({ a: accounts, orgName: orgs.name }).from(accounts).innerJoin(orgs, eq(orgs.id, accounts.orgId)).where(inArray(accounts.id, [...ids]));
}

/** Accounts (any status) holding one of the given platform ids. */
export async function accountsByPlatformIds(db: DbOrTx, platformIds: readonly string[]): Promise<AccountRow[]> {
  const out: AccountRow[] = [];
  for (let i = 0; i < platformIds.length; i += 500) {
    out.push(...(await db.select().from(accounts).where(inArray(accounts.platformId, platformIds.slice(i, i + 500)))));
  }
  return out;
}

/** Accounts (any status) of the given orgs that have no platform id. */
export async function accountsWithoutPlatformId(db: DbOrTx, orgIds: readonly string[]): Promise<AccountRow[]> {
  const out: AccountRow[] = [];
  for (let i = 0; i < orgIds.length; i += 500) {
    out.push(...(await db.select().from(accounts).where(and(inArray(accounts.orgId, orgIds.slice(i, i + 500)), isNull(accounts.platformId)))));
  }
  return out;
}

/** Of the given accounts, those with a filing awaiting decision. */
export async function accountsWithOpenFiling(db: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .select({ accountId: filings.accountId })
      .from(filings)
      .where(and(inArray(filings.accountId, ids.slice(i, i + 500)), eq(filings.status, "submitted")));
    for (const r of rows) out.add(r.accountId);
  }
  return out;
}

/**
 * Writes record-keeping fields of an account (not its status, unit or name) with one audit row holding
 * only the changed fields, before and after.
 */
export async function updateAccountFields(
  db: DbOrTx,
  actor: Actor,
  at: Date,
  before: AccountRow,
  patch: Partial<Pick<AccountRow, "url" | "feedUrl" | "contactPerson" | "contactPhone" | "verifiedOwner" | "operationMode" | "operator">>,
  action: string,
) {
  const keys = Object.keys(patch) as (keyof typeof patch)[];
  if (keys.length === 0) return;
  await db.update(accounts).set({ ...patch, updatedAt: at.toISOString() }).where(eq(accounts.id, before.id));
  await writeAudit(db, actor, at, {
    action,
    entity: "account",
    entityId: before.id,
    orgId: before.orgId,
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: patch,
  });
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) {
    const k = key(t);
    const group = out.get(k);
    if (group) group.push(t);
    else out.set(k, [t]);
  }
  return out;
}
