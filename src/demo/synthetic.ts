// `npm run seed:synthetic -- --accounts N --weeks W [--seed S] [--now ISO]`: a realistic jurisdiction of
// about N accounts with W weeks of history, written into DATABASE_URL (an empty database only). The
// same seed and --now give the same orgs, accounts and posts.
import { parseArgs } from "node:util";
import { parseEnv } from "../env";
import { openDatabase } from "../node-db";
import { databaseState } from "./demo";
import { buildPlan, planSummary } from "./plan";
import { databaseCounts, seedPlan } from "./seed";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const USAGE = "用法: npm run seed:synthetic -- --accounts <账号数> --weeks <周数> [--seed <种子>] [--now <ISO 时间>]";
const { values } = parseArgs({
  options: { accounts: { type: "string" }, weeks: { type: "string" }, seed: { type: "string" }, now: { type: "string" } },
});
const accounts = Number(values.accounts);
const weeks = Number(values.weeks);
if (!Number.isInteger(accounts) || accounts < 10 || accounts > 50_000) fail(`--accounts 应为 10 到 50000 之间的整数\n${USAGE}`);
if (!Number.isInteger(weeks) || weeks < 2 || weeks > 104) fail(`--weeks 应为 2 到 104 之间的整数\n${USAGE}`);
const now = values.now ? new Date(values.now) : new Date();
if (Number.isNaN(now.getTime())) fail(`--now 不是有效的 ISO 时间：${values.now}`);
const seed = values.seed ?? "synthetic";

const env = parseEnv(process.env);
const { db, client } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
try {
  if ((await databaseState(db)).kind !== "empty") {
    fail(`数据库 ${env.DATABASE_URL} 不是空的，拒绝写入合成数据；请用 DATABASE_URL 指定一个新的数据库 (database is not empty)`);
  }
  const plan = buildPlan({ accounts, weeks, seed, now });
  console.error(`计划：${JSON.stringify(planSummary(plan))}`);
  const result = await seedPlan(db, plan, { log: (line) => console.error(line) });
  console.log(JSON.stringify({ database: env.DATABASE_URL, seed, now: now.toISOString(), ...(await databaseCounts(db)), ...result }, null, 2));
  console.error(`完成：用时 ${result.seconds} 秒。管理员令牌（adminToken）只显示这一次，请妥善保存`);
} finally {
  client.close();
}
