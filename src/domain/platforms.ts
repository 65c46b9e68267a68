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
  other: "其他",
};

/** 两微一端: WeChat, Weibo and the government app. */
export const TWO_WEI_ONE_DUAN: ReadonlySet<Platform> = new Set(["wechat", "weibo", "app"]);

export function defaultWeeklyMinimum(platform: Platform): number {
  return TWO_WEI_ONE_DUAN.has(platform) ? 3 : 1;
}

/** Accepts the code (`wechat`) or a Chinese name as clerks write it in a ledger (微信公众号, 微信, 公众号 …). */
export function parsePlatform(text: string): Platform | undefined {
  return PLATFORM_NAMES.get(text.trim().toLowerCase());
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
  B站: "bilibili",
  微信视频号: "wechat_channels",
  其它: "other",
  抖音号: "douyin",
  快手号: "kuaishou",
  哔哩哔哩弹幕网: "bilibili",
};

const PLATFORM_NAMES: ReadonlyMap<string, Platform> = new Map<string, Platform>([
  ...PLATFORMS.map((p) => [p, p] as const),
  ...PLATFORMS.map((p) => [PLATFORM_LABELS[p].toLowerCase(), p] as const),
  ...Object.entries(PLATFORM_ALIASES).map(([k, v]) => [k.toLowerCase(), v] as const),
]);
