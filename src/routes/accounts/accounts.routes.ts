import { createRoute, z } from "@hono/zod-openapi";
import { accounts } from "../../db/schema";
import { createInsertSchema, createSelectSchema } from "../../db/zod";
import { ACCOUNT_STATUSES } from "../../domain/lifecycle";
import { ACCOUNT_TYPE_CHOICES, ACCOUNT_TYPES, PLATFORMS } from "../../domain/platforms";
import { FLAG_CODES } from "../../domain/registry-checks";
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
  openedOn: z.iso.date("开设日期应为 YYYY-MM-DD").nullish(),
  contactPerson: z.string().trim().max(50, "运维人员不能超过50个字").nullish(),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,40}$/, "联系电话只能包含数字、+、-、括号和空格")
    .nullish(),
  verifiedOwner: z.string().trim().max(100, "认证主体不能超过100个字").nullish(),
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
  request: { query: AccountQuery },
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

export const ImportResultSchema = z
  .object({
    dryRun: z.boolean(),
    total: z.number().int(),
    valid: z.number().int(),
    imported: z.number().int(),
    errors: z.array(RowErrorSchema),
    ignoredColumns: z.array(z.string()).optional().openapi({ description: "未读取的表头列（如 序号、运维方式、备注），每列一次" }),
  })
  .openapi("ImportResult");

export const importLedger = createRoute({
  method: "post",
  path: "/accounts/import",
  tags,
  security,
  summary:
    "导入台账（CSV 或 XLSX；列：账号名称, 平台, 账号ID, 主办单位, 链接, 订阅地址, 开设日期, 运维人员, 联系电话, 账号类型, 认证主体，也认各地台账的常见写法如 平台类型、微信号/账号ID、开设时间、负责人；表头上方的标题行跳过，未识别的列忽略并在 ignoredColumns 中列出）。平台可写“微信服务号”“微信订阅号”；账号类型为订阅号或服务号，仅用于微信公众号，不填为订阅号。dryRun=true 只校验；有任何错误行时不导入",
  request: {
    query: DryRunQuery,
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
