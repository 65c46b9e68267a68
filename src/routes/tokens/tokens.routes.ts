import { createRoute, z } from "@hono/zod-openapi";
import { tokens } from "../../db/schema";
import { createInsertSchema, createSelectSchema } from "../../db/zod";
import { errorResponses, IdParam, json, jsonBody, listOf, security } from "../../lib/schemas";

export const TokenSchema = createSelectSchema(tokens).omit({ hash: true }).openapi("Token");

export const CreateTokenSchema = createInsertSchema(tokens, {
  label: z.string().trim().min(1, "用途说明不能为空").max(100, "用途说明不能超过100个字"),
  orgId: z.string().min(1).max(64),
})
  .pick({ orgId: true, role: true, label: true })
  .extend({
    expiresAt: z.iso
      .datetime({ offset: true, error: "有效期格式不正确，应为日期时间，如 2027-01-01T00:00:00+08:00" })
      .nullable()
      .optional()
      .openapi({ description: "有效期（晚于当前时间，最长5年）；不填或 null 为长期有效。过期的令牌与吊销的一样不能再使用" }),
  })
  .openapi("CreateToken");

const tags = ["令牌 tokens"];

export const createToken = createRoute({
  method: "post",
  path: "/tokens",
  tags,
  security,
  summary: "为本单位或下级机构签发令牌（管理员）；令牌只显示这一次",
  request: { body: jsonBody(CreateTokenSchema) },
  responses: {
    201: json(z.object({ id: z.string(), token: z.string(), orgId: z.string(), role: z.string(), expiresAt: z.string().nullable() }), "新令牌"),
    ...errorResponses,
  },
});

export const listTokens = createRoute({
  method: "get",
  path: "/tokens",
  tags,
  security,
  summary: "可见范围内的令牌（不含密钥），含有效期（expiresAt）和最近使用时间（lastUsedAt，每小时至多更新一次）",
  responses: { 200: json(listOf(TokenSchema), "令牌"), ...errorResponses },
});

export const revokeToken = createRoute({
  method: "post",
  path: "/tokens/{id}/revoke",
  tags,
  security,
  summary: "吊销令牌（管理员）",
  request: { params: IdParam },
  responses: { 200: json(TokenSchema, "已吊销的令牌"), ...errorResponses },
});

export const whoAmI = createRoute({
  method: "get",
  path: "/me",
  tags,
  security,
  summary: "当前令牌：所属机构与角色",
  responses: {
    200: json(
      z.object({ tokenId: z.string(), role: z.string(), org: z.object({ id: z.string(), name: z.string(), kind: z.string(), level: z.string() }) }),
      "当前令牌",
    ),
    ...errorResponses,
  },
});
