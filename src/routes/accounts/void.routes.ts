import { createRoute, z } from "@hono/zod-openapi";
import { VOID_WINDOW_DAYS } from "../../domain/lifecycle";
import { errorResponses, IdParam, json, jsonBody, security } from "../../lib/schemas";

export const VoidAccountSchema = z
  .object({ reason: z.string().trim().min(1, "请填写作废原因（如：重复登记、登记错单位）").max(500, "作废原因不能超过500个字") })
  .strict()
  .openapi("VoidAccount");

export const VoidResultSchema = z
  .object({
    id: z.string(),
    status: z.literal("voided"),
    withdrawnFilings: z.number().int().openapi({ description: "随之撤回的待审核备案数" }),
    resolvedAlerts: z.number().int().openapi({ description: "随之关闭的预警数" }),
  })
  .openapi("VoidedAccount");

export const voidAccount = createRoute({
  method: "post",
  path: "/accounts/{id}/void",
  tags: ["账号 accounts"],
  security,
  summary: `作废误登记的账号（备案主管单位的主管人员；登记后${VOID_WINDOW_DAYS}天内、待审核或正常、除开设外未办理过备案）：状态改为已作废，不计入任何统计、监测和抽查，账号ID可重新登记；待审核的备案撤回，未关闭的预警关闭`,
  request: { params: IdParam, body: jsonBody(VoidAccountSchema) },
  responses: { 200: json(VoidResultSchema, "已作废"), ...errorResponses },
});
