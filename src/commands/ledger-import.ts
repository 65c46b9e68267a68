// Ledger import (台账导入): every row checked, and all rows imported in one transaction or none.
import type { Db } from "../db/client";
import { insertAccounts, livePlatformIdKeys, type AccountRow } from "../db/queries/accounts";
import { orgsInSubtree, type OrgRow } from "../db/queries/org-tree";
import {
  HEADER_SCAN_ROWS,
  isHttpUrl,
  mapLedgerHeader,
  MAX_LEDGER_ROWS,
  missingLedgerColumns,
  parseLedgerRow,
  REQUIRED_LEDGER_COLUMNS,
  type ImportColumn,
  type LedgerRow,
  type RowError,
} from "../domain/ledger";
import { parsePlatform, PLATFORM_LABELS } from "../domain/platforms";
import { shanghaiDate } from "../domain/weeks";
import { findHeaderRow } from "../export/sampling-list";
import { badRequest } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor, SheetRows } from "../lib/types";

export interface ImportResult {
  dryRun: boolean;
  total: number;
  valid: number;
  imported: number;
  errors: RowError[];
  /** Header cells not read (序号, 运维方式, 备注 …), once each; absent when every column was read. */
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
      let text = r[j] ?? "";
      const target = URL_COLUMNS.has(col) ? links.get(`${row}:${j + 1}`) : undefined;
      if (target && !isHttpUrl(text.trim())) text = target;
      cells[col] = text;
    });
    if (Object.values(cells).some((v) => v.trim() !== "")) records.push({ row, cells });
  }
  return { records, ignored };
}

/**
 * Validates every row (reporting each bad one with its row number) and, only when the whole file is
 * clean and this is not a dry run, imports all rows in one transaction.
 * Imported accounts are `active` with origin `import`: they existed before the registry did.
 */
export async function importLedger(
  db: Db,
  actor: Actor,
  now: Date,
  { scope, table, dryRun }: { scope: OrgRow; table: SheetRows; dryRun: boolean },
): Promise<ImportResult> {
  const { records, ignored } = ledgerRecords(table);
  if (records.length === 0) throw badRequest("文件中没有数据行");
  if (records.length > MAX_LEDGER_ROWS) throw badRequest(`一次最多导入 ${MAX_LEDGER_ROWS} 行，请拆分文件`);

  const visibleOrgs = await orgsInSubtree(db, scope.path);
  const orgsByName = new Map<string, OrgRow[]>();
  for (const o of visibleOrgs) orgsByName.set(o.name, [...(orgsByName.get(o.name) ?? []), o]);

  // Platform ids already held by live accounts anywhere (docs/规则依据.md#台账风险提示: one live
  // account per platform id). Checked for every row whose platform and id can be read, whatever else
  // is wrong with it, so duplicates come with the other errors in one answer.
  const keyOf = (r: { cells: Record<string, string> }) => {
    const platform = parsePlatform(r.cells["平台"] ?? "");
    const platformId = (r.cells["账号ID"] ?? "").trim();
    return platform && platformId ? { platform, platformId, key: `${platform}\u0000${platformId}` } : undefined;
  };
  const taken = await livePlatformIdKeys(
    db,
    [...new Set(records.map((r) => keyOf(r)?.platformId).filter((p): p is string => !!p))],
  );

  const today = shanghaiDate(now);
  const errors: RowError[] = [];
  const clean: { row: number; value: LedgerRow; org: OrgRow }[] = [];
  const seen = new Map<string, number>();
  for (const r of records) {
    const parsed = parseLedgerRow(r.cells, r.row, today);
    let ok = parsed.errors.length === 0;
    errors.push(...parsed.errors);
    const k = keyOf(r);
    if (k) {
      const first = seen.get(k.key);
      if (first !== undefined) {
        errors.push({ row: r.row, column: "账号ID", message: `与第${first}行的${PLATFORM_LABELS[k.platform]}账号ID重复` });
        ok = false;
      } else {
        seen.set(k.key, r.row);
        if (taken.has(k.key)) {
          errors.push({ row: r.row, column: "账号ID", message: `${PLATFORM_LABELS[k.platform]}账号ID“${k.platformId}”已被在用账号登记` });
          ok = false;
        }
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
    if (ok) clean.push({ row: r.row, value: v, org: candidates[0]! });
  }
  errors.sort((a, b) => a.row - b.row);

  const result: ImportResult = {
    dryRun,
    total: records.length,
    valid: clean.length,
    imported: 0,
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
    operationMode: null,
    operator: null,
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
  await db.transaction((tx) => insertAccounts(tx, actor, at, rows, "account.import"));
  return { ...result, imported: rows.length };
}
