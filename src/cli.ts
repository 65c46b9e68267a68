// `npm run cli -- bootstrap --name … --level …`, `npm run cli -- migrate`, `npm run job -- <name> [--at ISO]`.
import { parseArgs } from "node:util";
import { JOBS, runJob } from "../jobs";
import { ORG_LEVELS, type OrgLevel } from "./domain/orgs";
import { parseEnv } from "./env";
import { openDatabase } from "./node-db";
import { nodeJobDeps } from "./node-runtime";
import { bootstrap, BootstrapRefused } from "./services/bootstrap";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: { name: { type: "string" }, level: { type: "string" }, at: { type: "string" } },
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
      console.log(JSON.stringify(await runJob(name!, deps, at), null, 2));
    } finally {
      await deps.close();
      client.close();
    }
    break;
  }
  default:
    fail("用法: npm run cli -- bootstrap --name <名称> --level <层级> | migrate\n      npm run job -- <任务名> [--at <ISO 时间>]");
}
