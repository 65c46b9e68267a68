import type { RouteHandler } from "@hono/zod-openapi";
import { and, count, desc, eq, getTableColumns, like, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { filings, orgs } from "../../db/schema";
import { canSubmitFiling } from "../../domain/access";
import { resolveAccountType } from "../../domain/platforms";
import { badRequest, forbidden, notFound } from "../../lib/errors";
import type { Actor, AppEnv } from "../../lib/types";
import { visibleAccount } from "../../db/queries/accounts";
import { decideFiling as decide, submitFiling as submit } from "../../commands/filings";
import { inSubtree } from "../../db/queries/org-tree";
import type * as routes from "./filings.routes";

const filingColumns = getTableColumns(filings);
/** The org a filing is routed to (备案主管单位), joined beside the account's org. */
const authorityOrg = alias(orgs, "authority_org");

/**
 * A filing is visible with the org of the account it concerns, and to the subtree that holds its
 * filing authority: a designated authority (e.g. 市公安局 for a 县公安局) reads and decides filings
 * of accounts outside its own subtree (docs/规则依据.md#指定备案单位).
 */
function filingVisibleTo(actor: Pick<Actor, "orgPath">): SQL {
  return or(inSubtree(actor), like(authorityOrg.path, `${actor.orgPath}%`))!;
}

export const submitFiling: RouteHandler<typeof routes.submitFiling, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  const { account } = await visibleAccount(db, actor, body.accountId);
  const verdict = canSubmitFiling(actor, account.orgId);
  if (verdict !== true) {
    throw forbidden(verdict === "own_org_only" ? "主办单位只能为本单位的账号提交备案" : "当前角色不能提交备案");
  }
  const { accountId: _a, ...input } = body;
  if (input.changes && "accountType" in input.changes) {
    // 订阅号/服务号 only for WeChat; null on a WeChat account means the default (订阅号).
    const type = resolveAccountType(account.platform, input.changes.accountType);
    if ("error" in type) throw badRequest(type.error, [{ path: "changes.accountType", message: type.error }]);
    input.changes = { ...input.changes, accountType: type.accountType };
  }
  const filing = await db.transaction((tx) => submit(tx, actor, now(), account, input));
  return c.json(filing, 201);
};

export const listFilings: RouteHandler<typeof routes.listFilings, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  const where: SQL[] = [filingVisibleTo(actor)];
  if (q.accountId) where.push(eq(filings.accountId, q.accountId));
  if (q.status) where.push(eq(filings.status, q.status));
  if (q.kind) where.push(eq(filings.kind, q.kind));
  if (q.authorityOrgId) where.push(eq(filings.authorityOrgId, q.authorityOrgId));
  const cond = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select(filingColumns)
      .from(filings)
      .innerJoin(orgs, eq(orgs.id, filings.orgId))
      .leftJoin(authorityOrg, eq(authorityOrg.id, filings.authorityOrgId))
      .where(cond)
      .orderBy(desc(filings.submittedAt), desc(filings.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(filings)
      .innerJoin(orgs, eq(orgs.id, filings.orgId))
      .leftJoin(authorityOrg, eq(authorityOrg.id, filings.authorityOrgId))
      .where(cond),
  ]);
  return c.json({ items: rows, total: total?.n ?? 0 }, 200);
};

async function visibleFiling(c: Parameters<RouteHandler<typeof routes.getFiling, AppEnv>>[0], id: string) {
  const [row] = await c
    .get("deps")
    .db.select(filingColumns)
    .from(filings)
    .innerJoin(orgs, eq(orgs.id, filings.orgId))
    .leftJoin(authorityOrg, eq(authorityOrg.id, filings.authorityOrgId))
    .where(and(eq(filings.id, id), filingVisibleTo(c.get("actor"))))
    .limit(1);
  if (!row) throw notFound("备案");
  return row;
}

export const getFiling: RouteHandler<typeof routes.getFiling, AppEnv> = async (c) => {
  return c.json(await visibleFiling(c, c.req.valid("param").id), 200);
};

export const decideFiling: RouteHandler<typeof routes.decideFiling, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const filing = await visibleFiling(c as never, c.req.valid("param").id);
  const body = c.req.valid("json");
  const decided = await db.transaction((tx) => decide(tx, actor, now(), filing, body));
  return c.json(decided, 200);
};
