// The fictional jurisdiction as a plan: orgs, accounts with their posting habits, and the filings of
// the period, all decided from a seed before anything is written (src/demo/seed.ts writes it through
// the real write paths). Pure: no I/O, no clock, no Math.random — the same options give the same plan.
import { WeightedPool } from "./weighted-pool";
import type { AccountChanges, FilingKind } from "../domain/lifecycle";
import type { OrgKind, OrgLevel } from "../domain/orgs";
import { defaultWeeklyMinimum, type AccountType, type Platform } from "../domain/platforms";
import { shanghaiDate } from "../domain/weeks";
import {
  DEMO_CITY,
  DEMO_COUNTIES,
  DEPARTMENTS,
  GIVEN,
  GOVERNMENT_TOPICS,
  OPERATORS,
  PLACE_FIRST,
  PLACE_SECOND,
  SURNAMES,
  SYNTHETIC_PROVINCE,
  TITLE_TEMPLATES,
  TOWNSHIPS,
  TOWNSHIP_TOPICS,
  type DepartmentKind,
} from "./names";
import { createRandom, type Random } from "./random";

export const DAY_MS = 86_400_000;

export interface PlanOptions {
  /** About how many accounts (the plan has exactly this many). */
  accounts: number;
  /** Weeks of posting history before `now`. */
  weeks: number;
  seed: string;
  now: Date;
}

export type OrgRole = "province" | "city" | "county" | "zone" | "township" | "department";

export interface PlanOrg {
  key: string;
  name: string;
  kind: OrgKind;
  level: OrgLevel;
  parentKey: string | null;
  role: OrgRole;
  /** The short place word of account names: 青川, 东河, 柳溪. */
  place: string;
  dept?: DepartmentKind;
}

/**
 * How an account behaves over the period: most post normally; some chronically below the weekly
 * minimum (长期未达标), some stopped long ago (僵尸账号, > 90 days), some fell silent recently (两周未更新),
 * some have a feed that broke (订阅源抓取失败), some have no data source at all.
 */
export type Profile = "normal" | "low" | "dormant" | "silent" | "failing_feed" | "no_data";
export const PROFILES: readonly Profile[] = ["normal", "low", "dormant", "silent", "failing_feed", "no_data"];

/** How its posts reach the registry: pushed through the API, imported from a sheet, or read from a feed. */
export type PostChannel = "api" | "import" | "feed";

export interface PlanAccount {
  key: string;
  orgKey: string;
  platform: Platform;
  accountType: AccountType | null;
  name: string;
  platformId: string | null;
  url: string | null;
  feedUrl: string | null;
  openedOn: string;
  contactPerson: string;
  contactPhone: string;
  verifiedOwner: string;
  operationMode: string;
  operator: string | null;
  profile: Profile;
  channel: PostChannel;
  /** Updates (pushes) a week while it posts. */
  weeklyRate: number;
  /** Already in the old ledger before the period (imported), or opened by a filing inside it. */
  entry: "ledger" | "filing";
  /** dormant/silent: the last post is before this; failing_feed: the feed fails from here. */
  stopAt: Date | null;
  /** When the account posts: filled in once the period's filings are planned. */
  active: [Date, Date][];
  topics: readonly string[];
  /** The unit's short name in titles (青川教育局 → 市教育局). */
  unitShort: string;
}

export type FilingOutcome = "approved" | "rejected" | "submitted";

export interface PlanFiling {
  accountKey: string;
  kind: FilingKind;
  outcome: FilingOutcome;
  submittedAt: Date;
  decidedAt: Date | null;
  changes?: AccountChanges;
  reason?: string;
  completed?: boolean;
  targetKey?: string;
  /** 补充备案 of an account that came from the old ledger. */
  retroactive?: boolean;
  note: string;
}

export interface Plan {
  options: PlanOptions;
  /** First instant of the posting history. */
  start: Date;
  now: Date;
  /** When the old ledger was imported (just before the period). */
  ledgerAt: Date;
  orgs: PlanOrg[];
  accounts: PlanAccount[];
  filings: PlanFiling[];
}

// ---------------------------------------------------------------------------------------------
// The org tree

interface TreeBuilder {
  orgs: PlanOrg[];
  add(o: Omit<PlanOrg, "key">): PlanOrg;
}

function treeBuilder(): TreeBuilder {
  const orgs: PlanOrg[] = [];
  return {
    orgs,
    add(o) {
      const org = { key: `o${orgs.length + 1}`, ...o };
      orgs.push(org);
      return org;
    },
  };
}

