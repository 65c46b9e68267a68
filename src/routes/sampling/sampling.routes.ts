import { createRoute, z } from "@hono/zod-openapi";
import { inspections } from "../../db/schema";
import { createSelectSchema } from "../../db/zod";
import { PROBLEM_CATEGORIES, PROBLEM_LABELS } from "../../domain/inspection";
import { PLATFORMS } from "../../domain/platforms";
import { ROUND_SCOPES, SAMPLE_REASON_LABELS, SAMPLE_REASONS } from "../../domain/sampling";
import { DryRunQuery, RowErrorSchema, errorResponses, IdParam, json, jsonBody, listOf, PageQuery, security } from "../../lib/schemas";
import { dateField } from "../../lib/date-schema";

const year = z.coerce.number().int().min(2000, "年份应在2000–2100之间").max(2100, "年份应在2000–2100之间");
const quarter = z.coerce.number().int().min(1, "季度应为1–4").max(4, "季度应为1–4");

// Generated from the domain lists, so a new code or label shows up here without editing this file.
const problemsDescription = PROBLEM_CATEGORIES.map((c) => `${c} ${PROBLEM_LABELS[c]}`).join(", ");
const reasonDescription = `抽取原因（按优先级）：${SAMPLE_REASONS.map((r) => `${r} ${SAMPLE_REASON_LABELS[r]}`).join(", ")}`;
const scope = z.enum(ROUND_SCOPES, "抽查范围应为 own（本级）或 subtree（全辖区）");
const scopeDescription =
  "抽查范围：own 本级（该政府为抽查单位的账号，须全年全覆盖）；subtree 全辖区（该政府以下所有在用账号，含下级政府、开发区、乡镇和部门，按该政府的抽查比例抽取，不计全年全覆盖下限）。同一政府每季度只能抽取其中一种";

export const CreateRoundSchema = z
  .object({ governmentOrgId: z.string().min(1).max(64), year, quarter, scope: scope.default("own").openapi({ description: `${scopeDescription}；默认 own` }) })
  .strict()
  .openapi("CreateSamplingRound");

export const RoundItemSchema = z.object({
  position: z.number().int(),
  accountId: z.string(),
  accountName: z.string(),
  platform: z.enum(PLATFORMS),
  orgId: z.string(),
  orgName: z.string(),
  reason: z.enum(SAMPLE_REASONS).openapi({ description: reasonDescription }),
  reasonLabel: z.string(),
  inspection: z.object({ id: z.string(), result: z.enum(["pass", "fail"]), problems: z.array(z.string()), deadline: z.string().nullable(), rectifiedAt: z.string().nullable() }).nullable(),
});

export const RoundSchema = z
  .object({
    id: z.string(),
    governmentOrgId: z.string(),
    governmentName: z.string(),
    year: z.number().int(),
    quarter: z.number().int(),
    scope: scope.openapi({ description: scopeDescription }),
    seed: z.string(),
    rate: z.number(),
    population: z.number().int().openapi({ description: "季度初的账号总数" }),
    carriedOver: z.number().int().openapi({ description: "本年度此前在册但未抽到、其后已关停的账号（为全年全覆盖一并抽查）" }),
    rechecks: z.number().int().openapi({ description: "复查账号数：此前抽查不合格、整改期限已过仍未整改的账号，全部排在名单最前" }),
    sampleSize: z.number().int().openapi({ description: "抽取数量 = max(⌈比例×账号数⌉, 全年全覆盖下限（仅本级）, 复查账号数)，不超过账号数" }),
    minimumByRate: z.number().int(),
    minimumForCoverage: z.number().int(),
    quarterStart: z.string(),
    createdAt: z.string(),
    items: z.array(RoundItemSchema),
  })
  .openapi("SamplingRound");

export const RoundQuery = PageQuery.extend({
  governmentOrgId: z.string().max(64).optional(),
  year: year.optional(),
  quarter: quarter.optional(),
  scope: scope.optional().openapi({ description: scopeDescription }),
});

export const InspectionSchema = createSelectSchema(inspections, { problems: z.array(z.string()) }).openapi("Inspection");

const date = dateField("日期");
export const RecordInspectionSchema = z
  .object({
    accountId: z.string().min(1).max(64),
    result: z.enum(["pass", "fail", "合格", "不合格"]).transform((r) => (r === "合格" ? "pass" : r === "不合格" ? "fail" : r) as "pass" | "fail"),
    problems: z.array(z.enum(PROBLEM_CATEGORIES)).max(10).default([]).openapi({ description: problemsDescription }),
    notes: z.string().trim().max(1000).optional(),
    requirement: z.string().trim().max(500).optional().openapi({ description: "整改要求" }),
    deadline: date.optional().openapi({ description: "整改期限" }),
    rectifiedAt: date.optional(),
    inspector: z.string().trim().max(50).optional(),
    inspectedOn: date.optional(),
    overrideNote: z.string().trim().max(500).optional().openapi({ description: "两周未更新（单项否决）的账号判为合格时必填的说明" }),
  })
  .strict()
  .openapi("RecordInspection");

