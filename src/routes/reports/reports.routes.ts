import { createRoute, z } from "@hono/zod-openapi";
import { PLATFORMS } from "../../domain/platforms";
import { LOWER_STATUSES, RECTIFICATION_STATUSES, REPORT_STATUSES } from "../../domain/reports";
import { ErrorSchema, errorResponses, json, jsonBody, security } from "../../lib/schemas";

const year = z.coerce.number().int("年份应为整数").min(2000, "年份应在2000–2100之间").max(2100, "年份应在2000–2100之间");
const quarter = z.coerce.number().int("季度应为1–4").min(1, "季度应为1–4").max(4, "季度应为1–4");
const format = z.enum(["json", "md", "xlsx"]).default("json").openapi({ description: "json；md 可发布的 Markdown 通报；xlsx 工作簿" });
const governmentOrgId = z.string().min(1).max(64).openapi({ description: "政府机构 ID" });

export const QuarterlyQuery = z.object({
  governmentOrgId,
  year,
  quarter,
  format,
  aggregate: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1")
    .openapi({ description: "true（默认）：汇总辖区内所有抽查单位（市级通报含各县区）；false：仅本级抽查" }),
  includeLower: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1")
    .openapi({ description: "true：另附下级各抽查单位（县区）的抽查情况 lower：是否已抽取、是否完成检查、合格率、单项否决、逾期未整改" }),
});

export const AnnualQuery = z.object({ governmentOrgId, year, format });

const rate = z.number().nullable().openapi({ description: "合格率 = 合格 / 已检查；未检查时为 null" });

const RateRowSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    sampled: z.number().int(),
    checked: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    passRate: rate,
  })
  .openapi("ReportRateRow");

const LowerFiguresSchema = {
  sampled: z.number().int(),
  inspected: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  vetoed: z.number().int(),
  passRate: rate,
  overdueRectifications: z.number().int().openapi({ description: "整改期限已过仍未整改的不合格账号数" }),
};

const LowerSchema = z
  .object({
    units: z.array(
      z.object({
        orgId: z.string(),
        orgName: z.string(),
        roundId: z.string().nullable(),
        status: z.enum(LOWER_STATUSES).openapi({ description: "not_drawn 未抽取；inspecting 检查中；done 已完成" }),
        statusLabel: z.string(),
        ...LowerFiguresSchema,
      }),
    ),
    notDrawn: z.array(z.string()).openapi({ description: "本季度尚未抽取的抽查单位" }),
    notFinished: z.array(z.string()).openapi({ description: "已抽取但尚未登记完全部检查结果的抽查单位" }),
    totals: z.object({
      units: z.number().int(),
      notDrawn: z.number().int(),
      inspecting: z.number().int(),
      done: z.number().int(),
      ...LowerFiguresSchema,
    }),
  })
  .openapi("QuarterlyLower");

const UnitScoreSchema = z
  .object({
    orgId: z.string(),
    orgName: z.string(),
    score: z.number().openapi({ description: "得分：满分100分，按扣分项扣减，不低于0" }),
    vetoed: z.boolean().openapi({ description: "存在单项否决事项：不论得分，为不合格" }),
    verdictLabel: z.string(),
    deductions: z.array(z.object({ item: z.string(), label: z.string(), count: z.number(), points: z.number() })),
  })
  .openapi("UnitScore");

