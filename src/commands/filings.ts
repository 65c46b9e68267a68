// Filings (备案): submitting one to the account's filing authority, and deciding it (鹤政办〔2019〕20号第十二条，docs/规则依据.md#分级备案).
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { ensurePlatformIdFree, recordStatus, type AccountRow } from "../db/queries/accounts";
import { writeAudit } from "../db/queries/audit";
import { isVisible, loadOrgIndex, type OrgRow } from "../db/queries/org-tree";
import { accounts, filings } from "../db/schema";
import {
  checkFiling,
  defaultRegistration,
  statusAfterDecision,
  TransitionError,
  type AccountChanges,
  type FilingKind,
  type FilingRequest,
  type Registration,
} from "../domain/lifecycle";
import { shanghaiDate } from "../domain/weeks";
import { canDecideFiling } from "../domain/access";
import { filingAuthority, filingDeciders } from "../domain/orgs";
import { AppError, conflict, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor } from "../lib/types";

export type FilingRow = typeof filings.$inferSelect;

export interface FilingInput {
  kind: FilingKind;
  changes?: AccountChanges | null;
  reason?: string | null;
  completed?: boolean | null;
  targetAccountId?: string | null;
  /** open: 新开设 or 存量登记; absent → from the account's opening date (defaultRegistration). */
  registration?: Registration | null;
}

function asConflict<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TransitionError) throw new AppError(409, "invalid_transition", e.message);
    throw e;
  }
}

/** The merge target, which must lie within the filing authority's subtree (the office that decides). */
async function loadTarget(tx: DbOrTx, authority: OrgRow, targetAccountId: string | null | undefined) {
  if (!targetAccountId) return null;
  const [t] = await tx.select().from(accounts).where(eq(accounts.id, targetAccountId)).limit(1);
  const index = t ? await loadOrgIndex(tx) : undefined;
  const tOrg = t ? index?.get(t.orgId) : undefined;
  if (!t || !tOrg || !isVisible({ orgPath: authority.path }, tOrg)) throw notFound("目标账号");
  return t;
}

async function request(tx: DbOrTx, authority: OrgRow, input: FilingInput): Promise<FilingRequest> {
  return { ...input, target: await loadTarget(tx, authority, input.targetAccountId) };
}

/**
 * Submits a filing, routed to the account's filing authority (鹤政办〔2019〕20号第十二条，docs/规则依据.md#分级备案):
 * the designated one when the org has it (docs/规则依据.md#指定备案单位), else the tree rule.
 */
export async function submitFiling(
  tx: DbOrTx,
  actor: Actor,
  at: Date,
  account: AccountRow,
  input: FilingInput,
): Promise<FilingRow> {
  const index = await loadOrgIndex(tx);
  const org = index.get(account.orgId);
  if (!org) throw notFound("账号所属机构");
  const authority = filingAuthority(org, index) as OrgRow;

  const [open] = await tx
    .select({ id: filings.id, kind: filings.kind })
    .from(filings)
    .where(and(eq(filings.accountId, account.id), eq(filings.status, "submitted")))
    .limit(1);
  if (open) throw conflict(`该账号已有一份待审核的备案（${open.id}），请等待审核后再提交`, [{ filingId: open.id }]);

  const req = await request(tx, authority, input);
  asConflict(() => checkFiling(account, req));
  if (input.kind === "open" && account.status === "active") {
    // 补充备案: only for an account that came from a ledger and has no approved opening yet.
    const [approved] = await tx
      .select({ id: filings.id })
      .from(filings)
      .where(and(eq(filings.accountId, account.id), eq(filings.kind, "open"), eq(filings.status, "approved")))
      .limit(1);
    if (approved || account.origin !== "import") throw new AppError(409, "invalid_transition", "该账号已有经批准的开设备案，无需补充备案");
  }
  if (input.kind === "change" && input.changes?.platformId) {
    await ensurePlatformIdFree(tx, account.platform, input.changes.platformId, account.id);
  }
  if (input.kind === "change" && input.changes?.orgId) {
    const newOrg = index.get(input.changes.orgId);
    if (!newOrg || !isVisible(actor, newOrg)) throw notFound("变更后的主办单位");
  }

  const row: FilingRow = {
    id: newId(),
    kind: input.kind,
    accountId: account.id,
    orgId: account.orgId,
    authorityOrgId: authority.id,
    status: "submitted",
    // docs/规则依据.md#开设日期与存量登记
    registration: input.kind === "open" ? (input.registration ?? defaultRegistration(account.openedOn, shanghaiDate(at))) : null,
    changes: input.changes ?? null,
    reason: input.reason ?? null,
    completed: input.completed ?? null,
    targetAccountId: input.targetAccountId ?? null,
    submittedBy: actor.tokenId,
    submittedAt: at.toISOString(),
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
  };
  await tx.insert(filings).values(row);
  await writeAudit(tx, actor, at, { action: "filing.submit", entity: "filing", entityId: row.id, orgId: account.orgId, after: row });

  // Re-filing an opening after a rejection puts the account back in the queue.
  if (input.kind === "open" && account.status === "rejected") {
    await updateAccount(tx, actor, at, account, { status: "pending" }, "account.refile");
  }
  return row;
}

