// `npm run cli -- bootstrap --name … --level …`, `npm run cli -- migrate`, `npm run job -- <name> [--at ISO]`,
// `npm run cli -- backup <file> [--force]`, `npm run cli -- restore <file> [--force]`.
import { parseArgs } from "node:util";
import { JOBS, runJob } from "../jobs";
import { backupDatabase, BackupRefused, restoreDatabase, RESTORE_NOTICE } from "./backup";
import { ORG_LEVELS, type OrgLevel } from "./domain/orgs";
import { parseEnv } from "./env";
import { openDatabase } from "./node-db";
import { nodeJobDeps } from "./node-runtime";
import { bootstrap, BootstrapRefused } from "./commands/bootstrap";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: { name: { type: "string" }, level: { type: "string" }, at: { type: "string" }, force: { type: "boolean" } },
});
const env = parseEnv(process.env);

switch (command) {
  case "bootstrap": {
    const name = values.name?.trim();
    if (!name) fail("用法: npm run cli -- bootstrap --name <根政府名称> --level <province|city|county|township>");
    if (!ORG_LEVELS.includes(values.level as OrgLevel)) fail(`--level 应为 ${ORG_LEVELS.join("|")} 之一`);
    const { db, client } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
    try {
      console.log(JSON.stringify(await bootstrap(db, new Date(), { name, level: values.level as OrgLevel })));
    } catch (e) {
      if (e instanceof BootstrapRefused) fail(e.message);
      throw e;
    } finally {
      client.close();
    }
    break;
  }
  case "migrate": {
    const { client } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
    client.close();
    console.log("migrated");
    break;
  }
  case "job": {
    const name = positionals[0];
    const job = name ? JOBS[name] : undefined;
    if (!job) fail(`未知任务 "${name ?? ""}"；可用：${Object.keys(JOBS).join(", ") || "（暂无）"}`);
    const at = values.at ? new Date(values.at) : new Date();
    if (Number.isNaN(at.getTime())) fail(`--at 不是有效的 ISO 时间：${values.at}`);
    const { db, client } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
    const deps = nodeJobDeps(db, env);
    try {
      // The server's scheduler (or another `npm run job`) may be running the same job: wait for it.
      const result = await runJob(name!, deps, at, {
        waitMs: 15 * 60_000,
        onWait: (held) => console.error(`任务 ${name} 正在另一进程运行（${held.holder}，开始于 ${held.acquiredAt}），等待其结束…`),
      });
      console.log(JSON.stringify(result, null, 2));
    } finally {
      await deps.close();
      client.close();
    }
    break;
  }
  case "backup":
  case "restore": {
    const file = positionals[0];
    if (!file) fail(`用法: npm run cli -- ${command} <备份文件> [--force]`);
    const force = values.force === true;
    if (command === "restore") console.error(RESTORE_NOTICE);
    try {
      const run = command === "backup" ? backupDatabase : restoreDatabase;
      console.log(JSON.stringify(await run(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN, file, { force }), null, 2));
    } catch (e) {
      if (e instanceof BackupRefused) fail(e.message);
      throw e;
    }
    break;
  }
  default:
    fail(
      "用法: npm run cli -- bootstrap --name <名称> --level <层级> | migrate\n" +
        "      npm run cli -- backup <备份文件> [--force] | restore <备份文件> [--force]\n" +
        "      npm run job -- <任务名> [--at <ISO 时间>]",
    );
}
