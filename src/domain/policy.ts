// Monitoring thresholds (监测标准) are policy, not constants: a jurisdiction can change them for its
// own units (各地可调整的默认值，docs/规则依据.md). Pure: resolves which value applies to an account on a date.
import { PROBLEM_CATEGORIES, PROBLEM_LABELS, type ProblemCategory } from "./inspection";
import { ancestors, type OrgIndex } from "./orgs";
import { PLATFORMS, defaultWeeklyMinimum, type AccountType, type Platform } from "./platforms";
import { isDateString } from "./weeks";

export const POLICY_KEYS = [
  "weeklyMinimum",
  "vetoDays",
  "zombieDays",
  "chronicBelowWeeks",
  "chronicWindowWeeks",
  "samplingRate",
  "serviceWeeklyMinimum",
  "updateUnit",
  "countReposts",
  "vetoProblems",
] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

/**
 * What one "update" (更新) is when counting a week (docs/规则依据.md#更新的计数单位):
 * push 按推送 — an account's items published within the same minute are one update (a 多图文 群发 of
 * three articles is one); item 按条目 — every item; day 按天 — Beijing days with at least one item.
 */
export const UPDATE_UNITS = ["push", "item", "day"] as const;
export type UpdateUnit = (typeof UPDATE_UNITS)[number];
export const UPDATE_UNIT_LABELS: Record<UpdateUnit, string> = {
  push: "按推送（同一分钟内发布的算一次）",
  item: "按条目（每篇算一次）",
  day: "按天（有发文的天数）",
};
/** policy_overrides stores numbers: the code of each unit (documented in docs/接口.md#监测标准). */
export const UPDATE_UNIT_CODES: Record<UpdateUnit, number> = { push: 1, item: 2, day: 3 };

export const POLICY_KEY_LABELS: Record<PolicyKey, string> = {
  weeklyMinimum: "每周最低更新次数",
  vetoDays: "单项否决无更新天数",
  zombieDays: "僵尸账号无更新天数",
  chronicBelowWeeks: "长期未达标周数",
  chronicWindowWeeks: "长期未达标统计周数",
  samplingRate: "季度抽查比例",
  serviceWeeklyMinimum: "微信服务号每周最低更新次数",
  updateUnit: "更新的计数单位",
  countReposts: "转发是否计入更新",
  vetoProblems: "单项否决的问题类型",
};

export interface Policy {
  /** 鹤政办〔2019〕20号第十二条："两微一端"每周更新不少于3次，其他政务新媒体每周至少更新1次. */
  weeklyMinimum: Record<Platform, number>;
  /** 国办秘函〔2019〕19号 单项否决: 监测时间点前2周内无更新. */
  vetoDays: number;
  /** 僵尸账号: local practice uses 3 months. */
  zombieDays: number;
  /** Chronically below: below in ≥ chronicBelowWeeks … */
  chronicBelowWeeks: number;
  /** … of the last chronicWindowWeeks counted weeks. */
  chronicWindowWeeks: number;
  /** 鹤政办〔2019〕20号第十二条：各县区政府每季度对政务新媒体抽查比例不低于50%. */
  samplingRate: number;
  /**
   * 微信服务号 (service account): the platform allows it 4 群发 a month, so the 3/week of 两微一端 would fail
   * it by construction; 1/week is a product decision (docs/规则依据.md#微信服务号).
   */
  serviceWeeklyMinimum: number;
  updateUnit: UpdateUnit;
  /** Whether reposts (转发) count as updates; false counts only original posts. */
  countReposts: boolean;
  /** The problem types that are 单项否决: one of them makes the account 不合格 and listed apart in the notice. */
  vetoProblems: readonly ProblemCategory[];
}

/**
 * 国办秘函〔2019〕19号 政务新媒体检查指标, 单项否决: 监测时间点前2周内无更新; 出现严重表述错误; 泄露国家秘密;
 * 发布或链接反动、暴力、色情等违法内容; 未提供有效互动功能 (docs/规则依据.md#单项否决).
 * overdue_unrectified is not among them: 19号 does not list it, and a re-check still overdue is
 * 不合格 by the re-check rule anyway; a jurisdiction that wants it in the 单项否决 list adds it.
 */
