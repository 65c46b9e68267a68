import { createRouter } from "../../lib/create-app";
import * as handlers from "./scores.handlers";
import * as routes from "./scores.routes";

export const scoresRouter = createRouter()
  .openapi(routes.listScoreRules, handlers.listScoreRules)
  .openapi(routes.createScoreRule, handlers.createScoreRule);
