import { z } from "@hono/zod-openapi";

export const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1).openapi({ description: "页码，从 1 开始" }),
  pageSize: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: "每页条数（1–500）" }),
});

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_error" }),
      message: z.string().openapi({ example: "请求参数有误：name 必填" }),
      details: z.array(z.unknown()),
    }),
  })
  .openapi("Error");

export function listOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: { description: "请求参数有误", content: { "application/json": { schema: ErrorSchema } } },
  401: { description: "未认证", content: { "application/json": { schema: ErrorSchema } } },
  403: { description: "角色无此权限", content: { "application/json": { schema: ErrorSchema } } },
  404: { description: "不存在或不在本单位范围内", content: { "application/json": { schema: ErrorSchema } } },
  409: { description: "与当前状态冲突", content: { "application/json": { schema: ErrorSchema } } },
} as const;

export function json<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodTypeAny>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

export const security = [{ bearerAuth: [] }];

/** `?dryRun=true`: check the upload and report, record nothing. */
export const DryRunQuery = z.object({
  dryRun: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1")
    .openapi({ description: "true：只校验并报告错误，不写入" }),
});

/** A bad row of an uploaded spreadsheet, numbered as the spreadsheet shows it. */
export const RowErrorSchema = z
  .object({ row: z.number().int(), column: z.string().optional(), message: z.string() })
  .openapi("RowError");
