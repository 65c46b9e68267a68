import { createRoute, z } from "@hono/zod-openapi";
import { feedState, posts } from "../../db/schema";
import { createSelectSchema } from "../../db/zod";
import { DryRunQuery, RowErrorSchema, errorResponses, IdParam, json, jsonBody, listOf, PageQuery, security } from "../../lib/schemas";

/** A pushed body or summary is read up to this length (only its first 2,000 characters of text are kept). */
export const MAX_PUSHED_TEXT = 100_000;

// Plausibility against "now" is checked in the handler, with the app's clock.
const isoInstant = z.iso.datetime({ offset: true, message: "发布时间应为带时区的 ISO 时间，如 2026-11-22T23:59:59+08:00" });

export const PushedPostSchema = z
  .object({
    publishedAt: isoInstant.optional().openapi({ description: "发布时间；不填则记为首次收到的时间" }),
    title: z.string().trim().min(1, "标题不能为空").max(500, "标题不能超过500个字"),
    url: z.string().trim().max(2048).url("链接应为网址").refine((u) => /^https?:\/\//i.test(u), "链接应为 http/https 网址").optional(),
    guid: z.string().trim().min(1).max(500).optional().openapi({ description: "唯一标识；同一标识重复推送只记一次" }),
    repost: z.boolean().optional().openapi({ description: "是否为转发（非原创）；不填则按标题识别（如“转发微博”“//@”）" }),
    content: z
      .string()
      .max(MAX_PUSHED_TEXT, `正文不能超过${MAX_PUSHED_TEXT}个字，请只推送正文开头部分`)
      .optional()
      .openapi({ description: "正文（HTML 或纯文本，可选）：只保存去除标记后的前 2000 字和其中的链接（至多 20 个），用于错敏词与死链检查" }),
    summary: z
      .string()
      .max(MAX_PUSHED_TEXT, `摘要不能超过${MAX_PUSHED_TEXT}个字`)
      .optional()
      .openapi({ description: "摘要（可选）：不填正文时按摘要保存，规则同正文" }),
  })
  .strict();

export const PushPostsSchema = z
  .object({ posts: z.array(PushedPostSchema).min(1, "至少一条").max(1000, "一次最多推送1000条") })
  .strict()
  .openapi("PushPosts");

export const PostSchema = createSelectSchema(posts).openapi("Post");
export const FeedStateSchema = createSelectSchema(feedState).openapi("FeedState");

const tags = ["更新 posts"];

export const pushPosts = createRoute({
  method: "post",
  path: "/accounts/{id}/posts",
  tags,
  security,
  summary: "推送发文记录（无订阅源的客户端等）；按平台文章编号（文章链接）→ guid → 链接 → 标题+时间（分钟）去重，与订阅源抓到的同一篇不重复计数，可重复推送",
  request: { params: IdParam, body: jsonBody(PushPostsSchema) },
  responses: { 200: json(z.object({ inserted: z.number().int(), duplicates: z.number().int() }), "新增与重复条数"), ...errorResponses },
});

export const importPosts = createRoute({
  method: "post",
  path: "/accounts/{id}/posts/import",
  tags,
  security,
  summary: "导入发文记录（CSV/XLSX；列：发布时间, 标题, 链接, 唯一标识, 摘要/正文（可选））；有错误行时不导入",
  request: { params: IdParam, query: DryRunQuery },
  responses: {
    200: json(z.object({ dryRun: z.boolean(), total: z.number().int(), inserted: z.number().int(), duplicates: z.number().int(), errors: z.array(RowErrorSchema) }), "结果"),
    ...errorResponses,
  },
});

export const listPosts = createRoute({
  method: "get",
  path: "/accounts/{id}/posts",
  tags,
  security,
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(listOf(PostSchema), "发文记录，新的在前"), ...errorResponses },
});

export const getFeedState = createRoute({
  method: "get",
  path: "/accounts/{id}/feed",
  tags,
  security,
  summary: "订阅源抓取状态（最近成功、最近错误、连续失败次数、下次抓取时间）",
  request: { params: IdParam },
  responses: { 200: json(z.union([FeedStateSchema, z.null()]), "抓取状态；未配置或尚未抓取为 null"), ...errorResponses },
});
