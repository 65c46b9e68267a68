import { createRouter } from "../../lib/create-app";
import * as handlers from "./compliance.handlers";
import * as routes from "./compliance.routes";
import * as exportHandlers from "./export.handlers";
import * as exportRoutes from "./export.routes";

export const complianceRouter = createRouter()
  .openapi(routes.getCompliance, handlers.getCompliance)
  .openapi(exportRoutes.exportComplianceCsv, exportHandlers.exportComplianceCsv)
  .openapi(exportRoutes.exportComplianceXlsx, exportHandlers.exportComplianceXlsx);
