// The registry as a downloadable ledger (台账导出): the columns the import takes, plus status and flags.
import { accountTypeLabel, EXPORT_COLUMNS, LEDGER_COLUMNS, statusLabel } from "../domain/ledger";
import { ACCOUNT_TYPE_LABELS, PLATFORM_LABELS } from "../domain/platforms";
import type { SheetOut } from "../lib/types";
import type { Flag } from "../domain/registry-checks";
import type { AccountRow } from "../db/queries/accounts";

/**
 * The registry as a ledger table (header + rows): every column the import reads, under the import's
 * own headers, plus flags — so the file re-imported unedited in upsert mode changes nothing.
 */
export function exportRows(list: readonly (AccountRow & { orgName: string; flags: Flag[] })[]): string[][] {
  return [
    [...EXPORT_COLUMNS],
    ...list.map((a) => [
      a.name,
      PLATFORM_LABELS[a.platform],
      a.platformId ?? "",
      a.orgName,
      a.url ?? "",
      a.feedUrl ?? "",
      a.openedOn ?? "",
      a.contactPerson ?? "",
      a.contactPhone ?? "",
      accountTypeLabel(a.accountType),
      a.verifiedOwner ?? "",
      a.operationMode ?? "",
      a.operator ?? "",
      statusLabel(a.status),
      a.flags.map((f) => f.message).join("；"),
    ]),
  ];
}

/** Drop-downs and dates of a ledger sheet whose header row is `header` (the import's column names). */
function ledgerColumns(header: readonly string[]): Pick<SheetOut, "headerRow" | "lists" | "dates"> {
  const column = (name: string) => header.indexOf(name) + 1;
  return {
    headerRow: 1,
    lists: [
      { column: column("平台"), values: Object.values(PLATFORM_LABELS) },
      { column: column("账号类型"), values: Object.values(ACCOUNT_TYPE_LABELS) },
    ],
    dates: [{ column: column("开设日期"), kind: "date" }],
  };
}

/**
 * The ledger export (exportRows) as a sheet people like to open: widths, frozen header, filters,
 * drop-downs for 平台 and 账号类型, 开设日期 as dates. Read back, a date cell is the same YYYY-MM-DD.
 */
export function ledgerSheet(table: string[][]): SheetOut {
  return { name: "台账", rows: table, ...ledgerColumns(table[0] ?? [...EXPORT_COLUMNS]) };
}

/**
 * The blank ledger to fill in (台账模板): the columns the import reads, one sample row under the
 * caller's own unit (so the template imports as it is), and drop-down lists for 平台 and 账号类型.
 */
export function importTemplate(unitName: string): SheetOut {
  const sample: Record<string, string> = {
    账号名称: `${unitName}发布`,
    平台: PLATFORM_LABELS.wechat,
    账号ID: "gh_0123456789ab",
    主办单位: unitName,
    开设日期: "2020-01-01",
    账号类型: ACCOUNT_TYPE_LABELS.subscription,
    运维方式: "自行运维",
  };
  const header = [...LEDGER_COLUMNS];
  return { name: "台账", rows: [header, header.map((h) => sample[h] ?? "")], ...ledgerColumns(header) };
}
