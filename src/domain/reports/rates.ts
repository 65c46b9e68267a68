// Pass rates and rectification states for the quarterly notice (季度抽查通报) and the annual
// statistics (年度报告). Pure: never loads, never reads the clock ("today" is an input).
import { type InspectionResult } from "../inspection";

/** passed / checked, or null when nothing was checked (a rate of nothing is not 0%). */
export function passRate(passed: number, checked: number): number | null {
  return checked === 0 ? null : passed / checked;
}

/** 0.7 → "70.0%", 2/3 → "66.7%", null → "—". */
export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** A sampling rate as the export prints it: 0.5 → "50%", 0.125 → "12.5%". */
export function formatSamplingRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

/** "2026-10-05" → "2026年10月5日". */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

export interface RateRow {
  key: string;
  label: string;
  /** Accounts drawn. */
  sampled: number;
  /** Accounts with a recorded result. */
  checked: number;
  passed: number;
  failed: number;
  /** passed / checked; null when none was checked. */
  passRate: number | null;
}

export interface Tally {
  key: string;
  label: string;
  sampled: number;
  checked: number;
  passed: number;
}

/**
 * Groups sampled items, first-seen order unless `order` ranks the keys. An item without a result
 * counts as sampled, not as checked.
 */
export function groupRates<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  labelOf: (item: T) => string,
  resultOf: (item: T) => InspectionResult | null,
  order?: readonly string[],
): RateRow[] {
  const groups = new Map<string, Tally>();
  for (const item of items) {
    const key = keyOf(item);
    let g = groups.get(key);
    if (!g) {
      g = { key, label: labelOf(item), sampled: 0, checked: 0, passed: 0 };
      groups.set(key, g);
    }
    g.sampled += 1;
    const r = resultOf(item);
    if (r !== null) {
      g.checked += 1;
      if (r === "pass") g.passed += 1;
    }
  }
  let list = [...groups.values()];
  if (order) {
    const rank = (k: string) => {
      const i = order.indexOf(k);
      return i < 0 ? order.length : i;
    };
    list = list.sort((a, b) => rank(a.key) - rank(b.key));
  }
  return list.map(toRateRow);
}

export function toRateRow(g: Tally): RateRow {
  return { key: g.key, label: g.label, sampled: g.sampled, checked: g.checked, passed: g.passed, failed: g.checked - g.passed, passRate: passRate(g.passed, g.checked) };
}

// ---------------------------------------------------------------------------------------------
// Rectification

export const RECTIFICATION_STATUSES = ["rectified", "pending", "overdue"] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];
export const RECTIFICATION_LABELS = { rectified: "已整改", pending: "整改中", overdue: "逾期未整改" } as const satisfies Record<RectificationStatus, string>;
export type RectificationLabel = (typeof RECTIFICATION_LABELS)[RectificationStatus];

/**
 * A failed account is 已整改 once rectification is recorded; 逾期未整改 when its deadline
 * (YYYY-MM-DD, the last day allowed) is before today (Shanghai); otherwise 整改中 — including
 * when no deadline was set.
 */
export function rectificationStatus(i: { rectifiedAt: string | null; deadline: string | null }, today: string): RectificationStatus {
  if (i.rectifiedAt) return "rectified";
  if (i.deadline && i.deadline < today) return "overdue";
  return "pending";
}
