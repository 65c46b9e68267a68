// Ledger import (台账导入): every row checked, and all rows imported in one transaction or none.
// Two modes: `create` (every row a new account) and `upsert` (a row matching a live account by
// platform + 账号ID updates it; docs/规则依据.md#分级备案 decides what needs a filing).
import type { Db } from "../db/client";
import {
  accountsByPlatformIds,
  accountsWithOpenFiling,
  accountsWithoutPlatformId,
  insertAccounts,
  updateAccountFields,
  type AccountRow,
} from "../db/queries/accounts";
import { submitFiling } from "./filings";
import { orgsInSubtree, type OrgRow } from "../db/queries/org-tree";
import {
  HEADER_SCAN_ROWS,
  isHttpUrl,
  mapLedgerHeader,
  MAX_LEDGER_ROWS,
  missingLedgerColumns,
  parseLedgerRow,
  REQUIRED_LEDGER_COLUMNS,
  ledgerRowChanges,
  rowSaysEnded,
  type ImportMode,
  type DirectField,
  type ImportColumn,
  type LedgerRow,
  type RowError,
} from "../domain/ledger";
import { ACCOUNT_CHANGE_LABELS, ACCOUNT_STATUS_LABELS, checkFiling, isLive, TransitionError, type AccountChanges } from "../domain/lifecycle";
import { parsePlatform, PLATFORM_LABELS } from "../domain/platforms";
import { shanghaiDate } from "../domain/weeks";
import { findHeaderRow } from "../export/sampling-list";
import { badRequest } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor, SheetRows } from "../lib/types";

export interface ImportResult {
  dryRun: boolean;
  mode: ImportMode;
  total: number;
  valid: number;
  /** Accounts created (the same as `created`; kept from before the upsert mode). */
  imported: number;
  created: number;
  /** Matched accounts whose record-keeping fields were (or, in a dry run, would be) changed. */
  updated: number;
  /** Matched accounts the row changes nothing on (and ended accounts the row says have ended). */
  unchanged: number;
  /** `change` filings submitted for what needs one (unit, name, type, opening date); filingId null in a dry run. */
  filed: { row: number; accountId: string; filingId: string | null; changes: AccountChanges }[];
  /** Fields applied directly, per matched account. */
  updates: { row: number; accountId: string; fields: DirectField[] }[];
  errors: RowError[];
  /** Header cells not read (序号, 备注, 风险提示 …), once each; absent when every column was read. */
  ignoredColumns?: string[];
}

/** Columns where a hyperlink cell is read as its target (its display text is often 微博主页). */
const URL_COLUMNS: ReadonlySet<ImportColumn> = new Set(["链接", "订阅地址"]);

/**
 * The header row (below any title rows, within the first rows) and the data rows below it as records
 * keyed by the import's columns, with the sheet's own row numbers.
 */
