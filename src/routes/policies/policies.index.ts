import { createRouter } from "../../lib/create-app";
import * as handlers from "./policies.handlers";
import * as routes from "./policies.routes";

export const policiesRouter = createRouter()
  .openapi(routes.listPolicies, handlers.listPolicies)
  .openapi(routes.createPolicy, handlers.createPolicy);
