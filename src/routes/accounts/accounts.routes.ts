import { createRoute, z } from "@hono/zod-openapi";
import { accounts } from "../../db/schema";
import { createInsertSchema, createSelectSchema } from "../../db/zod";
import { ACCOUNT_STATUSES } from "../../domain/lifecycle";
import { DIRECT_FIELDS, IMPORT_MODES, MAX_OPERATION_MODE, MAX_OPERATOR } from "../../domain/ledger";
import { ACCOUNT_TYPE_CHOICES, ACCOUNT_TYPES, PLATFORMS } from "../../domain/platforms";
import { FLAG_CODES } from "../../domain/registry-checks";
import { dateField } from "../../lib/date-schema";
import { DryRunQuery, RowErrorSchema, errorResponses, IdParam, json, jsonBody, listOf, PageQuery, security } from "../../lib/schemas";

const httpUrl = z
  .string()
  .trim()
  .max(2048, "网址不能超过2048个字符")
  .url("应为 http:// 或 https:// 开头的网址")
  .refine((u) => /^https?:\/\//i.test(u), "应为 http:// 或 https:// 开头的网址");

/** Field rules shared by registration and `change` filings: declared once. */
export const accountFieldRules = {
  name: z.string().trim().min(1, "账号名称不能为空").max(100, "账号名称不能超过100个字"),
  platformId: z.string().trim().min(1).max(128, "账号ID不能超过128个字符").nullish(),
  url: httpUrl.nullish(),
  feedUrl: httpUrl.nullish(),
  openedOn: dateField("开设日期").nullish(),
  contactPerson: z.string().trim().max(50, "运维人员不能超过50个字").nullish(),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,40}$/, "联系电话只能包含数字、+、-、括号和空格")
    .nullish(),
  verifiedOwner: z.string().trim().max(100, "认证主体不能超过100个字").nullish(),
  operationMode: z
    .string()
    .trim()
    .max(MAX_OPERATION_MODE, `运维方式不能超过${MAX_OPERATION_MODE}个字`)
    .nullish()
    .openapi({ description: "运维方式，如 自行运维、委托第三方运维" }),
  operator: z.string().trim().max(MAX_OPERATOR, `运维单位不能超过${MAX_OPERATOR}个字`).nullish().openapi({ description: "运维单位" }),
  orgId: z.string().min(1).max(64),
  // Only WeChat has a type; the handler refuses it for other platforms (domain/platforms resolveAccountType).
  accountType: z
    .enum(ACCOUNT_TYPES, { message: `账号类型应为 ${ACCOUNT_TYPE_CHOICES}` })
    .nullish()
    .openapi({ description: "微信公众号：subscription 订阅号（默认）/ service 服务号；其他平台不填" }),
};

export const FlagSchema = z.object({ code: z.enum(FLAG_CODES), message: z.string() }).openapi("Flag");

export const AccountSchema = createSelectSchema(accounts)
  .extend({ orgName: z.string(), flags: z.array(FlagSchema) })
  .openapi("Account");

export const CreateAccountSchema = createInsertSchema(accounts, accountFieldRules)
  .pick({
    orgId: true,
    platform: true,
    accountType: true,
    name: true,
    platformId: true,
    url: true,
    feedUrl: true,
    openedOn: true,
    contactPerson: true,
    contactPhone: true,
    verifiedOwner: true,
    operationMode: true,
    operator: true,
  })
  .strict()
  .openapi("CreateAccount");

export const AccountQuery = PageQuery.extend({
  orgId: z.string().max(64).optional().openapi({ description: "该机构及其下级" }),
  platform: z.enum(PLATFORMS).optional(),
  accountType: z.enum(ACCOUNT_TYPES, { message: `账号类型应为 ${ACCOUNT_TYPE_CHOICES}` }).optional().openapi({ description: "只看微信订阅号或服务号" }),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  flag: z.enum(FLAG_CODES).optional().openapi({ description: "只看带有该风险提示的账号" }),
  q: z.string().trim().max(100).optional().openapi({ description: "按名称或账号ID搜索" }),
});
export const ACCOUNT_SORTS = ["org", "name", "platform", "status", "openedOn"] as const;
export const AccountListQuery = AccountQuery.extend({
  sort: z
    .enum(ACCOUNT_SORTS)
    .default("org")
    .openapi({ description: "排序：org 按主办单位（机构树顺序，默认）, name 账号名称, platform 平台, status 状态, openedOn 开设日期" }),
  order: z.enum(["asc", "desc"]).default("asc").openapi({ description: "asc 升序（默认）, desc 降序" }),
});
export const ExportQuery = AccountQuery.omit({ page: true, pageSize: true });

const tags = ["账号 accounts"];

