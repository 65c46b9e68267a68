// Link checks (外链/死链): which links each in-use account has, and their stored state (link_checks).
import { and, asc, desc, gte, inArray, isNotNull, lte, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, linkChecks, posts } from "../schema";
import { IN_USE_STATUSES } from "../../domain/lifecycle";
import { isCheckableUrl, type CheckedLink, type LinkState } from "../../domain/links";
import { chunks } from "./monitoring";

export type LinkCheckRow = typeof linkChecks.$inferSelect;

export interface LinkTarget {
  url: string;
  source: "account" | "post";
}

export interface AccountLinks {
  account: { id: string; orgId: string; name: string };
  targets: LinkTarget[];
}

/**
 * Every in-use account with the links to check: its own url; the distinct urls of its posts
 * published since `since`, newest first, at most `perAccount` of them; and the links found in those
 * posts' content (posts.links, domain/post-text), newest post first, at most `contentPerAccount`.
 * Accounts with no link are listed too (with none), so a link that went away still clears its state
 * and alert.
 */
export async function linkTargets(db: DbOrTx, since: Date, perAccount: number, contentPerAccount = 20): Promise<AccountLinks[]> {
  const rows = await db
    .select({ id: accounts.id, orgId: accounts.orgId, name: accounts.name, url: accounts.url })
    .from(accounts)
    .where(inArray(accounts.status, [...IN_USE_STATUSES]));
  const byId = new Map<string, AccountLinks>();
  for (const r of rows) {
    const targets: LinkTarget[] = r.url && isCheckableUrl(r.url) ? [{ url: r.url.trim(), source: "account" }] : [];
    byId.set(r.id, { account: { id: r.id, orgId: r.orgId, name: r.name }, targets });
  }
  const recent = await db
    .select({ accountId: posts.accountId, url: posts.url })
    .from(posts)
    .where(and(gte(posts.publishedAt, since.toISOString()), isNotNull(posts.url)))
    .orderBy(desc(posts.publishedAt));
  const taken = new Map<string, number>();
  for (const p of recent) {
    const entry = byId.get(p.accountId);
    if (!entry || !p.url || !isCheckableUrl(p.url)) continue;
    const url = p.url.trim();
    if ((taken.get(p.accountId) ?? 0) >= perAccount || entry.targets.some((t) => t.url === url)) continue;
    entry.targets.push({ url, source: "post" });
    taken.set(p.accountId, (taken.get(p.accountId) ?? 0) + 1);
  }
  if (contentPerAccount > 0) {
    const fromContent = new Map<string, number>();
    for (const p of await recentContentLinks(db, since, contentPerAccount)) {
      const entry = byId.get(p.accountId);
      if (!entry) continue;
      for (const raw of p.links) {
        if ((fromContent.get(p.accountId) ?? 0) >= contentPerAccount) break;
        if (typeof raw !== "string" || !isCheckableUrl(raw)) continue;
        const url = raw.trim();
        if (entry.targets.some((t) => t.url === url)) continue;
        entry.targets.push({ url, source: "post" });
        fromContent.set(p.accountId, (fromContent.get(p.accountId) ?? 0) + 1);
      }
    }
  }
  return [...byId.values()];
}

/**
 * The links kept from recent posts' content, per account its newest `perAccount` posts that have
 * any (each has at least one link, so that many posts are always enough): bounded however much an
 * account published.
 */
async function recentContentLinks(db: DbOrTx, since: Date, perAccount: number): Promise<{ accountId: string; links: unknown[] }[]> {
  const ranked = db
    .select({
      accountId: posts.accountId,
      links: sql<string | null>`${posts.links}`.as("links"),
      rn: sql<number>`row_number() over (partition by ${posts.accountId} order by ${posts.publishedAt} desc, ${posts.id})`.as("rn"),
    })
    .from(posts)
    .where(and(gte(posts.publishedAt, since.toISOString()), isNotNull(posts.links)))
    .as("ranked");
  const rows = await db.select().from(ranked).where(lte(ranked.rn, perAccount)).orderBy(asc(ranked.accountId), asc(ranked.rn));
  return rows.map((r) => ({ accountId: r.accountId, links: parseLinks(r.links) }));
}

function parseLinks(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== "string") return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** Accounts no longer in use (closed, merged, …) keep no link state; their alerts close with the account. */
export async function dropLinkChecksOfEndedAccounts(db: DbOrTx): Promise<number> {
  const inUse = db.select({ id: accounts.id }).from(accounts).where(inArray(accounts.status, [...IN_USE_STATUSES]));
  const gone = await db.delete(linkChecks).where(notInArray(linkChecks.accountId, inUse)).returning({ id: linkChecks.id });
  return gone.length;
}

/** The stored link states of these accounts. */
export async function loadLinkChecks(db: DbOrTx, accountIds: readonly string[]): Promise<LinkCheckRow[]> {
  const out: LinkCheckRow[] = [];
  for (const ids of chunks([...accountIds], 500)) {
    out.push(...(await db.select().from(linkChecks).where(inArray(linkChecks.accountId, ids))));
  }
  return out;
}

/**
 * Stores one run's results for these accounts in one short transaction (the network is done by then):
 * upserts the checked links and drops the rows of links the accounts no longer have.
 */
export async function saveLinkChecks(
  db: DbOrTx,
  accountIds: readonly string[],
  checked: readonly (CheckedLink & { accountId: string })[],
  existing: readonly LinkCheckRow[],
): Promise<void> {
  const keep = new Set(checked.map((c) => `${c.accountId}|${c.url}`));
  const stale = existing.filter((e) => accountIds.includes(e.accountId) && !keep.has(`${e.accountId}|${e.url}`)).map((e) => e.id);
  const write = async (tx: DbOrTx) => {
    for (const ids of chunks(stale, 500)) await tx.delete(linkChecks).where(inArray(linkChecks.id, ids));
    for (const batch of chunks([...checked], 100)) {
      await tx
        .insert(linkChecks)
        .values(batch.map((c) => ({ accountId: c.accountId, url: c.url, source: c.source, ...stateOf(c) })))
        .onConflictDoUpdate({
          target: [linkChecks.accountId, linkChecks.url],
          set: {
            source: sqlExcluded("source"),
            lastCheckedAt: sqlExcluded("last_checked_at"),
            lastStatus: sqlExcluded("last_status"),
            lastError: sqlExcluded("last_error"),
            failingSince: sqlExcluded("failing_since"),
            consecutiveFailures: sqlExcluded("consecutive_failures"),
          },
        });
    }
  };
  if ("transaction" in db) await db.transaction(write);
  else await write(db);
}

function stateOf(s: LinkState): LinkState {
  return {
    lastCheckedAt: s.lastCheckedAt,
    lastStatus: s.lastStatus,
    lastError: s.lastError,
    failingSince: s.failingSince,
    consecutiveFailures: s.consecutiveFailures,
  };
}

/** The value the conflicting insert would have written (SQLite upsert). */
const sqlExcluded = (column: string) => sql.raw(`excluded.${column}`);
