import { createRouter } from "../../lib/create-app";
import * as handlers from "./orgs.handlers";
import * as routes from "./orgs.routes";

export const orgsRouter = createRouter()
  .openapi(routes.createOrg, handlers.createOrg)
  .openapi(routes.listOrgs, handlers.listOrgs)
  .openapi(routes.getOrg, handlers.getOrg)
  .openapi(routes.updateOrg, handlers.updateOrg);
