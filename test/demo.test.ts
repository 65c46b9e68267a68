// `npm run demo` and the synthetic generator: the fictional city seeded through the real write paths
// into a temp database file, rerun without duplicates, and served by the real command on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { createDb, type Db } from "../src/db/client";
import { openEmbedded } from "../src/db/embedded";
import { migrate } from "../src/db/migrate";
import { loadMigrations } from "../src/db/migrations-fs";
import { accounts, alerts, feedState, filings, inspections, orgs, samplingRounds } from "../src/db/schema";
import { bootstrap } from "../src/commands/bootstrap";
import { databaseState, DemoRefused, ensureDemo, type DemoReady } from "../src/demo/demo";
import { buildPlan } from "../src/demo/plan";
import { databaseCounts, seedPlan } from "../src/demo/seed";
import { addWeeks, weekOf } from "../src/domain/weeks";
import { findActor } from "../src/lib/auth";
import { openDatabase } from "../src/node-db";

const NOW = new Date("2026-11-25T04:00:00Z"); // a Wednesday in Q4: the period covers Q3 and Q4
const dir = mkdtempSync(join(tmpdir(), "govmedia-demo-"));
const url = `file:${join(dir, "demo.db")}`;
let db: Db;
let close: () => void;
let first: DemoReady;

beforeAll(async () => {
  const opened = await openDatabase(url);
  db = opened.db;
  close = () => opened.client.close();
  expect((await databaseState(db)).kind).toBe("empty");
  first = await ensureDemo(db, { now: NOW });
}, 120_000);
afterAll(() => close?.());