export const DEFAULT_VETO_PROBLEMS: readonly ProblemCategory[] = Object.freeze([
  "stale_2w",
  "interaction_broken",
  "serious_error",
  "secret_leak",
  "illegal_content",
] as ProblemCategory[]);

/** policy_overrides stores numbers: a set of problem codes is the bitmask of their PROBLEM_CATEGORIES indexes. */
export function vetoMask(codes: readonly ProblemCategory[]): number {
  const indexes = new Set(codes.map((c) => PROBLEM_CATEGORIES.indexOf(c)).filter((i) => i >= 0));
  return [...indexes].reduce((mask, i) => mask + 2 ** i, 0);
}

/** The codes of a bitmask, in category order (the inverse of vetoMask). */
export function vetoCodes(mask: number): ProblemCategory[] {
  return PROBLEM_CATEGORIES.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1);
}

const VETO_MASK_MAX = 2 ** PROBLEM_CATEGORIES.length - 1;

function defaultMinimums(): Record<Platform, number> {
  return Object.fromEntries(PLATFORMS.map((p) => [p, defaultWeeklyMinimum(p)])) as Record<Platform, number>;
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  weeklyMinimum: Object.freeze(defaultMinimums()),
  vetoDays: 14,
  zombieDays: 90,
  chronicBelowWeeks: 4,
  chronicWindowWeeks: 8,
  samplingRate: 0.5,
  // 0: a 服务号 may 群发 only 4 times a month, so any weekly minimum fails it in 5-week months;
  // the two-week veto (vetoDays) still catches one that falls silent. docs/规则依据.md#微信服务号
  serviceWeeklyMinimum: 0,
  updateUnit: "push",
  countReposts: true,
  vetoProblems: DEFAULT_VETO_PROBLEMS,
}) as Policy;

/** The weekly minimum for an account: per platform, and for a WeChat 服务号 its own minimum. */
export function weeklyMinimumFor(policy: Policy, platform: Platform, accountType: AccountType | null | undefined): number {
  return platform === "wechat" && accountType === "service" ? policy.serviceWeeklyMinimum : policy.weeklyMinimum[platform];
}

/** The allowed words of the non-numeric keys, in Chinese, for 400 answers. */
export const POLICY_VALUE_CHOICES: Partial<Record<PolicyKey, string>> = {
  updateUnit: `push（${UPDATE_UNIT_LABELS.push}）、item（${UPDATE_UNIT_LABELS.item}）、day（${UPDATE_UNIT_LABELS.day}）`,
  countReposts: "true（计入）或 false（不计入，只计原创）",
  vetoProblems: `问题类型代码的数组，例如 ["stale_2w","serious_error"]；可选：${PROBLEM_CATEGORIES.map((c) => `${c}（${PROBLEM_LABELS[c]}）`).join("、")}`,
};

/**
 * The number stored for a value given to the API: numbers for the numeric keys, the words
 * push/item/day for updateUnit, true/false for countReposts. A Chinese error when it is not allowed.
 */
export function encodePolicyValue(key: PolicyKey, value: unknown): { value: number } | { error: string } {
  const label = POLICY_KEY_LABELS[key];
  if (key === "updateUnit") {
    return typeof value === "string" && (UPDATE_UNITS as readonly string[]).includes(value)
      ? { value: UPDATE_UNIT_CODES[value as UpdateUnit] }
      : { error: `“${label}”只能是 ${POLICY_VALUE_CHOICES.updateUnit}，收到：${JSON.stringify(value)}` };
  }
  if (key === "countReposts") {
    return typeof value === "boolean" ? { value: value ? 1 : 0 } : { error: `“${label}”只能是 ${POLICY_VALUE_CHOICES.countReposts}，收到：${JSON.stringify(value)}` };
  }
  if (key === "vetoProblems") {
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      return { error: `“${label}”应为${POLICY_VALUE_CHOICES.vetoProblems}，收到：${JSON.stringify(value)}` };
    }
    const unknown = value.filter((v) => !(PROBLEM_CATEGORIES as readonly string[]).includes(v));
    if (unknown.length > 0) {
      return { error: `“${label}”含未知的问题类型：${unknown.join("、")}；可选：${PROBLEM_CATEGORIES.map((c) => `${c}（${PROBLEM_LABELS[c]}）`).join("、")}` };
    }
    return { value: vetoMask(value as ProblemCategory[]) };
  }
  return typeof value === "number" ? { value } : { error: `“${label}”必须是数字` };
}

