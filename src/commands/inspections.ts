// Recording inspection results of a spot-check round, by hand or from the uploaded list (鹤政办〔2019〕20号第十二条，docs/规则依据.md#季度抽查比例与全年全覆盖).
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { accountById } from "../db/queries/accounts";
import { writeAudit } from "../db/queries/audit";
import { vetoedAt } from "../db/queries/dormancy";
import { policyResolver } from "../db/queries/monitoring";
import { loadOrgIndex } from "../db/queries/org-tree";
import { earlierFailures } from "../db/queries/reports";
import { roundItems, type RoundRow } from "../db/queries/sampling";
import { inspections } from "../db/schema";
import { applyRecheck, inspectionProblem, pickEarlierFailure, type EarlierFailure, type InspectionResult, type ProblemCategory } from "../domain/inspection";
import { shanghaiDate } from "../domain/weeks";
import { AppError, badRequest } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Actor } from "../lib/types";

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

/**
 * Whether the monitoring's two-week veto blocks a pass: the account was silent for vetoDays at the
 * inspection, and stale_2w is 单项否决 under the policy in force for its org (vetoProblems).
 */
export async function twoWeekVetoApplies(db: DbOrTx, accountId: string, inspectedOn: string, now: Date): Promise<boolean> {
  const account = await accountById(db, accountId);
  if (!account) return false;
  const policy = (await policyResolver(db, await loadOrgIndex(db)))(account.orgId, inspectedOn);
  if (!policy.vetoProblems.includes("stale_2w")) return false;
  return vetoedAt(db, accountId, inspectedOn, now);
}

/**
 * For an item drawn as a re-check (复查), the earlier failure it follows up; null for other items.
 * Until the draw produces recheck items, tests insert them directly.
 */
export async function recheckFailure(db: DbOrTx, round: RoundRow, accountId: string, reason: string, inspectedOn: string): Promise<EarlierFailure | null> {
  if (reason !== "recheck") return null;
  const earlier = await earlierFailures(db, [accountId], { year: round.year, quarter: round.quarter });
  return pickEarlierFailure(earlier.get(accountId) ?? [], inspectedOn);
}

/** Records (or replaces) the inspection of one sampled account; refuses a pass under veto without an override note. */
export async function recordInspection(
  tx: DbOrTx,
  actor: Actor,
  now: Date,
  { round, inspection }: { round: RoundRow; inspection: InspectionInput },
): Promise<InspectionRow> {
  let input = inspection;
  const items = await roundItems(tx, round.id);
  const item = items.find((i) => i.accountId === input.accountId);
  if (!item) throw badRequest("该账号不在本轮抽查名单中");
  const inspectedOn = input.inspectedOn ?? shanghaiDate(now);
  if (inspectedOn > shanghaiDate(now)) throw badRequest("检查日期不能晚于今天");
  if (input.deadline && input.deadline < inspectedOn) throw badRequest("整改期限不能早于检查日期");
  if (input.rectifiedAt && input.rectifiedAt < inspectedOn) throw badRequest("整改完成日期不能早于检查日期");
  const [before] = await tx
    .select()
    .from(inspections)
    .where(and(eq(inspections.roundId, round.id), eq(inspections.accountId, input.accountId)))
    .limit(1);
  // A re-recorded failure keeps the rectification recorded earlier: it must still follow the inspection.
  const keptRectification = input.result === "fail" ? (input.rectifiedAt ?? before?.rectifiedAt) : undefined;
  if (keptRectification && keptRectification < inspectedOn) throw badRequest("整改完成日期不能早于检查日期");
  if (input.rectifiedAt && input.rectifiedAt > shanghaiDate(now)) throw badRequest("整改完成日期不能晚于今天");
  // A re-check whose earlier failure is still 逾期未整改 is 不合格: pass refused, fail marked overdue_unrectified.
  const recheck = applyRecheck(input, await recheckFailure(tx, round, input.accountId, item.reason, inspectedOn), inspectedOn);
  if ("error" in recheck) throw badRequest(recheck.error, [{ path: "result", message: recheck.error }]);
  input = recheck.draft;
  // Only a pass can be refused under the two-week veto.
  const vetoed = input.result === "pass" && (await twoWeekVetoApplies(tx, input.accountId, inspectedOn, now));
  const problem = inspectionProblem(input, vetoed);
  if (problem) throw new AppError(vetoed && input.result === "pass" ? 409 : 400, vetoed && input.result === "pass" ? "veto_requires_override" : "validation_error", problem);
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
  await tx.insert(inspections).values(row).onConflictDoUpdate({ target: [inspections.roundId, inspections.accountId], set: row });
  const account = await accountById(tx, input.accountId);
  await writeAudit(tx, actor, now, {
    action: before ? "inspection.update" : "inspection.record",
    entity: "inspection",
    entityId: row.id,
    orgId: account?.orgId ?? round.governmentOrgId,
    before: before ?? null,
    after: row,
  });
  return row;
}