export const RectificationSchema = z
  .object({ rectifiedAt: date, note: z.string().trim().min(1, "请填写整改情况").max(500) })
  .strict()
  .openapi("Rectification");

/** Filters of the inspections list by rectification (整改): still open, past its deadline, or done. */
export const RECTIFICATION_FILTERS = ["open", "overdue", "done"] as const;

const tags = ["抽查 sampling"];
const fileResponse = (type: string) => ({ description: "文件", content: { [type]: { schema: z.string() } } });

export const createRound = createRoute({
  method: "post",
  path: "/sampling-rounds",
  tags,
  security,
  summary: "抽取季度抽查名单（该政府或上级的主管单位）；同一单位同一季度只有一轮：同一范围的重复请求返回已有名单，另一范围返回 409",
  request: { body: jsonBody(CreateRoundSchema) },
  responses: { 201: json(RoundSchema, "新抽取的名单"), 200: json(RoundSchema, "已有的名单"), ...errorResponses },
});

export const listRounds = createRoute({
  method: "get",
  path: "/sampling-rounds",
  tags,
  security,
  request: { query: RoundQuery },
  responses: { 200: json(listOf(RoundSchema), "抽查轮次"), ...errorResponses },
});

export const getRound = createRoute({
  method: "get",
  path: "/sampling-rounds/{id}",
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: json(RoundSchema, "抽查轮次"), ...errorResponses },
});

export const verifyRound = createRoute({
  method: "get",
  path: "/sampling-rounds/{id}/verify",
  tags,
  security,
  summary: "用保存的输入和随机种子重新计算名单，核对是否一致；同时返回输入，供第三方按公开算法复算",
  request: { params: IdParam },
  responses: {
    200: json(
      z.object({
        matches: z.boolean(),
        differences: z.array(z.string()),
        inputs: z.object({
          population: z.array(
            z.object({
              accountId: z.string(),
              sampledThisYear: z.boolean(),
              hasOpenAlert: z.boolean(),
              carriedOver: z.boolean().optional(),
              recheck: z.boolean().optional().openapi({ description: "复查：此前不合格、整改期限已过仍未整改（缺省为 false）" }),
            }),
          ),
          rate: z.number(),
          quarter: z.number().int(),
          seed: z.string(),
          scope: scope.openapi({ description: scopeDescription }),
        }),
      }),
      "核对结果",
    ),
    ...errorResponses,
  },
});

export const exportCsv = createRoute({
  method: "get",
  path: "/sampling-rounds/{id}/export.csv",
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: fileResponse("text/csv"), ...errorResponses },
});

export const exportXlsx = createRoute({
  method: "get",
  path: "/sampling-rounds/{id}/export.xlsx",
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: fileResponse("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ...errorResponses },
});

export const recordInspection = createRoute({
  method: "post",
  path: "/sampling-rounds/{id}/inspections",
  tags,
  security,
  summary: "登记一个账号的检查结果（主管单位）",
  request: { params: IdParam, body: jsonBody(RecordInspectionSchema) },
  responses: { 200: json(InspectionSchema, "检查结果"), ...errorResponses },
});

export const importInspections = createRoute({
  method: "post",
  path: "/sampling-rounds/{id}/inspections/import",
  tags,
  security,
  summary: "上传填写好的抽查名单（CSV/XLSX）；有错误行时不登记任何结果",
  request: { params: IdParam, query: DryRunQuery },
  responses: {
    200: json(z.object({ dryRun: z.boolean(), recorded: z.number().int(), errors: z.array(RowErrorSchema) }), "结果"),
    ...errorResponses,
  },
});

export const listInspections = createRoute({
  method: "get",
  path: "/inspections",
  tags,
  security,
  summary: "检查结果（按账号所属单位可见；主办单位可查看本单位的结果）",
  request: {
    query: PageQuery.extend({
      accountId: z.string().max(64).optional(),
      roundId: z.string().max(64).optional(),
      result: z.enum(["pass", "fail"]).optional(),
      rectification: z
        .enum(RECTIFICATION_FILTERS, "整改情况应为 open（待整改）、overdue（逾期未整改）或 done（已整改）")
        .optional()
        .openapi({ description: "整改情况（只看不合格的结果）：open 待整改（未登记整改完成）、overdue 逾期未整改（整改期限早于今天，北京时间）、done 已整改；指定时按整改期限排序，期限早的在前" }),
    }),
  },
  responses: { 200: json(listOf(InspectionSchema), "检查结果"), ...errorResponses },
});

export const recordRectification = createRoute({
  method: "post",
  path: "/inspections/{id}/rectification",
  tags,
  security,
  summary: "登记整改完成（主办单位或主管单位）",
  request: { params: IdParam, body: jsonBody(RectificationSchema) },
  responses: { 200: json(InspectionSchema, "检查结果"), ...errorResponses },
});
