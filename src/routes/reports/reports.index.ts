import { createRouter } from "../../lib/create-app";
import * as handlers from "./reports.handlers";
import * as routes from "./reports.routes";

export const reportsRouter = createRouter()
  .openapi(routes.quarterlyNotice, handlers.quarterlyNotice)
  .openapi(routes.annualStats, handlers.annualStats)
  .openapi(routes.publishQuarterly, handlers.publishQuarterly)
  .openapi(routes.unpublishQuarterly, handlers.unpublishQuarterly);
