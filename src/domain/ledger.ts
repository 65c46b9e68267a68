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
import { ACCOUNT_STATUS_LABELS, ACCOUNT_STATUSES, isLive, type AccountChanges, type AccountStatus } from "./lifecycle";

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
  // 订阅号 / 服务号 (WeChat only; empty = 订阅号). After the older columns, so older ledgers keep their order.
  "账号类型",
  // 认证主体: who the platform says owns the account.
  "认证主体",
  // 运维方式 (自行运维、委托第三方运维 …) and 运维单位 (who runs it day to day), as offices record them.
  "运维方式",
  "运维单位",
] as const;
export const REQUIRED_LEDGER_COLUMNS = ["账号名称", "平台", "主办单位"] as const;
/**
 * Columns an import reads: the ledger's own, and 状态 (the export's status column: an upsert import
 * does not re-create an account the registry has closed or merged).
 */
export const IMPORT_COLUMNS = [...LEDGER_COLUMNS, "状态"] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/**
 * Header words offices use for each column (the layout 序号, 主办单位, 账号名称, 平台类型, 账号类型,
 * 微信号/账号ID, 认证主体, 开设时间, 运维方式, 负责人, 联系电话, 备注 and its variants). Compared after
 * {@link normaliseHeader}; 帐 and 账 are the same. Anything else (序号, 备注 …) is ignored.
 */
const HEADER_ALIASES: Record<ImportColumn, readonly string[]> = {
  账号名称: ["账号名称", "账号名", "名称", "新媒体名称", "新媒体账号名称", "政务新媒体名称", "公众号名称", "微信公众号名称"],
  平台: ["平台", "平台类型", "平台名称", "所属平台", "发布平台", "类型平台"],
  账号ID: ["账号ID", "账号id", "微信号/账号ID", "微信号", "账号", "原始ID", "微信号/ID", "账号ID/微信号", "ID"],
  主办单位: ["主办单位", "开设单位", "单位名称", "主管单位/主办单位", "开设主体", "所属单位"],
  链接: ["链接", "网址", "主页链接", "主页地址", "访问地址", "账号链接", "URL"],
  订阅地址: ["订阅地址", "RSS地址", "RSS", "订阅链接"],
  开设日期: ["开设日期", "开设时间", "开通时间", "开通日期", "注册时间", "注册日期"],
  运维人员: ["运维人员", "负责人", "联系人", "管理员", "运维负责人", "账号负责人"],
  联系电话: ["联系电话", "电话", "联系方式", "手机号", "手机", "负责人电话", "联系人电话"],
  账号类型: ["账号类型", "公众号类型"],
  认证主体: ["认证主体", "认证单位", "认证主体名称", "注册主体"],
  运维方式: ["运维方式", "运营方式", "管理方式", "运维模式"],
  运维单位: ["运维单位", "运营单位", "运维主体", "运营主体", "第三方运维单位", "运维公司"],
  状态: ["状态", "账号状态"],
};

/** A header cell as compared: no BOM, spaces, required-marks (*) or (必填); 帐 → 账; ASCII case folded. */
export function normaliseHeader(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/[\s*＊]/g, "")
    .replace(/[（(]必填[）)]$/, "")
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .replace(/／/g, "/")
    .replace(/帐/g, "账")
    .toLowerCase();
}

// A Map, not an object: a header "constructor" must not match anything.
const HEADER_NAMES: ReadonlyMap<string, ImportColumn> = new Map(
  (Object.entries(HEADER_ALIASES) as [ImportColumn, readonly string[]][]).flatMap(([col, words]) => words.map((w) => [normaliseHeader(w), col] as const)),
);

/** The column a header cell names, if the import reads it. */
export function ledgerColumnOf(header: string): ImportColumn | undefined {
  return HEADER_NAMES.get(normaliseHeader(header));
}

/**
 * A header row mapped to the import's columns: `columns[j]` is what column j holds (undefined = not
 * read; a second header naming a column already taken is not read either), `ignored` the non-empty
 * headers not read, in order.
 */
export function mapLedgerHeader(header: readonly string[]): { columns: (ImportColumn | undefined)[]; ignored: string[] } {
  const taken = new Set<ImportColumn>();
  const ignored: string[] = [];
  const columns = header.map((h) => {
    const col = ledgerColumnOf(h ?? "");
    if (col && !taken.has(col)) {
      taken.add(col);
      return col;
    }
    if ((h ?? "").trim()) ignored.push(h.trim());
    return undefined;
  });
  return { columns, ignored };
}

/** Required columns a header row lacks (after aliases). */
export function missingLedgerColumns(header: readonly string[]): string[] {
  const { columns } = mapLedgerHeader(header);
  return REQUIRED_LEDGER_COLUMNS.filter((c) => !columns.includes(c));
}

/** How far down a sheet the header row is looked for (title rows above it are skipped). */
export const HEADER_SCAN_ROWS = 10;
/** Data rows one import may hold (ledgers and posts files alike): more must be split. */
export const MAX_LEDGER_ROWS = 20000;

export interface LedgerRow {
  name: string;
  platform: Platform;
  /** WeChat: 订阅号 (default) or 服务号, from the 账号类型 column or a platform word like 微信服务号; null elsewhere. */
  accountType: AccountType | null;
  /** The type was written (column or platform word), not defaulted: only then does an upsert compare it. */
  accountTypeStated: boolean;
  platformId: string | null;
  orgName: string;
  url: string | null;
  feedUrl: string | null;
  openedOn: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  /** 认证主体: who the platform says owns the account. */
  verifiedOwner: string | null;
  /** 运维方式 */
  operationMode: string | null;
  /** 运维单位 */
  operator: string | null;
  /** 状态 as the export writes it (正常, 已关停 …); null when blank or not a status label. */
  status: AccountStatus | null;
}