function ledgerRecords(table: SheetRows) {
  const h = findHeaderRow(table, (r) => missingLedgerColumns(r).length === 0, HEADER_SCAN_ROWS);
  if (h < 0) {
    // Name what is missing from the row that comes closest (the first non-empty one on a tie).
    const scanned = table.slice(0, HEADER_SCAN_ROWS);
    let best = scanned.findIndex((r) => r.some((c) => c.trim() !== ""));
    for (let i = 0; i < scanned.length; i++) {
      if (best >= 0 && missingLedgerColumns(scanned[i]!).length < missingLedgerColumns(scanned[best]!).length) best = i;
    }
    const missing = best >= 0 ? missingLedgerColumns(scanned[best]!) : [...REQUIRED_LEDGER_COLUMNS];
    const row = best >= 0 ? best + 1 : 1;
    throw badRequest(
      `表头缺少必填列：${missing.join("、")}（表头行应含：账号名称、平台（或平台类型）、主办单位，可选账号ID、链接、开设日期、负责人、联系电话、认证主体等）`,
      [{ row, message: `缺少列 ${missing.join("、")}` }],
    );
  }
  const { columns, ignored } = mapLedgerHeader(table[h]!);
  const links = new Map((table.links ?? []).map((l) => [`${l.row}:${l.col}`, l.target]));
  const records: { row: number; cells: Record<string, string> }[] = [];
  for (let i = h + 1; i < table.length; i++) {
    const r = table[i] ?? [];
    const row = i + 1;
    const cells: Record<string, string> = {};
    columns.forEach((col, j) => {
      if (!col) return;
      // Undo the export's formula guard (a leading ' before = + - @), so an exported file reads back as written.
      let text = (r[j] ?? "").replace(/^'(?=[=+\-@\t\r])/, "");
      const target = URL_COLUMNS.has(col) ? links.get(`${row}:${j + 1}`) : undefined;
      if (target && !isHttpUrl(text.trim())) text = target;
      cells[col] = text;
    });
    if (Object.values(cells).some((v) => v.trim() !== "")) records.push({ row, cells });
  }
  return { records, ignored };
}

/** How a row finds its account: platform + 账号ID, or (no 账号ID) platform + unit + name. */
const idKey = (platform: string, platformId: string) => `${platform}\u0000${platformId}`;
const nameKey = (platform: string, orgId: string, name: string) => `${platform}\u0000${orgId}\u0000${name}`;

function changeLabels(changes: AccountChanges): string {
  return (Object.keys(changes) as (keyof AccountChanges)[]).map((k) => ACCOUNT_CHANGE_LABELS[k]).join("、");
}

/**
 * Validates every row (reporting each bad one with its row number) and, only when the whole file is
 * clean and this is not a dry run, writes all rows in one transaction.
 * Created accounts are `active` with origin `import`: they existed before the registry did.
 * In `upsert` mode a row matching a live account the caller can see updates it instead: record-keeping
 * fields directly (audited), unit / name / type / opening date through one `change` filing per account.
 */
export async function importLedger(
  db: Db,
  actor: Actor,
  now: Date,
  { scope, table, dryRun, mode = "create" }: { scope: OrgRow; table: SheetRows; dryRun: boolean; mode?: ImportMode },
): Promise<ImportResult> {
  const { records, ignored } = ledgerRecords(table);
  if (records.length === 0) throw badRequest("文件中没有数据行");
  if (records.length > MAX_LEDGER_ROWS) throw badRequest(`一次最多导入 ${MAX_LEDGER_ROWS} 行，请拆分文件`);
  const upsert = mode === "upsert";

  const visibleOrgs = await orgsInSubtree(db, scope.path);
  const visibleOrgIds = new Set(visibleOrgs.map((o) => o.id));
  const orgsByName = new Map<string, OrgRow[]>();
  for (const o of visibleOrgs) orgsByName.set(o.name, [...(orgsByName.get(o.name) ?? []), o]);

  // Platform ids already held by live accounts anywhere (docs/规则依据.md#台账风险提示: one live
  // account per platform id). Checked for every row whose platform and id can be read, whatever else
  // is wrong with it, so duplicates come with the other errors in one answer.
  const keyOf = (r: { cells: Record<string, string> }) => {
    const platform = parsePlatform(r.cells["平台"] ?? "");
    const platformId = (r.cells["账号ID"] ?? "").trim();
    return platform && platformId ? { platform, platformId, key: idKey(platform, platformId) } : undefined;
  };
  const holders = await accountsByPlatformIds(
    db,
    [...new Set(records.map((r) => keyOf(r)?.platformId).filter((p): p is string => !!p))],
  );
  // Live holders by id key; ended accounts the caller can see (closed, merged …) by id or name key.
  const live = new Map<string, AccountRow>();
  const ended = new Map<string, AccountRow>();
  for (const a of holders) {
    // A voided registration never existed as far as the ledger goes: not a holder, not an ended account.
    if (a.status === "voided") continue;
    const k = idKey(a.platform, a.platformId!);
    if (isLive(a.status)) live.set(k, a);
    else if (visibleOrgIds.has(a.orgId)) ended.set(k, a);
  }
  // Upsert: an account without a 账号ID is matched by platform, unit and name (exactly one), so
  // re-importing an export does not register it twice.
  const nameMatches = new Map<string, AccountRow[]>();
  if (upsert) {
    for (const a of await accountsWithoutPlatformId(db, [...visibleOrgIds])) {
      if (a.status === "voided") continue;
      const k = nameKey(a.platform, a.orgId, a.name);
      if (!isLive(a.status)) ended.set(k, a);
      else nameMatches.set(k, [...(nameMatches.get(k) ?? []), a]);
    }
  }

  const today = shanghaiDate(now);
  const errors: RowError[] = [];
  const clean: { row: number; value: LedgerRow; org: OrgRow }[] = [];
  const matched: { row: number; account: AccountRow; value: LedgerRow; org: OrgRow }[] = [];
  let endedRows = 0;
  const seen = new Map<string, number>();
  const seenAccounts = new Map<string, number>();
  for (const r of records) {
    const parsed = parseLedgerRow(r.cells, r.row, today);
    let ok = parsed.errors.length === 0;
    errors.push(...parsed.errors);
    const k = keyOf(r);
    let match: AccountRow | undefined;
    if (k) {
      const first = seen.get(k.key);
      if (first !== undefined) {
        errors.push({ row: r.row, column: "账号ID", message: `与第${first}行的${PLATFORM_LABELS[k.platform]}账号ID重复` });
        ok = false;
      } else {
        seen.set(k.key, r.row);
        const holder = live.get(k.key);
        if (holder && !upsert) {
          errors.push({ row: r.row, column: "账号ID", message: `${PLATFORM_LABELS[k.platform]}账号ID“${k.platformId}”已被在用账号登记` });
          ok = false;
        } else if (holder && !visibleOrgIds.has(holder.orgId)) {
          // Not the caller's to update; which unit holds it is not theirs to know either.
          errors.push({ row: r.row, column: "账号ID", message: `${PLATFORM_LABELS[k.platform]}账号ID“${k.platformId}”已被本单位范围以外的在用账号登记，不能更新` });
          ok = false;
        } else match = holder;
      }
    }
    const v = parsed.value;
    if (!v) continue;
    const candidates = orgsByName.get(v.orgName) ?? [];
    if (candidates.length !== 1) {
      errors.push({
        row: r.row,
        column: "主办单位",
        message:
          candidates.length === 0
            ? `主办单位“${v.orgName}”不存在或不在本单位范围内，请先在机构管理中添加`
            : `主办单位“${v.orgName}”有重名机构，无法确定是哪一个`,
      });
      continue;
    }
    const org = candidates[0]!;
    if (upsert && !k) {
      const same = nameMatches.get(nameKey(v.platform, org.id, v.name)) ?? [];
      if (same.length === 1) match = same[0];
    }
    if (!ok) continue;
    if (!upsert) {
      clean.push({ row: r.row, value: v, org });
      continue;
    }
    if (match) {
      const first = seenAccounts.get(match.id);
      if (first !== undefined) {
        errors.push({ row: r.row, column: "账号名称", message: `与第${first}行是同一个账号` });
        continue;
      }
      seenAccounts.set(match.id, r.row);
      matched.push({ row: r.row, account: match, value: v, org });
      continue;
    }
    if (rowSaysEnded(v)) {
      // The export lists closed and merged accounts too: those stay as they are, never re-created.
      const gone = ended.get(k ? k.key : nameKey(v.platform, org.id, v.name));
      if (gone) endedRows++;
      else {
        errors.push({
          row: r.row,
          column: "状态",
          message: `状态为“${ACCOUNT_STATUS_LABELS[v.status!]}”的账号在系统中找不到，不能作为新账号导入；如需登记，请把状态改为正常或留空`,
        });
      }
      continue;
    }
    clean.push({ row: r.row, value: v, org });
  }

  // Upsert: what each matched row changes, and whether what needs a filing can be filed now.
  const updates: ImportResult["updates"] = [];
  const filed: ImportResult["filed"] = [];
  const patches: { account: AccountRow; patch: Partial<Pick<AccountRow, DirectField>> }[] = [];
  const filings: { account: AccountRow; changes: AccountChanges }[] = [];
  let unchanged = endedRows;
  const withChanges = matched.map((m) => ({ ...m, ...ledgerRowChanges(m.account, m.value, m.org.id) }));
  const busy = await accountsWithOpenFiling(
    db,
    withChanges.filter((m) => Object.keys(m.filed).length > 0).map((m) => m.account.id),
  );
  for (const m of withChanges) {
    const fields = Object.keys(m.direct) as DirectField[];
    const toFile = Object.keys(m.filed).length > 0;
    if (toFile) {
      const what = changeLabels(m.filed);
      const column = m.filed.orgId ? "主办单位" : m.filed.name !== undefined ? "账号名称" : m.filed.accountType !== undefined ? "账号类型" : "开设日期";
      try {
        checkFiling(m.account, { kind: "change", changes: m.filed });
      } catch (e) {
        if (!(e instanceof TransitionError)) throw e;
        errors.push({ row: m.row, column, message: `${what}的变更须办理变更备案：${e.message}` });
        continue;
      }
      if (busy.has(m.account.id)) {
        errors.push({ row: m.row, column, message: `${what}的变更须办理变更备案，但该账号已有一份待审核的备案，请审核后再导入` });
        continue;
      }
    }
    if (fields.length > 0) {
      updates.push({ row: m.row, accountId: m.account.id, fields });
      patches.push({ account: m.account, patch: m.direct });
    }
    if (toFile) {
      filed.push({ row: m.row, accountId: m.account.id, filingId: null, changes: m.filed });
      filings.push({ account: m.account, changes: m.filed });
    }
    if (fields.length === 0 && !toFile) unchanged++;
  }
  errors.sort((a, b) => a.row - b.row);

  const result: ImportResult = {
    dryRun,
    mode,
    total: records.length,
    // Every row left out above has an error of its own.
    valid: records.length - new Set(errors.map((e) => e.row)).size,
    imported: 0,
    created: clean.length,
    updated: updates.length,
    unchanged,
    filed,
    updates,
    errors,
    ...(ignored.length > 0 ? { ignoredColumns: ignored } : {}),
  };
  if (dryRun || errors.length > 0) return result;

  const at = now;
  const rows: AccountRow[] = clean.map(({ value: v, org }) => ({
    id: newId(),
    orgId: org.id,
    platform: v.platform,
    accountType: v.accountType,
    operationMode: v.operationMode,
    operator: v.operator,
    name: v.name,
    platformId: v.platformId,
    url: v.url,
    feedUrl: v.feedUrl,
    openedOn: v.openedOn,
    contactPerson: v.contactPerson,
    contactPhone: v.contactPhone,
    verifiedOwner: v.verifiedOwner,
    status: "active",
    closingReason: null,
    mergedIntoId: null,
    origin: "import",
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  }));
  const submitted = await db.transaction(async (tx) => {
    await insertAccounts(tx, actor, at, rows, "account.import");
    for (const { account, patch } of patches) await updateAccountFields(tx, actor, at, account, patch, "account.import_update");
    const ids: string[] = [];
    for (const f of filings) ids.push((await submitFiling(tx, actor, at, f.account, { kind: "change", changes: f.changes })).id);
    return ids;
  });
  return {
    ...result,
    imported: rows.length,
    filed: filed.map((f, i) => ({ ...f, filingId: submitted[i] ?? null })),
  };
}
