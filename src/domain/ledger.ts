// Ledger (台账) rows: the columns offices keep in their spreadsheets, validated row by row.
import {
  ACCOUNT_TYPE_LABELS,
  accountTypeInPlatformWord,
  defaultAccountType,
  parseAccountType,
  parsePlatform,
  PLATFORM_LABELS,
  type AccountType,
  type Platform,
} from "./platforms";
import { ACCOUNT_STATUS_LABELS, type AccountStatus } from "./lifecycle";

export const LEDGER_COLUMNS = [
  "账号名称",
  "平台",
  "账号ID",
  "主办单位",
  "链接",
  "订阅地址",
  "开设日期",
  "运维人员",
  "联系电话",
  // 订阅号 / 服务号 (WeChat only; empty = 订阅号). Last, so older ledgers keep their column order.
  "账号类型",
] as const;
export const REQUIRED_LEDGER_COLUMNS = ["账号名称", "平台", "主办单位"] as const;
/** Data rows one import may hold (ledgers and posts files alike): more must be split. */
export const MAX_LEDGER_ROWS = 20000;

export interface LedgerRow {
  name: string;
  platform: Platform;
  /** WeChat: 订阅号 (default) or 服务号, from the 账号类型 column or a platform word like 微信服务号; null elsewhere. */
  accountType: AccountType | null;
  platformId: string | null;
  orgName: string;
  url: string | null;
  feedUrl: string | null;
  openedOn: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
}

export interface RowError {
  row: number;
  column?: string;
  message: string;
}

const MAX = { name: 100, platformId: 128, orgName: 100, url: 2048, person: 50, phone: 40 };

function cell(record: Record<string, string>, col: string): string {
  return (record[col] ?? "").trim();
}

/** Dates as clerks type them: 2021-03-05, 2021/3/5, 2021年3月5日, 2021.3.5. */
export function parseLedgerDate(text: string): string | undefined {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  if (y < 1990 || y > 2100) return undefined;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/** Checks one data row; `row` is the spreadsheet row number (header is row 1). */
export function parseLedgerRow(
  record: Record<string, string>,
  row: number,
  /** Today's date in Asia/Shanghai: an account cannot have opened in the future. */
  today?: string,
): { value?: LedgerRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const err = (column: string, message: string) => errors.push({ row, column, message });

  const name = cell(record, "账号名称");
  if (!name) err("账号名称", "账号名称不能为空");
  else if (name.length > MAX.name) err("账号名称", `账号名称不能超过${MAX.name}个字`);

  const platformText = cell(record, "平台");
  const platform = platformText ? parsePlatform(platformText) : undefined;
  if (!platformText) err("平台", "平台不能为空");
  else if (!platform) {
    err("平台", `无法识别的平台“${platformText}”，应为：${Object.values(PLATFORM_LABELS).join("、")}`);
  }

  // 账号类型: the column, or the platform word (微信服务号, 服务号, 微信订阅号, 订阅号); they must agree.
  const typeText = cell(record, "账号类型");
  const typeInColumn = typeText ? parseAccountType(typeText) : undefined;
  const typeInPlatform = platformText ? accountTypeInPlatformWord(platformText) : undefined;
  if (typeText && !typeInColumn) err("账号类型", `无法识别的账号类型“${typeText}”，应为：订阅号、服务号（仅微信公众号），或不填`);
  else if (typeInColumn && platform && platform !== "wechat") err("账号类型", `账号类型（订阅号/服务号）只适用于微信公众号，${PLATFORM_LABELS[platform]}账号不填`);
  else if (typeInColumn && typeInPlatform && typeInColumn !== typeInPlatform) {
    err("账号类型", `平台写的是“${platformText}”，账号类型却是“${typeText}”，请核对`);
  }
  const accountType = platform ? (typeInColumn ?? typeInPlatform ?? defaultAccountType(platform)) : null;

  const platformId = cell(record, "账号ID");
  if (platformId.length > MAX.platformId) err("账号ID", `账号ID不能超过${MAX.platformId}个字符`);

  const orgName = cell(record, "主办单位");
  if (!orgName) err("主办单位", "主办单位不能为空");
  else if (orgName.length > MAX.orgName) err("主办单位", `主办单位不能超过${MAX.orgName}个字`);

  const url = cell(record, "链接");
  if (url && (url.length > MAX.url || !isHttpUrl(url))) err("链接", "链接应为 http:// 或 https:// 开头的网址");
  const feedUrl = cell(record, "订阅地址");
  if (feedUrl && (feedUrl.length > MAX.url || !isHttpUrl(feedUrl))) {
    err("订阅地址", "订阅地址应为 http:// 或 https:// 开头的网址");
  }

  const openedText = cell(record, "开设日期");
  const openedOn = openedText ? parseLedgerDate(openedText) : undefined;
  if (openedText && !openedOn) err("开设日期", `无法识别的日期“${openedText}”，应为 2021-03-05 这样的格式`);
  else if (openedOn && today && openedOn > today) err("开设日期", `开设日期 ${openedOn} 晚于今天，请核对`);

  const contactPerson = cell(record, "运维人员");
  if (contactPerson.length > MAX.person) err("运维人员", `运维人员不能超过${MAX.person}个字`);
  const contactPhone = cell(record, "联系电话");
  if (contactPhone && !/^[0-9+\-() ]{5,40}$/.test(contactPhone)) err("联系电话", "联系电话只能包含数字、+、-、括号和空格");

  if (errors.length > 0 || !platform) return { errors };
  return {
    errors,
    value: {
      name,
      platform,
      accountType,
      platformId: platformId || null,
      orgName,
      url: url || null,
      feedUrl: feedUrl || null,
      openedOn: openedOn ?? null,
      contactPerson: contactPerson || null,
      contactPhone: contactPhone || null,
    },
  };
}

export const EXPORT_COLUMNS = [...LEDGER_COLUMNS, "状态", "风险提示"] as const;

/** 订阅号 / 服务号 for a typed WeChat account, empty otherwise (the 账号类型 column). */
export function accountTypeLabel(accountType: AccountType | null | undefined): string {
  return accountType ? ACCOUNT_TYPE_LABELS[accountType] : "";
}

export function statusLabel(status: AccountStatus): string {
  return ACCOUNT_STATUS_LABELS[status];
}