describe("npm run demo: the seeded city", () => {
  it("is 青川市 with three counties and about 150 accounts on a realistic platform mix", async () => {
    expect(first.created).toBe(true);
    expect(first.seed!.skipped).toEqual([]);
    expect(first.rootName).toBe("青川市人民政府");
    const counties = await db.select({ name: orgs.name }).from(orgs).where(sql`${orgs.kind} = 'government' AND ${orgs.level} = 'county'`);
    expect(counties.map((c) => c.name).sort()).toEqual(["东河县人民政府", "南湖区人民政府", "西岭县人民政府"].sort());
    expect((await db.select({ n: count() }).from(orgs).where(eq(orgs.kind, "zone")))[0]!.n).toBe(1);
    const byPlatform = await db.select({ platform: accounts.platform, n: count() }).from(accounts).groupBy(accounts.platform);
    const total = byPlatform.reduce((s, r) => s + r.n, 0);
    expect(total).toBeGreaterThanOrEqual(120);
    expect(total).toBeLessThanOrEqual(180);
    const share = (p: string) => (byPlatform.find((r) => r.platform === p)?.n ?? 0) / total;
    expect(share("wechat")).toBeGreaterThan(0.6);
    expect(share("wechat")).toBeLessThan(0.8);
    expect(share("weibo")).toBeGreaterThan(0.12);
    expect(share("weibo")).toBeLessThan(0.28);
    expect((await db.select({ n: count() }).from(accounts).where(eq(accounts.accountType, "service")))[0]!.n).toBeGreaterThan(0);
  });

  it("has filings of every kind in every state, decided by the filing authority", async () => {
    const got = await db.select({ kind: filings.kind, status: filings.status, n: count() }).from(filings).groupBy(filings.kind, filings.status);
    for (const kind of ["open", "change", "suspend", "close", "merge"]) {
      for (const status of ["submitted", "approved", "rejected"]) {
        expect(got.find((r) => r.kind === kind && r.status === status)?.n ?? 0, `${kind}/${status}`).toBeGreaterThan(0);
      }
    }
    const statuses = new Set((await db.selectDistinct({ s: accounts.status }).from(accounts)).map((r) => r.s));
    for (const s of ["active", "pending", "suspended", "closing", "closed", "merged", "rejected"]) {
      // A suspension may have been resumed; every other end state is there.
      if (s !== "suspended") expect(statuses, s).toContain(s);
    }
  });

  it("has spot-check rounds for two quarters with failures, deadlines and rectifications", async () => {
    const quarters = new Set((await db.select({ y: samplingRounds.year, q: samplingRounds.quarter }).from(samplingRounds)).map((r) => `${r.y}Q${r.q}`));
    expect([...quarters].sort()).toEqual(["2026Q3", "2026Q4"]);
    const list = await db.select().from(inspections);
    expect(list.filter((i) => i.result === "pass").length).toBeGreaterThan(10);
    const failed = list.filter((i) => i.result === "fail");
    expect(failed.length).toBeGreaterThan(3);
    expect(failed.every((i) => i.deadline && i.problems.length > 0)).toBe(true);
    expect(failed.some((i) => i.rectifiedAt)).toBe(true);
    expect(failed.some((i) => !i.rectifiedAt && i.deadline! < "2026-11-25")).toBe(true); // 逾期未整改
  });

  it("shows week statuses, dormant and chronically low accounts, failing feeds and alerts in every state", async () => {
    const app = createApp({ db, now: () => NOW });
    const get = async (path: string) => {
      const res = await app.request(path, { headers: { authorization: `Bearer ${first.supervisorToken}` } });
      expect(res.status, path).toBe(200);
      return res.json();
    };
    const last = addWeeks(weekOf(NOW), -1);
    const eight = `from=${addWeeks(last, -7).id}&to=${last.id}`;
    const summary = (await get(`/api/compliance?${eight}&pageSize=1`)).summary.overall;
    expect(summary.compliant).toBeGreaterThan(summary.below);
    expect(summary.below).toBeGreaterThan(0);
    expect(summary.unknown).toBeGreaterThan(0);
    expect(summary.exempt).toBeGreaterThan(0);
    // Chronically low (长期未达标): below the minimum in at least four of the last eight weeks.
    const below = await get(`/api/compliance?${eight}&status=below&pageSize=500`);
    const weeksBelow = new Map<string, number>();
    for (const r of below.items) weeksBelow.set(r.accountId, (weeksBelow.get(r.accountId) ?? 0) + 1);
    expect([...weeksBelow.values()].filter((n) => n >= 4).length).toBeGreaterThanOrEqual(5);

    const byKind = await db.select({ kind: alerts.kind, status: alerts.status, n: count() }).from(alerts).groupBy(alerts.kind, alerts.status);
    const open = (kind: string) => byKind.filter((r) => r.kind === kind && r.status !== "resolved").reduce((s, r) => s + r.n, 0);
    expect(open("dormant_90d")).toBeGreaterThanOrEqual(3); // 僵尸账号: nothing for more than 90 days
    expect(open("no_update_14d")).toBeGreaterThanOrEqual(2);
    expect(open("feed_failing")).toBeGreaterThanOrEqual(1);
    expect(open("below_minimum")).toBeGreaterThan(0);
    for (const status of ["open", "acknowledged", "resolved"]) expect(byKind.some((r) => r.status === status), status).toBe(true);
    const failing = await db.select().from(feedState).where(sql`${feedState.consecutiveFailures} >= 3`);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing[0]!.lastError).toContain("域名无法解析");

    // The supervisor sees the city's alerts through the API.
    expect((await get("/api/alerts?status=open&pageSize=1")).total).toBeGreaterThan(10);
  });

  it("seeds nothing twice: a rerun keeps every count and issues a working new token", async () => {
    const before = await databaseCounts(db);
    const again = await ensureDemo(db, { now: new Date(NOW.getTime() + 3_600_000) });
    expect(again.created).toBe(false);
    expect(again.rootOrgId).toBe(first.rootOrgId);
    expect(await databaseCounts(db)).toEqual(before);
    expect(again.supervisorToken).not.toBe(first.supervisorToken);
    expect((await findActor(db, again.supervisorToken))?.role).toBe("supervisor");
    expect((await findActor(db, again.adminToken))?.role).toBe("admin");
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe("npm run demo as a command", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    // npm → sh → tsx → node: the whole process group we started, by its id.
    if (child?.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
    }
  });

  it("serves the demo database and prints a supervisor token that logs in", async () => {
    const port = await freePort();
    child = spawn("npm", ["run", "demo"], { env: { ...process.env, DATABASE_URL: url, PORT: String(port), RUN_JOBS: "false" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const start = Date.now();
    while (!/主管单位令牌[^\n]*?(gm_[\w-]+)/.test(out)) {
      if (Date.now() - start > 40_000) throw new Error(`no token printed:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const token = /主管单位令牌[^\n]*?(gm_[\w-]+)/.exec(out)![1]!;
    expect(out).toContain(`http://127.0.0.1:${port}/login`);
    expect(out).not.toContain("正在生成演示数据"); // seeded above: reused, not seeded again
    const me = await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).org.name).toBe("青川市人民政府");
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(login.status).toBe(200);
  }, 60_000);
});

describe("npm run demo on someone else's database", () => {
  it("refuses a database that holds anything but a finished demo, and leaves it as it was", async () => {
    const client = await openEmbedded(":memory:");
    await migrate(client, loadMigrations());
    const mem = createDb(client);
    await bootstrap(mem, NOW, { name: "某市人民政府", level: "city" });
    expect((await databaseState(mem)).kind).toBe("other");
    await expect(ensureDemo(mem, { now: NOW })).rejects.toThrow(DemoRefused);
    expect(await databaseCounts(mem)).toMatchObject({ orgs: 1, accounts: 0 });
    client.close();
  });
});

describe("seed:synthetic generator", () => {
  async function memoryDb() {
    const client = await openEmbedded(":memory:");
    await migrate(client, loadMigrations());
    return { db: createDb(client), client };
  }
  async function seeded(seed: string) {
    const { db: mem, client } = await memoryDb();
    await seedPlan(mem, buildPlan({ accounts: 300, weeks: 2, seed, now: NOW }));
    const names = await mem.select({ name: accounts.name, platform: accounts.platform, platformId: accounts.platformId }).from(accounts).orderBy(accounts.platform, accounts.platformId, accounts.name);
    const orgNames = (await mem.select({ name: orgs.name }).from(orgs).orderBy(orgs.name)).map((o) => o.name);
    const counts = await databaseCounts(mem);
    client.close();
    return { names, orgNames, counts };
  }

  it("gives the same jurisdiction for the same seed, and another for another seed", async () => {
    const a = await seeded("same");
    const b = await seeded("same");
    expect(a.counts.accounts).toBe(300);
    expect(a.counts.posts).toBeGreaterThan(1500);
    expect(b.counts).toEqual(a.counts);
    expect(b.names).toEqual(a.names);
    expect(b.orgNames).toEqual(a.orgNames);
    const c = buildPlan({ accounts: 300, weeks: 2, seed: "other", now: NOW });
    expect(c.accounts.map((x) => x.platformId)).not.toEqual(buildPlan({ accounts: 300, weeks: 2, seed: "same", now: NOW }).accounts.map((x) => x.platformId));
  }, 120_000);
});
