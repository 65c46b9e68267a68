import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq, inArray, ne } from "drizzle-orm";
import { OPEN_ALERT_STATUSES } from "../../domain/alerts";
import { canDecideFiling } from "../../domain/access";
import { voidProblem } from "../../domain/lifecycle";
import { filingAuthority, filingDeciders } from "../../domain/orgs";
import { recordStatus, visibleAccount } from "../../db/queries/accounts";
import { writeAudit } from "../../db/queries/audit";
import { loadOrgIndex } from "../../db/queries/org-tree";
import { accounts, alerts, filings } from "../../db/schema";
import { AppError, badRequest, forbidden } from "../../lib/errors";
import type { AppEnv } from "../../lib/types";
import type * as routes from "./void.routes";

/**
 * 作废: a registration made in error leaves as if it had never been made (docs/规则依据.md#作废误登记):
 * only the office that would decide its filings may do it, within the window, and the reason is kept
 * in the audit log. Its pending filings are withdrawn (recorded as rejected with the reason) and its
 * open alerts closed, in the same transaction.
 */
export const voidAccount: RouteHandler<typeof routes.voidAccount, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const { reason } = c.req.valid("json");
  const { account } = await visibleAccount(db, actor, c.req.valid("param").id);
  const index = await loadOrgIndex(db);
  const org = index.get(account.orgId);
  const authority = org ? filingAuthority(org, index) : undefined;
  if (!authority || !canDecideFiling(actor, filingDeciders(authority, index))) {
    throw forbidden(`只有该账号的备案主管单位（${authority?.name ?? "上级主管单位"}）的主管人员可以作废误登记的账号`);
  }
  const at = now();
  const result = await db.transaction(async (tx) => {
    const decided = await tx
      .select({ kind: filings.kind })
      .from(filings)
      .where(and(eq(filings.accountId, account.id), ne(filings.status, "submitted")));
    const problem = voidProblem(account, at, decided);
    if (problem) throw badRequest(problem);
    const after = { ...account, status: "voided" as const, updatedAt: at.toISOString() };
    // Guarded on the status read above: a filing decided meanwhile makes this a conflict, not a void.
    const res = await tx
      .update(accounts)
      .set({ status: "voided", updatedAt: after.updatedAt })
      .where(and(eq(accounts.id, account.id), eq(accounts.status, account.status)))
      .returning({ id: accounts.id });
    if (res.length !== 1) throw new AppError(409, "conflict", "账号状态刚刚发生变化，请刷新后重试");
    await recordStatus(tx, after, "voided", at);
    await writeAudit(tx, actor, at, { action: "account.void", entity: "account", entityId: account.id, orgId: account.orgId, before: account, after: { ...after, voidReason: reason } });

    const pending = await tx.select().from(filings).where(and(eq(filings.accountId, account.id), eq(filings.status, "submitted")));
    for (const f of pending) {
      const withdrawn = { ...f, status: "rejected" as const, decidedBy: actor.tokenId, decidedAt: at.toISOString(), decisionNote: `账号已作废（误登记），备案撤回：${reason}` };
      await tx.update(filings).set(withdrawn).where(eq(filings.id, f.id));
      await writeAudit(tx, actor, at, { action: "filing.withdraw", entity: "filing", entityId: f.id, orgId: f.orgId, before: f, after: withdrawn });
    }
    const open = await tx
      .update(alerts)
      .set({ status: "resolved", resolvedAt: at.toISOString(), resolvedBy: actor.tokenId, note: "账号已作废（误登记），预警关闭" })
      .where(and(eq(alerts.accountId, account.id), inArray(alerts.status, [...OPEN_ALERT_STATUSES])))
      .returning({ id: alerts.id });
    return { withdrawnFilings: pending.length, resolvedAlerts: open.length };
  });
  return c.json({ id: account.id, status: "voided" as const, ...result }, 200);
};
