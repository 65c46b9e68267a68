import { and, inArray } from "drizzle-orm";
import { accounts, orgs } from "../db/schema";
import { LIVE_STATUSES } from "../domain/lifecycle";
import { parseLedgerRow, REQUIRED_LEDGER_COLUMNS, type LedgerRow, type RowError } from "../domain/ledger";
import { PLATFORM_LABELS } from "../domain/platforms";
import { shanghaiDate } from "../domain/weeks";
import { CsvError, CsvLimitError, decodeCsvBytes, parseCsv, toRecords } from "../lib/csv";
import { AppError, badRequest } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor, AppDeps, SpreadsheetCodec } from "../lib/types";
import { insertAccounts, type AccountRow } from "./accounts";
import { inSubtree, type OrgRow } from "./org-tree";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_LEDGER_ROWS = 20000;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The uploaded table as rows of cells: raw CSV/XLSX body, or the `file` field of a multipart form. */
export async function readUpload(req: Request, spreadsheet: SpreadsheetCodec | undefined): Promise<string[][]> {
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_UPLOAD_BYTES) throw new AppError(413, "too_large", "文件超过 10 MB，请拆分后上传");
  const type = req.headers.get("content-type") ?? "";
  let bytes: Uint8Array;
  let name = "";
  if (type.startsWith("multipart/form-data")) {
    const form = await req.formData().catch(() => {
      throw badRequest("无法读取上传的表单");
    });
    const file = form.get("file");
    if (!file || typeof file === "string") throw badRequest("请在表单的 file 字段上传 CSV 或 XLSX 文件");
    name = file.name.toLowerCase();
    bytes = new Uint8Array(await file.arrayBuffer());
  } else {
    bytes = new Uint8Array(await req.arrayBuffer());
  }
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new AppError(413, "too_large", "文件超过 10 MB，请拆分后上传");
  if (bytes.byteLength === 0) throw badRequest("上传的文件是空的");

  if (isZip(bytes) || type.startsWith(XLSX_TYPE) || name.endsWith(".xlsx")) {
    if (!spreadsheet) throw new AppError(501, "not_available", "此部署不支持 XLSX，请另存为 CSV 后上传");
    try {
      return await spreadsheet.readRows(bytes);
    } catch (e) {
      // Size limits and specific faults found while reading keep their own status and message.
      if (e instanceof AppError) throw e;
      throw badRequest("无法读取 XLSX 文件：文件已损坏或不是 Excel 2007 及以上格式（.xlsx）");
    }
  }
  if (name.endsWith(".xls")) throw badRequest("不支持旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 或 CSV");
  try {
    return parseCsv(decodeCsvBytes(bytes));
  } catch (e) {
    if (e instanceof CsvLimitError) throw new AppError(413, "too_large", e.message, [{ row: e.row, message: e.message }]);
    if (e instanceof CsvError) throw badRequest(`CSV 格式有误：${e.message}`, [{ row: e.row, message: e.message }]);
    throw e;
  }
}

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
  deps: AppDeps,
  actor: Actor,
  scope: OrgRow,
  table: string[][],
  dryRun: boolean,
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

  const { db, now } = deps;
  const visibleOrgs = await db.select().from(orgs).where(inSubtree({ orgPath: scope.path }));
  const orgsByName = new Map<string, OrgRow[]>();
  for (const o of visibleOrgs) orgsByName.set(o.name, [...(orgsByName.get(o.name) ?? []), o]);

  const today = shanghaiDate(now());
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

  // Platform ids already held by live accounts anywhere (SPEC §2: one live account per platform id).
  const ids = valid.map((v) => v.value.platformId).filter((p): p is string => !!p);
  const taken = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .select({ platform: accounts.platform, platformId: accounts.platformId })
      .from(accounts)
      .where(and(inArray(accounts.platformId, ids.slice(i, i + 500)), inArray(accounts.status, [...LIVE_STATUSES])));
    for (const t of rows) taken.add(`${t.platform}\u0000${t.platformId}`);
  }
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

  const at = now();
  const rows: AccountRow[] = clean.map(({ value: v, org }) => ({
    id: newId(),
    orgId: org.id,
    platform: v.platform,
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
