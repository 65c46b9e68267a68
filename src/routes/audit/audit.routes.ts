import { createRoute, z } from "@hono/zod-openapi";
import { auditLog } from "../../db/schema";
import { createSelectSchema } from "../../db/zod";
import { AUDIT_ENTITIES } from "../../db/queries/audit";
import { errorResponses, json, listOf, PageQuery, security } from "../../lib/schemas";

export const AuditSchema = createSelectSchema(auditLog, {
  before: z.unknown(),
  after: z.unknown(),
})
  .extend({
    actorLabel: z.string().nullable().openapi({ description: "操作令牌的用途说明；系统操作（初始化、定时任务）为 null" }),
    actorOrgName: z.string().nullable().openapi({ description: "操作令牌所属机构的名称" }),
  })
  .openapi("AuditEntry");

const date = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what}应为 YYYY-MM-DD 格式的日期`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), `${what}不是有效的日期`)
    .optional()
    .openapi({ description: `${what}（北京时间，含当日）` });

export const AuditQuery = PageQuery.extend({
  entity: z.enum(AUDIT_ENTITIES).optional(),
  entityId: z.string().max(64).optional(),
  orgId: z.string().max(64).optional().openapi({ description: "该机构及其下级" }),
  action: z.string().trim().max(64).optional().openapi({ description: "操作，如 org.move、token.revoke" }),
  from: date("起始日期"),
  to: date("截止日期"),
});

export const listAudit = createRoute({
  method: "get",
  path: "/audit",
  tags: ["审计 audit"],
  security,
  summary: "审计日志（管理员、主管单位；本单位及下级）",
  request: { query: AuditQuery },
  responses: { 200: json(listOf(AuditSchema), "审计记录，新的在前"), ...errorResponses },
});
