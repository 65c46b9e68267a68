import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { buildAnnualStats, buildLowerRollup, buildQuarterlyNotice, publicNotice } from "../../domain/reports";
import { canDrawSamplingRound } from "../../domain/access";
import { publishedNotices } from "../../db/schema";
import { writeAudit } from "../../db/queries/audit";
import { eq } from "drizzle-orm";
import { badRequest, conflict, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { annualSheets, renderAnnualMarkdown } from "../../export/annual-statistics";
import { quarterlySheets, renderQuarterlyMarkdown } from "../../export/quarterly-notice";
import type { Sheet } from "../../export/report-format";
import { AppError } from "../../lib/errors";
import { loadOrgIndex } from "../../db/queries/org-tree";
import type { AppEnv } from "../../lib/types";
import { visibleOrg } from "../../db/queries/org-tree";
import { currentPublication, ensureAnnualUnit, ensureNoticeUnit, loadAnnual, loadLower, loadQuarterly, type PublishedNoticeRow } from "../../db/queries/reports";
import type * as routes from "./reports.routes";
import { contentDisposition } from "../../lib/content-disposition";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function ensureSpreadsheet(c: Context<AppEnv>) {
  const codec = c.get("deps").spreadsheet;
  if (!codec) throw new AppError(501, "not_available", "此部署不支持 XLSX 导出，请使用 format=md 或 format=json");
  return codec;
}

async function sendFile(c: Context<AppEnv>, format: "md" | "xlsx", base: { ascii: string; name: string }, markdown: () => string, sheets: () => Sheet[]) {
  if (format === "md") {
    return c.body(markdown(), 200, {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": contentDisposition(`${base.ascii}.md`, `${base.name}.md`),
    });
  }
  const bytes = await ensureSpreadsheet(c).write(sheets());
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": XLSX,
    "content-disposition": contentDisposition(`${base.ascii}.xlsx`, `${base.name}.xlsx`),
  });
}

export const quarterlyNotice: RouteHandler<typeof routes.quarterlyNotice, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const q = c.req.valid("query");
  const gov = await visibleOrg(db, c.get("actor"), q.governmentOrgId, "通报单位");
  ensureNoticeUnit(gov);
  if (q.format === "xlsx") ensureSpreadsheet(c);
  const at = now();
  const built = buildQuarterlyNotice(await loadQuarterly(db, gov, { year: q.year, quarter: q.quarter, aggregate: q.aggregate }, at));
  // 宝鸡：抽查和整改情况及时上报市政府办公室 — the units below, on request only.
  const notice = q.includeLower ? { ...built, lower: buildLowerRollup(await loadLower(db, gov, { year: q.year, quarter: q.quarter }, at)) } : built;
  if (q.format === "json") return c.json(notice, 200);
  const base = { ascii: `notice-${q.year}-Q${q.quarter}`, name: `${gov.name}${q.year}年第${q.quarter}季度政务新媒体抽查情况通报` };
  return (await sendFile(c, q.format, base, () => renderQuarterlyMarkdown(notice), () => quarterlySheets(notice))) as never;
};

export const annualStats: RouteHandler<typeof routes.annualStats, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const q = c.req.valid("query");
  const gov = await visibleOrg(db, c.get("actor"), q.governmentOrgId, "政府");
  ensureAnnualUnit(gov);
  if (q.format === "xlsx") ensureSpreadsheet(c);
  const stats = buildAnnualStats(await loadAnnual(db, gov, q.year, now()));
  if (q.format === "json") return c.json(stats, 200);
  const base = { ascii: `annual-${q.year}`, name: `${gov.name}${q.year}年度政务新媒体统计` };
  return (await sendFile(c, q.format, base, () => renderAnnualMarkdown(stats), () => annualSheets(stats))) as never;
};

/** The public page of a published notice (no login). */
export const publicNoticePath = (governmentOrgId: string, year: number, quarter: number) => `/public/${encodeURIComponent(governmentOrgId)}/sampling/${year}/${quarter}`;

function presentPublication(p: PublishedNoticeRow) {
  return {
    id: p.id,
    governmentOrgId: p.governmentOrgId,
    year: p.year,
    quarter: p.quarter,
    publishedAt: p.publishedAt,
    unpublishedAt: p.unpublishedAt,
    publicPath: publicNoticePath(p.governmentOrgId, p.year, p.quarter),
  };
}

/** Publishing speaks for the government: the supervisors who organise its spot checks. */
async function publishingGovernment(c: Context<AppEnv>, governmentOrgId: string) {
  const { db } = c.get("deps");
  const actor = c.get("actor");
  const gov = await visibleOrg(db, actor, governmentOrgId, "通报单位");
  ensureNoticeUnit(gov);
  if (!canDrawSamplingRound(actor, gov, await loadOrgIndex(db))) throw forbidden("只有该政府或其上级政府的主管单位可以公开或撤回抽查情况");
  return gov;
}

export const publishQuarterly: RouteHandler<typeof routes.publishQuarterly, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  const gov = await publishingGovernment(c, body.governmentOrgId);
  // 已公开的不重复公开: a correction is withdrawn and published again, so both steps are on record.
  if (await currentPublication(db, gov.id, body.year, body.quarter)) {
    throw conflict(`${gov.name}${body.year}年第${body.quarter}季度抽查情况已公开；如需更新，请先撤回再重新公开`);
  }
  const at = now();
  const notice = buildQuarterlyNotice(await loadQuarterly(db, gov, { year: body.year, quarter: body.quarter, aggregate: true }, at));
  if (notice.rounds.length === 0) throw badRequest(`${gov.name}${body.year}年第${body.quarter}季度尚未开展抽查，无可公开的抽查情况`);
  const row = {
    id: newId(),
    governmentOrgId: gov.id,
    year: body.year,
    quarter: body.quarter,
    snapshot: publicNotice(notice),
    publishedAt: at.toISOString(),
    publishedBy: actor.tokenId,
    unpublishedAt: null,
    unpublishedBy: null,
  };
  await db.transaction(async (tx) => {
    await tx.insert(publishedNotices).values(row);
    await writeAudit(tx, actor, at, {
      action: "notice.publish",
      entity: "notice",
      entityId: row.id,
      orgId: gov.id,
      after: { year: row.year, quarter: row.quarter, publishedAt: row.publishedAt },
    });
  });
  return c.json(presentPublication(row), 201);
};

export const unpublishQuarterly: RouteHandler<typeof routes.unpublishQuarterly, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const body = c.req.valid("json");
  const gov = await publishingGovernment(c, body.governmentOrgId);
  const current = await currentPublication(db, gov.id, body.year, body.quarter);
  if (!current) throw notFound(`已公开的${body.year}年第${body.quarter}季度抽查情况`);
  const at = now().toISOString();
  await db.transaction(async (tx) => {
    await tx.update(publishedNotices).set({ unpublishedAt: at, unpublishedBy: actor.tokenId }).where(eq(publishedNotices.id, current.id));
    await writeAudit(tx, actor, now(), {
      action: "notice.unpublish",
      entity: "notice",
      entityId: current.id,
      orgId: gov.id,
      before: { publishedAt: current.publishedAt },
      after: { unpublishedAt: at },
    });
  });
  return c.json(presentPublication({ ...current, unpublishedAt: at, unpublishedBy: actor.tokenId }), 200);
};