/** Made-up two-syllable place names, distinct, never the demo's own. */
function placeNames(rng: Random, n: number, taken: Set<string>): string[] {
  const out: string[] = [];
  for (let guard = 0; out.length < n && guard < n * 200; guard++) {
    const name = rng.pick(PLACE_FIRST) + rng.pick(PLACE_SECOND);
    if (taken.has(name)) continue;
    taken.add(name);
    out.push(name);
  }
  // Beyond the pool's combinations: numbered, still fictional.
  for (let i = 1; out.length < n; i++) out.push(`${PLACE_FIRST[i % PLACE_FIRST.length]}${PLACE_SECOND[i % PLACE_SECOND.length]}${i}`);
  return out;
}

function departments(b: TreeBuilder, rng: Random, parent: PlanOrg, level: "province" | "city" | "county", count: number) {
  const prefix = level === "province" ? `${parent.place}省` : level === "city" ? `${parent.place}市` : parent.name.replace(/人民政府$/, "");
  const kinds = [...DEPARTMENTS.slice(0, Math.min(count, DEPARTMENTS.length))];
  // Not every county has every bureau's account: a few drop out at random, keeping the first six.
  for (const d of level === "county" ? rng.shuffle(kinds.slice(6)).slice(0, rng.int(3)) : []) kinds.splice(kinds.indexOf(d), 1);
  for (const d of kinds) {
    b.add({ name: `${prefix}${level === "county" ? d.county : d.city}`, kind: "department", level, parentKey: parent.key, role: "department", place: parent.place, dept: d });
  }
}

function county(b: TreeBuilder, rng: Random, parent: PlanOrg, name: string, deptCount: number, townships: number) {
  const place = name.replace(/(县|区)$/, "");
  const gov = b.add({ name: `${name}人民政府`, kind: "government", level: "county", parentKey: parent.key, role: "county", place });
  departments(b, rng, gov, "county", deptCount);
  for (const t of rng.shuffle(TOWNSHIPS).slice(0, townships)) {
    const tPlace = t.replace(/(镇|乡|街道)$/, "");
    const street = t.endsWith("街道");
    b.add({ name: street ? `${t}办事处` : `${t}人民政府`, kind: "government", level: "township", parentKey: gov.key, role: "township", place: tPlace });
  }
  return gov;
}

function city(b: TreeBuilder, rng: Random, parentKey: string | null, place: string, counties: string[], sizes: { cityDepts: number; countyDepts: number; townships: number; zone: boolean }) {
  const gov = b.add({ name: `${place}市人民政府`, kind: "government", level: "city", parentKey, role: "city", place });
  departments(b, rng, gov, "city", sizes.cityDepts);
  if (sizes.zone) {
    // 开发区（管委会）: placed and filing like a county government (docs/规则依据.md#指定备案单位).
    b.add({ name: `${place}经济技术开发区管理委员会`, kind: "zone", level: "county", parentKey: gov.key, role: "zone", place: `${place}经开区` });
  }
  for (const c of counties) county(b, rng, gov, c, sizes.countyDepts, sizes.townships);
  return gov;
}

/**
 * The tree for about `n` accounts: one city (the demo: 青川市 with 东河县、西岭县、南湖区) up to a few
 * hundred accounts, a province of such cities beyond. Units outnumber accounts' platforms as in a real
 * city: nearly every unit has one WeChat account, a few have more.
 */
function buildTree(rng: Random, n: number, demoNames: boolean): PlanOrg[] {
  const b = treeBuilder();
  const taken = new Set<string>([DEMO_CITY, ...DEMO_COUNTIES.map((c) => c.slice(0, 2))]);
  const unitsWanted = Math.max(4, Math.round(n * 0.75));
  if (n <= 700) {
    // Units per county ≈ 1 + 15 bureaus + 10 townships; the city itself ≈ 1 + 20 bureaus + a zone.
    const counties = demoNames ? DEMO_COUNTIES.length : Math.max(1, Math.min(12, Math.round((unitsWanted - 22) / 26)));
    const small = n < 60;
    const names: string[] = demoNames ? [...DEMO_COUNTIES] : [];
    names.push(...placeNames(rng, counties - names.length, taken).map((p, i) => p + (i % 3 === 2 ? "区" : "县")));
    city(b, rng, null, demoNames ? DEMO_CITY : placeNames(rng, 1, taken)[0]!, names.slice(0, counties), {
      cityDepts: small ? 6 : 20,
      countyDepts: small ? 4 : 16,
      townships: small ? 2 : 10,
      zone: !small,
    });
    return b.orgs;
  }
  const province = b.add({ name: `${SYNTHETIC_PROVINCE}省人民政府`, kind: "government", level: "province", parentKey: null, role: "province", place: SYNTHETIC_PROVINCE });
  departments(b, rng, province, "province", 20);
  const perCity = 22 + 6 * 23;
  const cities = Math.max(2, Math.round((unitsWanted - 21) / perCity));
  const cityNames = placeNames(rng, cities, taken);
  for (const [i, place] of cityNames.entries()) {
    const countyNames = placeNames(rng, 6, taken).map((p, k) => p + (k < 2 ? "区" : "县"));
    city(b, rng, province.key, place, countyNames, { cityDepts: 20, countyDepts: 14, townships: 8, zone: i % 2 === 0 });
  }
  return b.orgs;
}

