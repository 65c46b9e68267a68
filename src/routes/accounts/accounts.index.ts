import { createRouter } from "../../lib/create-app";
import * as handlers from "./accounts.handlers";
import * as routes from "./accounts.routes";
import * as voidHandlers from "./void.handlers";
import * as voidRoutes from "./void.routes";

// Static paths (export, import) before /accounts/{id}.
export const accountsRouter = createRouter()
  .openapi(routes.exportCsv, handlers.exportCsv)
  .openapi(routes.exportXlsx, handlers.exportXlsx)
  .openapi(routes.importTemplate, handlers.importTemplate)
  .openapi(routes.importLedger, handlers.importLedger)
  .openapi(routes.createAccount, handlers.createAccount)
  .openapi(routes.listAccounts, handlers.listAccounts)
  .openapi(routes.getAccount, handlers.getAccount)
  .openapi(voidRoutes.voidAccount, voidHandlers.voidAccount);
