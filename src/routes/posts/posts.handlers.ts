import type { RouteHandler } from "@hono/zod-openapi";
import { count, desc, eq } from "drizzle-orm";
import { feedState, posts } from "../../db/schema";
import { canPushPosts } from "../../domain/access";
import { IMPLAUSIBLE_POST_TIME, isPlausiblePostTime } from "../../domain/posts";
import { normaliseItems } from "../../feeds/normalise";
import { writeAudit } from "../../db/queries/audit";
import { badRequest, forbidden, importInvalid } from "../../lib/errors";
import type { Actor, AppEnv } from "../../lib/types";
import { visibleAccount, type AccountRow } from "../../db/queries/accounts";
import { parsePostRows } from "../../export/post-upload";
import { readUpload } from "../../export/upload";
import { storePosts, type IncomingPost } from "../../db/queries/posts";
import { checkNewPosts } from "../../commands/wording";
import type * as routes from "./posts.routes";

/** Operators push for their own org's accounts; supervisors for any account in their subtree. */
function ensureMayPush(actor: Actor, account: AccountRow) {
  const verdict = canPushPosts(actor, account.orgId);
  if (verdict !== true) throw forbidden(verdict === "own_org_only" ? "只能为本单位的账号推送发文记录" : "当前角色不能推送发文记录");
}

/**
 * Same identity rules as feed items (domain/post-identity: platform article id → guid → link →
 * title + minute, docs/规则依据.md#发文来源与去重), with the account's platform: a pushed
 * `https://mp.weixin.qq.com/s/AbCdEf1` is the post a WeWe RSS feed already stored.
 */
export function toIncoming(
  items: { publishedAt?: string; title: string; url?: string; guid?: string; repost?: boolean; content?: string; summary?: string }[],
  now: Date,
  platform: string | null = null,
): IncomingPost[] {
  return normaliseItems(
    // The instant, not its spelling: "10:00+08:00" pushed and "02:00Z" imported are the same post.
    // The body (else the summary) gives the summary and links kept, as a feed item's would.
    items.map((p) => ({
      guid: p.guid,
      link: p.url,
      title: p.title,
      date: p.publishedAt ? new Date(p.publishedAt).toISOString() : undefined,
      repost: p.repost,
      content: p.content || p.summary,
    })),
    { firstSeenAt: now, now, platform },
  ).map((p) => ({ ...p, dateSource: p.dateSource === "feed" ? "given" : p.dateSource }));
}

export const pushPosts: RouteHandler<typeof routes.pushPosts, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const { account } = await visibleAccount(db, actor, c.req.valid("param").id);
  ensureMayPush(actor, account);
  const at = now();
  const pushed = c.req.valid("json").posts;
  const implausible = pushed.flatMap((p, i) => {
    const t = p.publishedAt ? Date.parse(p.publishedAt) : at.getTime();
    return isPlausiblePostTime(t, at) ? [] : [{ path: `posts.${i}.publishedAt`, message: IMPLAUSIBLE_POST_TIME }];
  });
  if (implausible.length > 0) throw badRequest(`请求参数有误：${implausible[0]!.path} ${implausible[0]!.message}`, implausible);
  const incoming = toIncoming(pushed, at, account.platform);
  const result = await db.transaction(async (tx) => {
    const r = await storePosts(tx, account.id, incoming, "api", at);
    await writeAudit(tx, actor, at, { action: "posts.push", entity: "account", entityId: account.id, orgId: account.orgId, after: r });
    return r;
  });
  // The account's new posts are read for wording (错敏词) once committed, so an alert follows the push
  // at once; other accounts' unread posts are left to the jobs, not to this request.
  if (result.inserted > 0) await checkNewPosts(db, at, { accountId: account.id });
  return c.json(result, 200);
};

export const importPosts: RouteHandler<typeof routes.importPosts, AppEnv> = async (c) => {
  const { db, now, spreadsheet } = c.get("deps");
  const actor = c.get("actor");
  const { account } = await visibleAccount(db, actor, c.req.valid("param").id);
  ensureMayPush(actor, account);
  const { dryRun } = c.req.valid("query");
  const table = await readUpload(c.req.raw, spreadsheet);
  const at = now();
  const { items, errors } = parsePostRows(table, at);
  if (errors.length > 0 && !dryRun) {
    throw importInvalid(errors, "未导入任何记录");
  }
  const incoming = toIncoming(items, at, account.platform);
  if (dryRun) return c.json({ dryRun, total: items.length + new Set(errors.map((e) => e.row)).size, inserted: 0, duplicates: 0, errors }, 200);
  const r = await db.transaction(async (tx) => {
    const res = await storePosts(tx, account.id, incoming, "import", at);
    await writeAudit(tx, actor, at, { action: "posts.import", entity: "account", entityId: account.id, orgId: account.orgId, after: res });
    return res;
  });
  if (r.inserted > 0) await checkNewPosts(db, at, { accountId: account.id });
  return c.json({ dryRun, total: items.length, ...r, errors }, 200);
};

export const listPosts: RouteHandler<typeof routes.listPosts, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const { account } = await visibleAccount(db, c.get("actor"), c.req.valid("param").id);
  const q = c.req.valid("query");
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(posts)
      .where(eq(posts.accountId, account.id))
      .orderBy(desc(posts.publishedAt))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(posts).where(eq(posts.accountId, account.id)),
  ]);
  return c.json({ items: rows, total: total?.n ?? 0 }, 200);
};

export const getFeedState: RouteHandler<typeof routes.getFeedState, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const { account } = await visibleAccount(db, c.get("actor"), c.req.valid("param").id);
  const [state] = await db.select().from(feedState).where(eq(feedState.accountId, account.id)).limit(1);
  return c.json(state ?? null, 200);
};
