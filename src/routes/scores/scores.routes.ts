import { createRoute, z } from "@hono/zod-openapi";
import { dateField } from "../../lib/date-schema";
import { errorResponses, json, jsonBody, security } from "../../lib/schemas";

const orgId = z.string().min(1).max(64).openapi({ description: "机构：对其本级及下级生效" });

export const ScoreRuleSchema = z
  .object({
    id: z.string(),
    orgId: z.string(),
    item: z.string(),
    itemLabel: z.string(),
    points: z.number(),
    effectiveFrom: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .openapi("ScoreRule");

export const CreateScoreRuleSchema = z
  .object({
    orgId,
    // Checked by the handler, so an unknown item gets a Chinese answer listing the allowed ones.
    item: z.string().min(1).max(50).openapi({ description: "扣分项：问题类型代码（如 typos、bad_links）或 below_minimum_week（更新未达标的账号·周）、open_veto_alert（未处置的两周未更新预警）" }),
    points: z.number({ message: "每处扣分应为0–100之间的数" }).finite().min(0, "每处扣分应为0–100之间的数").max(100, "每处扣分应为0–100之间的数").openapi({ description: "每处扣分（0–100）" }),
    effectiveFrom: dateField("生效日期"),
  })
  .strict()
  .openapi("CreateScoreRule");

const ItemTableSchema = z.array(z.object({ item: z.string(), label: z.string(), points: z.number(), cap: z.number() }));

const tags = ["单位得分 scores"];

export const listScoreRules = createRoute({
  method: "get",
  path: "/score-rules",
  tags,
  security,
  summary: "某机构适用的单位得分扣分标准：本级及上级的调整记录，与指定日期生效的扣分表",
  request: { query: z.object({ orgId, onDate: dateField("查询日期").optional() }) },
  responses: {
    200: json(z.object({ rules: z.array(ScoreRuleSchema), effective: ItemTableSchema, onDate: z.string() }), "扣分标准"),
    ...errorResponses,
  },
});

export const createScoreRule = createRoute({
  method: "post",
  path: "/score-rules",
  tags,
  security,
  summary: "调整某扣分项的每处扣分（主管单位，自生效日期起适用于本级及下级）；历史取值保留",
  request: { body: jsonBody(CreateScoreRuleSchema) },
  responses: { 201: json(ScoreRuleSchema, "扣分标准调整"), ...errorResponses },
});
