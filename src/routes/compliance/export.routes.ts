// A week's update results as a file (CSV or XLSX): the rows the 更新监测 page lists, all of them.
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, security } from "../../lib/schemas";
import { ComplianceQuery } from "./compliance.routes";

export const ComplianceExportQuery = ComplianceQuery.pick({ week: true, orgId: true, platform: true, status: true });

const tags = ["监测 compliance"];
const file = (type: string) => ({ description: "文件", content: { [type]: { schema: z.string() } } });

export const exportComplianceCsv = createRoute({
  method: "get",
  path: "/compliance/export.csv",
  tags,
  security,
  summary: "导出一周更新情况 CSV（UTF-8 BOM，防公式注入）；筛选同 /compliance，不分页",
  request: { query: ComplianceExportQuery },
  responses: { 200: file("text/csv"), ...errorResponses },
});

export const exportComplianceXlsx = createRoute({
  method: "get",
  path: "/compliance/export.xlsx",
  tags,
  security,
  summary: "导出一周更新情况 XLSX；筛选同 /compliance，不分页",
  request: { query: ComplianceExportQuery },
  responses: { 200: file("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ...errorResponses },
});
