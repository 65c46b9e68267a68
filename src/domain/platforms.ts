// Platforms and their default weekly minimum.
// 鹤政办〔2019〕20号第十二条："两微一端"每周更新不少于3次，其他政务新媒体每周至少更新1次.
export const PLATFORMS = [
  "wechat",
  "weibo",
  "app",
  "douyin",
  "kuaishou",
  "toutiao",
  "bilibili",
  "wechat_channels",
  "baijiahao",
  "xiaohongshu",
  "miniprogram",
  "other",
] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * WeChat official accounts come in two kinds with different sending limits: 订阅号 (subscription,
 * one 群发 a day) and 服务号 (service, four 群发 a month). Other platforms have no type (null).
 */
export const ACCOUNT_TYPES = ["subscription", "service"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const ACCOUNT_TYPE_LABELS: Record<AccountType, string> = { subscription: "订阅号", service: "服务号" };

/** A WeChat account is a 订阅号 unless said otherwise; other platforms have no type. */
export function defaultAccountType(platform: Platform): AccountType | null {
  return platform === "wechat" ? "subscription" : null;
}

/** The allowed account types in Chinese, for 400 answers and ledger errors. */
export const ACCOUNT_TYPE_CHOICES = "subscription（订阅号）或 service（服务号），仅适用于微信公众号";

/**
 * The account type to store for a platform and what was given (undefined/null = not said): WeChat
 * defaults to 订阅号; any other platform takes none. Returns a Chinese error when the pair cannot be.
 */
export function resolveAccountType(
  platform: Platform,
  given: string | null | undefined,
): { accountType: AccountType | null } | { error: string } {
  if (given === undefined || given === null || given === "") return { accountType: defaultAccountType(platform) };
  if (!(ACCOUNT_TYPES as readonly string[]).includes(given)) return { error: `未知的账号类型“${given}”，应为 ${ACCOUNT_TYPE_CHOICES}` };
  if (platform !== "wechat") return { error: `账号类型（订阅号/服务号）只适用于微信公众号，${PLATFORM_LABELS[platform]}账号不填` };
  return { accountType: given as AccountType };
}

/** Account types as clerks write them in a ledger's 账号类型 column. */
const ACCOUNT_TYPE_NAMES: ReadonlyMap<string, AccountType> = new Map<string, AccountType>([
  ["subscription", "subscription"],
  ["service", "service"],
  ["订阅号", "subscription"],
  ["服务号", "service"],
  ["微信订阅号", "subscription"],
  ["微信服务号", "service"],
]);

export function parseAccountType(text: string): AccountType | undefined {
  return ACCOUNT_TYPE_NAMES.get(text.trim().toLowerCase());
}

export const PLATFORM_LABELS: Record<Platform, string> = {
  wechat: "微信公众号",
  weibo: "微博",
  app: "移动客户端",
  douyin: "抖音",
  kuaishou: "快手",
  toutiao: "今日头条",
  bilibili: "哔哩哔哩",
  wechat_channels: "视频号",
  baijiahao: "百家号",
  xiaohongshu: "小红书",
  miniprogram: "小程序",
  other: "其他",
};

/** 两微一端: WeChat, Weibo and the government app. */
export const TWO_WEI_ONE_DUAN: ReadonlySet<Platform> = new Set(["wechat", "weibo", "app"]);

export function defaultWeeklyMinimum(platform: Platform): number {
  return TWO_WEI_ONE_DUAN.has(platform) ? 3 : 1;
}

/** Accepts the code (`wechat`) or a Chinese name as clerks write it in a ledger (微信公众号, 微信, 公众号 …). */
export function parsePlatform(text: string): Platform | undefined {
  return PLATFORM_NAMES.get(text.trim().toLowerCase()) ?? (accountTypeInPlatformWord(text) ? "wechat" : undefined);
}

/** The account type a platform word implies (微信服务号, 服务号 → service; 微信订阅号, 订阅号 → subscription), if any. */
export function accountTypeInPlatformWord(text: string): AccountType | undefined {
  const t = text.trim().toLowerCase();
  return t === "subscription" || t === "service" ? undefined : parseAccountType(t);
}

/** "微信公众号（服务号）" for a typed WeChat account, the platform's name otherwise. */
export function platformWithType(platform: Platform, accountType: AccountType | null | undefined): string {
  return platform === "wechat" && accountType ? `${PLATFORM_LABELS[platform]}（${ACCOUNT_TYPE_LABELS[accountType]}）` : PLATFORM_LABELS[platform];
}

// A Map, not an object: "constructor" or "__proto__" in a spreadsheet must not match anything.
const PLATFORM_ALIASES: Record<string, Platform> = {
  微信: "wechat",
  公众号: "wechat",
  微信公众平台: "wechat",
  新浪微博: "weibo",
  政务微博: "weibo",
  客户端: "app",
  APP: "app",
  App: "app",
  移动客户端APP: "app",
  头条: "toutiao",
  头条号: "toutiao",
  今日头条号: "toutiao",
  政务APP: "app",
  政务客户端: "app",
  手机客户端: "app",
  新闻客户端: "app",
  移动端: "app",
  哔哩哔哩: "bilibili",
  视频号: "wechat_channels",
  百家号: "baijiahao",
  小红书: "xiaohongshu",
  抖音: "douyin",
  快手: "kuaishou",
  B站: "bilibili",
  微信视频号: "wechat_channels",
  其它: "other",
  抖音号: "douyin",
  快手号: "kuaishou",
  哔哩哔哩弹幕网: "bilibili",
  微信小程序: "miniprogram",
  政务小程序: "miniprogram",
  支付宝小程序: "miniprogram",
  百度小程序: "miniprogram",
  抖音小程序: "miniprogram",
  "mini program": "miniprogram",
};

const PLATFORM_NAMES: ReadonlyMap<string, Platform> = new Map<string, Platform>([
  ...PLATFORMS.map((p) => [p, p] as const),
  ...PLATFORMS.map((p) => [PLATFORM_LABELS[p].toLowerCase(), p] as const),
  ...Object.entries(PLATFORM_ALIASES).map(([k, v]) => [k.toLowerCase(), v] as const),
]);
