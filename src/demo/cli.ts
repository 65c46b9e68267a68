// `npm run demo`: the server on a demo database, seeded on first use (DATABASE_URL honoured, default
// file:data/demo.db), started exactly as `npm start` starts it, with a supervisor token to log in with.
import { DemoRefused, DEMO_DATABASE_URL, ensureDemo } from "./demo";
import { parseEnv } from "../env";
import { openDatabase } from "../node-db";
import { startServer } from "../node";

// The demo's own default database: never the production default file:data/govmedia.db.
const env = parseEnv({ DATABASE_URL: DEMO_DATABASE_URL, ...process.env });
const { db, client } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
let ready;
try {
  ready = await ensureDemo(db, { log: (line) => console.log(line) });
} catch (e) {
  if (e instanceof DemoRefused) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
} finally {
  client.close();
}
if (ready.seed) {
  const s = ready.seed;
  console.log(`演示数据已生成（${s.seconds} 秒）：机构 ${s.orgs} 个，账号 ${s.accounts} 个，发文 ${s.posts} 条，抽查 ${s.rounds} 轮，检查记录 ${s.inspections} 条`);
}

const { port } = await startServer(env);
console.log(
  [
    "",
    "演示环境已就绪 (demo ready) —— 以下为虚构数据，仅供体验",
    `  登录地址 (URL):                 http://127.0.0.1:${port}/login`,
    `  主管单位令牌 (supervisor token)：${ready.supervisorToken}    （${ready.rootName}）`,
    `  管理员令牌 (admin token)：       ${ready.adminToken}`,
    `  数据库 (database):              ${env.DATABASE_URL}`,
    "  令牌只显示这一次；再次运行 npm run demo 会签发新的令牌，数据不会重复生成。按 Ctrl+C 停止。",
    "",
  ].join("\n"),
);
