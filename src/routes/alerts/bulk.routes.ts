// Acknowledging several alerts in one post (批量知悉): the alerts page's checkboxes.
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, json, jsonBody, security } from "../../lib/schemas";
import { AlertSchema } from "./alerts.routes";

/** One post acknowledges at most this many: a page of alerts, and a bounded transaction. */
export const MAX_BULK_ALERTS = 200;

export const BulkAcknowledgeSchema = z
  .object({
    ids: z
      .array(z.string().min(1).max(64))
      .min(1, "请至少勾选一条预警")
      .max(MAX_BULK_ALERTS, `一次最多知悉 ${MAX_BULK_ALERTS} 条预警`)
      .openapi({ description: `预警编号，1–${MAX_BULK_ALERTS} 个（重复的只算一次）` }),
    note: z.string().trim().min(1, "请填写处理说明").max(500, "说明不能超过500个字"),
  })
  .strict()
  .openapi("BulkAcknowledge");

export const acknowledgeAlerts = createRoute({
  method: "post",
  path: "/alerts/acknowledge",
  tags: ["预警 alerts"],
  security,
  summary: "批量知悉预警：每条都按单条知悉的规则检查，全部可以知悉才一起知悉（否则一条也不改，details 列出不能知悉的预警）；每条一条审计记录",
  request: { body: jsonBody(BulkAcknowledgeSchema) },
  responses: {
    200: json(z.object({ acknowledged: z.number().int(), items: z.array(AlertSchema) }), "已知悉的预警"),
    ...errorResponses,
  },
});
