// The real Node entry and CLI as a user runs them: a temp database file, a real port.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsx = join(process.cwd(), "node_modules/.bin/tsx");
const dir = mkdtempSync(join(tmpdir(), "govmedia-"));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, "sub", "govmedia.db")}`, RUN_JOBS: "false" };
const port = 20000 + Math.floor(Math.random() * 20000);
let server: ChildProcess;

async function waitFor(url: string, ms = 20000) {
  const start = Date.now();
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch {}
    if (Date.now() - start > ms) throw new Error(`server did not answer ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  server = spawn(tsx, ["src/node.ts"], { env: { ...env, PORT: String(port) }, stdio: "pipe" });
  await waitFor(`http://127.0.0.1:${port}/health`);
});
afterAll(() => {
  server?.kill("SIGTERM");
});

describe("node entry", () => {
  it("creates and migrates the database file, serves /health and /api/docs", async () => {
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health.status).toBe("ok");
    const docs = await fetch(`http://127.0.0.1:${port}/api/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("govmedia");
    const spec = await (await fetch(`http://127.0.0.1:${port}/api/openapi.json`)).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/api/orgs", "/api/accounts", "/api/filings", "/api/audit", "/api/tokens"]));
  });

  it("bootstraps once through the CLI, and the token works against the running server", async () => {
    const { stdout } = await run(tsx, ["src/cli.ts", "bootstrap", "--name", "盘锦市人民政府", "--level", "city"], { env });
    const out = JSON.parse(stdout.trim());
    expect(out).toEqual({ orgId: expect.any(String), token: expect.stringMatching(/^gm_/) });
    const orgs = await (
      await fetch(`http://127.0.0.1:${port}/api/orgs`, { headers: { authorization: `Bearer ${out.token}` } })
    ).json();
    expect(orgs.items.map((o: { name: string }) => o.name)).toEqual(["盘锦市人民政府"]);
    const again = await run(tsx, ["src/cli.ts", "bootstrap", "--name", "x", "--level", "city"], { env }).catch((e) => e);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("拒绝");
    const badLevel = await run(tsx, ["src/cli.ts", "bootstrap", "--name", "x", "--level", "village"], { env }).catch((e) => e);
    expect(badLevel.code).toBe(2);
  });
});
