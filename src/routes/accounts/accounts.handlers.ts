import { resolveAccountType } from "../../domain/platforms";
import type { RouteHandler } from "@hono/zod-openapi";
import type { z } from "@hono/zod-openapi";
import { and, asc, count, desc, eq, like, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "../../db/client";
import { accounts, orgs } from "../../db/schema";
import { filingAuthority, filingDeciders } from "../../domain/orgs";
import { canImportLedger, canRegisterDirectly, canSubmitFiling } from "../../domain/access";
import { AppError, badRequest, forbidden, importInvalid } from "../../lib/errors";
import { shanghaiDate } from "../../domain/weeks";
import { newId } from "../../lib/ids";
import type { Actor, AppEnv } from "../../lib/types";
import { ensurePlatformIdFree, flagsFor, insertAccounts, visibleAccount, type AccountRow } from "../../db/queries/accounts";
import { decideFiling, submitFiling } from "../../commands/filings";
import { exportRows, importTemplate as templateSheet, ledgerSheet } from "../../export/ledger-table";
import { importLedger as runImport } from "../../commands/ledger-import";
import { readUpload } from "../../export/upload";
import { inSubtree, loadOrgIndex, visibleOrg } from "../../db/queries/org-tree";
import { toCsv } from "../../lib/csv";
import { contentDisposition } from "../../lib/content-disposition";
import type * as routes from "./accounts.routes";

type AccountFilter = z.infer<typeof routes.ExportQuery>;

async function present(db: DbOrTx, rows: { account: AccountRow; orgName: string }[]) {
  const flags = await flagsFor(db, rows.map((r) => r.account));
  return rows.map((r) => ({ ...r.account, orgName: r.orgName, flags: flags.get(r.account.id) ?? [] }));
}

async function filterConditions(db: DbOrTx, actor: Actor, q: AccountFilter) {
  const where: SQL[] = [inSubtree(actor)];
  if (q.orgId) {
    const org = await visibleOrg(db, actor, q.orgId);
    where.push(like(orgs.path, `${org.path}%`));
  }
  if (q.platform) where.push(eq(accounts.platform, q.platform));
  if (q.accountType) where.push(eq(accounts.accountType, q.accountType));
  if (q.status) where.push(eq(accounts.status, q.status));
  if (q.q) {
    const pattern = `%${q.q.replace(/[\\%_]/g, (m) => "\\" + m)}%`;
    where.push(or(sql_like(accounts.name, pattern), sql_like(accounts.platformId, pattern))!);
  }
  return and(...where);
}

/** LIKE with an escape character, so a search for "50%" means the text "50%". */
function sql_like(col: SQLiteColumn, pattern: string) {
  return sql`${col} LIKE ${pattern} ESCAPE '\\'`;
}

export const createAccount: RouteHandler<typeof routes.createAccount, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  const org = await visibleOrg(db, actor, body.orgId, "主办单位");
  if (body.openedOn && body.openedOn > shanghaiDate(now())) throw badRequest(`开设日期 ${body.openedOn} 晚于今天，请核对`);
  const type = resolveAccountType(body.platform, body.accountType);
  if ("error" in type) throw badRequest(type.error, [{ path: "accountType", message: type.error }]);
  const index = await loadOrgIndex(db);
  const authority = filingAuthority(org, index);
  // 鹤政办〔2019〕20号第十二条，docs/规则依据.md#分级备案: active when a supervisor of its filing authority registers it, otherwise an open filing.
  const direct = canRegisterDirectly(actor, filingDeciders(authority, index));
  if (!direct) {
    // Operators file for their own org; supervisors for any org in their subtree.
    const verdict = canSubmitFiling(actor, org.id);
    if (verdict !== true) {
      throw forbidden(verdict === "own_org_only" ? "主办单位只能为本单位的账号提交开设备案" : "当前角色不能登记账号或提交备案");
    }
  }
  const at = now();
  const account = await db.transaction(async (tx) => {
    await ensurePlatformIdFree(tx, body.platform, body.platformId);
    const row: AccountRow = {
      id: newId(),
      orgId: org.id,
      platform: body.platform,
      accountType: type.accountType,
      operationMode: body.operationMode ?? null,
      operator: body.operator ?? null,
      name: body.name,
      platformId: body.platformId ?? null,
      url: body.url ?? null,
      feedUrl: body.feedUrl ?? null,
      openedOn: body.openedOn ?? null,
      contactPerson: body.contactPerson ?? null,
      contactPhone: body.contactPhone ?? null,
      verifiedOwner: body.verifiedOwner ?? null,
      status: "pending",
      closingReason: null,
      mergedIntoId: null,
      origin: direct ? "direct" : "filing",
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    };
    await insertAccounts(tx, actor, at, [row], "account.create");
    const filing = await submitFiling(tx, actor, at, row, { kind: "open" });
    if (!direct) return row;
    // The authority registering directly: the opening is approved on the spot and on record.
    await decideFiling(tx, actor, at, filing, { approve: true, note: "主管单位直接登记" });
    return { ...row, status: "active" as const };
  });
  const [out] = await present(db, [{ account, orgName: org.name }]);
  return c.json(out!, 201);
};

