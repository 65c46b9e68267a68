import { createRoute, z } from "@hono/zod-openapi";
import { createInsertSchema, createSelectSchema } from "../../db/zod";
import { orgs } from "../../db/schema";
import { ORG_KINDS } from "../../domain/orgs";
import { errorResponses, IdParam, json, jsonBody, listOf, security } from "../../lib/schemas";

const name = z.string().trim().min(1, "名称不能为空").max(100, "名称不能超过100个字");

export const OrgSchema = createSelectSchema(orgs)
  .omit({ path: true })
  .extend({
    kind: z.enum(ORG_KINDS).openapi({ description: "government 政府, department 部门, zone 开发区（管委会）" }),
    filingAuthorityId: z
      .string()
      .nullable()
      .openapi({ description: "备案主管单位（实际生效的）：指定了备案单位时为指定的机构，否则由机构树计算；根机构为 null" }),
    filingAuthorityDesignated: z
      .boolean()
      .openapi({ description: "true：备案主管单位是单独指定的（如垂直管理系统的上级主管部门）；false：按机构树分级备案" }),
    aliases: z.array(z.string()).openapi({ description: "机构别名（如认证主体使用的名称），核对认证主体时与机构名称同等对待" }),
  })
  .openapi("Org");

export const CreateOrgSchema = createInsertSchema(orgs, { name })
  .pick({ name: true, kind: true, level: true })
  .extend({
    kind: z
      .enum(ORG_KINDS, { message: "机构类型应为 government（政府）、department（部门）或 zone（开发区、管委会）" })
      .openapi({ description: "government 政府, department 部门, zone 开发区（管委会）：按政府对待，设在政府之下低一级" }),
    parentId: z.string().min(1).max(64),
  })
  .openapi("CreateOrg");

const alias = z.string().trim().min(1, "别名不能为空").max(100, "每个别名不能超过100个字");

export const UpdateOrgSchema = z
  .object({
    name: name.optional(),
    parentId: z.string().min(1).max(64).optional(),
    filingAuthorityId: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .openapi({
        description: "指定备案主管单位（机构 id，须在本单位范围内），用于公安、税务、气象等垂直管理系统或指定数据局受理备案；null 恢复按机构树分级备案",
      }),
    aliases: z
      .array(alias)
      .max(20, "别名最多20个")
      .optional()
      .openapi({ description: "机构别名（整体替换；去除首尾空格、去重，最多20个，每个不超过100字）；[] 清空" }),
  })
  .refine(
    (v) => v.name !== undefined || v.parentId !== undefined || v.filingAuthorityId !== undefined || v.aliases !== undefined,
    "至少填写 name、parentId、filingAuthorityId 或 aliases 之一",
  )
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
  summary: "改名、调整上级、指定备案主管单位或设置别名（管理员；机构和指定的备案单位都须在本单位范围内）",
  request: { params: IdParam, body: jsonBody(UpdateOrgSchema) },
  responses: { 200: json(OrgSchema, "更新后的机构"), ...errorResponses },
});
