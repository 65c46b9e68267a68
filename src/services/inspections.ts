// Recording inspection results: by hand through the API, or by uploading the filled-in list.
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { accounts, feedState, inspections } from "../db/schema";
import { assessDormancy } from "../domain/dormancy";
import {
  inspectionProblem,
  parseProblemList,
  parseResult,
  PROBLEM_LABELS,
  type InspectionResult,
  type ProblemCategory,
} from "../domain/inspection";
import type { RowError } from "../domain/ledger";
import { parseLedgerDate } from "../domain/ledger";
import { shanghaiDate, shanghaiMidnight } from "../domain/weeks";
import { writeAudit } from "../lib/audit";
import { AppError, badRequest } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor } from "../lib/types";
import { activePeriods, policyResolver } from "./monitoring-context";
import { loadOrgIndex } from "./org-tree";
import { lastPostTimes } from "./posts";
import { roundItems, type RoundRow } from "./sampling";
import { findHeaderRow } from "./sampling-export";
import { neutraliseCell } from "../lib/csv";
import { FEED_FAILING_AFTER } from "./assess";

export type InspectionRow = typeof inspections.$inferSelect;

export interface InspectionInput {
  accountId: string;
  result: InspectionResult;
  problems: ProblemCategory[];
  notes?: string | null;
  requirement?: string | null;
  deadline?: string | null;
  rectifiedAt?: string | null;
  inspector?: string | null;
  inspectedOn?: string | null;
  overrideNote?: string | null;
}

/** Whether the account had the two-week veto at the end of the inspection day (or now, if earlier). */
export async function vetoedAt(db: DbOrTx, accountId: string, inspectedOn: string, now: Date): Promise<boolean> {
  const endOfDay = new Date(shanghaiMidnight(inspectedOn).getTime() + 86_400_000);
  const at = endOfDay < now ? endOfDay : now;
  const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
  if (!account) return false;
  const [last, periods, [state], index] = await Promise.all([
    lastPostTimes(db, [accountId], at),
    activePeriods(db, [accountId]),
    db.select().from(feedState).where(eq(feedState.accountId, accountId)).limit(1),
    loadOrgIndex(db),
  ]);
  const lastPostAt = last.get(accountId) ?? null;
  // Same rule as the alerts: no verdict without readable data (a failing feed is not "dormant").
  const feedReadable = !!state && state.feedUrl === account.feedUrl && state.lastSuccessAt !== null && state.consecutiveFailures < FEED_FAILING_AFTER;
  const noData = account.feedUrl ? !feedReadable : lastPostAt === null;
  const policy = (await policyResolver(db, index))(account.orgId, shanghaiDate(at));
  return assessDormancy({
    now: at,
    lastPostAt,
    liveSince: periods.get(accountId)?.at(-1)?.from ?? new Date(account.createdAt),
    feedFailing: noData,
    recentWeeks: [],
    policy,
    platform: account.platform,
  }).veto;
}

/** Records (or replaces) the inspection of one sampled account; refuses a pass under veto without an override note. */
export async function recordInspection(db: DbOrTx, actor: Actor, round: RoundRow, input: InspectionInput, now: Date) {
  const items = await roundItems(db, round.id);
  if (!items.some((i) => i.accountId === input.accountId)) throw badRequest("该账号不在本轮抽查名单中");
  const inspectedOn = input.inspectedOn ?? shanghaiDate(now);
  if (inspectedOn > shanghaiDate(now)) throw badRequest("检查日期不能晚于今天");
  if (input.deadline && input.deadline < inspectedOn) throw badRequest("整改期限不能早于检查日期");
  if (input.rectifiedAt && input.rectifiedAt < inspectedOn) throw badRequest("整改完成日期不能早于检查日期");
  if (input.rectifiedAt && input.rectifiedAt > shanghaiDate(now)) throw badRequest("整改完成日期不能晚于今天");
  const vetoed = await vetoedAt(db, input.accountId, inspectedOn, now);
  const problem = inspectionProblem(input, vetoed);
  if (problem) throw new AppError(vetoed && input.result === "pass" ? 409 : 400, vetoed && input.result === "pass" ? "veto_requires_override" : "validation_error", problem);
  const [before] = await db
    .select()
    .from(inspections)
    .where(and(eq(inspections.roundId, round.id), eq(inspections.accountId, input.accountId)))
    .limit(1);
  const at = now.toISOString();
  const row: InspectionRow = {
    id: before?.id ?? newId(),
    roundId: round.id,
    accountId: input.accountId,
    result: input.result,
    problems: [...input.problems],
    notes: input.notes ?? null,
    requirement: input.requirement ?? null,
    deadline: input.deadline ?? null,
    // A pass needs no rectification; a fail keeps what was recorded unless given anew.
    rectifiedAt: input.result === "pass" ? null : (input.rectifiedAt ?? before?.rectifiedAt ?? null),
    rectificationNote: input.result === "pass" ? null : (before?.rectificationNote ?? null),
    inspector: input.inspector ?? null,
    inspectedOn,
    overrideNote: input.overrideNote ?? null,
    recordedBy: actor.tokenId,
    recordedAt: before?.recordedAt ?? at,
    updatedAt: at,
  };
  await db.insert(inspections).values(row).onConflictDoUpdate({ target: [inspections.roundId, inspections.accountId], set: row });
  const [acc] = await db.select({ orgId: accounts.orgId }).from(accounts).where(eq(accounts.id, input.accountId));
  await writeAudit(db, actor, now, {
    action: before ? "inspection.update" : "inspection.record",
    entity: "inspection",
    entityId: row.id,
    orgId: acc?.orgId ?? round.governmentOrgId,
    before: before ?? null,
    after: row,
  });
  return row;
}

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
  const names = new Map(
    ids.length ? (await db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, ids))).map((a) => [a.id, a.name]) : [],
  );
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
    const draft: InspectionInput = {
      accountId: item.accountId,
      result,
      problems: categories,
      deadline: deadline ?? null,
      requirement: cell(r, "整改要求") || null,
      inspector: cell(r, "检查人") || null,
      inspectedOn,
    };
    const vetoed = result === "pass" ? await vetoedAt(db, item.accountId, inspectedOn, now) : false;
    const problem = inspectionProblem(draft, vetoed);
    if (problem) {
      err("检查结果", vetoed ? `${problem.replace(/（overrideNote）/, "")}：请在系统中逐条登记并填写说明` : problem);
      continue;
    }
    inputs.push({ ...draft, row });
  }
  return { inputs, errors };
}
