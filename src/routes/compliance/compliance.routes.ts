import { createRoute, z } from "@hono/zod-openapi";
import { UNKNOWN_REASONS, WEEK_STATUSES } from "../../domain/compliance";
import { ACCOUNT_TYPES, PLATFORMS } from "../../domain/platforms";
import { UPDATE_UNITS } from "../../domain/policy";
import { errorResponses, json, PageQuery, security } from "../../lib/schemas";

const weekId = z.string().regex(/^\d{4}-W\d{2}$/, "周应写作 2026-W47 这样的 ISO 周").openapi({ example: "2026-W47" });

export const ComplianceQuery = PageQuery.extend({
  week: weekId.optional().openapi({ description: "一周（北京时间周一至周日）；不填则为上一个完整周" }),
  from: weekId.optional().openapi({ description: "起始周（与 to 一起使用）" }),
  to: weekId.optional(),
  orgId: z.string().max(64).optional().openapi({ description: "该机构及其下级" }),
  platform: z.enum(PLATFORMS).optional(),
  status: z.enum(WEEK_STATUSES).optional(),
  accountId: z.string().max(64).optional().openapi({ description: "只看一个账号（如账号页的周历）；看不到的账号为 404" }),
});

const SummaryRow = z.object({
  key: z.string(),
  label: z.string(),
  total: z.number().int(),
  compliant: z.number().int(),
  below: z.number().int(),
  exempt: z.number().int(),
  unknown: z.number().int(),
  judged: z.number().int().openapi({ description: "可判断的（达标 + 未达标），如“7 个账号中 4 个可判断”" }),
  unknownReasons: z
    .object({ no_source: z.number().int(), collection_failed: z.number().int(), week_in_progress: z.number().int() })
    .openapi({ description: "无法判断的按原因计数" }),
  rate: z.number().nullable().openapi({ description: "达标率 = 达标 /（达标 + 未达标），只按可判断的计算；没有可判断的为 null" }),
  originalShare: z.number().nullable().openapi({ description: "原创占比 = 原创条目 / 全部条目（合计后相除）；没有条目为 null" }),
});

const PaceSummary = z
  .object({
    week: z.string(),
    reached: z.number().int().openapi({ description: "本周已达到最低更新次数" }),
    onTrack: z.number().int().openapi({ description: "尚未达到，但不少于按进度应有的次数（最低次数 × 本周已过时间的比例，向上取整）" }),
    behind: z.number().int().openapi({ description: "落后于进度" }),
    unknown: z.number().int().openapi({ description: "无法判断（无数据来源、数据采集异常）" }),
    exempt: z.number().int().openapi({ description: "免于考核" }),
  })
  .openapi({ description: "本周进度：只在查询单个尚未结束的周时给出，否则为 null" });

export const ComplianceRowSchema = z
  .object({
    accountId: z.string(),
    accountName: z.string(),
    orgId: z.string(),
    orgName: z.string(),
    platform: z.enum(PLATFORMS),
    accountType: z.enum(ACCOUNT_TYPES).nullable().openapi({ description: "微信：subscription 订阅号, service 服务号；其他平台为 null" }),
    week: z.string(),
    posts: z.number().int().openapi({ description: "本周发布的条目数（首次抓取时无日期的补录条目不计）" }),
    updates: z.number().int().openapi({ description: "按计数单位（updateUnit）计的更新次数；结果按它判断" }),
    reposts: z.number().int().openapi({ description: "其中转发的条目数（桥接服务或推送方标明的）" }),
    originalShare: z.number().nullable().openapi({ description: "原创占比 = 原创条目 / 全部条目；本周没有条目为 null" }),
    updateUnit: z.enum(UPDATE_UNITS).openapi({ description: "push 按推送（同一分钟内发布的算一次）, item 按条目, day 按天（北京时间）" }),
    required: z.number().int(),
    status: z.enum(WEEK_STATUSES).openapi({ description: "compliant 达标, below 未达标, exempt 不计入, unknown 无法判断（原因见 unknownReason）" }),
    unknownReason: z
      .enum(UNKNOWN_REASONS)
      .nullable()
      .openapi({
        description:
          "unknown 的原因：no_source 无数据来源（无订阅地址，也没有推送或导入的发文）, collection_failed 数据采集异常（订阅源本周没有成功抓取）, week_in_progress 本周尚未结束；exempt 为 not_active（本周并非全程正常运营）；达标、未达标为 null",
      }),
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
        summary: z.object({
          overall: SummaryRow,
          byOrg: z.array(SummaryRow),
          byPlatform: z.array(SummaryRow),
          byWeek: z.array(SummaryRow).openapi({ description: "逐周汇总（按周从早到晚，key 为周），用于趋势图；查询多周时一次得到每周的达标率" }),
          pace: PaceSummary.nullable(),
        }),
      }),
      "逐账号逐周结果与汇总",
    ),
    ...errorResponses,
  },
});