/** The stored number as the API shows it (the inverse of encodePolicyValue). */
export function decodePolicyValue(key: PolicyKey, value: number): number | string | boolean | string[] {
  if (key === "updateUnit") return UPDATE_UNITS.find((u) => UPDATE_UNIT_CODES[u] === value) ?? value;
  if (key === "countReposts") return value === 1;
  if (key === "vetoProblems") return vetoCodes(value);
  return value;
}

export interface PolicyOverride {
  orgId: string;
  key: PolicyKey;
  /** Only for weeklyMinimum; null = all platforms. */
  platform: Platform | null;
  value: number;
  /** YYYY-MM-DD, a Shanghai date. */
  effectiveFrom: string;
  /** ISO timestamp: breaks ties between overrides with the same effectiveFrom. */
  createdAt: string;
}

/** Integer ranges (inclusive) per key; samplingRate is checked separately (0 < r ≤ 1). */
const INTEGER_RANGES: Record<Exclude<PolicyKey, "samplingRate" | "vetoProblems">, readonly [number, number]> = {
  weeklyMinimum: [0, 50],
  serviceWeeklyMinimum: [0, 50],
  updateUnit: [1, 3],
  countReposts: [0, 1],
  vetoDays: [1, 365],
  zombieDays: [7, 730],
  chronicBelowWeeks: [1, 52],
  chronicWindowWeeks: [1, 52],
};

