import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { alerts, ALERT_KINDS } from "../db/schema";
import { newId } from "../lib/ids";

export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertRow = typeof alerts.$inferSelect;

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  below_minimum: "更新未达标",
  no_update_14d: "两周未更新",
  dormant_90d: "长期未更新（僵尸账号）",
  feed_failing: "订阅源抓取失败",
  recommend_consolidate: "建议整合",
  recommend_close: "建议关停",
  duplicate_platform: "同平台重复开设",
  inconsistent_name: "名称不一致",
  reopened_after_close: "注销后重开",
  owner_mismatch: "认证主体不一致",
  unapproved_opening: "未经批准开设",
};

export interface AlertSignal {
  kind: AlertKind;
  message: string;
  detail?: unknown;
}

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
  const at = now.toISOString();
  const open = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.accountId, account.id), inArray(alerts.kind, [...kinds]), inArray(alerts.status, ["open", "acknowledged"])));
  const openByKind = new Map(open.map((a) => [a.kind, a]));
  const present = new Map(signals.map((s) => [s.kind, s]));
  const result: AlertSyncResult = { opened: [], resolved: 0 };
  for (const kind of kinds) {
    const signal = present.get(kind);
    const existing = openByKind.get(kind);
    if (signal && existing) {
      await db
        .update(alerts)
        .set({ lastSeenAt: at, message: signal.message, detail: signal.detail ?? null })
        .where(eq(alerts.id, existing.id));
    } else if (signal) {
      const row: AlertRow = {
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
      };
      // The partial unique index is the last word if two runs race.
      const ins = await db.insert(alerts).values(row).onConflictDoNothing().returning({ id: alerts.id });
      if (ins.length === 1) result.opened.push(row);
    } else if (existing) {
      await db
        .update(alerts)
        .set({ status: "resolved", resolvedAt: at, resolvedBy: "auto", note: existing.note ?? "原因已消除，自动关闭" })
        .where(eq(alerts.id, existing.id));
      result.resolved++;
    }
  }
  return result;
}
