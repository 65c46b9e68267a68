// Ledger import (台账导入): every row checked, and all rows imported in one transaction or none.
import type { Db } from "../db/client";
import { insertAccounts, livePlatformIdKeys, type AccountRow } from "../db/queries/accounts";
import { orgsInSubtree, type OrgRow } from "../db/queries/org-tree";
import { MAX_LEDGER_ROWS, parseLedgerRow, REQUIRED_LEDGER_COLUMNS, type LedgerRow, type RowError } from "../domain/ledger";
import { PLATFORM_LABELS } from "../domain/platforms";
import { shanghaiDate } from "../domain/weeks";
import { toRecords } from "../lib/csv";
import { badRequest } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor } from "../lib/types";

export interface ImportResult {
  dryRun: boolean;
  total: number;
  valid: number;
  imported: number;
  errors: RowError[];
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
  { scope, table, dryRun }: { scope: OrgRow; table: string[][]; dryRun: boolean },
): Promise<ImportResult> {
  const { header, records } = toRecords(table);
  const missing = REQUIRED_LEDGER_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw badRequest(`表头缺少必填列：${missing.join("、")}（第1行应为：账号名称, 平台, 账号ID, 主办单位, …）`, [
      { row: 1, message: `缺少列 ${missing.join("、")}` },
    ]);
  }
  if (records.length === 0) throw badRequest("文件中没有数据行");
  if (records.length > MAX_LEDGER_ROWS) throw badRequest(`一次最多导入 ${MAX_LEDGER_ROWS} 行，请拆分文件`);

  const visibleOrgs = await orgsInSubtree(db, scope.path);
  const orgsByName = new Map<string, OrgRow[]>();
  for (const o of visibleOrgs) orgsByName.set(o.name, [...(orgsByName.get(o.name) ?? []), o]);

  const today = shanghaiDate(now);
  const errors: RowError[] = [];
  const valid: { row: number; value: LedgerRow; org: OrgRow }[] = [];
  const seen = new Map<string, number>();
  for (const r of records) {
    const parsed = parseLedgerRow(r.cells, r.row, today);
    errors.push(...parsed.errors);
    if (!parsed.value) continue;
    const v = parsed.value;
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
    if (v.platformId) {
      const key = `${v.platform}\u0000${v.platformId}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push({ row: r.row, column: "账号ID", message: `与第${first}行的${PLATFORM_LABELS[v.platform]}账号ID重复` });
        continue;
      }
      seen.set(key, r.row);
    }
    valid.push({ row: r.row, value: v, org: candidates[0]! });
  }

  // Platform ids already held by live accounts anywhere (docs/规则依据.md#台账风险提示: one live account per platform id).
  const ids = valid.map((v) => v.value.platformId).filter((p): p is string => !!p);
  const taken = await livePlatformIdKeys(db, ids);
  const clean = valid.filter((v) => {
    if (v.value.platformId && taken.has(`${v.value.platform}\u0000${v.value.platformId}`)) {
      errors.push({ row: v.row, column: "账号ID", message: `${PLATFORM_LABELS[v.value.platform]}账号ID“${v.value.platformId}”已被在用账号登记` });
      return false;
    }
    return true;
  });
  errors.sort((a, b) => a.row - b.row);

  const result: ImportResult = { dryRun, total: records.length, valid: clean.length, imported: 0, errors };
  if (dryRun || errors.length > 0) return result;

  const at = now;
  const rows: AccountRow[] = clean.map(({ value: v, org }) => ({
    id: newId(),
    orgId: org.id,
    platform: v.platform,
    accountType: v.accountType,
    name: v.name,
    platformId: v.platformId,
    url: v.url,
    feedUrl: v.feedUrl,
    openedOn: v.openedOn,
    contactPerson: v.contactPerson,
    contactPhone: v.contactPhone,
    verifiedOwner: null,
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
