// The registry as a downloadable ledger (台账导出): the columns the import takes, plus status and flags.
import { accountTypeLabel, EXPORT_COLUMNS, statusLabel } from "../domain/ledger";
import { PLATFORM_LABELS } from "../domain/platforms";
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
