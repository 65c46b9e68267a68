import { createRoute, z } from "@hono/zod-openapi";
import { auditLog } from "../../db/schema";
import { createSelectSchema } from "../../db/zod";
import { AUDIT_ENTITIES } from "../../db/queries/audit";
import { errorResponses, json, listOf, PageQuery, security } from "../../lib/schemas";

export const AuditSchema = createSelectSchema(auditLog, {
  before: z.unknown(),
  after: z.unknown(),
}).openapi("AuditEntry");

export const AuditQuery = PageQuery.extend({
  entity: z.enum(AUDIT_ENTITIES).optional(),
  entityId: z.string().max(64).optional(),
  orgId: z.string().max(64).optional().openapi({ description: "该机构及其下级" }),
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
