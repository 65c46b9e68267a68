import { FORM_BODY_LIMIT, limitBodies, UPLOAD_FILE_LIMIT } from "./lib/body-limits";
import { createRouter, installErrorHandling } from "./lib/create-app";
import { securityHeaders } from "./lib/security-headers";
import { requireActor, resolvedActorEnv } from "./lib/auth";
import type { Actor, AppDeps } from "./lib/types";
import { accountsRouter } from "./routes/accounts/accounts.index";
import { alertsRouter } from "./routes/alerts/alerts.index";
import { complianceRouter } from "./routes/compliance/compliance.index";
import { policiesRouter } from "./routes/policies/policies.index";
import { postsRouter } from "./routes/posts/posts.index";
import { reportsRouter } from "./routes/reports/reports.index";
import { samplingRouter } from "./routes/sampling/sampling.index";
import { webhooksRouter } from "./routes/webhooks/webhooks.index";
import { auditRouter } from "./routes/audit/audit.index";
import { filingsRouter } from "./routes/filings/filings.index";
import { orgsRouter } from "./routes/orgs/orgs.index";
import { tokensRouter } from "./routes/tokens/tokens.index";
import { DOCS_SCRIPT, DOCS_SCRIPT_PATH, DOCS_STYLE, DOCS_STYLE_PATH, docsPage } from "./web/docs-page";
import { createUi } from "./web/ui";
import { createPublicPages } from "./web/public-pages";
import { scoresRouter } from "./routes/scores/scores.index";
import { wordRulesRouter } from "./routes/word-rules/word-rules.index";

const MB = 1024 * 1024;

export const API_ROUTERS = [
  orgsRouter,
  tokensRouter,
  accountsRouter,
  postsRouter,
  filingsRouter,
  complianceRouter,
  alertsRouter,
  webhooksRouter,
  policiesRouter,
  samplingRouter,
  reportsRouter,
  scoresRouter,
  wordRulesRouter,
  auditRouter,
];

export function createApp(deps: AppDeps) {
  const app = createRouter();
  installErrorHandling(app);
  // First, so every answer (pages, API, errors, 413s) carries the headers.
  app.use("*", securityHeaders);
  // Before anything reads a body, including the unauthenticated login form.
  app.use("*", limitBodies);
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });

  app.get("/health", async (c) => {
    await deps.db.run("SELECT 1");
    return c.json({ status: "ok", time: deps.now().toISOString() });
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "由管理员签发的访问令牌",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "govmedia 政务新媒体备案与监测 API",
      version: "0.1.0",
      description: `分级备案与账号台账、更新监测与预警、消息推送、季度抽查与通报。所有接口需 Authorization: Bearer <令牌>。请求体上限：JSON ${FORM_BODY_LIMIT / MB} MB，上传文件 ${UPLOAD_FILE_LIMIT / MB} MB；超出时返回 413（code 为 too_large）。`,
    },
  });
  app.get("/api/docs", (c) => c.html(docsPage("/api/openapi.json")));
  app.get(DOCS_STYLE_PATH, (c) => c.body(DOCS_STYLE, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" }));
  app.get(DOCS_SCRIPT_PATH, (c) => c.body(DOCS_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" }));

  const PUBLIC_API = new Set(["/api/openapi.json", "/api/docs", DOCS_STYLE_PATH, DOCS_SCRIPT_PATH]);
  app.use("/api/*", async (c, next) => {
    if (PUBLIC_API.has(c.req.path)) return next();
    return requireActor(c, next);
  });
  for (const r of API_ROUTERS) app.route("/api", r);
  // 公开抽查情况: published notices for anyone, before the UI's login check.
  app.route("/", createPublicPages({ db: deps.db, publicUrl: deps.publicUrl }));
  // The Chinese web UI, over the same API in-process (for the actor it resolved from the cookie).
  const fetchApi = (actor: Actor, path: string, init?: RequestInit) => Promise.resolve(app.request(path, init, resolvedActorEnv(actor)));
  app.route("/", createUi({ db: deps.db, fetchApi, now: deps.now, site: { publicUrl: deps.publicUrl, trustProxy: deps.trustProxy } }));
  return app;
}

export type App = ReturnType<typeof createApp>;