export const createAccount = createRoute({
  method: "post",
  path: "/accounts",
  tags,
  security,
  summary: "登记账号：备案主管单位直接登记为正常；其他情况提交开设备案（待审核）",
  request: { body: jsonBody(CreateAccountSchema) },
  responses: { 201: json(AccountSchema, "账号"), ...errorResponses },
});

export const listAccounts = createRoute({
  method: "get",
  path: "/accounts",
  tags,
  security,
  request: { query: AccountListQuery },
  responses: { 200: json(listOf(AccountSchema), "账号"), ...errorResponses },
});

export const getAccount = createRoute({
  method: "get",
  path: "/accounts/{id}",
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: json(AccountSchema, "账号"), ...errorResponses },
});

const fileResponse = (type: string) => ({ description: "文件", content: { [type]: { schema: z.string() } } });

export const exportCsv = createRoute({
  method: "get",
  path: "/accounts/export.csv",
  tags,
  security,
  summary: "导出台账 CSV（UTF-8 BOM，防公式注入）",
  request: { query: ExportQuery },
  responses: { 200: fileResponse("text/csv"), ...errorResponses },
});

export const exportXlsx = createRoute({
  method: "get",
  path: "/accounts/export.xlsx",
  tags,
  security,
  summary: "导出台账 XLSX",
  request: { query: ExportQuery },
  responses: {
    200: fileResponse("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ...errorResponses,
  },
});

export const importTemplate = createRoute({
  method: "get",
  path: "/accounts/import-template.xlsx",
  tags,
  security,
  summary: "下载台账导入模板 XLSX（表头、一行示例、平台和账号类型的下拉选项）",
  responses: {
    200: fileResponse("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ...errorResponses,
  },
});

export const ImportQuery = DryRunQuery.extend({
  mode: z
    .enum(IMPORT_MODES, { message: "mode 应为 create（只新建）或 upsert（按平台和账号ID更新已有账号，其余新建）" })
    .default("create")
    .openapi({ description: "create：每行新建账号（默认）；upsert：平台+账号ID与本单位范围内在用账号相同的行更新该账号，其余新建" }),
});

export const ImportResultSchema = z
  .object({
    dryRun: z.boolean(),
    mode: z.enum(IMPORT_MODES),
    total: z.number().int(),
    valid: z.number().int(),
    imported: z.number().int().openapi({ description: "新建的账号数（同 created）；dryRun 或有错误时为 0" }),
    created: z.number().int().openapi({ description: "新建（dryRun：将新建）的账号数" }),
    updated: z.number().int().openapi({ description: "upsert：直接更新了字段的已有账号数" }),
    unchanged: z.number().int().openapi({ description: "upsert：与系统一致、没有任何变化的行数（含状态为已关停、已整合的行）" }),
    filed: z
      .array(
        z.object({
          row: z.number().int(),
          accountId: z.string(),
          filingId: z.string().nullable(),
          changes: z.record(z.string(), z.unknown()),
        }),
      )
      .openapi({ description: "upsert：主办单位、名称、账号类型、开设日期有变化的账号，各提交一份变更备案（dryRun 时 filingId 为 null），审核通过前账号不变" }),
    updates: z
      .array(z.object({ row: z.number().int(), accountId: z.string(), fields: z.array(z.enum(DIRECT_FIELDS)) }))
      .openapi({ description: "upsert：直接更新的字段（链接、订阅地址、运维人员、联系电话、认证主体、运维方式、运维单位），每个账号一条审计记录" }),
    errors: z.array(RowErrorSchema),
    ignoredColumns: z.array(z.string()).optional().openapi({ description: "未读取的表头列（如 序号、备注、风险提示），每列一次" }),
  })
  .openapi("ImportResult");

export const importLedger = createRoute({
  method: "post",
  path: "/accounts/import",
  tags,
  security,
  summary:
    "导入台账（CSV 或 XLSX；列：账号名称, 平台, 账号ID, 主办单位, 链接, 订阅地址, 开设日期, 运维人员, 联系电话, 账号类型, 认证主体, 运维方式, 运维单位, 状态，也认各地台账的常见写法如 平台类型、微信号/账号ID、开设时间、负责人、运营单位；表头上方的标题行跳过，未识别的列忽略并在 ignoredColumns 中列出）。平台可写“微信服务号”“微信订阅号”“微信小程序”；账号类型为订阅号或服务号，仅用于微信公众号，不填为订阅号。mode=upsert 时与在用账号平台+账号ID相同的行更新该账号（空白单元格不清除已有内容；主办单位、名称、账号类型、开设日期的变化提交变更备案），导出的台账原样导入不改变任何内容。dryRun=true 只校验；有任何错误行时不导入",
  request: {
    query: ImportQuery,
    body: {
      required: true,
      description: "文件内容（text/csv 或 xlsx），或 multipart/form-data 的 file 字段",
      content: {
        "text/csv": { schema: z.string() },
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
  },
  responses: { 200: json(ImportResultSchema, "校验/导入结果"), ...errorResponses },
});
