import { createRoute, z } from "@hono/zod-openapi";
import { WEBHOOK_EVENTS, webhookDeliveries, webhooks } from "../../db/schema";
import { createSelectSchema } from "../../db/zod";
import { errorResponses, IdParam, json, jsonBody, listOf, PageQuery, security } from "../../lib/schemas";
import { WEBHOOK_KINDS } from "../../notify/formats";

export const WebhookSchema = createSelectSchema(webhooks, { events: z.array(z.enum(WEBHOOK_EVENTS)) })
  .omit({ secret: true })
  .extend({ hasSecret: z.boolean() })
  .openapi("Webhook");

const url = z
  .string()
  .trim()
  .max(2048)
  .url("应为网址")
  .refine((u) => /^https?:\/\//i.test(u), "只支持 http/https 地址");

export const CreateWebhookSchema = z
  .object({
    orgId: z.string().min(1).max(64),
    kind: z.enum(WEBHOOK_KINDS).openapi({ description: "generic 通用JSON, wecom 企业微信机器人, dingtalk 钉钉机器人, feishu 飞书机器人" }),
    label: z.string().trim().min(1, "请填写名称").max(100),
    url,
    secret: z.string().trim().min(1).max(200).optional().openapi({ description: "加签密钥（钉钉、飞书、通用）；保存后不再显示" }),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1, "至少订阅一种消息")
      .default([...WEBHOOK_EVENTS])
      .openapi({
        description: "weekly_digest 周报, veto 两周未更新, midweek_reminder 周四提醒, feed_failing 订阅源异常, bad_link 链接无法访问, wording 错敏词；不填则全部订阅",
      }),
  })
  .strict()
  .openapi("CreateWebhook");

export const UpdateWebhookSchema = z
  .object({
    active: z.boolean().optional(),
    label: z.string().trim().min(1).max(100).optional(),
    url: url.optional(),
    secret: z.string().trim().min(1).max(200).nullable().optional(),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
  })
  .strict()
  .openapi("UpdateWebhook");

export const DeliverySchema = createSelectSchema(webhookDeliveries, { notice: z.unknown() }).openapi("WebhookDelivery");

const tags = ["推送 webhooks"];

export const createWebhook = createRoute({
  method: "post",
  path: "/webhooks",
  tags,
  security,
  summary: "配置消息推送（企业微信/钉钉/飞书机器人或通用 JSON）",
  request: { body: jsonBody(CreateWebhookSchema) },
  responses: { 201: json(WebhookSchema, "推送配置"), ...errorResponses },
});

export const listWebhooks = createRoute({
  method: "get",
  path: "/webhooks",
  tags,
  security,
  request: { query: PageQuery.extend({ orgId: z.string().max(64).optional() }) },
  responses: { 200: json(listOf(WebhookSchema), "推送配置"), ...errorResponses },
});

export const updateWebhook = createRoute({
  method: "patch",
  path: "/webhooks/{id}",
  tags,
  security,
  summary: "修改或停用推送（active=false）",
  request: { params: IdParam, body: jsonBody(UpdateWebhookSchema) },
  responses: { 200: json(WebhookSchema, "推送配置"), ...errorResponses },
});

export const listDeliveries = createRoute({
  method: "get",
  path: "/webhooks/{id}/deliveries",
  tags,
  security,
  summary: "推送记录（状态、尝试次数、最近错误）",
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(listOf(DeliverySchema), "推送记录，新的在前"), ...errorResponses },
});
