import { createRouter } from "../../lib/create-app";
import * as handlers from "./tokens.handlers";
import * as routes from "./tokens.routes";

export const tokensRouter = createRouter()
  .openapi(routes.createToken, handlers.createToken)
  .openapi(routes.listTokens, handlers.listTokens)
  .openapi(routes.revokeToken, handlers.revokeToken)
  .openapi(routes.whoAmI, handlers.whoAmI);
