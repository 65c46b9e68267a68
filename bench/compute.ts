// B1 (evaluate-week), B4 (quarterly sampling), B5 (both at growing sizes) and their peak RSS. Each
// size is a fresh temp-file database seeded from the synthetic generator (src/demo) through the fast
// write path; seeding is timed apart and printed as an info line. Every figure has a floor measured in
// the same process on the same data:
//  - evaluate-week: one SQL aggregate counting the week's posts per account, plus one batched write of
//    N status rows into a scratch table shaped like a weekly status row;
//  - quarterly sampling: one query reading the in-use accounts, grouped by sampling unit, plus a seeded
//    shuffle of each unit's ids (the domain's cyrb128/sfc32, Fisher–Yates).
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type Client } from "@libsql/client";
import { evaluateWeek } from "../jobs/evaluate-week";
import type { JobDeps } from "../jobs/deps";
import { quarterlySampling } from "../jobs/quarterly-sampling";
import { createDb } from "../src/db/client";
import { loadOrgIndex } from "../src/db/queries/org-tree";
import { fastSeed, type FastSeedResult } from "../src/demo/fast-seed";
import { buildPlan } from "../src/demo/plan";
import { IN_USE_STATUSES } from "../src/domain/lifecycle";
import { samplingUnit } from "../src/domain/orgs";
import { cyrb128, sfc32, streamKey } from "../src/domain/sampling";
import { addWeeks, quarterOf, quarterStart, weekOf } from "../src/domain/weeks";
import { openDatabase } from "../src/node-db";

export interface ComputeOptions {
  quick: boolean;
  print: (line: string) => void;
  /** B5 sizes (accounts); default 500, 5,000, 50,000, 150,000 (quick: 200, 1,000, 5,000). */
  sizes?: number[];
  /** B1/B4 size; default 5,000 (quick: 500). */
  size?: number;
  /** Weeks of posting history before now; default 26. */
  weeks?: number;
  /** Measure a copy of this seeded database (`--seed-into`) at the B1/B4 size instead of seeding it. */
  from?: string;
}

/** Monday 2026-11-23 01:00 Beijing: evaluate-week's own schedule, judging 2026-W47. */
const NOW = new Date("2026-11-22T17:00:00Z");
const SEED = "bench";

interface Measured {
  accounts: number;
  posts: number;
  seedMs: number;
  evalMs: number;
  evalFloorMs: number;
  units: number;
  sampleMs: number;
  sampleFloorMs: number;
}

const mib = () => Math.round(process.resourceUsage().maxRSS / 1024);
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

/** Floor of B1: the week's posts counted per in-use account in one aggregate, then N status rows written in one transaction. */
async function evaluateFloor(client: Client): Promise<number> {
  const week = addWeeks(weekOf(NOW), -1);
  const statuses = IN_USE_STATUSES.map((s) => `'${s}'`).join(",");
  const { rows } = await client.execute({
    sql: `SELECT a.id AS id, count(p.id) AS n FROM accounts a LEFT JOIN posts p ON p.account_id = a.id AND p.published_at >= ? AND p.published_at < ? AND p.backfill = 0
          WHERE a.status IN (${statuses}) GROUP BY a.id`,
    args: [week.start.toISOString(), week.end.toISOString()],
  });
  const stmts = [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    stmts.push({
      sql: `INSERT INTO bench_week_status (account_id, week, status, posts, required) VALUES ${chunk.map(() => "(?,?,?,?,?)").join(",")}
            ON CONFLICT (account_id, week) DO UPDATE SET status = excluded.status, posts = excluded.posts, required = excluded.required`,
      args: chunk.flatMap((r) => [r.id as string, week.id, Number(r.n) >= 3 ? "compliant" : "below", Number(r.n), 3]),
    });
  }
  await client.batch(stmts, "write");
  return rows.length;
}

