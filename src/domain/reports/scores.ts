// Unit scores (单位得分) of the quarterly notice: 100 points per owning unit (主办单位), points deducted
// per problem found in the quarter's inspections of its sampled accounts and per monitoring finding,
// and 单项否决 makes the unit 不合格 whatever the points. Pure.
//
// The structure follows the 政务新媒体检查指标 of 国办秘函〔2019〕19号 (单项否决 items plus scored
// items); the point values and caps below are NOT quoted from it: they are this product's default,
// a product decision each jurisdiction can change with score_rules (docs/规则依据.md#单位得分).
import { PROBLEM_CATEGORIES, PROBLEM_LABELS, type ProblemCategory } from "../inspection";

/** Deductions that come from monitoring rather than from an inspection. */
export const MONITORING_SCORE_ITEMS = ["below_minimum_week", "open_veto_alert"] as const;
export type MonitoringScoreItem = (typeof MONITORING_SCORE_ITEMS)[number];

/** Every deduction item (扣分项): the problem categories, then the monitoring findings. */
export const SCORE_ITEMS = [...PROBLEM_CATEGORIES, ...MONITORING_SCORE_ITEMS] as const;
export type ScoreItem = ProblemCategory | MonitoringScoreItem;

export const SCORE_ITEM_LABELS: Record<ScoreItem, string> = {
  ...PROBLEM_LABELS,
  below_minimum_week: "更新未达标（账号·周）",
  open_veto_alert: "未处置的两周未更新预警",
};

export function isScoreItem(item: string): item is ScoreItem {
  return (SCORE_ITEMS as readonly string[]).includes(item);
}

/** Points per occurrence (每处) and the most the item can take from a unit in a quarter. */
export interface ScoreItemRule {
  points: number;
  cap: number;
}
export type ScoreTable = Record<ScoreItem, ScoreItemRule>;

export const FULL_SCORE = 100;

/**
 * The default table. The caps add up to exactly 100, so a unit never goes below 0 under it; with
 * an override above the default cap, the cap rises to the override's points and the total is
 * still floored at 0.
 */
export const DEFAULT_SCORE_TABLE: ScoreTable = {
  stale_2w: { points: 5, cap: 10 },
  long_dormant: { points: 5, cap: 10 },
  typos: { points: 2, cap: 10 },
  interaction_broken: { points: 5, cap: 5 },
  bad_links: { points: 2, cap: 6 },
  owner_mismatch: { points: 3, cap: 6 },
  unverified_or_renamed: { points: 3, cap: 6 },
  duplicate: { points: 3, cap: 6 },
  reopened: { points: 5, cap: 5 },
  other: { points: 1, cap: 3 },
  serious_error: { points: 5, cap: 5 },
  secret_leak: { points: 5, cap: 5 },
  illegal_content: { points: 5, cap: 5 },
  overdue_unrectified: { points: 5, cap: 5 },
  below_minimum_week: { points: 0.5, cap: 8 },
  open_veto_alert: { points: 2, cap: 5 },
};

/** A jurisdiction's own points for an item (score_rules), from its effective date, for its subtree. */
export interface ScoreRuleInput {
  orgId: string;
  item: string;
  points: number;
  effectiveFrom: string;
  createdAt: string;
}

/**
 * The table in force for an org on a date: per item, the override of the nearest org up the chain
 * (the org itself first) that is in force on the date wins; within one org the latest effective
 * date, then the latest created. Like the policy overrides (src/domain/policy.ts).
 */
export function resolveScoreTable(rules: readonly ScoreRuleInput[], chain: readonly string[], date: string, base: ScoreTable = DEFAULT_SCORE_TABLE): ScoreTable {
  const table: ScoreTable = { ...base };
  for (const item of SCORE_ITEMS) {
    for (const orgId of chain) {
      const inForce = rules
        .filter((r) => r.orgId === orgId && r.item === item && r.effectiveFrom <= date)
        .sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? (a.createdAt < b.createdAt ? 1 : -1) : a.effectiveFrom < b.effectiveFrom ? 1 : -1));
      const rule = inForce[0];
      if (rule) {
        table[item] = { points: rule.points, cap: Math.max(base[item].cap, rule.points) };
        break;
      }
    }
  }
  return table;
}

