import { createRoute, z } from "@hono/zod-openapi";
import { ALERT_KINDS, ALERT_STATUSES, alerts } from "../../db/schema";
import { createSelectSchema } from "../../db/zod";
import { PLATFORMS } from "../../domain/platforms";
import { errorResponses, IdParam, json, jsonBody, listOf, PageQuery, security } from "../../lib/schemas";

export const AlertSchema = createSelectSchema(alerts, { detail: z.unknown() })
  .extend({ accountName: z.string(), orgName: z.string(), kindLabel: z.string(), platform: z.enum(PLATFORMS).openapi({ description: "账号所在平台" }) })
  .openapi("Alert");

export const AlertQuery = PageQuery.extend({
  status: z.enum(ALERT_STATUSES).optional().openapi({ description: "open 未处理, acknowledged 已知悉, resolved 已关闭" }),
  kind: z.enum(ALERT_KINDS).optional(),
  orgId: z.string().max(64).optional().openapi({ description: "该机构及其下级" }),
  accountId: z.string().max(64).optional(),
  platform: z.enum(PLATFORMS).optional().openapi({ description: "账号所在平台" }),
});

export const NoteSchema = z
  .object({ note: z.string().trim().min(1, "请填写处理说明").max(500, "说明不能超过500个字") })
  .strict()
  .openapi("AlertNote");

const tags = ["预警 alerts"];

export const listAlerts = createRoute({
  method: "get",
  path: "/alerts",
  tags,
  security,
  request: { query: AlertQuery },
  responses: {
    200: json(
      listOf(AlertSchema).extend({
        summary: z
          .object({
            byKind: z.array(z.object({ kind: z.enum(ALERT_KINDS), label: z.string(), count: z.number().int() })).openapi({ description: "按类型计数，多的在前" }),
            byOrg: z.array(z.object({ orgId: z.string(), orgName: z.string(), count: z.number().int() })).openapi({ description: "按账号所属单位计数，多的在前" }),
          })
          .openapi({ description: "符合筛选条件的全部预警（不受分页影响）的汇总，供概览图表使用" }),
      }),
      "预警，新的在前",
    ),
    ...errorResponses,
  },
});

export const acknowledgeAlert = createRoute({
  method: "post",
  path: "/alerts/{id}/acknowledge",
  tags,
  security,
  summary: "知悉预警（主办单位或主管单位），附说明",
  request: { params: IdParam, body: jsonBody(NoteSchema) },
  responses: { 200: json(AlertSchema, "预警"), ...errorResponses },
});

export const resolveAlert = createRoute({
  method: "post",
  path: "/alerts/{id}/resolve",
  tags,
  security,
  summary: "关闭预警（主办单位或主管单位），附说明；原因仍在时下次检查会重新提示",
  request: { params: IdParam, body: jsonBody(NoteSchema) },
  responses: { 200: json(AlertSchema, "预警"), ...errorResponses },
});