/** Floor of B4: the in-use accounts in one query, grouped by sampling unit, each unit's ids shuffled with a seeded stream. */
async function samplingFloor(client: Client, db: Awaited<ReturnType<typeof openDatabase>>["db"]): Promise<number> {
  const index = await loadOrgIndex(db);
  const statuses = IN_USE_STATUSES.map((s) => `'${s}'`).join(",");
  const { rows } = await client.execute(`SELECT id, org_id FROM accounts WHERE status IN (${statuses}) ORDER BY id`);
  const byUnit = new Map<string, string[]>();
  for (const r of rows) {
    const unit = samplingUnit(index.get(r.org_id as string)!, index);
    if (!unit) continue;
    let list = byUnit.get(unit.id);
    if (!list) byUnit.set(unit.id, (list = []));
    list.push(r.id as string);
  }
  let drawn = 0;
  for (const [unitId, ids] of byUnit) {
    const next = sfc32(...cyrb128(streamKey(unitId, 4)));
    for (let i = ids.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    drawn += Math.ceil(ids.length / 2);
  }
  return drawn;
}

/**
 * Migrated by openDatabase, then seeded through a plain one-connection client without fsyncs (and
 * without the app's write gate, whose pauses are for sharing the file with other writers).
 */
async function seedHere(url: string, n: number, weeks: number): Promise<FastSeedResult> {
  (await openDatabase(url)).client.close();
  const raw = createClient({ url, concurrency: 1 }); // one connection: fastSeed's PRAGMAs hold for every write
  try {
    return await fastSeed(raw, createDb(raw), buildPlan({ accounts: n, weeks, seed: SEED, now: NOW }));
  } finally {
    raw.close();
  }
}

/**
 * Seeds in a child process when running under tsx (npm run bench), so the peak RSS printed is the
 * jobs', not the seeding's (the libSQL driver keeps a few hundred MiB per million rows written);
 * in-process otherwise (vitest).
 */
async function seedDatabase(url: string, n: number, weeks: number): Promise<FastSeedResult> {
  if (!process.execArgv.some((a) => a.includes("tsx"))) return seedHere(url, n, weeks);
  const { execFileSync } = await import("node:child_process");
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--seed-into", url, "--accounts", String(n), "--weeks", String(weeks)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as FastSeedResult;
}

/** Copies a seeded database file and counts what it holds. */
async function copySeeded(from: string, to: string): Promise<FastSeedResult> {
  copyFileSync(from.replace(/^file:/, ""), to);
  const c = createClient({ url: `file:${to}` });
  try {
    const n = async (table: string) => Number((await c.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    const root = await c.execute("SELECT id FROM orgs WHERE parent_id IS NULL LIMIT 1");
    return { rootOrgId: String(root.rows[0]?.id ?? ""), orgs: await n("orgs"), accounts: await n("accounts"), posts: await n("posts") };
  } finally {
    c.close();
  }
}

async function measure(n: number, weeks: number, print: (l: string) => void, from?: string): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "govmedia-bench-"));
  const url = `file:${join(dir, "bench.db")}`;
  // --from: a copy of a database seeded before (`--seed-into`), for sizes whose seeding takes long.
  const [seedMs, seeded] = from ? await timed(() => copySeeded(from, join(dir, "bench.db"))) : await timed(() => seedDatabase(url, n, weeks));
  const { client, db } = await openDatabase(url);
  try {
    await client.execute("CREATE TABLE bench_week_status (account_id TEXT NOT NULL, week TEXT NOT NULL, status TEXT NOT NULL, posts INTEGER NOT NULL, required INTEGER NOT NULL, PRIMARY KEY (account_id, week))");
    print(`seed ${n}: ${seeded.accounts} accounts, ${seeded.orgs} orgs, ${seeded.posts} posts over ${weeks} weeks in ${(seedMs / 1000).toFixed(1)} s (not measured)`);
    const deps: JobDeps = {
      db,
      fetchFeed: async () => new Response("bench: no feeds", { status: 503 }),
      feedAllowHosts: [],
      postWebhook: async () => new Response("bench: no webhooks", { status: 503 }),
    };
    // Last Monday's run first, as every installation has had one: it keeps the counts of the weeks
    // then over (week_tallies), so the measured run counts the week just ended from posts and reads
    // the older weeks of the chronic window from the kept counts. Printed, not measured.
    const [previousMs] = await timed(() => evaluateWeek(deps, new Date(NOW.getTime() - 7 * 86_400_000)));
    print(`previous week's evaluate-week ${seeded.accounts} accounts: ${fmt(previousMs)} ms (counts the whole window from posts; not measured)`);
    const [evalMs] = await timed(() => evaluateWeek(deps, NOW));
    const [evalFloorMs] = await timed(() => evaluateFloor(client));
    // The quarter's draw as the job runs it on the quarter's first day (population at the quarter's start).
    const q = quarterOf(NOW);
    const drawAt = new Date(quarterStart(q.year, q.quarter).getTime() + 8 * 3_600_000);
    const [sampleMs, sampled] = await timed(() => quarterlySampling(deps, drawAt));
    const [sampleFloorMs] = await timed(() => samplingFloor(client, db));
    return { accounts: seeded.accounts, posts: seeded.posts, seedMs, evalMs, evalFloorMs, units: sampled.units, sampleMs, sampleFloorMs };
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(opts: ComputeOptions): Promise<void> {
  const { print, quick } = opts;
  const weeks = opts.weeks ?? 26;
  const size = opts.size ?? (quick ? 500 : 5000);
  const sizes = opts.sizes ?? (quick ? [200, 1000, 5000] : [500, 5000, 50_000, 150_000]);

  const results = new Map<number, Measured>();
  const at = async (n: number) => {
    let m = results.get(n);
    if (!m) results.set(n, (m = await measure(n, weeks, print, n === size ? opts.from : undefined)));
    return m;
  };

  const b1 = await at(size);
  print(`B1 evaluate-week ${b1.accounts} accounts: ${fmt(b1.evalMs)} ms, floor ${fmt(b1.evalFloorMs)} ms, ratio ${ratio(b1.evalMs, b1.evalFloorMs)}`);
  print(`B1 peak RSS ${mib()} MiB`);
  print(`B4 quarterly-sampling ${b1.units} units, ${b1.accounts} accounts: ${fmt(b1.sampleMs)} ms, floor ${fmt(b1.sampleFloorMs)} ms, ratio ${ratio(b1.sampleMs, b1.sampleFloorMs)}`);

  const perAccount: { n: number; evalUs: number; sampleUs: number }[] = [];
  for (const n of sizes) {
    const m = await at(n);
    const evalUs = (m.evalMs * 1000) / m.accounts;
    const sampleUs = (m.sampleMs * 1000) / m.accounts;
    perAccount.push({ n: m.accounts, evalUs, sampleUs });
    print(`B5 evaluate-week ${m.accounts}: ${evalUs.toFixed(0)} µs/account (${fmt(m.evalMs)} ms, floor ${fmt(m.evalFloorMs)} ms, ratio ${ratio(m.evalMs, m.evalFloorMs)}; ${m.posts} posts)`);
    print(`B5 quarterly-sampling ${m.accounts}: ${sampleUs.toFixed(0)} µs/account (${m.units} units, ${fmt(m.sampleMs)} ms, floor ${fmt(m.sampleFloorMs)} ms, ratio ${ratio(m.sampleMs, m.sampleFloorMs)})`);
  }
  const first = perAccount[0]!;
  const last = perAccount.at(-1)!;
  print(`B5 growth evaluate-week: ${first.n} → ${last.n} accounts, ratio ${ratio(last.evalUs, first.evalUs)}`);
  print(`B5 growth quarterly-sampling: ${first.n} → ${last.n} accounts, ratio ${ratio(last.sampleUs, first.sampleUs)}`);
  print(`B5 peak RSS ${mib()} MiB`);
}

// Run on its own: tsx bench/compute.ts [--quick] [--sizes 500,5000] [--size 5000] [--from file:seeded.db]
// (--seed-into <url> --accounts N --weeks W: the child that seeds one database, see seedDatabase.)
if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      sizes: { type: "string" },
      size: { type: "string" },
      "seed-into": { type: "string" },
      from: { type: "string" },
      accounts: { type: "string" },
      weeks: { type: "string" },
    },
  });
  if (values["seed-into"]) {
    console.log(JSON.stringify(await seedHere(values["seed-into"], Number(values.accounts), Number(values.weeks))));
  } else {
    await run({
      quick: values.quick ?? false,
      print: (l) => console.log(l),
      sizes: values.sizes?.split(",").map(Number),
      size: values.size ? Number(values.size) : undefined,
      from: values.from,
    });
  }
}