export interface RowError {
  row: number;
  column?: string;
  message: string;
}

const MAX = { name: 100, platformId: 128, orgName: 100, url: 2048, person: 50, phone: 40, operationMode: 50, operator: 100 };
/** Length limits of the free-text fields, shared with registration (POST /api/accounts). */
export const MAX_OPERATION_MODE = MAX.operationMode;
export const MAX_OPERATOR = MAX.operator;

const STATUS_BY_LABEL: ReadonlyMap<string, AccountStatus> = new Map(ACCOUNT_STATUSES.map((s) => [ACCOUNT_STATUS_LABELS[s], s] as const));

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
  // Offices also use the column for other platforms' kinds (政务微博, 客户端 …): there it is not read
  // unless it says 订阅号/服务号.
  const typeRaw = cell(record, "账号类型");
  const typeText = /^[-—–/无]?$/.test(typeRaw) || (platform && platform !== "wechat" && !parseAccountType(typeRaw)) ? "" : typeRaw;
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
  const verifiedOwner = cell(record, "认证主体");
  if (verifiedOwner.length > MAX.orgName) err("认证主体", `认证主体不能超过${MAX.orgName}个字`);
  const operationMode = cell(record, "运维方式");
  if (operationMode.length > MAX.operationMode) err("运维方式", `运维方式不能超过${MAX.operationMode}个字`);
  const operator = cell(record, "运维单位");
  if (operator.length > MAX.operator) err("运维单位", `运维单位不能超过${MAX.operator}个字`);
  // Offices' own 状态 columns say other things (运营中 …): only the registry's labels are read.
  const status = STATUS_BY_LABEL.get(cell(record, "状态")) ?? null;

  if (errors.length > 0 || !platform) return { errors };
  return {
    errors,
    value: {
      name,
      platform,
      accountType,
      accountTypeStated: !!(typeInColumn ?? typeInPlatform),
      platformId: platformId || null,
      orgName,
      url: url || null,
      feedUrl: feedUrl || null,
      openedOn: openedOn ?? null,
      contactPerson: contactPerson || null,
      contactPhone: contactPhone || null,
      verifiedOwner: verifiedOwner || null,
      operationMode: operationMode || null,
      operator: operator || null,
      status,
    },
  };
}

/** create: every row is a new account; upsert: a row matching a live account updates it (更新模式). */
export const IMPORT_MODES = ["create", "upsert"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** The account as an upsert compares it with a ledger row. */
export interface StoredAccount {
  orgId: string;
  name: string;
  accountType: AccountType | null;
  openedOn: string | null;
  url: string | null;
  feedUrl: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  verifiedOwner: string | null;
  operationMode: string | null;
  operator: string | null;
}

/** Fields an upsert import writes straight into the registry (each change audited). */
export const DIRECT_FIELDS = ["url", "feedUrl", "contactPerson", "contactPhone", "verifiedOwner", "operationMode", "operator"] as const;
export type DirectField = (typeof DIRECT_FIELDS)[number];

/**
 * What a ledger row would change on the account it matches (台账导入的更新模式). Contact details,
 * links, 认证主体 and 运维 are record-keeping and applied (`direct`); what the filing rules govern —
 * the unit (主办单位), the name, the WeChat type (it sets the weekly minimum) and the opening date
 * (it sets when assessment starts) — only through a `change` filing decided by the filing authority
 * (鹤政办〔2019〕20号第十二条，docs/规则依据.md#分级备案), so it goes into `filed`.
 * A blank cell is "not given": it never clears a stored value.
 */
export function ledgerRowChanges(
  stored: StoredAccount,
  row: LedgerRow,
  orgId: string,
): { direct: Partial<Pick<StoredAccount, DirectField>>; filed: AccountChanges } {
  const direct: Partial<Pick<StoredAccount, DirectField>> = {};
  for (const f of DIRECT_FIELDS) {
    const given = row[f];
    if (given !== null && given !== stored[f]) direct[f] = given;
  }
  const filed: AccountChanges = {};
  if (orgId !== stored.orgId) filed.orgId = orgId;
  if (row.name !== stored.name) filed.name = row.name;
  if (row.accountTypeStated && row.accountType !== stored.accountType) filed.accountType = row.accountType;
  if (row.openedOn !== null && row.openedOn !== stored.openedOn) filed.openedOn = row.openedOn;
  return { direct, filed };
}

/** A row whose 状态 says the account has ended (已关停, 已整合, 未获批准). */
export function rowSaysEnded(row: Pick<LedgerRow, "status">): boolean {
  return row.status !== null && !isLive(row.status);
}

/** The export: every column an import reads (so an unedited export imports in upsert mode as unchanged), and 风险提示. */
export const EXPORT_COLUMNS = [...IMPORT_COLUMNS, "风险提示"] as const;

/** 订阅号 / 服务号 for a typed WeChat account, empty otherwise (the 账号类型 column). */
export function accountTypeLabel(accountType: AccountType | null | undefined): string {
  return accountType ? ACCOUNT_TYPE_LABELS[accountType] : "";
}

export function statusLabel(status: AccountStatus): string {
  return ACCOUNT_STATUS_LABELS[status];
}
