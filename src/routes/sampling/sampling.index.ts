import { createRouter } from "../../lib/create-app";
import * as handlers from "./sampling.handlers";
import * as routes from "./sampling.routes";

export const samplingRouter = createRouter()
  .openapi(routes.createRound, handlers.createRound)
  .openapi(routes.listRounds, handlers.listRounds)
  .openapi(routes.getRound, handlers.getRound)
  .openapi(routes.verifyRound, handlers.verifyRound)
  .openapi(routes.exportCsv, handlers.exportCsv)
  .openapi(routes.exportXlsx, handlers.exportXlsx)
  .openapi(routes.recordInspection, handlers.recordInspection)
  .openapi(routes.importInspections, handlers.importInspections)
  .openapi(routes.listInspections, handlers.listInspections)
  .openapi(routes.recordRectification, handlers.recordRectification);
