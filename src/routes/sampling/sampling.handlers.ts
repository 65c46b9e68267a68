import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, like, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { accounts, inspections, orgs, samplingRounds } from "../../db/schema";
import { canDrawSamplingRound, canRecordInspection, canRecordRectification } from "../../domain/access";
import { SAMPLE_REASON_LABELS } from "../../domain/sampling";
import { shanghaiDate } from "../../domain/weeks";
import { writeAudit } from "../../db/queries/audit";
import { toCsv } from "../../lib/csv";
import { AppError, badRequest, conflict, forbidden, importInvalid, notFound } from "../../lib/errors";
import type { Actor, AppEnv } from "../../lib/types";
import { recordInspection as record } from "../../commands/inspections";
import { parseInspectionUpload } from "../../export/inspection-upload";
import { readUpload } from "../../export/upload";
import { inSubtree, loadOrgIndex, visibleOrg, type OrgRow } from "../../db/queries/org-tree";
import { createRound as create } from "../../commands/sampling";
import { roundItems, verifyRound as verify, type RoundRow } from "../../db/queries/sampling";
import { roundSheet, roundTable } from "../../export/sampling-list";
import { contentDisposition } from "../../lib/content-disposition";
import type * as routes from "./sampling.routes";

/** Supervisors of the unit or of a government above it run its rounds and record its inspections. */
async function ensureSupervisorOver(db: DbOrTx, actor: Actor, unit: OrgRow, may: typeof canDrawSamplingRound) {
  if (!may(actor, unit, await loadOrgIndex(db))) {
    throw forbidden("只有该政府或其上级政府的主管单位可以组织抽查和登记结果");
  }
}

async function visibleRound(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await db
    .select({ round: samplingRounds, unit: orgs })
    .from(samplingRounds)
    .innerJoin(orgs, eq(orgs.id, samplingRounds.governmentOrgId))
    .where(and(eq(samplingRounds.id, id), inSubtree(actor)))
    .limit(1);
  if (!row) throw notFound("抽查轮次");
  return row;
}

async function present(db: DbOrTx, round: RoundRow, unitName: string) {
  const items = await roundItems(db, round.id);
  const ids = items.map((i) => i.accountId);
  const [info, done] = ids.length
    ? await Promise.all([
        db.select({ a: accounts, orgName: orgs.name }).from(accounts).innerJoin(orgs, eq(orgs.id, accounts.orgId)).where(inArray(accounts.id, ids)),
        db.select().from(inspections).where(eq(inspections.roundId, round.id)),
      ])
    : [[], []];
  const byId = new Map(info.map((r) => [r.a.id, r]));
  const insp = new Map(done.map((d) => [d.accountId, d]));
  const { population, ...rest } = round;
  return {
    ...rest,
    governmentName: unitName,
    population: round.populationSize,
    carriedOver: population.filter((m) => m.carriedOver).length,
    rechecks: population.filter((m) => m.recheck === true).length,
    items: items.map((i) => {
      const r = byId.get(i.accountId)!;
      const d = insp.get(i.accountId);
      return {
        position: i.position,
        accountId: i.accountId,
        accountName: r.a.name,
        platform: r.a.platform,
        orgId: r.a.orgId,
        orgName: r.orgName,
        reason: i.reason,
        reasonLabel: SAMPLE_REASON_LABELS[i.reason],
        inspection: d ? { id: d.id, result: d.result, problems: d.problems, deadline: d.deadline, rectifiedAt: d.rectifiedAt } : null,
      };
    }),
  };
}

export const createRound: RouteHandler<typeof routes.createRound, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  const unit = await visibleOrg(db, actor, body.governmentOrgId, "抽查单位");
  await ensureSupervisorOver(db, actor, unit, canDrawSamplingRound);
  const { round, created } = await db.transaction((tx) =>
    create(tx, actor, now(), { unit, year: body.year, quarter: body.quarter as 1 | 2 | 3 | 4, scope: body.scope, randomBytes: crypto.getRandomValues(new Uint8Array(16)) }),
  );
  return c.json(await present(db, round, unit.name), created ? 201 : 200);
};

export const listRounds: RouteHandler<typeof routes.listRounds, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  const where: SQL[] = [inSubtree(actor)];
  if (q.governmentOrgId) where.push(like(orgs.path, `${(await visibleOrg(db, actor, q.governmentOrgId)).path}%`));
  if (q.year) where.push(eq(samplingRounds.year, q.year));
  if (q.quarter) where.push(eq(samplingRounds.quarter, q.quarter));
  if (q.scope) where.push(eq(samplingRounds.scope, q.scope));
  const cond = and(...where);
  const rows = await db
    .select({ round: samplingRounds, unitName: orgs.name })
    .from(samplingRounds)
    .innerJoin(orgs, eq(orgs.id, samplingRounds.governmentOrgId))
    .where(cond)
    .orderBy(desc(samplingRounds.year), desc(samplingRounds.quarter), asc(orgs.path))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(samplingRounds).innerJoin(orgs, eq(orgs.id, samplingRounds.governmentOrgId)).where(cond);
  return c.json({ items: await Promise.all(rows.map((r) => present(db, r.round, r.unitName))), total: total?.n ?? 0 }, 200);
};

export const getRound: RouteHandler<typeof routes.getRound, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const { round, unit } = await visibleRound(db, c.get("actor"), c.req.valid("param").id);
  return c.json(await present(db, round, unit.name), 200);
};

export const verifyRound: RouteHandler<typeof routes.verifyRound, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const { round } = await visibleRound(db, c.get("actor"), c.req.valid("param").id);
  // The inputs go with the answer, so anyone can recompute the list with the published algorithm.
  const inputs = { population: round.population, rate: round.rate, quarter: round.quarter, seed: round.seed, scope: round.scope };
  return c.json({ ...(await verify(db, round)), inputs }, 200);
};

