// Storing alerts: bring each account's open alerts in line with what the domain judged (docs/规则依据.md#预警去重与通知).
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { accounts, alerts } from "../schema";
import { AUTO_RESOLVED_NOTE, ENDED_ACCOUNT_NOTE, OPEN_ALERT_STATUSES, type AlertKind, type AlertSignal } from "../../domain/alerts";
import { newId } from "../../lib/ids";

// Literal, not bound parameters: only then does SQLite use the partial index alerts_open_uq (EXPLAIN: SEARCH, not SCAN).
import { inIds } from "./monitoring";
const openStatus = sql.raw(`"alerts"."status" in (${OPEN_ALERT_STATUSES.map((st) => `'${st}'`).join(",")})`);

export type AlertRow = typeof alerts.$inferSelect;

export interface AlertSyncResult {
  opened: AlertRow[];
  resolved: number;
}

/**
 * Brings one account's alerts of the given kinds in line with what is true now: opens an alert for
 * each present signal that has none open (one per account and kind — no spam), refreshes the ones
 * still present, and resolves ("auto") the ones whose cause went away. Idempotent.
 */
export async function syncAlerts(
  db: DbOrTx,
  account: { id: string; orgId: string },
  kinds: readonly AlertKind[],
  signals: readonly AlertSignal[],
  now: Date,
): Promise<AlertSyncResult> {
  return syncAlertsBulk(db, [{ account, kinds, signals }], now);
}

export interface AlertSyncItem {
  account: { id: string; orgId: string };
  kinds: readonly AlertKind[];
  signals: readonly AlertSignal[];
}

/**
 * The same as syncAlerts for many accounts at once, with a fixed number of statements per 500
 * accounts: one read of the open alerts, bulk inserts, bulk resolves, bulk refreshes; a row is
 * rewritten on its own only when its message or evidence changed.
 */
export async function syncAlertsBulk(db: DbOrTx, items: readonly AlertSyncItem[], now: Date): Promise<AlertSyncResult> {
  const at = now.toISOString();
  const result: AlertSyncResult = { opened: [], resolved: 0 };
  for (let i = 0; i < items.length; i += 500) {
    const chunk = items.slice(i, i + 500);
    const open = await db
      .select({ id: alerts.id, accountId: alerts.accountId, kind: alerts.kind, message: alerts.message, detail: alerts.detail })
      .from(alerts)
      .where(and(inIds(alerts.accountId, chunk.map((c) => c.account.id)), openStatus));
    const byKey = new Map(open.map((a) => [`${a.accountId}|${a.kind}`, a]));
    const inserts: AlertRow[] = [];
    const resolve: string[] = [];
    const refresh: string[] = [];
    const changed: { id: string; m: string; d: string | null }[] = [];
    for (const { account, kinds, signals } of chunk) {
      const present = new Map(signals.map((s) => [s.kind, s]));
      for (const kind of kinds) {
        const signal = present.get(kind);
        const existing = byKey.get(`${account.id}|${kind}`);
        if (signal && existing) {
          const detail = signal.detail ?? null;
          if (existing.message !== signal.message || JSON.stringify(existing.detail) !== JSON.stringify(detail)) {
            changed.push({ id: existing.id, m: signal.message, d: detail === null ? null : JSON.stringify(detail) });
          } else refresh.push(existing.id);
        } else if (signal) {
          inserts.push({
            id: newId(),
            accountId: account.id,
            orgId: account.orgId,
            kind,
            status: "open",
            message: signal.message,
            detail: signal.detail ?? null,
            openedAt: at,
            lastSeenAt: at,
            acknowledgedAt: null,
            acknowledgedBy: null,
            resolvedAt: null,
            resolvedBy: null,
            note: null,
          });
        } else if (existing) resolve.push(existing.id);
      }
    }
    for (let j = 0; j < inserts.length; j += 100) {
      const batch = inserts.slice(j, j + 100);
      const ins = await db.insert(alerts).values(batch).onConflictDoNothing().returning({ id: alerts.id });
      const ids = new Set(ins.map((r) => r.id));
      result.opened.push(...batch.filter((b) => ids.has(b.id)));
    }
    for (let j = 0; j < resolve.length; j += 500) {
      await db
        .update(alerts)
        .set({ status: "resolved", resolvedAt: at, resolvedBy: "auto", note: AUTO_RESOLVED_NOTE })
        .where(and(inArray(alerts.id, resolve.slice(j, j + 500)), isNull(alerts.note)));
      await db
        .update(alerts)
        .set({ status: "resolved", resolvedAt: at, resolvedBy: "auto" })
        .where(and(inArray(alerts.id, resolve.slice(j, j + 500)), isNotNull(alerts.note)));
    }
    result.resolved += resolve.length;
    // New wording or evidence (a week's figures, days since the last post): one statement per 500.
    for (let j = 0; j < changed.length; j += 500) {
      await db.run(
        sql`update ${alerts} set last_seen_at = ${at}, message = json_extract(j.value, '$.m'), detail = json_extract(j.value, '$.d')
            from json_each(${JSON.stringify(changed.slice(j, j + 500))}) j where ${alerts.id} = json_extract(j.value, '$.id')`,
      );
    }
    for (let j = 0; j < refresh.length; j += 500) {
      await db.update(alerts).set({ lastSeenAt: at }).where(inArray(alerts.id, refresh.slice(j, j + 500)));
    }
  }
  return result;
}

/** Accounts no longer live (closed, merged, rejected, voided) keep no open alerts. Returns how many were closed. */
export async function resolveAlertsOfEndedAccounts(db: DbOrTx, now: Date): Promise<number> {
  const stale = await db
    .select({ id: alerts.id })
    .from(alerts)
    .innerJoin(accounts, eq(accounts.id, alerts.accountId))
    .where(and(openStatus, inArray(accounts.status, ["closed", "merged", "rejected", "voided"])));
  for (const s of stale) {
    await db
      .update(alerts)
      .set({ status: "resolved", resolvedAt: now.toISOString(), resolvedBy: "auto", note: ENDED_ACCOUNT_NOTE })
      .where(eq(alerts.id, s.id));
  }
  return stale.length;
}

/** Every open alert's account and kind. */
export async function openAlertKinds(db: DbOrTx): Promise<{ accountId: string; kind: AlertKind }[]> {
  return db
    .select({ accountId: alerts.accountId, kind: alerts.kind })
    .from(alerts)
    .where(openStatus);
}

/** Of the given accounts, those with an open alert. */
export async function accountsWithOpenAlerts(db: DbOrTx, accountIds: readonly string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set<string>();
  const rows = await db
    .select({ accountId: alerts.accountId })
    .from(alerts)
    .where(and(inIds(alerts.accountId, accountIds), openStatus));
  return new Set(rows.map((a) => a.accountId));
}
