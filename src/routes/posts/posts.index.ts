import { createRouter } from "../../lib/create-app";
import * as handlers from "./posts.handlers";
import * as routes from "./posts.routes";

export const postsRouter = createRouter()
  .openapi(routes.pushPosts, handlers.pushPosts)
  .openapi(routes.importPosts, handlers.importPosts)
  .openapi(routes.listPosts, handlers.listPosts)
  .openapi(routes.getFeedState, handlers.getFeedState);
