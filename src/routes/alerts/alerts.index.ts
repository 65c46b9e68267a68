import { createRouter } from "../../lib/create-app";
import * as handlers from "./alerts.handlers";
import * as routes from "./alerts.routes";

export const alertsRouter = createRouter()
  .openapi(routes.listAlerts, handlers.listAlerts)
  .openapi(routes.acknowledgeAlert, handlers.acknowledgeAlert)
  .openapi(routes.resolveAlert, handlers.resolveAlert);