// ---------------------------------------------------------------------------------------------
// Accounts

/** Platforms besides WeChat and Weibo, by how common they are among government accounts. */
const OTHER_PLATFORMS: readonly (readonly [Platform, number])[] = [
  ["douyin", 36],
  ["toutiao", 20],
  ["wechat_channels", 12],
  ["kuaishou", 8],
  ["miniprogram", 5],
  ["bilibili", 3],
  ["other", 6],
];

function isGovernmentUnit(o: PlanOrg) {
  return o.role === "province" || o.role === "city" || o.role === "county" || o.role === "zone";
}

/** How likely a unit is to have one more platform: governments most, townships least. */
function outreachWeight(o: PlanOrg): number {
  if (isGovernmentUnit(o)) return 12;
  if (o.role === "township") return 0.6;
  const w = 0.4 + (o.dept?.outreach ?? 1);
  return o.level === "county" ? w * 0.5 : w;
}

function hex(rng: Random, n: number) {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[rng.int(16)];
  return s;
}
function digits(rng: Random, n: number) {
  let s = String(1 + rng.int(9));
  for (let i = 1; i < n; i++) s += String(rng.int(10));
  return s;
}
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function alnum(rng: Random, n: number) {
  let s = "";
  for (let i = 0; i < n; i++) s += ALNUM[rng.int(ALNUM.length)];
  return s;
}

function accountBaseName(o: PlanOrg): string {
  if (isGovernmentUnit(o)) return o.role === "zone" ? o.place : `${o.place}发布`;
  if (o.role === "township") return `${o.place}${o.name.includes("街道") ? "街道" : o.name.includes("乡") ? "乡" : "镇"}发布`;
  return o.dept!.account.includes("{}") ? o.dept!.account.replace("{}", o.place) : `${o.place}${o.dept!.account}`;
}

/** Name on a platform: mostly the same everywhere (鹤政办〔2019〕20号第十二条 asks for one name), with the usual platform words. */
function platformName(rng: Random, base: string, platform: Platform): string {
  if (platform === "weibo" && rng.chance(0.3)) return `${base}微博`;
  if (platform === "toutiao" && rng.chance(0.5)) return `${base}头条号`;
  if (platform === "app") return `${base.replace(/发布$/, "")}通`;
  if (platform === "miniprogram") return `${base.replace(/发布$/, "")}办事`;
  return base;
}

function platformIdentity(rng: Random, platform: Platform, used: Set<string>): { platformId: string | null; url: string | null } {
  for (;;) {
    let id: string | null;
    let url: string | null = null;
    switch (platform) {
      case "wechat":
        id = `gh_${hex(rng, 12)}`;
        break;
      case "weibo":
        id = digits(rng, 10);
        url = `https://weibo.com/u/${id}`;
        break;
      case "douyin":
        id = `dy${digits(rng, 9)}`;
        url = `https://www.douyin.com/user/MS4wLjABAAAA${alnum(rng, 20)}`;
        break;
      case "toutiao":
        id = digits(rng, 11);
        url = `https://www.toutiao.com/c/user/${id}/`;
        break;
      case "kuaishou":
        id = `ks${digits(rng, 9)}`;
        break;
      case "wechat_channels":
        id = `sph${alnum(rng, 8)}`;
        break;
      case "miniprogram":
        id = `wx${hex(rng, 16)}`;
        break;
      case "bilibili":
        id = digits(rng, 9);
        url = `https://space.bilibili.com/${id}`;
        break;
      case "app":
        return { platformId: null, url: null };
      default:
        id = null;
    }
    if (!id) return { platformId: null, url };
    const k = `${platform}:${id}`;
    if (used.has(k)) continue;
    used.add(k);
    return { platformId: id, url };
  }
}

