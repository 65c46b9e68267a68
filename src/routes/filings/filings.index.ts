import { createRouter } from "../../lib/create-app";
import * as handlers from "./filings.handlers";
import * as routes from "./filings.routes";

export const filingsRouter = createRouter()
  .openapi(routes.submitFiling, handlers.submitFiling)
  .openapi(routes.listFilings, handlers.listFilings)
  .openapi(routes.getFiling, handlers.getFiling)
  .openapi(routes.decideFiling, handlers.decideFiling);
