import { createRoute, z } from "@hono/zod-openapi";
import { MAX_CORRECT_CHARS, MAX_NOTE_CHARS, MAX_WRONG_CHARS, WORD_RULE_KINDS } from "../../domain/wording";
import { DryRunQuery, errorResponses, IdParam, json, jsonBody, RowErrorSchema, security } from "../../lib/schemas";

const orgId = z.string().min(1, "请指定机构").max(64).openapi({ description: "机构：规则对其本级及下级生效" });

export const WordRuleSchema = z
  .object({
    id: z.string().openapi({ description: "规则ID；基础词库的规则为 starter" }),
    orgId: z.string().nullable(),
    orgName: z.string().nullable(),
    level: z.enum(["own", "inherited", "starter"]).openapi({ description: "own 本级规则，inherited 上级规则（继承），starter 基础词库" }),
    wrong: z.string(),
    correct: z.string().nullable(),
    kind: z.enum(WORD_RULE_KINDS),
    kindLabel: z.string(),
    note: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .openapi("WordRule");

// Lengths and emptiness are checked by the command, so each gets its own Chinese answer; these
// bounds only keep what is held in memory small.
export const CreateWordRuleSchema = z
  .object({
    orgId,
    wrong: z.string({ message: "请填写错误表述" }).max(1000, `错误表述不能超过 ${MAX_WRONG_CHARS} 个字`).openapi({ description: `错误表述（不超过 ${MAX_WRONG_CHARS} 字；按原文匹配，不是正则表达式；不区分全角半角、大小写，忽略空格）` }),
    correct: z.string().max(1000, `正确表述不能超过 ${MAX_CORRECT_CHARS} 个字`).nullable().optional().openapi({ description: `正确表述（可不填，不超过 ${MAX_CORRECT_CHARS} 字）` }),
    kind: z.string().max(20, "类型无效").nullable().optional().openapi({ description: "typo 错别字（默认）、sensitive 敏感表述、name_order 姓名排序；也可写中文名称" }),
    note: z.string().max(2000, `备注不能超过 ${MAX_NOTE_CHARS} 个字`).nullable().optional().openapi({ description: `备注（不超过 ${MAX_NOTE_CHARS} 字）` }),
  })
  .strict()
  .openapi("CreateWordRule");

const ScanSchema = z
  .object({ checked: z.number().int(), hits: z.number().int(), alerts: z.number().int() })
  .openapi({ description: "新规则对本级及下级近 90 天发文的检查结果：读取发文数、新发现处数、涉及预警的账号数" });

const tags = ["错敏词 word-rules"];

export const listWordRules = createRoute({
  method: "get",
  path: "/word-rules",
  tags,
  security,
  summary: "某机构适用的错敏词规则：本级、上级（继承）与基础词库",
  request: { query: z.object({ orgId }) },
  responses: { 200: json(z.object({ items: z.array(WordRuleSchema), total: z.number().int() }), "规则"), ...errorResponses },
});

export const createWordRule = createRoute({
  method: "post",
  path: "/word-rules",
  tags,
  security,
  summary: "新增错敏词规则（主管单位或管理员），对本级及下级生效；随即检查下级账号近 90 天的发文",
  request: { body: jsonBody(CreateWordRuleSchema) },
  responses: { 201: json(z.object({ rule: WordRuleSchema, rescan: ScanSchema }), "新规则与检查结果"), ...errorResponses },
});

export const importWordRules = createRoute({
  method: "post",
  path: "/word-rules/import",
  tags,
  security,
  summary: "导入错敏词规则（CSV 或 XLSX；列：错误表述, 正确表述, 类型, 备注）；有任何错误行时不导入；dryRun=true 只校验",
  request: {
    query: DryRunQuery.extend({ orgId }),
    body: {
      required: true,
      description: "文件内容（text/csv 或 xlsx），或 multipart/form-data 的 file 字段",
      content: {
        "text/csv": { schema: z.string() },
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
  },
  responses: {
    200: json(
      z.object({ dryRun: z.boolean(), total: z.number().int(), imported: z.number().int(), errors: z.array(RowErrorSchema), rescan: ScanSchema.nullable() }),
      "校验/导入结果",
    ),
    ...errorResponses,
  },
});

// A POST, not a DELETE: nothing in this API deletes (a rule is disabled and kept, like a revoked token).
export const disableWordRule = createRoute({
  method: "post",
  path: "/word-rules/{id}/disable",
  tags,
  security,
  summary: "停用错敏词规则（保留记录；已发现的问题与预警不受影响）",
  request: { params: IdParam },
  responses: { 200: json(z.object({ id: z.string(), deletedAt: z.string() }), "已停用"), ...errorResponses },
});
