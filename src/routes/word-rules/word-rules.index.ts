import { createRouter } from "../../lib/create-app";
import * as handlers from "./word-rules.handlers";
import * as routes from "./word-rules.routes";

export const wordRulesRouter = createRouter()
  .openapi(routes.listWordRules, handlers.listWordRules)
  .openapi(routes.importWordRules, handlers.importWordRules)
  .openapi(routes.createWordRule, handlers.createWordRule)
  .openapi(routes.disableWordRule, handlers.disableWordRule);
