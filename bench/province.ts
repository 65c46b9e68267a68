// Province-scale benchmark (docs/规则依据.md#规模: a province has about 5,000 accounts). Seeds a temp libSQL file
// with N accounts and 16 weeks of posts, then times the weekly evaluation, the compliance API over
// the whole province and the quarterly draw. Each figure is also printed as a ratio to a floor
// measured in the same run: one plain SQL scan counting the same posts.
// Run: npm run bench [-- --accounts 5000 --posts-per-week 4]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { evaluateWeek } from "../jobs/evaluate-week";
import { quarterlySampling } from "../jobs/quarterly-sampling";
import { createApp } from "../src/app";
import { createGuardedFetch } from "../src/net/guarded-fetch-node";
import { createGuardedPost } from "../src/net/guarded-post-node";
import { openDatabase } from "../src/node-db";
import { bootstrap } from "../src/commands/bootstrap";
import { issueToken, newTokenSecret } from "../src/commands/tokens";

const { values } = parseArgs({ options: { accounts: { type: "string", default: "5000" }, "posts-per-week": { type: "string", default: "4" } } });
const N = Number(values.accounts);
const PER_WEEK = Number(values["posts-per-week"]);
const WEEKS = 16;
const now = new Date("2026-11-22T17:00:00Z"); // Monday 01:00 Beijing, W48

const dir = mkdtempSync(join(tmpdir(), "govmedia-bench-"));
const { db, client } = await openDatabase(`file:${join(dir, "bench.db")}`);
const { orgId: root } = await bootstrap(db, new Date("2025-01-01T00:00:00Z"), { name: "某省人民政府", level: "province" });

const t0 = performance.now();
const orgIds: string[] = [];
const stmts: { sql: string; args: (string | number | null)[] }[] = [];
const at = "2025-01-01T00:00:00.000Z";
for (let c = 0; c < 14; c++) {
  const city = `city-${c}`;
  stmts.push({ sql: "INSERT INTO orgs VALUES (?,?,?,?,?,?,?,?)", args: [city, `第${c}市`, "government", "city", root, `/${root}/${city}/`, at, at] });
  for (let k = 0; k < 7; k++) {
    const county = `county-${c}-${k}`;
    stmts.push({ sql: "INSERT INTO orgs VALUES (?,?,?,?,?,?,?,?)", args: [county, `第${c}市第${k}县`, "government", "county", city, `/${root}/${city}/${county}/`, at, at] });
  }
}
await client.batch(stmts.splice(0), "write");
// Units: one department per two accounts (two platforms each), under the 98 counties.
for (let u = 0; u < Math.ceil(N / 2); u++) {
  const c = u % 14;
  const k = Math.floor(u / 14) % 7;
  const county = `county-${c}-${k}`;
  const dept = `dept-${u}`;
  stmts.push({ sql: "INSERT INTO orgs VALUES (?,?,?,?,?,?,?,?)", args: [dept, `单位${u}`, "department", "county", county, `/${root}/city-${c}/${county}/${dept}/`, at, at] });
  orgIds.push(dept);
  if (stmts.length > 2000) await client.batch(stmts.splice(0), "write");
  {
  }
}
await client.batch(stmts, "write");
const platforms = ["wechat", "weibo", "douyin", "toutiao", "app", "kuaishou"];
const batch: { sql: string; args: (string | number | null)[] }[] = [];
const flush = async () => {
  if (batch.length) await client.batch(batch.splice(0), "write");
};
let posts = 0;
for (let i = 0; i < N; i++) {
  const id = `acc-${i}`;
  batch.push({
    sql: "INSERT INTO accounts (id, org_id, platform, name, platform_id, status, origin, opened_on, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
    args: [id, orgIds[Math.floor(i / 2)]!, platforms[(Math.floor(i / 2) + (i % 2)) % platforms.length]!, `单位${Math.floor(i / 2)}发布`, `pid-${i}`, "active", "import", "2025-01-01", at, at],
  });
  batch.push({ sql: "INSERT INTO account_status_changes (account_id, status, at) VALUES (?,?,?)", args: [id, "active", at] });
  // Most accounts post PER_WEEK times a week; every 10th has gone quiet for 5 weeks.
  for (let w = 0; w < WEEKS; w++) {
    if (i % 10 === 0 && w < 5) continue;
    for (let p = 0; p < PER_WEEK; p++) {
      const ts = new Date(now.getTime() - (w * 7 + p + 1) * 86_400_000 - (i % 1000) * 1000).toISOString();
      batch.push({ sql: "INSERT INTO posts (id, account_id, identity, guid, url, title, published_at, date_source, source, first_seen_at) VALUES (?,?,?,?,?,?,?,?,?,?)", args: [`${id}-${w}-${p}`, id, `g:${id}-${w}-${p}`, null, null, "t", ts, "given", "api", ts] });
      posts++;
    }
  }
  if (batch.length > 5000) await flush();
}
await flush();
const seedMs = performance.now() - t0;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const s = performance.now();
  const r = await fn();
  return [performance.now() - s, r];
}

const [floorMs] = await time(() => client.execute("SELECT account_id, count(*) FROM posts WHERE published_at >= '2026-08-01' GROUP BY account_id"));
const deps = { db, fetchFeed: createGuardedFetch([]), feedAllowHosts: [], postWebhook: createGuardedPost([]) };
const [evalMs, evalResult] = await time(() => evaluateWeek(deps, now));
const [evalAgainMs] = await time(() => evaluateWeek(deps, now));
const benchSecret = await newTokenSecret();
const { token } = await db.transaction((tx) => issueToken(tx, null, now, { orgId: root, role: "viewer", label: "bench" }, benchSecret));
const app = createApp({ db, now: () => now });
const [apiMs, apiRes] = await time(async () => (await app.request("/api/compliance?week=2026-W47&pageSize=20", { headers: { authorization: `Bearer ${token}` } })).json());
const [rangeMs] = await time(async () => (await app.request("/api/compliance?from=2026-W40&to=2026-W47&pageSize=20", { headers: { authorization: `Bearer ${token}` } })).json());
const [sampleMs, sampleRes] = await time(() => quarterlySampling(deps, new Date("2026-10-01T00:00:00Z")));

const row = (name: string, ms: number) => console.log(`${name.padEnd(46)} ${ms.toFixed(0).padStart(7)} ms   ${(ms / floorMs).toFixed(1).padStart(7)} × floor`);
console.log(`accounts ${N}, posts ${posts}, seeded in ${(seedMs / 1000).toFixed(1)} s`);
row("floor: one SQL scan counting 16 weeks of posts", floorMs);
row("evaluate-week (judge, alerts, recommendations)", evalMs);
row("evaluate-week again (idempotent rerun)", evalAgainMs);
row("GET /api/compliance one week, whole province", apiMs);
row("GET /api/compliance 8 weeks, whole province", rangeMs);
row(`quarterly-sampling (${(sampleRes as { units: number }).units} units)`, sampleMs);
console.log("evaluate-week:", JSON.stringify({ ...(evalResult as object), assessed: undefined, delivery: undefined }), "alerts opened:", JSON.stringify((evalResult as { assessed: { opened: unknown } }).assessed.opened));
console.log("compliance summary:", JSON.stringify((apiRes as { summary: { overall: unknown } }).summary.overall));
client.close();
await deps.fetchFeed.close();
rmSync(dir, { recursive: true, force: true });
