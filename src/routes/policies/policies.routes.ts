import { createRoute, z } from "@hono/zod-openapi";
import { policyOverrides } from "../../db/schema";
import { POLICY_KEYS } from "../../domain/policy";
import { createSelectSchema } from "../../db/zod";
import { PLATFORMS } from "../../domain/platforms";
import { errorResponses, json, jsonBody, security } from "../../lib/schemas";
import { dateField } from "../../lib/date-schema";

/**
 * A value as the API takes and shows it: a number, or the words of updateUnit, or true/false for
 * countReposts, or the problem codes of vetoProblems.
 */
const PolicyValue = z.union([z.number(), z.string(), z.boolean(), z.array(z.string())]).openapi({
  description: "数值；updateUnit 为 push / item / day；countReposts 为 true / false；vetoProblems 为问题类型代码的数组",
});

export const PolicyOverrideSchema = createSelectSchema(policyOverrides).extend({ value: PolicyValue }).openapi("PolicyOverride");

export const CreatePolicySchema = z
  .object({
    orgId: z.string().min(1).max(64).openapi({ description: "政府机构：对其本级及下级生效" }),
    key: z.enum(POLICY_KEYS).openapi({
      description:
        "weeklyMinimum 每周最低更新次数, serviceWeeklyMinimum 微信服务号每周最低更新次数, vetoDays 单项否决天数, zombieDays 僵尸账号天数, chronicBelowWeeks/chronicWindowWeeks 长期不达标判定, samplingRate 抽查比例, updateUnit 更新的计数单位（push 按推送 / item 按条目 / day 按天）, countReposts 转发是否计入更新（true / false）, vetoProblems 单项否决的问题类型（问题类型代码的数组，如 [\"stale_2w\",\"serious_error\"]）",
    }),
    platform: z.enum(PLATFORMS).nullable().default(null).openapi({ description: "仅 weeklyMinimum 可指定平台；不填为全部平台" }),
    // Checked per key by the handler (domain/policy encodePolicyValue): a 400 lists the allowed values.
    value: z.union([z.number().finite(), z.string().max(50), z.boolean(), z.array(z.string().max(50)).max(50)]).openapi({
      description: "数值；updateUnit 填 push / item / day；countReposts 填 true / false；vetoProblems 填问题类型代码的数组（如 [\"stale_2w\",\"secret_leak\"]）",
    }),
    effectiveFrom: dateField("生效日期"),
  })
  .strict()
  .openapi("CreatePolicy");

const tags = ["政策 policies"];

export const listPolicies = createRoute({
  method: "get",
  path: "/policies",
  tags,
  security,
  summary: "某机构适用的政策：历次调整记录与指定日期生效的取值",
  request: { query: z.object({ orgId: z.string().min(1).max(64), onDate: dateField("查询日期").optional() }) },
  responses: {
    200: json(
      z.object({ overrides: z.array(PolicyOverrideSchema), effective: z.record(z.string(), z.unknown()), onDate: z.string() }),
      "政策",
    ),
    ...errorResponses,
  },
});

export const createPolicy = createRoute({
  method: "post",
  path: "/policies",
  tags,
  security,
  summary: "新增政策调整（主管单位，自生效日期起适用于本级及下级）；历史取值保留",
  request: { body: jsonBody(CreatePolicySchema) },
  responses: { 201: json(PolicyOverrideSchema, "政策调整"), ...errorResponses },
});
