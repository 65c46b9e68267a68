import { createRouter } from "../../lib/create-app";
import * as handlers from "./compliance.handlers";
import * as routes from "./compliance.routes";

export const complianceRouter = createRouter().openapi(routes.getCompliance, handlers.getCompliance);
