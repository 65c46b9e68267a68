// The filled-in spot-check list read back (上传检查结果): one inspection per row with a 检查结果,
// every bad row reported with its spreadsheet row number.
import { recheckFailure, twoWeekVetoApplies, type InspectionInput } from "../commands/inspections";
import type { DbOrTx } from "../db/client";
import { accountNames } from "../db/queries/accounts";
import { roundItems, type RoundRow } from "../db/queries/sampling";
import { applyRecheck, inspectionProblem, parseProblemList, parseResult, PROBLEM_LABELS } from "../domain/inspection";
import { parseLedgerDate, type RowError } from "../domain/ledger";
import { shanghaiDate } from "../domain/weeks";
import { neutraliseCell } from "../lib/csv";
import { badRequest } from "../lib/errors";
import { findHeaderRow } from "./sampling-list";

/**
 * Reads a filled-in list back: rows with a 检查结果 become inspections; every bad row is reported
 * with its spreadsheet row number and nothing is recorded unless the whole file is clean.
 */
export async function parseInspectionUpload(db: DbOrTx, round: RoundRow, table: string[][], now: Date) {
  const h = findHeaderRow(table);
  if (h < 0) throw badRequest("找不到表头行（第一列为“序号”、含“账号名称”），请上传从本系统导出的抽查名单");
  const header = table[h]!.map((c) => c.trim());
  const col = (name: string) => header.indexOf(name);
  for (const name of ["序号", "账号名称", "检查结果", "问题类型"]) {
    if (col(name) < 0) throw badRequest(`表头缺少列：${name}`);
  }
  const items = await roundItems(db, round.id);
  const byPosition = new Map(items.map((i) => [i.position, i]));
  const ids = items.map((i) => i.accountId);
  const names = await accountNames(db, ids);
  const errors: RowError[] = [];
  const inputs: (InspectionInput & { row: number })[] = [];
  const cell = (r: string[], name: string) => (col(name) >= 0 ? (r[col(name)] ?? "").trim() : "");
  for (let i = h + 1; i < table.length; i++) {
    const r = table[i]!;
    const row = i + 1;
    if (r.every((c) => !c?.trim())) continue;
    const err = (column: string, message: string) => errors.push({ row, column, message });
    const position = Number(cell(r, "序号"));
    const item = Number.isInteger(position) ? byPosition.get(position) : undefined;
    if (!item) {
      err("序号", `序号“${cell(r, "序号")}”不在本轮抽查名单中`);
      continue;
    }
    const name = cell(r, "账号名称");
    const expected = names.get(item.accountId) ?? "";
    // The export neutralised formula-like names with a leading apostrophe: accept them back.
    if (name !== expected && name !== neutraliseCell(expected)) {
      err("账号名称", `第${position}号应为“${expected}”，表中为“${name}”：请勿改动名单`);
      continue;
    }
    const resultText = cell(r, "检查结果");
    if (!resultText) continue; // not inspected yet
    const result = parseResult(resultText);
    if (!result) {
      err("检查结果", `检查结果应为“合格”或“不合格”，表中为“${resultText}”`);
      continue;
    }
    const { categories, unknown } = parseProblemList(cell(r, "问题类型"));
    if (unknown.length > 0) {
      err("问题类型", `无法识别的问题类型：${unknown.join("、")}；可选：${Object.values(PROBLEM_LABELS).join("、")}`);
      continue;
    }
    const dateText = cell(r, "检查日期");
    const inspectedOn = dateText ? parseLedgerDate(dateText) : shanghaiDate(now);
    if (!inspectedOn) {
      err("检查日期", `无法识别的日期“${dateText}”`);
      continue;
    }
    const deadlineText = cell(r, "整改期限");
    const deadline = deadlineText ? parseLedgerDate(deadlineText) : undefined;
    if (deadlineText && !deadline) {
      err("整改期限", `无法识别的日期“${deadlineText}”`);
      continue;
    }
    if (deadline && deadline < inspectedOn) {
      err("整改期限", "整改期限不能早于检查日期");
      continue;
    }
    if (inspectedOn > shanghaiDate(now)) {
      err("检查日期", "检查日期不能晚于今天");
      continue;
    }
    const given: InspectionInput = {
      accountId: item.accountId,
      result,
      problems: categories,
      deadline: deadline ?? null,
      requirement: cell(r, "整改要求") || null,
      inspector: cell(r, "检查人") || null,
      inspectedOn,
    };
    // A re-check still 逾期未整改 is 不合格 (as recordInspection decides): say so on the row.
    const recheck = applyRecheck(given, await recheckFailure(db, round, item.accountId, item.reason, inspectedOn), inspectedOn);
    if ("error" in recheck) {
      err("检查结果", recheck.error);
      continue;
    }
    const draft = recheck.draft;
    const vetoed = result === "pass" ? await twoWeekVetoApplies(db, item.accountId, inspectedOn, now) : false;
    const problem = inspectionProblem(draft, vetoed);
    if (problem) {
      err("检查结果", vetoed ? `${problem.replace(/（overrideNote）/, "")}：请在系统中逐条登记并填写说明` : problem);
      continue;
    }
    inputs.push({ ...draft, row });
  }
  return { inputs, errors };
}
