import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq, inArray, like, type SQL } from "drizzle-orm";
import { accounts, orgs } from "../../db/schema";
import { computeCompliance } from "../../db/queries/compliance";
import { inSubtree, loadOrgIndex, visibleOrg } from "../../db/queries/org-tree";
import { UNKNOWN_REASON_LABELS, WEEK_STATUS_LABELS } from "../../domain/compliance";
import { IN_USE_STATUSES, isInUse } from "../../domain/lifecycle";
import { platformWithType } from "../../domain/platforms";
import { UPDATE_UNIT_LABELS } from "../../domain/policy";
import { addWeeks, parseWeekId, shanghaiDate, weekOf } from "../../domain/weeks";
import { contentDisposition } from "../../lib/content-disposition";
import { toCsv } from "../../lib/csv";
import { AppError, badRequest } from "../../lib/errors";
import type { AppEnv } from "../../lib/types";
import type * as routes from "./export.routes";

export const COMPLIANCE_EXPORT_COLUMNS = ["周", "起止日期", "账号名称", "平台", "账号ID", "主办单位", "更新（次）", "计数单位", "发文（条）", "转发（条）", "原创占比", "最低要求", "结果", "说明"] as const;

type Ctx = Parameters<RouteHandler<typeof routes.exportComplianceCsv, AppEnv>>[0];

/** The same rows as GET /compliance for one week (the same accounts, filters and exemptions), as a table. */
async function complianceTable(c: Ctx): Promise<{ week: string; rows: string[][] }> {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  const week = q.week ? parseWeekId(q.week) : addWeeks(weekOf(now()), -1);
  if (!week) throw badRequest(`周：不存在的周“${q.week}”`, [{ path: "week", message: "不存在的周" }]);
  if (week.start > now()) throw badRequest(`${week.id} 尚未开始`);
  const where: SQL[] = [inSubtree(actor), inArray(accounts.status, [...IN_USE_STATUSES, "closed", "merged"])];
  if (q.orgId) where.push(like(orgs.path, `${(await visibleOrg(db, actor, q.orgId)).path}%`));
  if (q.platform) where.push(eq(accounts.platform, q.platform));
  const list = await db
    .select({ a: accounts, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(and(...where))
    .orderBy(orgs.path, accounts.platform, accounts.name);
  const info = new Map(list.map((r) => [r.a.id, r]));
  const results = await computeCompliance(db, list.map((r) => r.a), [week], await loadOrgIndex(db), now());
  const range = `${shanghaiDate(week.start)} 至 ${shanghaiDate(new Date(week.end.getTime() - 1))}`;
  const pct = (r: number | null) => (r == null ? "" : `${Math.round(r * 1000) / 10}%`);
  const rows = results
    // Closed or merged accounts appear only for weeks they were judged in, as on the page.
    .filter((r) => r.status !== "exempt" || isInUse(info.get(r.accountId)!.a.status))
    .filter((r) => !q.status || r.status === q.status)
    .map((r) => {
      const { a, orgName } = info.get(r.accountId)!;
      return [
        week.id,
        range,
        a.name,
        platformWithType(a.platform, a.accountType),
        a.platformId ?? "",
        orgName,
        String(r.updates),
        UPDATE_UNIT_LABELS[r.updateUnit],
        String(r.posts),
        String(r.reposts),
        pct(r.originalShare),
        String(r.required),
        WEEK_STATUS_LABELS[r.status],
        r.unknownReason ? UNKNOWN_REASON_LABELS[r.unknownReason] : "",
      ];
    });
  return { week: week.id, rows: [[...COMPLIANCE_EXPORT_COLUMNS], ...rows] };
}

export const exportComplianceCsv: RouteHandler<typeof routes.exportComplianceCsv, AppEnv> = async (c) => {
  const { week, rows } = await complianceTable(c);
  return c.body(toCsv(rows), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": contentDisposition(`govmedia-compliance-${week}.csv`, `更新情况-${week}.csv`),
  }) as never;
};

export const exportComplianceXlsx: RouteHandler<typeof routes.exportComplianceXlsx, AppEnv> = async (c) => {
  const { spreadsheet } = c.get("deps");
  if (!spreadsheet) throw new AppError(501, "not_available", "此部署不支持 XLSX，请使用 CSV 导出");
  const { week, rows } = await complianceTable(c as never);
  const bytes = await spreadsheet.write([{ name: "更新情况", rows, headerRow: 1 }]);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "content-disposition": contentDisposition(`govmedia-compliance-${week}.xlsx`, `更新情况-${week}.xlsx`),
  }) as never;
};