export const QuarterlyNoticeSchema = z
  .object({
    governmentOrgId: z.string(),
    governmentName: z.string(),
    year: z.number().int(),
    quarter: z.number().int(),
    aggregate: z.boolean(),
    asOfDate: z.string().openapi({ description: "整改状态的判断日期（北京时间）" }),
    rounds: z.array(
      z.object({
        roundId: z.string(),
        governmentOrgId: z.string(),
        unitName: z.string(),
        population: z.number().int(),
        sampleSize: z.number().int(),
        seed: z.string(),
        rate: z.number(),
        sampled: z.number().int(),
        checked: z.number().int(),
        passed: z.number().int(),
        failed: z.number().int(),
        passRate: rate,
      }),
    ),
    sampled: z.number().int(),
    checked: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    passRate: rate,
    byPlatform: z.array(RateRowSchema),
    byUnit: z.array(RateRowSchema).openapi({ description: "按主办单位（key 为机构 ID）" }),
    bySamplingUnit: z.array(RateRowSchema).openapi({ description: "按抽查单位（县级及以上政府）" }),
    problems: z.array(z.object({ category: z.string(), label: z.string(), count: z.number().int() })),
    vetoed: z
      .array(
        z.object({
          inspectionId: z.string(),
          roundId: z.string(),
          accountId: z.string(),
          accountName: z.string(),
          platform: z.enum(PLATFORMS),
          platformLabel: z.string(),
          orgId: z.string(),
          orgName: z.string(),
          samplingUnitName: z.string(),
          problems: z.array(z.string()).openapi({ description: "全部问题类型（中文）" }),
          problemCodes: z.array(z.string()),
          vetoItems: z.array(z.object({ code: z.string(), label: z.string() })).openapi({ description: "单项否决事项（按所属单位适用的 vetoProblems）" }),
          requirement: z.string().nullable(),
          deadline: z.string().nullable(),
          rectifiedAt: z.string().nullable(),
          inspectedOn: z.string(),
          status: z.enum(["已整改", "整改中", "逾期未整改"]),
          statusCode: z.enum(RECTIFICATION_STATUSES),
        }),
      )
      .openapi({ description: "单项否决的不合格账号；failing 只列其余不合格账号，合计与合格率包含两者" }),
    failing: z.array(
      z.object({
        inspectionId: z.string(),
        roundId: z.string(),
        accountId: z.string(),
        accountName: z.string(),
        platform: z.enum(PLATFORMS),
        platformLabel: z.string(),
        orgId: z.string(),
        orgName: z.string(),
        samplingUnitName: z.string(),
        problems: z.array(z.string()).openapi({ description: "问题类型（中文）" }),
        problemCodes: z.array(z.string()),
        requirement: z.string().nullable(),
        deadline: z.string().nullable(),
        rectifiedAt: z.string().nullable(),
        inspectedOn: z.string(),
        status: z.enum(["已整改", "整改中", "逾期未整改"]),
        statusCode: z.enum(RECTIFICATION_STATUSES),
      }),
    ),
    rechecks: z
      .array(
        z.object({
          roundId: z.string(),
          accountId: z.string(),
          accountName: z.string(),
          platform: z.enum(PLATFORMS),
          platformLabel: z.string(),
          orgId: z.string(),
          orgName: z.string(),
          earlierRoundId: z.string().nullable(),
          earlierInspectionId: z.string().nullable(),
          earlierQuarter: z.string().nullable(),
          deadline: z.string().nullable().openapi({ description: "原不合格的整改期限" }),
          rectifiedAt: z.string().nullable().openapi({ description: "原不合格的整改完成日期" }),
          inspectedOn: z.string().nullable(),
          result: z.enum(["pass", "fail"]).nullable(),
          resultLabel: z.string(),
          overdueUnrectified: z.boolean().openapi({ description: "复查时原问题逾期未整改：计为不合格" }),
        }),
      )
      .openapi({ description: "复查（上次抽查不合格、逾期未整改而再次抽取）的账号" }),
    rectification: z
      .object({ failing: z.number().int(), rectified: z.number().int(), overdue: z.number().int(), pending: z.number().int() })
      .openapi({ description: "全部不合格账号（含单项否决）的整改情况" }),
    unitScores: z.array(UnitScoreSchema).openapi({ description: "单位得分（按主办单位，得分从高到低，同分按名称拼音）" }),
    lower: LowerSchema.optional().openapi({ description: "includeLower=true 时：下级各抽查单位的抽查情况" }),
  })
  .openapi("QuarterlyNotice");

const StatusCountRowSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    total: z.number().int(),
    inUse: z.number().int().openapi({ description: "在用：正常、停更、关停中" }),
    ...Object.fromEntries(REPORT_STATUSES.map((s) => [s, z.number().int()])),
  } as { key: z.ZodString; label: z.ZodString; total: z.ZodNumber; inUse: z.ZodNumber } & Record<(typeof REPORT_STATUSES)[number], z.ZodNumber>)
  .openapi("ReportStatusCountRow");

const InspectionSummarySchema = {
  rounds: z.number().int(),
  sampled: z.number().int(),
  checked: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  passRate: rate,
};