async function updateAccount(
  tx: DbOrTx,
  actor: Actor,
  at: Date,
  before: AccountRow,
  patch: Partial<AccountRow>,
  action: string,
) {
  const after = { ...before, ...patch, updatedAt: at.toISOString() };
  await tx.update(accounts).set(after).where(eq(accounts.id, before.id));
  if (after.status !== before.status) await recordStatus(tx, after, after.status, at);
  await writeAudit(tx, actor, at, { action, entity: "account", entityId: before.id, orgId: after.orgId, before, after });
  return after;
}

/**
 * Decides a filing. Only the supervisors of the filing authority decide (鹤政办〔2019〕20号第十二条，docs/规则依据.md#分级备案): the authority is
 * recomputed from the tree now, so a filing follows its org if the org was moved meanwhile.
 */
export async function decideFiling(
  tx: DbOrTx,
  actor: Actor,
  at: Date,
  filing: FilingRow,
  decision: { approve: boolean; note: string },
): Promise<FilingRow> {
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, filing.accountId)).limit(1);
  if (!account) throw notFound("账号");
  const index = await loadOrgIndex(tx);
  const org = index.get(account.orgId);
  if (!org) throw notFound("账号所属机构");
  const authority = filingAuthority(org, index) as OrgRow;
  // A designated department authority (垂直管理系统) is also decided by its own government's office.
  if (!canDecideFiling(actor, filingDeciders(authority, index))) {
    throw new AppError(403, "forbidden", `该备案应由“${authority.name}”的主管单位审核`);
  }
  if (filing.status !== "submitted") {
    throw new AppError(409, "already_decided", `该备案已于 ${filing.decidedAt ?? ""} 审核（${filing.status === "approved" ? "已批准" : "已驳回"}），不能重复审核`);
  }

  if (decision.approve) {
    const req = await request(tx, authority, filing);
    asConflict(() => checkFiling(account, req));
    const patch: Partial<AccountRow> = { status: statusAfterDecision(account, req, true) };
    if (filing.kind === "change" && filing.changes) {
      if (filing.changes.platformId) await ensurePlatformIdFree(tx, account.platform, filing.changes.platformId, account.id);
      if (filing.changes.orgId) {
        const newOrg = index.get(filing.changes.orgId);
        if (!newOrg || !isVisible({ orgPath: authority.path }, newOrg)) {
          throw conflict("变更后的主办单位不在本主管单位范围内，请驳回该备案并向上级主管单位提交");
        }
      }
      Object.assign(patch, filing.changes);
    }
    if (filing.kind === "close") patch.closingReason = filing.reason;
    if (filing.kind === "merge") patch.mergedIntoId = filing.targetAccountId;
    await updateAccount(tx, actor, at, account, patch, `account.${filing.kind}`);
  } else if (filing.kind === "open" && account.status === "pending") {
    await updateAccount(tx, actor, at, account, { status: "rejected" }, "account.open_rejected");
  }

  const decided: FilingRow = {
    ...filing,
    authorityOrgId: authority.id,
    status: decision.approve ? "approved" : "rejected",
    decidedBy: actor.tokenId,
    decidedAt: at.toISOString(),
    decisionNote: decision.note,
  };
  // Guard on status too: two decisions racing cannot both land.
  const res = await tx
    .update(filings)
    .set(decided)
    .where(and(eq(filings.id, filing.id), eq(filings.status, "submitted")))
    .returning({ id: filings.id });
  if (res.length !== 1) throw new AppError(409, "already_decided", "该备案已被审核，不能重复审核");
  await writeAudit(tx, actor, at, { action: "filing.decide", entity: "filing", entityId: filing.id, orgId: filing.orgId, before: filing, after: decided });
  return decided;
}
