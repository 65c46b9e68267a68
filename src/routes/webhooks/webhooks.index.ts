import { createRouter } from "../../lib/create-app";
import * as handlers from "./webhooks.handlers";
import * as routes from "./webhooks.routes";

export const webhooksRouter = createRouter()
  .openapi(routes.createWebhook, handlers.createWebhook)
  .openapi(routes.listWebhooks, handlers.listWebhooks)
  .openapi(routes.updateWebhook, handlers.updateWebhook)
  .openapi(routes.listDeliveries, handlers.listDeliveries);
