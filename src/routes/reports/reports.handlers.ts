import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { buildAnnualStats, buildLowerRollup, buildQuarterlyNotice } from "../../domain/reports";
import { annualSheets, renderAnnualMarkdown } from "../../export/annual-statistics";
import { quarterlySheets, renderQuarterlyMarkdown } from "../../export/quarterly-notice";
import type { Sheet } from "../../export/report-format";
import { AppError } from "../../lib/errors";
import type { AppEnv } from "../../lib/types";
import { visibleOrg } from "../../db/queries/org-tree";
import { ensureAnnualUnit, ensureNoticeUnit, loadAnnual, loadLower, loadQuarterly } from "../../db/queries/reports";
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