/** Why an override cannot be stored (in Chinese, for the clerk), or undefined when it is valid. */
export function validateOverride(key: PolicyKey, platform: Platform | null, value: number): string | undefined {
  if (!(POLICY_KEYS as readonly string[]).includes(key)) return `未知的监测标准项：${String(key)}`;
  const label = POLICY_KEY_LABELS[key];
  if (platform !== null) {
    if (key !== "weeklyMinimum") return `只有“${POLICY_KEY_LABELS.weeklyMinimum}”可以按平台设置，“${label}”不能指定平台`;
    if (!(PLATFORMS as readonly string[]).includes(platform)) return `未知的平台：${String(platform)}`;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return `“${label}”必须是数字`;
  if (key === "samplingRate") {
    return value > 0 && value <= 1 ? undefined : `“${label}”必须大于0且不超过1（例如0.5表示50%）`;
  }
  if (key === "vetoProblems") {
    return Number.isInteger(value) && value >= 0 && value <= VETO_MASK_MAX ? undefined : `“${label}”应为${POLICY_VALUE_CHOICES.vetoProblems}`;
  }
  if (key === "updateUnit" || key === "countReposts") {
    const [min, max] = INTEGER_RANGES[key];
    return Number.isInteger(value) && value >= min && value <= max ? undefined : `“${label}”只能是 ${POLICY_VALUE_CHOICES[key]}`;
  }
  const [min, max] = INTEGER_RANGES[key];
  if (!Number.isInteger(value) || value < min || value > max) {
    return `“${label}”必须是${min}到${max}之间的整数`;
  }
  return undefined;
}

function compareCreatedAt(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta - tb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Positive when a is newer than b: later effectiveFrom, then later createdAt. */
function newer(a: PolicyOverride, b: PolicyOverride): number {
  if (a.effectiveFrom !== b.effectiveFrom) return a.effectiveFrom < b.effectiveFrom ? -1 : 1;
  return compareCreatedAt(a.createdAt, b.createdAt);
}

function latest(list: readonly PolicyOverride[]): PolicyOverride | undefined {
  let best: PolicyOverride | undefined;
  for (const o of list) if (!best || newer(o, best) > 0) best = o;
  return best;
}

/**
 * The policy in force for an account on `onDate` (YYYY-MM-DD, Shanghai).
 * `orgChain` is the account's org first, then its ancestors up to the root.
 *
 * For each key (and each platform of weeklyMinimum) the nearest org in the chain with an override in
 * force (effectiveFrom ≤ onDate) wins; within that org the latest effectiveFrom, then the latest
 * createdAt; at the same org a platform-specific weeklyMinimum beats an all-platforms one; otherwise
 * the default. Overrides that validateOverride rejects, or with a malformed effectiveFrom, are ignored.
 */
export function resolvePolicy(
  orgChain: readonly string[],
  overrides: readonly PolicyOverride[],
  onDate: string,
): Policy {
  if (!isDateString(onDate)) throw new RangeError(`日期格式应为 YYYY-MM-DD：${onDate}`);
  const inForce = new Map<string, PolicyOverride[]>();
  for (const o of overrides) {
    if (!isDateString(o.effectiveFrom) || o.effectiveFrom > onDate) continue;
    if (validateOverride(o.key, o.platform, o.value) !== undefined) continue;
    const list = inForce.get(o.orgId);
    if (list) list.push(o);
    else inForce.set(o.orgId, [o]);
  }

  const pick = (key: PolicyKey, platform: Platform | null): number | undefined => {
    for (const orgId of orgChain) {
      const here = (inForce.get(orgId) ?? []).filter((o) => o.key === key);
      if (here.length === 0) continue;
      const specific = platform === null ? undefined : latest(here.filter((o) => o.platform === platform));
      const found = specific ?? latest(here.filter((o) => o.platform === null));
      if (found) return found.value;
    }
    return undefined;
  };

  const weeklyMinimum = defaultMinimums();
  for (const p of PLATFORMS) weeklyMinimum[p] = pick("weeklyMinimum", p) ?? DEFAULT_POLICY.weeklyMinimum[p];
  return {
    weeklyMinimum,
    vetoDays: pick("vetoDays", null) ?? DEFAULT_POLICY.vetoDays,
    zombieDays: pick("zombieDays", null) ?? DEFAULT_POLICY.zombieDays,
    chronicBelowWeeks: pick("chronicBelowWeeks", null) ?? DEFAULT_POLICY.chronicBelowWeeks,
    chronicWindowWeeks: pick("chronicWindowWeeks", null) ?? DEFAULT_POLICY.chronicWindowWeeks,
    samplingRate: pick("samplingRate", null) ?? DEFAULT_POLICY.samplingRate,
    serviceWeeklyMinimum: pick("serviceWeeklyMinimum", null) ?? DEFAULT_POLICY.serviceWeeklyMinimum,
    updateUnit: decodeUnit(pick("updateUnit", null)) ?? DEFAULT_POLICY.updateUnit,
    countReposts: pickBoolean(pick("countReposts", null)) ?? DEFAULT_POLICY.countReposts,
    vetoProblems: decodeVeto(pick("vetoProblems", null)) ?? DEFAULT_POLICY.vetoProblems,
  };
}

function decodeUnit(code: number | undefined): UpdateUnit | undefined {
  return code === undefined ? undefined : UPDATE_UNITS.find((u) => UPDATE_UNIT_CODES[u] === code);
}

function decodeVeto(mask: number | undefined): ProblemCategory[] | undefined {
  return mask === undefined ? undefined : vetoCodes(mask);
}

function pickBoolean(code: number | undefined): boolean | undefined {
  return code === undefined ? undefined : code === 1;
}

/**
 * resolvePolicy over the org tree: the policy in force for an org on a date, the nearest override
 * up the tree winning. Remembers each (org, date) it was asked, for loops over many accounts.
 */
export function policyResolver(overrides: readonly PolicyOverride[], index: OrgIndex): (orgId: string, date: string) => Policy {
  const cache = new Map<string, Policy>();
  const chains = new Map<string, string[]>();
  // Most orgs have no override anywhere up their chain: they get the defaults without resolving
  // (a province-wide run asks for thousands of orgs × 53 weeks).
  const overriding = new Set(overrides.map((o) => o.orgId));
  return (orgId, date) => {
    let chain = chains.get(orgId);
    if (!chain) {
      const org = index.get(orgId);
      chain = org ? [org.id, ...ancestors(org, index).map((a) => a.id)] : [orgId];
      chains.set(orgId, chain);
    }
    const nearest = chain.find((id) => overriding.has(id));
    if (nearest === undefined) return DEFAULT_POLICY;
    // Orgs below the same overriding org share its answer only if nothing between them overrides:
    // the key is the part of the chain from the first overriding org up.
    const key = `${chain.slice(chain.indexOf(nearest)).join("/")}|${date}`;
    let p = cache.get(key);
    if (!p) {
      p = resolvePolicy(chain, overrides, date);
      cache.set(key, p);
    }
    return p;
  };
}
