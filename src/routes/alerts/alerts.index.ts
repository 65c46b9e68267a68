import { createRouter } from "../../lib/create-app";
import * as handlers from "./alerts.handlers";
import * as routes from "./alerts.routes";
import * as bulkHandlers from "./bulk.handlers";
import * as bulkRoutes from "./bulk.routes";

// The bulk route before /alerts/{id}/…: its path has no id segment, so the order is only for reading.
export const alertsRouter = createRouter()
  .openapi(routes.listAlerts, handlers.listAlerts)
  .openapi(bulkRoutes.acknowledgeAlerts, bulkHandlers.acknowledgeAlerts)
  .openapi(routes.acknowledgeAlert, handlers.acknowledgeAlert)
  .openapi(routes.resolveAlert, handlers.resolveAlert);
