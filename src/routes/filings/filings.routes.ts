import { createRoute, z } from "@hono/zod-openapi";
import { filings } from "../../db/schema";
import { createSelectSchema } from "../../db/zod";
import { FILING_KINDS, FILING_STATUSES, REGISTRATIONS } from "../../domain/lifecycle";
import { errorResponses, IdParam, json, jsonBody, listOf, PageQuery, security } from "../../lib/schemas";
import { accountFieldRules } from "../accounts/accounts.routes";

export const ChangesSchema = z
  .object({
    name: accountFieldRules.name.optional(),
    platformId: accountFieldRules.platformId,
    url: accountFieldRules.url,
    feedUrl: accountFieldRules.feedUrl,
    contactPerson: accountFieldRules.contactPerson,
    contactPhone: accountFieldRules.contactPhone,
    verifiedOwner: accountFieldRules.verifiedOwner,
    orgId: accountFieldRules.orgId.optional(),
    accountType: accountFieldRules.accountType,
    openedOn: accountFieldRules.openedOn,
    operationMode: accountFieldRules.operationMode,
    operator: accountFieldRules.operator,
  })
  .strict()
  .openapi("AccountChanges");

export const FilingSchema = createSelectSchema(filings)
  .extend({ changes: z.union([ChangesSchema, z.null()]) })
  .openapi("Filing");

export const SubmitFilingSchema = z
  .object({
    kind: z.enum(FILING_KINDS).openapi({ description: "open 开设, change 变更, suspend 停更, resume 恢复, close 关停注销, merge 整合" }),
    accountId: z.string().min(1).max(64),
    changes: ChangesSchema.optional(),
    reason: z.string().trim().min(1).max(500, "原因不能超过500个字").optional(),
    completed: z.boolean().optional().openapi({ description: "close：平台已注销完毕，直接标记为已关停" }),
    targetAccountId: z.string().min(1).max(64).optional().openapi({ description: "merge：整合到的目标账号" }),
    registration: z
      .enum(REGISTRATIONS, { message: "登记类型应为 new（新开设）或 existing（存量登记）" })
      .optional()
      .openapi({ description: "open：new 新开设 / existing 存量登记（开设前已在运行的账号）；不填时开设日期早于提交日为存量登记，否则为新开设" }),
  })
  .strict()
  // What each kind needs is input, so a 400; whether the account's state allows it is decided later (409).
  .superRefine((f, ctx) => {
    if (f.kind === "merge" && !f.targetAccountId) {
      ctx.addIssue({ code: "custom", path: ["targetAccountId"], message: "整合备案须指定目标账号" });
    }
    if (f.kind === "close" && !f.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "关停注销备案须填写原因" });
    }
    if (f.registration && f.kind !== "open") {
      ctx.addIssue({ code: "custom", path: ["registration"], message: "只有开设备案可以填写登记类型（registration）" });
    }
    if (f.kind === "change" && Object.keys(f.changes ?? {}).length === 0) {
      ctx.addIssue({ code: "custom", path: ["changes"], message: "变更备案须填写至少一项变更内容" });
    }
  })
  .openapi("SubmitFiling");

export const DecisionSchema = z
  .object({
    approve: z.boolean(),
    note: z.string().trim().max(500, "审核意见不能超过500个字").default(""),
  })
  .strict()
  .refine((d) => d.approve || d.note.length > 0, { message: "驳回时须填写审核意见", path: ["note"] })
  .openapi("Decision");

export const FilingQuery = PageQuery.extend({
  accountId: z.string().max(64).optional(),
  status: z.enum(FILING_STATUSES).optional(),
  kind: z.enum(FILING_KINDS).optional(),
  authorityOrgId: z.string().max(64).optional(),
});

const tags = ["备案 filings"];

export const submitFiling = createRoute({
  method: "post",
  path: "/filings",
  tags,
  security,
  summary: "提交备案（主办单位为本单位账号；主管单位为下级账号），报送备案主管单位审核",
  request: { body: jsonBody(SubmitFilingSchema) },
  responses: { 201: json(FilingSchema, "已提交的备案"), ...errorResponses },
});

export const listFilings = createRoute({
  method: "get",
  path: "/filings",
  tags,
  security,
  request: { query: FilingQuery },
  responses: { 200: json(listOf(FilingSchema), "备案"), ...errorResponses },
});

export const getFiling = createRoute({
  method: "get",
  path: "/filings/{id}",
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: json(FilingSchema, "备案"), ...errorResponses },
});

export const decideFiling = createRoute({
  method: "post",
  path: "/filings/{id}/decision",
  tags,
  security,
  summary: "审核备案（仅备案主管单位的主管人员）",
  request: { params: IdParam, body: jsonBody(DecisionSchema) },
  responses: { 200: json(FilingSchema, "审核后的备案"), ...errorResponses },
});
