import { createRoute, z } from "@hono/zod-openapi";
import { createInsertSchema, createSelectSchema } from "../../db/zod";
import { orgs } from "../../db/schema";
import { errorResponses, IdParam, json, jsonBody, listOf, security } from "../../lib/schemas";

const name = z.string().trim().min(1, "名称不能为空").max(100, "名称不能超过100个字");

export const OrgSchema = createSelectSchema(orgs)
  .omit({ path: true })
  .extend({
    filingAuthorityId: z.string().nullable().openapi({ description: "备案主管单位（由机构树计算）" }),
  })
  .openapi("Org");

export const CreateOrgSchema = createInsertSchema(orgs, { name })
  .pick({ name: true, kind: true, level: true })
  .extend({ parentId: z.string().min(1).max(64) })
  .openapi("CreateOrg");

export const UpdateOrgSchema = z
  .object({ name: name.optional(), parentId: z.string().min(1).max(64).optional() })
  .refine((v) => v.name !== undefined || v.parentId !== undefined, "至少填写 name 或 parentId")
  .openapi("UpdateOrg");

const tags = ["机构 orgs"];

export const createOrg = createRoute({
  method: "post",
  path: "/orgs",
  tags,
  security,
  summary: "新建机构（管理员，在本单位之下）",
  request: { body: jsonBody(CreateOrgSchema) },
  responses: { 201: json(OrgSchema, "新建的机构"), ...errorResponses },
});

export const listOrgs = createRoute({
  method: "get",
  path: "/orgs",
  tags,
  security,
  summary: "本单位及下级机构（不带 page/pageSize 时返回全部）",
  request: {
    query: z.object({
      page: z.coerce.number().int().min(1).max(100000).optional(),
      pageSize: z.coerce.number().int().min(1).max(500).optional(),
      q: z.string().trim().max(100).optional().openapi({ description: "按名称搜索" }),
    }),
  },
  responses: { 200: json(listOf(OrgSchema), "可见的机构树（按层级排序）"), ...errorResponses },
});

export const getOrg = createRoute({
  method: "get",
  path: "/orgs/{id}",
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: json(OrgSchema, "机构"), ...errorResponses },
});

export const updateOrg = createRoute({
  method: "patch",
  path: "/orgs/{id}",
  tags,
  security,
  summary: "改名或调整上级（管理员）",
  request: { params: IdParam, body: jsonBody(UpdateOrgSchema) },
  responses: { 200: json(OrgSchema, "更新后的机构"), ...errorResponses },
});