/** The list's order: the chosen column first, then the ledger's own order (unit, platform, name) to break ties. */
function listOrder(sort: (typeof routes.ACCOUNT_SORTS)[number], order: "asc" | "desc") {
  const dir = order === "desc" ? desc : asc;
  const first = { org: orgs.path, name: accounts.name, platform: accounts.platform, status: accounts.status, openedOn: accounts.openedOn }[sort];
  return [dir(first), asc(orgs.path), asc(accounts.platform), asc(accounts.name), asc(accounts.id)];
}

export const listAccounts: RouteHandler<typeof routes.listAccounts, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  const cond = await filterConditions(db, actor, q);
  const order = listOrder(q.sort, q.order);
  if (q.flag) {
    // Flags are computed, not stored: filter after computing them over the matching set.
    const rows = await db
      .select({ account: accounts, orgName: orgs.name })
      .from(accounts)
      .innerJoin(orgs, eq(orgs.id, accounts.orgId))
      .where(cond)
      .orderBy(...order);
    const all = (await present(db, rows)).filter((a) => a.flags.some((f) => f.code === q.flag));
    const start = (q.page - 1) * q.pageSize;
    return c.json({ items: all.slice(start, start + q.pageSize), total: all.length }, 200);
  }
  const [rows, [total]] = await Promise.all([
    db
      .select({ account: accounts, orgName: orgs.name })
      .from(accounts)
      .innerJoin(orgs, eq(orgs.id, accounts.orgId))
      .where(cond)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(accounts).innerJoin(orgs, eq(orgs.id, accounts.orgId)).where(cond),
  ]);
  return c.json({ items: await present(db, rows), total: total?.n ?? 0 }, 200);
};

export const getAccount: RouteHandler<typeof routes.getAccount, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const { account, org } = await visibleAccount(db, c.get("actor"), c.req.valid("param").id);
  const [out] = await present(db, [{ account, orgName: org.name }]);
  return c.json(out!, 200);
};

async function exportTable(c: Parameters<RouteHandler<typeof routes.exportCsv, AppEnv>>[0]) {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  const rows = await db
    .select({ account: accounts, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(await filterConditions(db, actor, q))
    .orderBy(asc(orgs.path), asc(accounts.platform), asc(accounts.name));
  const list = await present(db, rows);
  return exportRows(q.flag ? list.filter((a) => a.flags.some((f) => f.code === q.flag)) : list);
}

export const exportCsv: RouteHandler<typeof routes.exportCsv, AppEnv> = async (c) => {
  const table = await exportTable(c);
  return c.body(toCsv(table), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": contentDisposition("govmedia-ledger.csv", "政务新媒体台账.csv"),
  }) as never;
};

export const exportXlsx: RouteHandler<typeof routes.exportXlsx, AppEnv> = async (c) => {
  const { spreadsheet } = c.get("deps");
  if (!spreadsheet) throw new AppError(501, "not_available", "此部署不支持 XLSX，请使用 CSV 导出");
  const table = await exportTable(c as never);
  const bytes = await spreadsheet.write([ledgerSheet(table)]);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "content-disposition": contentDisposition("govmedia-ledger.xlsx", "政务新媒体台账.xlsx"),
  }) as never;
};

export const importTemplate: RouteHandler<typeof routes.importTemplate, AppEnv> = async (c) => {
  const { db, spreadsheet } = c.get("deps");
  if (!spreadsheet) throw new AppError(501, "not_available", "此部署不支持 XLSX，请参照导出的 CSV 台账填写");
  const actor = c.get("actor");
  const org = await visibleOrg(db, actor, actor.orgId);
  const bytes = await spreadsheet.write([templateSheet(org.name)]);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "content-disposition": contentDisposition("govmedia-ledger-template.xlsx", "政务新媒体台账模板.xlsx"),
  }) as never;
};

export const importLedger: RouteHandler<typeof routes.importLedger, AppEnv> = async (c) => {
  const deps = c.get("deps");
  const actor = c.get("actor");
  const { dryRun, mode } = c.req.valid("query");
  const org = await visibleOrg(deps.db, actor, actor.orgId);
  if (!canImportLedger(actor.role)) throw forbidden("只有主管单位可以导入台账");
  const rows = await readUpload(c.req.raw, deps.spreadsheet);
  const result = await runImport(deps.db, actor, deps.now(), { scope: org, table: rows, dryRun, mode });
  if (!dryRun && result.errors.length > 0) {
    throw importInvalid(result.errors, "未导入任何数据");
  }
  return c.json(result, 200);
};
