// Node entry: HTTP server on the embedded database, and the scheduled jobs in-process.
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import cron from "node-cron";
import { JOBS, JobAlreadyRunning, runJob } from "../jobs";
import { sweepAbandonedRuns } from "./db/queries/job-runs";
import { createApp } from "./app";
import { parseEnv, type Env } from "./env";
import { exceljsCodec, preloadSpreadsheets } from "./lib/spreadsheet-exceljs";
import { openDatabase } from "./node-db";
import { nodeJobDeps } from "./node-runtime";

/** Starts the server (and the scheduled jobs) as `npm start` does; resolves with the port once it listens. */
export async function startServer(env: Env): Promise<{ port: number }> {
  const { db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  const app = createApp({
    db,
    now: () => new Date(),
    spreadsheet: exceljsCodec,
    webhookAllowHosts: env.WEBHOOK_ALLOW_HOSTS,
    publicUrl: env.PUBLIC_URL,
    trustProxy: env.TRUST_PROXY,
  });
  const jobDeps = nodeJobDeps(db, env);
  // Runs a killed process left "running" are closed as abandoned before anything new starts.
  const abandoned = await sweepAbandonedRuns(db, new Date(), jobDeps.lease!);
  if (abandoned > 0) console.warn(`已将 ${abandoned} 个未正常结束的任务运行标记为中断 (abandoned)`);

  if (env.RUN_JOBS) {
    for (const [name, job] of Object.entries(JOBS)) {
      cron.schedule(
        job.cron,
        async () => {
          try {
            // A run of the same job elsewhere (`npm run job`, another instance) is waited for, then this one runs.
            await runJob(name, jobDeps, new Date(), { waitMs: 10 * 60_000 });
          } catch (e) {
            if (e instanceof JobAlreadyRunning) console.warn(e.message);
            else console.error(`job ${name} failed`, e);
          }
        },
        { timezone: "Asia/Shanghai", noOverlap: true, name },
      );
    }
  }

  let listening!: (port: number) => void;
  const ready = new Promise<number>((resolve) => (listening = resolve));
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: "0.0.0.0" }, (info) => {
    console.log(`govmedia 已启动: http://localhost:${info.port}  (API 文档 /api/docs, 数据库 ${env.DATABASE_URL})`);
    preloadSpreadsheets();
    listening(info.port);
  });

  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      server.close();
      process.exit(0);
    });
  }
  return { port: await ready };
}

// `npm start` runs this file; `npm run demo` imports startServer after seeding its database.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await startServer(parseEnv(process.env));
}
