// A real Node server on a temp database and a real Chromium, for the web UI's browser tests.
// Needs /usr/bin/chromium (.ci/run installs it). Screenshots go to test-screenshots/ (git-ignored).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";

const run = promisify(execFile);
const tsx = join(process.cwd(), "node_modules/.bin/tsx");
export const SCREENSHOT_DIR = join(process.cwd(), "test-screenshots");

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface UiServer {
  base: string;
  dir: string;
  /** The bootstrap's root org and admin token. */
  rootOrgId: string;
  rootToken: string;
  api(token: string, method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  stop(): void;
}

/** Bootstraps a root government on a fresh temp database and serves it on a random loopback port. */
export async function startUiServer(opts: { rootName?: string; level?: string; env?: Record<string, string> } = {}): Promise<UiServer> {
  const dir = mkdtempSync(join(tmpdir(), "govmedia-ui-"));
  const env = { ...process.env, DATABASE_URL: `file:${join(dir, "ui.db")}`, RUN_JOBS: "false", ...opts.env };
  const port = 20000 + Math.floor(Math.random() * 20000);
  const base = `http://127.0.0.1:${port}`;
  const { stdout } = await run(tsx, ["src/cli.ts", "bootstrap", "--name", opts.rootName ?? "某市人民政府", "--level", opts.level ?? "city"], { env });
  const root = JSON.parse(stdout.trim()) as { orgId: string; token: string };
  const server: ChildProcess = spawn(tsx, ["src/node.ts"], { env: { ...env, PORT: String(port) }, stdio: "ignore" });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  const api = async (token: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: r.status, body: parsed };
  };
  return { base, dir, rootOrgId: root.orgId, rootToken: root.token, api, stop: () => void server.kill("SIGTERM") };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A new page logged in with the token through the login form. */
export async function loggedIn(browser: Browser, base: string, token: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage(viewport ? { viewport } : undefined);
  await page.goto(`${base}/login`);
  await page.fill("input[name=token]", token);
  await page.click("button[type=submit]");
  return page;
}

/** Saves a full-page screenshot as test-screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
