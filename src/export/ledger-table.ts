// The registry as a downloadable ledger (台账导出): the columns the import takes, plus status and flags.
import { accountTypeLabel, EXPORT_COLUMNS, IMPORT_COLUMNS, statusLabel } from "../domain/ledger";
import { ACCOUNT_TYPE_LABELS, PLATFORM_LABELS } from "../domain/platforms";
import type { SheetOut } from "../lib/types";
import type { Flag } from "../domain/registry-checks";
import type { AccountRow } from "../db/queries/accounts";

/** The registry as a ledger table (header + rows), the same columns the import takes plus status and flags. */
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
      statusLabel(a.status),
      a.flags.map((f) => f.message).join("；"),
    ]),
  ];
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
  };
  const header = [...IMPORT_COLUMNS];
  return {
    name: "台账",
    rows: [header, header.map((h) => sample[h] ?? "")],
    lists: [
      { column: header.indexOf("平台") + 1, values: Object.values(PLATFORM_LABELS) },
      { column: header.indexOf("账号类型") + 1, values: Object.values(ACCOUNT_TYPE_LABELS) },
    ],
  };
}