function personName(rng: Random) {
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

/** The unit's name as a title uses it (青川市教育局 → 市教育局; governments by their place). */
function unitShort(o: PlanOrg) {
  if (o.role === "department") return o.name.replace(/^.+?(省|市|县|区)/, "$1");
  return o.place;
}

/** The minimum a week for the platform (鹤政办〔2019〕20号第十二条：两微一端每周不少于3次，其他至少1次). */
function minimumFor(platform: Platform, type: AccountType | null) {
  return platform === "wechat" && type === "service" ? 0 : defaultWeeklyMinimum(platform);
}

function weeklyRate(rng: Random, profile: Profile, platform: Platform, type: AccountType | null): number {
  if (platform === "wechat" && type === "service") return profile === "low" ? 0.3 : 0.9; // 服务号: 4 群发 a month
  const min = minimumFor(platform, type);
  if (profile === "low") return min * (0.25 + 0.35 * rng.next());
  // Skewed: most a little above the minimum, a few very busy (a Weibo of the police posts daily).
  const busy = platform === "weibo" ? 1.8 : 1.3;
  return Math.min(min * 8, Math.max(min + 0.8, rng.logNormal(min * busy + 0.6, 0.45)));
}

function pickProfile(rng: Random, o: PlanOrg): Profile {
  if (isGovernmentUnit(o)) return rng.weighted<Profile>([["normal", 90], ["low", 5], ["silent", 3], ["failing_feed", 2]]);
  const township = o.role === "township";
  return rng.weighted<Profile>([
    ["normal", township ? 58 : 68],
    ["low", township ? 16 : 12],
    ["dormant", township ? 11 : 7],
    ["silent", 5],
    ["failing_feed", 5],
    ["no_data", township ? 5 : 3],
  ]);
}

function makeAccount(
  rng: Random,
  ctx: { key: string; org: PlanOrg; platform: Platform; accountType: AccountType | null; name: string; used: Set<string>; start: Date; now: Date; profile?: Profile },
): PlanAccount {
  const { org, platform, accountType } = ctx;
  const profile = ctx.profile ?? pickProfile(rng, org);
  const { platformId, url } = platformIdentity(rng, platform, ctx.used);
  const thirdParty = rng.chance(0.3);
  // Owners: the unit itself; a government's office for a government (sameOwner accepts it); now and
  // then a 融媒体中心 that certified the account for the unit (认证主体不一致).
  let verifiedOwner = org.name;
  if (isGovernmentUnit(org) && org.role !== "zone" && rng.chance(0.5)) verifiedOwner = `${org.name}办公室`;
  if (!isGovernmentUnit(org) && rng.chance(0.04)) verifiedOwner = `${org.place}融媒体中心`;
  const span = ctx.now.getTime() - ctx.start.getTime();
  let stopAt: Date | null = null;
  if (profile === "dormant") stopAt = new Date(ctx.now.getTime() - Math.min(span * 0.8, (95 + rng.int(200)) * DAY_MS));
  if (profile === "silent") stopAt = new Date(ctx.now.getTime() - Math.min(span * 0.5, (16 + rng.int(40)) * DAY_MS));
  if (profile === "failing_feed") stopAt = new Date(ctx.now.getTime() - Math.min(span * 0.5, (8 + rng.int(18)) * DAY_MS));
  const topics = org.dept?.topics ?? (org.role === "township" ? TOWNSHIP_TOPICS : GOVERNMENT_TOPICS);
  const opened = new Date(ctx.start.getTime() - (200 + rng.int(365 * 7)) * DAY_MS);
  return {
    key: ctx.key,
    orgKey: org.key,
    platform,
    accountType,
    name: ctx.name,
    platformId,
    url,
    // A broken RSS bridge: the host does not resolve (.invalid never does), so the live server's polls fail too.
    feedUrl: profile === "failing_feed" ? `https://rss-bridge.demo.invalid/${platform}/${platformId ?? ctx.key}.xml` : null,
    openedOn: shanghaiDate(opened),
    contactPerson: personName(rng),
    contactPhone: `100${digits(rng, 8)}`, // 100… is no real mobile prefix
    verifiedOwner,
    operationMode: thirdParty ? "委托第三方运维" : "自行运维",
    operator: thirdParty ? `${org.place.slice(0, 2)}${rng.pick(OPERATORS)}` : null,
    profile,
    channel: profile === "failing_feed" ? "feed" : rng.chance(0.65) ? "api" : "import",
    weeklyRate: weeklyRate(rng, profile, platform, accountType),
    entry: "ledger",
    stopAt,
    active: [],
    topics,
    unitShort: unitShort(org),
  };
}

/**
 * Accounts for the units: ≈70% WeChat (nearly one per unit, a few 服务号), ≈20% Weibo (governments and
 * the outward-facing bureaus first), the rest Douyin, Toutiao, the city's app and others.
 */
function buildAccounts(rng: Random, orgs: PlanOrg[], n: number, start: Date, now: Date): PlanAccount[] {
  const used = new Set<string>();
  const units = orgs; // every org may hold accounts
  const wechatTotal = Math.round(n * 0.7);
  const weiboTotal = Math.round(n * 0.2);
  const duplicates = Math.min(Math.max(n >= 40 ? 3 : 0, Math.round(n * 0.015)), Math.floor(wechatTotal / 4));
  const accounts: PlanAccount[] = [];
  const byUnit = new Map<string, PlanAccount[]>();
  // The units without an account on the platform yet, weighted by outreach (three times for units
  // without WeChat); a unit leaves a platform's pool when it gets an account there.
  const pools = new Map<Platform, WeightedPool<PlanOrg>>();
  const unitIndex = new Map(units.map((o, i) => [o.key, i]));
  const add = (org: PlanOrg, platform: Platform, accountType: AccountType | null, name: string, profile?: Profile) => {
    const a = makeAccount(rng, { key: `a${accounts.length + 1}`, org, platform, accountType, name, used, start, now, profile });
    accounts.push(a);
    byUnit.set(org.key, [...(byUnit.get(org.key) ?? []), a]);
    for (const [p, pool] of pools) pool.set(unitIndex.get(org.key)!, weightFor(org, p));
    return a;
  };
  const has = (o: PlanOrg, p: Platform) => (byUnit.get(o.key) ?? []).some((a) => a.platform === p);

  // WeChat: governments first, then bureaus, then townships, until the share is reached.
  const order = [
    ...units.filter(isGovernmentUnit),
    ...rng.shuffle(units.filter((o) => o.role === "department" && o.level !== "county")),
    ...rng.shuffle(units.filter((o) => o.role === "department" && o.level === "county" || o.role === "township")),
  ];
  for (const o of order.slice(0, Math.max(0, wechatTotal - duplicates))) {
    const service = !!o.dept?.service && rng.chance(0.35);
    add(o, "wechat", service ? "service" : "subscription", accountBaseName(o));
  }
  // A few units still run an old second WeChat account next to the new one (同平台重复开设): candidates to merge.
  for (const o of rng.shuffle(order.filter((u) => u.role === "department" && has(u, "wechat"))).slice(0, duplicates)) {
    add(o, "wechat", "subscription", `${accountBaseName(o)}资讯`, rng.chance(0.5) ? "dormant" : "low");
  }

  const weightFor = (o: PlanOrg, platform: Platform) => (has(o, platform) ? 0 : outreachWeight(o) * (has(o, "wechat") ? 1 : 3));
  const drawUnit = (platform: Platform): PlanOrg | undefined => {
    let pool = pools.get(platform);
    if (!pool) pools.set(platform, (pool = new WeightedPool(units, (o) => weightFor(o, platform))));
    return pool.draw(rng);
  };
  for (let i = 0; i < weiboTotal; i++) {
    const o = drawUnit("weibo");
    if (!o) break;
    add(o, "weibo", null, platformName(rng, accountBaseName(o), "weibo"));
  }
  // Each government's app (移动客户端) first, then the other platforms by their weights.
  for (const o of units.filter((u) => u.role === "city" || u.role === "province")) {
    if (accounts.length >= n) break;
    add(o, "app", null, platformName(rng, accountBaseName(o), "app"));
  }
  for (let guard = 0; accounts.length < n && guard < n * 20; guard++) {
    const platform = rng.weighted(OTHER_PLATFORMS);
    const o = drawUnit(platform);
    if (o) add(o, platform, null, platformName(rng, accountBaseName(o), platform));
  }
  return accounts.slice(0, n);
}

// ---------------------------------------------------------------------------------------------
// Filings of the period

function at(start: Date, now: Date, frac: number) {
  return new Date(start.getTime() + (now.getTime() - start.getTime()) * frac);
}

/** A working-day time (09:00–17:59 Beijing) on the same Shanghai day as `t`, never after `now`. */
function officeTime(rng: Random, t: Date, now: Date): Date {
  const day = shanghaiDate(t);
  const ms = Date.parse(`${day}T00:00:00+08:00`) + (9 + rng.int(9)) * 3_600_000 + rng.int(60) * 60_000;
  return new Date(Math.min(ms, now.getTime() - 60_000));
}

/** Outcomes cycled so each of approved, rejected and submitted appears as soon as there are three. */
function outcomes(rng: Random, count: number, shares: [number, number, number]): FilingOutcome[] {
  const out: FilingOutcome[] = [];
  if (count >= 1) out.push("approved");
  if (count >= 2) out.push("submitted");
  if (count >= 3) out.push("rejected");
  while (out.length < count) out.push(rng.weighted<FilingOutcome>([["approved", shares[0]], ["rejected", shares[1]], ["submitted", shares[2]]]));
  return out;
}

const REJECT_NOTES: Partial<Record<FilingKind, string[]>> = {
  open: ["与本单位已有账号功能重复，不予开设", "开设必要性不足，请先整合现有账号", "材料不全：缺少保密审查和运维保障说明"],
  change: ["变更后的运维单位资质材料不全，请补充后重新提交", "变更内容与认证信息不一致，请核实"],
  suspend: ["该账号承担政务公开职能，不宜停更，请加强运维", "停更理由不充分"],
  close: ["账号仍承担办事服务功能，请先完成迁移再申请关停", "关停后替代渠道未明确"],
  merge: ["整合方案未说明粉丝迁移安排，请补充", "目标账号尚未完成认证信息变更"],
};

function planFilings(rng: Random, p: Omit<Plan, "filings">): PlanFiling[] {
  const { start, now, accounts } = p;
  const orgByKey = new Map(p.orgs.map((o) => [o.key, o]));
  const filings: PlanFiling[] = [];
  const busy = new Set<string>(); // one scenario per account: filings never overlap
  const n = accounts.length;
  const early = (frac0: number, frac1: number) => officeTime(rng, at(start, now, frac0 + (frac1 - frac0) * rng.next()), now);
  // Decided one to nine days later in office hours; at the latest just before now, never before it was submitted.
  const decideAfter = (t: Date) => {
    const day = officeTime(rng, new Date(Math.min(t.getTime() + (1 + rng.int(9)) * DAY_MS, now.getTime() - DAY_MS / 2)), now);
    return new Date(Math.min(Math.max(day.getTime(), t.getTime() + 3_600_000), now.getTime() - 60_000));
  };
  const recent = () => officeTime(rng, new Date(now.getTime() - (1 + rng.int(9)) * DAY_MS), now);
  // When each account's last filing was decided: a new one is submitted only after it (one at a time per account).
  const freeAt = new Map<string, number>();
  const push = (a: PlanAccount, kind: FilingKind, outcome: FilingOutcome, planned: Date, extra: Partial<PlanFiling> = {}) => {
    const free = freeAt.get(a.key);
    if (free === Infinity) return;
    const submittedAt = free !== undefined && planned.getTime() <= free ? new Date(free + 2 * 3_600_000) : planned;
    if (submittedAt.getTime() >= now.getTime() - 3_600_000) return;
    const decidedAt = outcome === "submitted" ? null : decideAfter(submittedAt);
    freeAt.set(a.key, decidedAt ? decidedAt.getTime() : Infinity);
    const note = outcome === "approved" ? "经审核，同意备案" : outcome === "rejected" ? rng.pick(REJECT_NOTES[kind] ?? ["材料不全"]) : "";
    filings.push({ accountKey: a.key, kind, outcome, submittedAt, decidedAt, note, ...extra });
    busy.add(a.key);
  };
  const pool = (pred: (a: PlanAccount) => boolean) => rng.shuffle(accounts.filter((a) => !busy.has(a.key) && pred(a)));
  const dupPrimaries = new Set<string>();
  // Merges: the old duplicate WeChat account into the unit's main one (same platform).
  const dups = accounts.filter((a) => a.name.endsWith("资讯") && a.platform === "wechat");
  const mergeOutcomes = outcomes(rng, dups.length, [2, 1, 1]);
  for (const [i, d] of dups.entries()) {
    const target = accounts.find((a) => a.orgKey === d.orgKey && a.platform === "wechat" && a.key !== d.key);
    if (!target) continue;
    dupPrimaries.add(target.key);
    busy.add(target.key);
    const o = mergeOutcomes[i]!;
    push(d, "merge", o, o === "submitted" ? recent() : early(0.3, 0.8), { targetKey: target.key, reason: "功能相近，整合至本单位主账号" });
  }

  // New accounts opened by a filing during the period (新开设): not governments' main accounts.
  const newCount = Math.max(3, Math.round(n * 0.05));
  const opens = outcomes(rng, newCount, [7, 2, 2]);
  for (const [i, a] of pool((x) => x.profile === "normal" && !isGovernmentUnit(orgByKey.get(x.orgKey)!) && x.platform !== "wechat").slice(0, newCount).entries()) {
    const o = opens[i]!;
    a.entry = "filing";
    const t = o === "submitted" ? recent() : early(0.05, 0.6);
    a.openedOn = shanghaiDate(t);
    push(a, "open", o, t);
    if (o === "approved") filings.at(-1)!.note = "同意开设，请按要求做好内容审核和运维保障";
  }

  // 补充备案: accounts of county bureaus and townships from the old ledger, filed early in the period.
  for (const a of pool((x) => {
    const o = orgByKey.get(x.orgKey)!;
    return o.role === "township" || (o.role === "department" && o.level === "county");
  })) {
    const o = rng.weighted<FilingOutcome | "none">([["approved", 85], ["rejected", 4], ["submitted", 4], ["none", 7]]);
    if (o === "none") continue;
    push(a, "open", o, o === "submitted" ? recent() : early(0, 0.25), { retroactive: true });
    if (o !== "submitted") busy.delete(a.key); // decided early: later filings of other kinds may follow
  }

  const count = (share: number) => Math.max(3, Math.round(n * share));
  for (const [i, a] of pool((x) => x.profile === "normal" && x.entry === "ledger" && !dupPrimaries.has(x.key)).slice(0, count(0.04)).entries()) {
    const o = outcomes(rng, count(0.04), [3, 1, 1])[i]!;
    const changes: AccountChanges = rng.chance(0.6)
      ? { contactPerson: personName(rng), contactPhone: `100${digits(rng, 8)}` }
      : { operationMode: "委托第三方运维", operator: `${orgByKey.get(a.orgKey)!.place.slice(0, 2)}${rng.pick(OPERATORS)}` };
    push(a, "change", o, o === "submitted" ? recent() : early(0.1, 0.9), { changes });
  }
  const suspends = pool((x) => x.profile === "low" && x.entry === "ledger").slice(0, count(0.02));
  const suspendOutcomes = outcomes(rng, suspends.length, [2, 1, 1]);
  let resumed = false;
  for (const [i, a] of suspends.entries()) {
    const o = suspendOutcomes[i]!;
    const t = o === "submitted" ? recent() : early(0.2, 0.6);
    push(a, "suspend", o, t, { reason: "人员调整，运维力量不足，暂停更新" });
    if (o === "approved" && !resumed) {
      // One comes back: 恢复更新 approved some weeks later.
      resumed = true;
      const back = early(0.7, 0.85);
      push(a, "resume", "approved", back, { reason: "运维人员已配齐，恢复更新" });
    }
  }
  const closes = pool((x) => (x.profile === "dormant" || x.profile === "low") && x.entry === "ledger").slice(0, count(0.03));
  const closeOutcomes = outcomes(rng, closes.length, [3, 1, 1]);
  for (const [i, a] of closes.entries()) {
    const o = closeOutcomes[i]!;
    push(a, "close", o, o === "submitted" ? recent() : early(0.3, 0.9), { reason: "长期无力维护，按要求关停注销", completed: o === "approved" && i % 2 === 0 });
  }
  return filings.sort((x, y) => x.submittedAt.getTime() - y.submittedAt.getTime());
}

/** Posting intervals from the entry, the profile's stop and the approved suspend/resume/close/merge. */
function activity(a: PlanAccount, approvedByAccount: ReadonlyMap<string, PlanFiling[]>, start: Date, now: Date): [Date, Date][] {
  const mine = approvedByAccount.get(a.key) ?? [];
  let from = start;
  if (a.entry === "filing") {
    const open = mine.find((f) => f.kind === "open");
    if (!open) return [];
    from = open.decidedAt!;
  }
  const to = a.profile === "dormant" || a.profile === "silent" ? a.stopAt! : now;
  let out: [Date, Date][] = from < to ? [[from, to]] : [];
  const cut = (c0: Date, c1: Date) => {
    out = out.flatMap(([x, y]) => {
      const parts: [Date, Date][] = [];
      if (x < c0) parts.push([x, new Date(Math.min(y.getTime(), c0.getTime()))]);
      if (y > c1) parts.push([new Date(Math.max(x.getTime(), c1.getTime())), y]);
      return parts;
    });
  };
  for (const f of mine) {
    if (f.kind === "suspend") cut(f.decidedAt!, mine.find((r) => r.kind === "resume")?.decidedAt ?? now);
    if (f.kind === "close" || f.kind === "merge") cut(f.decidedAt!, now);
  }
  return out;
}

export function buildPlan(options: PlanOptions): Plan {
  const rng = createRandom(options.seed);
  const now = options.now;
  const start = new Date(now.getTime() - options.weeks * 7 * DAY_MS);
  const orgs = buildTree(rng.fork("tree"), options.accounts, options.seed === DEMO_SEED);
  const accounts = buildAccounts(rng.fork("accounts"), orgs, options.accounts, start, now);
  const base = { options, start, now, ledgerAt: new Date(start.getTime() - 3 * DAY_MS), orgs, accounts };
  const filings = planFilings(rng.fork("filings"), base);
  // Grouped once: filtering every filing for every account made large plans quadratic.
  const approvedByAccount = new Map<string, PlanFiling[]>();
  for (const f of filings) if (f.outcome === "approved") approvedByAccount.set(f.accountKey, [...(approvedByAccount.get(f.accountKey) ?? []), f]);
  for (const a of accounts) a.active = activity(a, approvedByAccount, start, now);
  return { ...base, filings };
}

/** The seed of `npm run demo`: the city of 青川 with its three counties. */
export const DEMO_SEED = "qingchuan";

// ---------------------------------------------------------------------------------------------
// Posts

export interface PlannedPost {
  publishedAt: Date;
  title: string;
  url: string | null;
  guid: string;
}

function postUrl(rng: Random, a: PlanAccount): string | null {
  switch (a.platform) {
    case "wechat":
      return `https://mp.weixin.qq.com/s/${alnum(rng, 22)}`;
    case "weibo":
      return `https://weibo.com/${a.platformId}/${alnum(rng, 9)}`;
    case "douyin":
      return `https://www.douyin.com/video/7${digits(rng, 18)}`;
    case "toutiao":
      return `https://www.toutiao.com/article/7${digits(rng, 18)}/`;
    default:
      return null;
  }
}

/**
 * Every post of the account over the period, in time order: per week a Poisson number of updates at
 * its rate, each at an office-hours minute; a WeChat 群发 carries one to a few articles at one minute.
 * Only inside its posting intervals, never after `now`. Deterministic per account.
 */
export function planPosts(plan: Plan, a: PlanAccount): PlannedPost[] {
  if (a.profile === "no_data" || a.active.length === 0) return [];
  const rng = createRandom(`${plan.options.seed}/posts/${a.key}`);
  const out: PlannedPost[] = [];
  const inActive = (t: number) => a.active.some(([x, y]) => t >= x.getTime() && t < y.getTime());
  let n = 0;
  for (let w = plan.start.getTime(); w < plan.now.getTime(); w += 7 * DAY_MS) {
    const pushes = Math.min(21, rng.poisson(a.weeklyRate));
    const times = new Set<number>();
    for (let i = 0; i < pushes; i++) {
      const day = rng.int(7);
      const minute = (8 * 60 + rng.int(13 * 60)) * 60_000; // 08:00–20:59 Beijing
      const t = Math.floor((w + day * DAY_MS) / DAY_MS) * DAY_MS - 8 * 3_600_000 + minute;
      if (t < plan.start.getTime() || t >= plan.now.getTime() || !inActive(t)) continue;
      times.add(t);
    }
    for (const t of [...times].sort((x, y) => x - y)) {
      const articles = a.platform === "wechat" ? 1 + Math.min(5, rng.poisson(a.accountType === "service" ? 1.2 : 0.4)) : 1;
      for (let k = 0; k < articles; k++) {
        n++;
        const month = Number(shanghaiDate(new Date(t)).slice(5, 7));
        const title = rng
          .pick(TITLE_TEMPLATES)
          .replace("{u}", a.unitShort)
          .replace("{t}", rng.pick(a.topics))
          .replace("{m}", String(month));
        out.push({ publishedAt: new Date(t), title: k === 0 ? title : `${title}（${k + 1}）`, url: postUrl(rng, a), guid: `${a.platformId ?? a.key}-${n}` });
      }
    }
  }
  return out;
}

export function planSummary(plan: Plan) {
  const byProfile = Object.fromEntries(PROFILES.map((p) => [p, plan.accounts.filter((a) => a.profile === p).length]));
  const byPlatform: Record<string, number> = {};
  for (const a of plan.accounts) byPlatform[a.platform] = (byPlatform[a.platform] ?? 0) + 1;
  return { orgs: plan.orgs.length, accounts: plan.accounts.length, byProfile, byPlatform, filings: plan.filings.length };
}