/** What one sampled account of a unit contributes. */
export interface ScoreAccountInput {
  accountId: string;
  /** The problems as the notice counts them (effectiveProblems); [] when passed or not checked. */
  problems: readonly string[];
  /** Whether the inspection found a 单项否决 item under the policy in force (vetoItemsOf). */
  vetoed: boolean;
  /** Account-weeks of the quarter judged below the weekly minimum. */
  belowWeeks: number;
  /** Open (or acknowledged) 两周未更新 alerts of the account. */
  openVetoAlerts: number;
}

export interface ScoreUnitInput {
  orgId: string;
  orgName: string;
  accounts: readonly ScoreAccountInput[];
}

export interface ScoreDeduction {
  item: ScoreItem;
  label: string;
  count: number;
  /** Points deducted after the cap. */
  points: number;
}

export interface UnitScore {
  orgId: string;
  orgName: string;
  score: number;
  /** 单项否决: the unit is 不合格 whatever its points. */
  vetoed: boolean;
  /** 合格 / 不合格（单项否决）. */
  verdictLabel: string;
  deductions: ScoreDeduction[];
}

const collator = new Intl.Collator("zh-CN");
// Scores are multiples of 0.5 under the default table; keep overrides to two decimals.
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Scores per unit, ranked by score (highest first), then name in pinyin order. `table` is one table
 * for every unit or the table in force for a unit (resolveScoreTable).
 */
export function scoreUnits(units: readonly ScoreUnitInput[], table: ScoreTable | ((orgId: string) => ScoreTable) = DEFAULT_SCORE_TABLE): UnitScore[] {
  const tableFor = typeof table === "function" ? table : () => table;
  return units
    .map((u) => {
      const t = tableFor(u.orgId);
      const counts = new Map<ScoreItem, number>();
      const add = (item: ScoreItem, n: number) => n > 0 && counts.set(item, (counts.get(item) ?? 0) + n);
      // An account drawn twice in one quarter (two rounds of an aggregate notice) counts once per problem.
      const seen = new Set<string>();
      for (const a of u.accounts) {
        const first = !seen.has(a.accountId);
        seen.add(a.accountId);
        for (const p of new Set(a.problems)) if (isScoreItem(p)) add(p, 1);
        if (first) {
          add("below_minimum_week", a.belowWeeks);
          add("open_veto_alert", a.openVetoAlerts);
        }
      }
      const deductions: ScoreDeduction[] = SCORE_ITEMS.filter((item) => counts.has(item)).map((item) => {
        const count = counts.get(item)!;
        return { item, label: SCORE_ITEM_LABELS[item], count, points: round2(Math.min(count * t[item].points, t[item].cap)) };
      });
      const vetoed = u.accounts.some((a) => a.vetoed);
      const score = Math.max(0, round2(FULL_SCORE - deductions.reduce((s, d) => s + d.points, 0)));
      return { orgId: u.orgId, orgName: u.orgName, score, vetoed, verdictLabel: vetoed ? "不合格（单项否决）" : "合格", deductions };
    })
    .sort((a, b) => b.score - a.score || collator.compare(a.orgName, b.orgName));
}

/** The year's average per unit over the quarters it was scored in (年度统计). */
export interface AnnualUnitScore {
  orgId: string;
  orgName: string;
  /** Average of the quarters' scores, two decimals. */
  averageScore: number;
  quarters: number[];
  /** Quarters in which the unit was 单项否决. */
  vetoedQuarters: number[];
}

export function averageUnitScores(byQuarter: readonly { quarter: number; unitScores: readonly UnitScore[] }[]): AnnualUnitScore[] {
  const acc = new Map<string, { orgName: string; sum: number; quarters: number[]; vetoedQuarters: number[] }>();
  for (const q of [...byQuarter].sort((a, b) => a.quarter - b.quarter)) {
    for (const s of q.unitScores) {
      const a = acc.get(s.orgId) ?? { orgName: s.orgName, sum: 0, quarters: [], vetoedQuarters: [] };
      a.sum += s.score;
      a.quarters.push(q.quarter);
      if (s.vetoed) a.vetoedQuarters.push(q.quarter);
      acc.set(s.orgId, a);
    }
  }
  return [...acc.entries()]
    .map(([orgId, a]) => ({ orgId, orgName: a.orgName, averageScore: round2(a.sum / a.quarters.length), quarters: a.quarters, vetoedQuarters: a.vetoedQuarters }))
    .sort((x, y) => y.averageScore - x.averageScore || collator.compare(x.orgName, y.orgName));
}