export const AnnualStatsSchema = z
  .object({
    governmentOrgId: z.string(),
    governmentName: z.string(),
    year: z.number().int(),
    asOf: z.string().openapi({ description: "年末数据的时点：当年年末（北京时间），或当前时间（若更早）" }),
    asOfDate: z.string(),
    accounts: z.object({
      total: z.number().int(),
      inUse: z.number().int(),
      byStatus: z.array(z.object({ key: z.enum(REPORT_STATUSES), label: z.string(), count: z.number().int() })),
      byPlatform: z.array(StatusCountRowSchema),
      byLevel: z.array(StatusCountRowSchema),
    }),
    duringYear: z.object({ opened: z.number().int(), closed: z.number().int(), merged: z.number().int() }),
    inspections: z.object({ ...InspectionSummarySchema, byQuarter: z.array(z.object({ quarter: z.number().int(), ...InspectionSummarySchema })) }),
    unitScores: z
      .array(
        z.object({
          orgId: z.string(),
          orgName: z.string(),
          averageScore: z.number(),
          quarters: z.array(z.number().int()),
          vetoedQuarters: z.array(z.number().int()),
        }),
      )
      .openapi({ description: "全年平均单位得分：开展抽查的各季度得分的平均值" }),
  })
  .openapi("AnnualStats");

const tags = ["报告 reports"];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const notAvailable = { 501: { description: "此部署不支持 XLSX", content: { "application/json": { schema: ErrorSchema } } } } as const;

export const quarterlyNotice = createRoute({
  method: "get",
  path: "/reports/quarterly",
  tags,
  security,
  summary: "季度抽查通报：抽查数量，总体、分平台、分单位合格率，不合格账号及整改情况（可发布的 Markdown 或 XLSX）",
  request: { query: QuarterlyQuery },
  responses: {
    200: {
      description: "通报",
      content: {
        "application/json": { schema: QuarterlyNoticeSchema },
        "text/markdown": { schema: z.string() },
        [XLSX]: { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...errorResponses,
    ...notAvailable,
  },
});

export const annualStats = createRoute({
  method: "get",
  path: "/reports/annual",
  tags,
  security,
  summary: "年度统计（政府信息公开工作年度报告用）：年末账号数（分平台、分层级、分状态），本年开设、关停、整合数，抽查及合格率",
  request: { query: AnnualQuery },
  responses: {
    200: {
      description: "年度统计",
      content: {
        "application/json": { schema: AnnualStatsSchema },
        "text/markdown": { schema: z.string() },
        [XLSX]: { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...errorResponses,
    ...notAvailable,
  },
});

export const PublishBodySchema = z
  .object({ governmentOrgId, year: z.number().int("年份应为整数").min(2000, "年份应在2000–2100之间").max(2100, "年份应在2000–2100之间"), quarter: z.number().int("季度应为1–4").min(1, "季度应为1–4").max(4, "季度应为1–4") })
  .strict()
  .openapi("PublishNotice");

export const PublishedNoticeSchema = z
  .object({
    id: z.string(),
    governmentOrgId: z.string(),
    year: z.number().int(),
    quarter: z.number().int(),
    publishedAt: z.string(),
    unpublishedAt: z.string().nullable(),
    publicPath: z.string().openapi({ description: "公开页面地址（无需登录）" }),
  })
  .openapi("PublishedNotice");

export const publishQuarterly = createRoute({
  method: "post",
  path: "/reports/quarterly/publish",
  tags,
  security,
  summary: "公开季度抽查情况（主管单位）：保存通报的公开版本，在 /public/{governmentOrgId}/sampling/{year}/{quarter} 无需登录可看；已公开的须先撤回再重新公开（409）",
  request: { body: jsonBody(PublishBodySchema) },
  responses: { 201: json(PublishedNoticeSchema, "已公开"), ...errorResponses },
});

export const unpublishQuarterly = createRoute({
  method: "post",
  path: "/reports/quarterly/unpublish",
  tags,
  security,
  summary: "撤回已公开的季度抽查情况（主管单位）：公开页面随即不可访问，记录保留",
  request: { body: jsonBody(PublishBodySchema) },
  responses: { 200: json(PublishedNoticeSchema, "已撤回"), ...errorResponses },
});
