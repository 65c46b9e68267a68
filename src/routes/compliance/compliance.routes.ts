import { createRoute, z } from "@hono/zod-openapi";
import { WEEK_STATUSES } from "../../domain/compliance";
import { PLATFORMS } from "../../domain/platforms";
import { errorResponses, json, PageQuery, security } from "../../lib/schemas";

const weekId = z.string().regex(/^\d{4}-W\d{2}$/, "周应写作 2026-W47 这样的 ISO 周").openapi({ example: "2026-W47" });

export const ComplianceQuery = PageQuery.extend({
  week: weekId.optional().openapi({ description: "一周（北京时间周一至周日）；不填则为上一个完整周" }),
  from: weekId.optional().openapi({ description: "起始周（与 to 一起使用）" }),
  to: weekId.optional(),
  orgId: z.string().max(64).optional().openapi({ description: "该机构及其下级" }),
  platform: z.enum(PLATFORMS).optional(),
  status: z.enum(WEEK_STATUSES).optional(),
});

const SummaryRow = z.object({
  key: z.string(),
  label: z.string(),
  total: z.number().int(),
  compliant: z.number().int(),
  below: z.number().int(),
  exempt: z.number().int(),
  unknown: z.number().int(),
  rate: z.number().nullable().openapi({ description: "达标率 = 达标 /（达标 + 未达标）" }),
});

export const ComplianceRowSchema = z
  .object({
    accountId: z.string(),
    accountName: z.string(),
    orgId: z.string(),
    orgName: z.string(),
    platform: z.enum(PLATFORMS),
    week: z.string(),
    posts: z.number().int(),
    required: z.number().int(),
    status: z.enum(WEEK_STATUSES).openapi({ description: "compliant 达标, below 未达标, exempt 不计入, unknown 无法判断（订阅源异常等）" }),
  })
  .openapi("ComplianceRow");

export const getCompliance = createRoute({
  method: "get",
  path: "/compliance",
  tags: ["监测 compliance"],
  security,
  summary: "每周更新达标情况（两微一端每周≥3次，其他≥1次；可按政策调整）",
  request: { query: ComplianceQuery },
  responses: {
    200: json(
      z.object({
        weeks: z.array(z.string()),
        items: z.array(ComplianceRowSchema),
        total: z.number().int(),
        summary: z.object({ overall: SummaryRow, byOrg: z.array(SummaryRow), byPlatform: z.array(SummaryRow) }),
      }),
      "逐账号逐周结果与汇总",
    ),
    ...errorResponses,
  },
});
