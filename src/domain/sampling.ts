// Quarterly spot-check draw (季度抽查, 鹤政办〔2019〕20号第十二条，docs/规则依据.md#季度抽查比例与全年全覆盖). Pure and synchronous: no clock, no I/O, no ambient
// randomness — the caller supplies the seed, so Node and Workers compute the same list.
// 鹤政办〔2019〕20号第十二条：建立政务新媒体抽查制度，各县区政府每季度对政务新媒体抽查比例不低于50%，实现全年全覆盖.
// 盘锦市2017年政务公开工作安排第28项：做好日常监测和季度抽查，及时公开抽查情况 — hence a draw anyone can recompute from its seed.

/** Why an account is in the sample; also its priority tier, highest first. */
export const SAMPLE_REASONS = ["recheck", "not_sampled_this_year", "open_alert", "random"] as const;
export type SampleReason = (typeof SAMPLE_REASONS)[number];

export const SAMPLE_REASON_LABELS: Record<SampleReason, string> = {
  recheck: "复查（上次抽查不合格，逾期未整改）",
  not_sampled_this_year: "本年度尚未抽查",
  open_alert: "存在未处理预警",
  random: "随机抽取",
};

export interface PopulationMember {
  accountId: string;
  /** Already in a draw of an earlier quarter of the same calendar year. */
  sampledThisYear: boolean;
  hasOpenAlert: boolean;
  /**
   * 复查: its latest inspection (in any earlier round, of any unit) failed, the rectification deadline is
   * before the draw's date, and no rectification is recorded. Absent = false (rounds stored before re-checks).
   */
  recheck?: boolean;
}

/**
 * own: the sampling unit's own accounts (docs/规则依据.md#抽查单位); subtree: every in-use account under the
 * government (a city or province sampling across its area, as 甘肃 did province-wide).
 */
export const ROUND_SCOPES = ["own", "subtree"] as const;
export type RoundScope = (typeof ROUND_SCOPES)[number];

export const ROUND_SCOPE_LABELS: Record<RoundScope, string> = {
  own: "本级",
  subtree: "全辖区",
};

export interface DrawInput {
  /** The sampling unit's population at the quarter's start; a set — order and repeats do not matter. */
  population: readonly PopulationMember[];
  /** 0 < rate ≤ 1 (policy samplingRate, default 0.5). */
  rate: number;
  quarter: 1 | 2 | 3 | 4;
  /** Stored with the round and printed on the export; see newSeed. */
  seed: string;
  /** Absent = "own". A subtree round has no full-year coverage minimum: coverage is each unit's own duty. */
  scope?: RoundScope;
}

export interface DrawnItem {
  accountId: string;
  reason: SampleReason;
  /** 1-based order in the list. */
  position: number;
}

export interface Draw {
  sampleSize: number;
  minimumByRate: number;
  minimumForCoverage: number;
  items: DrawnItem[];
}

/** Bytes of randomness in a seed (128 bits, the whole sfc32 state). */
export const SEED_BYTES = 16;

/** Why a sampling rate cannot be used (in Chinese, for the clerk), or undefined when 0 < rate ≤ 1. */
export function validateRate(rate: number): string | undefined {
  if (typeof rate !== "number" || !Number.isFinite(rate)) return "“季度抽查比例”必须是数字";
  return rate > 0 && rate <= 1 ? undefined : "“季度抽查比例”必须大于0且不超过1（例如0.5表示50%）";
}

function checkQuarter(quarter: number): void {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new RangeError(`季度必须是1到4之间的整数（实为 ${String(quarter)}）`);
  }
}

function checkCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name}必须是非负整数（实为 ${String(n)}）`);
}

/**
 * The quarter's sample size.
 * minimumByRate = ⌈rate × N⌉ (鹤政办〔2019〕20号第十二条：抽查比例不低于50%); the product is nudged down by 1e-9 so float
 * noise does not add an account (0.07 × 100 = 7.000000000000001 → 7), and it is at least 1 when N > 0.
 * minimumForCoverage = ⌈unsampled / (5 − quarter)⌉: the accounts not yet sampled this year are spread
 * over the quarters left, and Q4 takes all that remain (鹤政办〔2019〕20号第十二条：实现全年全覆盖).
 * size = min(N, max of the two, rechecks): every re-check (复查) is in the sample, so a unit with many
 * unrectified failures draws more than its rate — none of them can be skipped by the luck of the draw.
 */
export function sampleSize(
  populationSize: number,
  unsampledThisYear: number,
  rate: number,
  quarter: 1 | 2 | 3 | 4,
  rechecks = 0,
): { size: number; minimumByRate: number; minimumForCoverage: number } {
  checkCount("抽查范围内的账号数", populationSize);
  checkCount("本年度尚未抽查的账号数", unsampledThisYear);
  checkCount("复查账号数", rechecks);
  if (rechecks > populationSize) {
    throw new RangeError(`复查账号数（${rechecks}）不能超过抽查范围内的账号数（${populationSize}）`);
  }
  if (unsampledThisYear > populationSize) {
    throw new RangeError(`本年度尚未抽查的账号数（${unsampledThisYear}）不能超过抽查范围内的账号数（${populationSize}）`);
  }
  const rateError = validateRate(rate);
  if (rateError !== undefined) throw new RangeError(rateError);
  checkQuarter(quarter);
  if (populationSize === 0) return { size: 0, minimumByRate: 0, minimumForCoverage: 0 };

  const minimumByRate = Math.min(populationSize, Math.max(1, Math.ceil(rate * populationSize - 1e-9)));
  // Exact: an integer divided by 1..4 whose quotient is an integer is computed exactly in binary64.
  const minimumForCoverage = Math.ceil(unsampledThisYear / (5 - quarter));
  const size = Math.min(populationSize, Math.max(minimumByRate, minimumForCoverage, rechecks));
  return { size, minimumByRate, minimumForCoverage };
}

// ── Seeded generator ────────────────────────────────────────────────────────────────────────────
// Both are bryc's public-domain implementations (github.com/bryc/code, jshash; the Stack Overflow
// answer 47593316 "Seeding the random number generator in JavaScript"). They use only 32-bit integer
// operations (Math.imul, |0, >>>), so every JavaScript engine gives the same bits.

/**
 * cyrb128: bryc's 128-bit string hash, over UTF-16 code units (charCodeAt). Returns four uint32,
 * used as the whole sfc32 state. This is the revised version whose last step is
 * `h1 ^= h2 ^ h3 ^ h4; h2 ^= h1; h3 ^= h1; h4 ^= h1`.
 */
export function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter, from PractRand), bryc's JavaScript version.
 * Returns uint32 values: bryc's function returns the same value divided by 2^32. No warm-up rounds:
 * cyrb128 already fills the whole state.
 */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

const TWO_32 = 4_294_967_296;

/** A uniform integer in [0, n) for 1 ≤ n ≤ 2^32, without modulo bias (rejection sampling). */
function below(next: () => number, n: number): number {
  const limit = TWO_32 - (TWO_32 % n);
  for (;;) {
    const x = next();
    if (x < limit) return x % n;
  }
}

/** Fisher–Yates (Durstenfeld): for i from the last index down to 1, swap a[i] with a[below(i + 1)]. */
function shuffle<T>(items: T[], next: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(next, i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
}

/** The string the generator is seeded with: one stream per draw, distinct per quarter. */
export function streamKey(seed: string, quarter: 1 | 2 | 3 | 4): string {
  return `${seed}|Q${quarter}`;
}

/** Compare by UTF-16 code units: not localeCompare, whose order depends on the runtime's ICU data. */
function byId(a: PopulationMember, b: PopulationMember): number {
  return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;
}

/** The population as a set, sorted by accountId; identical repeats collapse, conflicting ones throw. */
function canonicalPopulation(population: readonly PopulationMember[]): PopulationMember[] {
  const sorted = [...population].sort(byId);
  const out: PopulationMember[] = [];
  for (const m of sorted) {
    if (typeof m.accountId !== "string" || m.accountId === "") throw new RangeError("账号ID不能为空");
    const last = out[out.length - 1];
    if (last !== undefined && last.accountId === m.accountId) {
      if (last.sampledThisYear !== m.sampledThisYear || last.hasOpenAlert !== m.hasOpenAlert || (last.recheck === true) !== (m.recheck === true)) {
        throw new RangeError(`抽查范围中账号 ${m.accountId} 出现两次且状态不一致`);
      }
      continue;
    }
    out.push({ accountId: m.accountId, sampledThisYear: m.sampledThisYear === true, hasOpenAlert: m.hasOpenAlert === true, recheck: m.recheck === true });
  }
  return out;
}

function tierOf(m: PopulationMember): SampleReason {
  if (m.recheck === true) return "recheck";
  if (!m.sampledThisYear) return "not_sampled_this_year";
  return m.hasOpenAlert ? "open_alert" : "random";
}

/**
 * The quarter's list. Deterministic from (population as a set, rate, quarter, seed, scope):
 * 1. sort the population by accountId (code units) and split it into tiers, in this order:
 *    re-check (复查: an unrectified failure past its deadline, whatever else holds) → not sampled this
 *    year (even if it also has an open alert) → open alert → the rest;
 * 2. seed one sfc32 stream with cyrb128(`${seed}|Q${quarter}`);
 * 3. Fisher–Yates-shuffle each tier with that stream, tiers in that order, each tier fully (an empty
 *    tier draws nothing from the stream, so populations without re-checks give the lists they gave
 *    before re-checks existed);
 * 4. size = sampleSize(N, unsampled, rate, quarter, rechecks).size, where unsampled counts the
 *    not-sampled tier for an own round and is 0 for a subtree round (no coverage minimum there);
 * 5. take the first size of the concatenation; an item's reason is its tier.
 * So every re-check is drawn, first; within a tier every account is equally likely; and no lower tier
 * is reached while a higher one has accounts left out.
 */
export function draw(input: DrawInput): Draw {
  if (typeof input.seed !== "string" || input.seed === "") throw new RangeError("抽查种子不能为空");
  const population = canonicalPopulation(input.population);
  const tiers: Record<SampleReason, string[]> = { recheck: [], not_sampled_this_year: [], open_alert: [], random: [] };
  for (const m of population) tiers[tierOf(m)].push(m.accountId);

  const scope = input.scope ?? "own";
  if (!ROUND_SCOPES.includes(scope)) throw new RangeError(`抽查范围必须是“本级”或“全辖区”（实为 ${String(scope)}）`);
  const { size, minimumByRate, minimumForCoverage } = sampleSize(
    population.length,
    // 全年全覆盖 is each sampling unit's duty, met by its own rounds; a subtree round only meets the rate.
    scope === "own" ? tiers.not_sampled_this_year.length : 0,
    input.rate,
    input.quarter,
    tiers.recheck.length,
  );

  const next = sfc32(...cyrb128(streamKey(input.seed, input.quarter)));
  const ordered: { accountId: string; reason: SampleReason }[] = [];
  for (const reason of SAMPLE_REASONS) {
    const tier = tiers[reason];
    shuffle(tier, next);
    for (const accountId of tier) ordered.push({ accountId, reason });
  }

  const items = ordered.slice(0, size).map((it, i) => ({ ...it, position: i + 1 }));
  return { sampleSize: size, minimumByRate, minimumForCoverage, items };
}

/** A seed from caller-supplied randomness (crypto.getRandomValues(new Uint8Array(16))): 32 hex digits. */
export function newSeed(randomBytes: Uint8Array): string {
  if (randomBytes.length !== SEED_BYTES) {
    throw new RangeError(`抽查种子需要${SEED_BYTES}字节随机数（实为 ${randomBytes.length} 字节）`);
  }
  let hex = "";
  for (const b of randomBytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

function label(reason: string): string {
  return (SAMPLE_REASON_LABELS as Record<string, string>)[reason] ?? String(reason);
}

/**
 * Recompute the draw and compare it with a stored list, position by position (盘锦市2017年政务公开工作安排第28项：
 * 及时公开抽查情况 — a published list must be checkable). Differences are Chinese lines for the clerk.
 * The input is the stored one: the population with its flags (re-check included), rate, quarter, seed
 * and scope, so the re-check tier and a subtree round's size are recomputed, not trusted.
 */
export function verifyDraw(
  input: DrawInput,
  stored: readonly { accountId: string; reason: SampleReason }[],
): { matches: boolean; differences: string[] } {
  let expected: DrawnItem[];
  try {
    expected = draw(input).items;
  } catch (e) {
    return { matches: false, differences: [`无法重新计算抽查名单：${e instanceof Error ? e.message : String(e)}`] };
  }

  const differences: string[] = [];
  if (stored.length !== expected.length) {
    differences.push(`应抽取 ${expected.length} 个账号，实为 ${stored.length} 个`);
  }
  const n = Math.max(stored.length, expected.length);
  for (let i = 0; i < n; i++) {
    const want = expected[i];
    const got = stored[i];
    if (want === undefined || got === undefined) continue; // reported below as 缺少/多出
    if (want.accountId !== got.accountId) {
      differences.push(`第${i + 1}项应为 ${want.accountId}（${label(want.reason)}），实为 ${got.accountId}（${label(got.reason)}）`);
    } else if (want.reason !== got.reason) {
      differences.push(`第${i + 1}项 ${got.accountId} 的抽取原因应为“${label(want.reason)}”，实为“${label(got.reason)}”`);
    }
  }

  const expectedIds = new Set(expected.map((it) => it.accountId));
  const populationIds = new Set(input.population.map((m) => m.accountId));
  const seen = new Set<string>();
  for (const got of stored) {
    if (seen.has(got.accountId)) differences.push(`重复 ${got.accountId}`);
    seen.add(got.accountId);
  }
  for (const want of expected) {
    if (!seen.has(want.accountId)) differences.push(`缺少 ${want.accountId}（${label(want.reason)}）`);
  }
  for (const id of seen) {
    if (!expectedIds.has(id)) {
      differences.push(populationIds.has(id) ? `多出 ${id}` : `多出 ${id}（不在本季度抽查范围内）`);
    }
  }
  return { matches: differences.length === 0, differences };
}

/**
 * The draw's population for a quarter: the accounts live at its start, plus every account that was
 * in an earlier quarter's population this year, has not been sampled, and is gone now (closed or
 * merged) — carried over so that every account present at any quarter start is checked within the
 * year (鹤政办〔2019〕20号第十二条：实现全年全覆盖), if only to confirm its closure. Carried members sort after live ones.
 */
export function withCarryOver(
  live: readonly { accountId: string; hasOpenAlert: boolean }[],
  earlierPopulations: readonly (readonly string[])[],
  sampledThisYear: ReadonlySet<string>,
): (PopulationMember & { carriedOver?: true })[] {
  const liveIds = new Set(live.map((m) => m.accountId));
  const carried = [...new Set(earlierPopulations.flat())]
    .filter((id) => !liveIds.has(id) && !sampledThisYear.has(id))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    ...live.map((m) => ({ accountId: m.accountId, hasOpenAlert: m.hasOpenAlert, sampledThisYear: sampledThisYear.has(m.accountId) })),
    ...carried.map((accountId) => ({ accountId, hasOpenAlert: false, sampledThisYear: false, carriedOver: true as const })),
  ];
}

/**
 * Run the draws of one calendar year, Q1 first, carrying sampledThisYear from quarter to quarter
 * (for tests and demonstrations). quarters[i] is the population at the start of quarter i + 1.
 */
export function simulateYear(
  quarters: readonly { population: readonly { accountId: string; hasOpenAlert: boolean }[] }[],
  rate: number,
  seed: string,
): DrawnItem[][] {
  if (quarters.length > 4) throw new RangeError(`一年只有4个季度（实为 ${quarters.length} 个）`);
  const sampled = new Set<string>();
  const earlier: string[][] = [];
  return quarters.map((q, i) => {
    const population = withCarryOver(q.population, earlier, sampled);
    earlier.push(population.map((m) => m.accountId));
    const { items } = draw({ population, rate, quarter: (i + 1) as 1 | 2 | 3 | 4, seed });
    for (const it of items) sampled.add(it.accountId);
    return items;
  });
}