export const exportCsv: RouteHandler<typeof routes.exportCsv, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const { round, unit } = await visibleRound(db, c.get("actor"), c.req.valid("param").id);
  const t = await roundTable(db, round, unit.name, now());
  return c.body(toCsv([...t.headerBlock, t.header, ...t.rows]), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": contentDisposition(`sampling-${round.year}-Q${round.quarter}.csv`, `${unit.name}${round.year}年第${round.quarter}季度抽查名单.csv`),
  }) as never;
};

export const exportXlsx: RouteHandler<typeof routes.exportXlsx, AppEnv> = async (c) => {
  const { db, now, spreadsheet } = c.get("deps");
  if (!spreadsheet) throw new AppError(501, "not_available", "此部署不支持 XLSX，请使用 CSV 导出");
  const { round, unit } = await visibleRound(db, c.get("actor"), c.req.valid("param").id);
  const t = await roundTable(db, round, unit.name, now());
  const bytes = await spreadsheet.write([roundSheet(t)]);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "content-disposition": contentDisposition(`sampling-${round.year}-Q${round.quarter}.xlsx`, `${unit.name}${round.year}年第${round.quarter}季度抽查名单.xlsx`),
  }) as never;
};

export const recordInspection: RouteHandler<typeof routes.recordInspection, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const { round, unit } = await visibleRound(db, actor, c.req.valid("param").id);
  await ensureSupervisorOver(db, actor, unit, canRecordInspection);
  const body = c.req.valid("json");
  if (body.rectifiedAt && body.result === "pass") throw badRequest("合格的账号无需登记整改");
  const row = await db.transaction((tx) => record(tx, actor, now(), { round, inspection: body }));
  return c.json(row, 200);
};

export const importInspections: RouteHandler<typeof routes.importInspections, AppEnv> = async (c) => {
  const { db, now, spreadsheet } = c.get("deps");
  const actor = c.get("actor");
  const { round, unit } = await visibleRound(db, actor, c.req.valid("param").id);
  await ensureSupervisorOver(db, actor, unit, canRecordInspection);
  const { dryRun } = c.req.valid("query");
  const table = await readUpload(c.req.raw, spreadsheet);
  const { inputs, errors } = await parseInspectionUpload(db, round, table, now());
  if (errors.length > 0 && !dryRun) {
    throw importInvalid(errors, "未登记任何结果");
  }
  if (dryRun) return c.json({ dryRun, recorded: 0, errors }, 200);
  await db.transaction(async (tx) => {
    for (const { row: _row, ...input } of inputs) await record(tx, actor, now(), { round, inspection: input });
  });
  return c.json({ dryRun, recorded: inputs.length, errors }, 200);
};

const inspectionVisible = (actor: Actor) => inSubtree(actor);

export const listInspections: RouteHandler<typeof routes.listInspections, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  const where: SQL[] = [inspectionVisible(actor)];
  if (q.accountId) where.push(eq(inspections.accountId, q.accountId));
  if (q.roundId) where.push(eq(inspections.roundId, q.roundId));
  if (q.result) where.push(eq(inspections.result, q.result));
  if (q.rectification) {
    where.push(eq(inspections.result, "fail"));
    if (q.rectification === "done") where.push(isNotNull(inspections.rectifiedAt));
    else where.push(isNull(inspections.rectifiedAt));
    // 逾期: the deadline is a date in Shanghai; a deadline of today is not yet overdue.
    if (q.rectification === "overdue") where.push(lt(inspections.deadline, shanghaiDate(now())));
  }
  const cond = and(...where);
  const base = () => db.select({ i: inspections }).from(inspections).innerJoin(accounts, eq(accounts.id, inspections.accountId)).innerJoin(orgs, eq(orgs.id, accounts.orgId));
  const order = q.rectification
    ? [sql`${inspections.deadline} IS NULL`, asc(inspections.deadline), desc(inspections.inspectedOn), asc(inspections.id)]
    : [desc(inspections.updatedAt)];
  const rows = await base().where(cond).orderBy(...order).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(inspections).innerJoin(accounts, eq(accounts.id, inspections.accountId)).innerJoin(orgs, eq(orgs.id, accounts.orgId)).where(cond);
  return c.json({ items: rows.map((r) => r.i), total: total?.n ?? 0 }, 200);
};

export const recordRectification: RouteHandler<typeof routes.recordRectification, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const [row] = await db
    .select({ i: inspections, orgId: accounts.orgId })
    .from(inspections)
    .innerJoin(accounts, eq(accounts.id, inspections.accountId))
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(and(eq(inspections.id, c.req.valid("param").id), inspectionVisible(actor)))
    .limit(1);
  if (!row) throw notFound("检查结果");
  if (!canRecordRectification(actor, row.orgId)) throw forbidden("只有主办单位或主管单位可以登记整改");
  if (row.i.result !== "fail") throw conflict("该账号检查合格，无需整改");
  const body = c.req.valid("json");
  if (body.rectifiedAt < row.i.inspectedOn) throw badRequest("整改完成日期不能早于检查日期");
  if (body.rectifiedAt > shanghaiDate(now())) throw badRequest("整改完成日期不能晚于今天");
  const after = { ...row.i, rectifiedAt: body.rectifiedAt, rectificationNote: body.note, updatedAt: now().toISOString() };
  await db.transaction(async (tx) => {
    await tx.update(inspections).set(after).where(eq(inspections.id, row.i.id));
    await writeAudit(tx, actor, now(), { action: "inspection.rectify", entity: "inspection", entityId: row.i.id, orgId: row.orgId, before: row.i, after });
  });
  return c.json(after, 200);
};
