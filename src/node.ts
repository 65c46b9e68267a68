// Node entry: HTTP server on the embedded database, and the scheduled jobs in-process.
import { serve } from "@hono/node-server";
import cron from "node-cron";
import { JOBS, runJob } from "../jobs";
import { createApp } from "./app";
import { parseEnv } from "./env";
import { exceljsCodec } from "./lib/spreadsheet-exceljs";
import { openDatabase } from "./node-db";
import { nodeJobDeps } from "./node-runtime";

const env = parseEnv(process.env);
const { db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
const app = createApp({ db, now: () => new Date(), spreadsheet: exceljsCodec, webhookAllowHosts: env.WEBHOOK_ALLOW_HOSTS });
const jobDeps = nodeJobDeps(db, env);

if (env.RUN_JOBS) {
  for (const [name, job] of Object.entries(JOBS)) {
    cron.schedule(
      job.cron,
      async () => {
        try {
          await runJob(name, jobDeps, new Date());
        } catch (e) {
          console.error(`job ${name} failed`, e);
        }
      },
      { timezone: "Asia/Shanghai", noOverlap: true, name },
    );
  }
}

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: "0.0.0.0" }, (info) => {
  console.log(`govmedia 已启动: http://localhost:${info.port}  (API 文档 /api/docs, 数据库 ${env.DATABASE_URL})`);
});

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
