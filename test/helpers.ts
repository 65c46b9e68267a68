// Test harness: the real app on a real libSQL database (in memory), called in-process.
import { createApp } from "../src/app";
import { createDb } from "../src/db/client";
import { openEmbedded } from "../src/db/embedded";
import { migrate } from "../src/db/migrate";
import { loadMigrations } from "../src/db/migrations-fs";
import type { OrgLevel } from "../src/domain/orgs";
import { exceljsCodec } from "../src/lib/spreadsheet-exceljs";
import { bootstrap } from "../src/commands/bootstrap";

export async function makeTestApp(opts: { at?: string; webhookAllowHosts?: string[] } = {}) {
  // The same gated client the Node entry uses: writes take turns, as in production.
  const client = await openEmbedded(":memory:", { gateWaitMs: 20_000 });
  await migrate(client, loadMigrations());
  const db = createDb(client);
  const clock = { now: new Date(opts.at ?? "2026-11-23T02:00:00Z") };
  const app = createApp({ db, now: () => clock.now, spreadsheet: exceljsCodec, webhookAllowHosts: opts.webhookAllowHosts });

  async function maxAuditId() {
    const r = await client.execute("SELECT coalesce(max(id), 0) AS n FROM audit_log");
    return Number(r.rows[0]!.n);
  }

  async function call(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } };
    if (token) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
    if (body !== undefined) {
      if (typeof body === "string" || body instanceof Uint8Array) init.body = body as BodyInit;
      else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] = "application/json";
      }
    }
    const auditBefore = await maxAuditId();
    const res = await app.request(path, init);
    // Every successful mutation leaves an audit row (issue 2): checked on every call of every test.
    // Not mutations: dry runs, and a round request answered with the existing round (200, not 201).
    const readOnly = method === "GET" || /[?&]dryRun=(true|1)\b/.test(path) || (path === "/api/sampling-rounds" && res.status === 200);
    if (!readOnly && res.status < 300 && (await maxAuditId()) <= auditBefore) {
      throw new Error(`${method} ${path} answered ${res.status} but wrote no audit row`);
    }
    const text = res.headers.get("content-type")?.includes("json") ? await res.text() : null;
    return { status: res.status, body: text ? JSON.parse(text) : null, res };
  }

  return {
    app,
    db,
    client,
    clock,
    call,
    bootstrap: (name: string, level: OrgLevel) => bootstrap(db, clock.now, { name, level }),
    close: () => client.close(),
  };
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;

/** Creates an org and returns its id. */
export async function org(t: TestApp, admin: string, name: string, kind: "government" | "department" | "zone", level: OrgLevel, parentId: string) {
  const r = await t.call(admin, "POST", "/api/orgs", { name, kind, level, parentId });
  if (r.status !== 201) throw new Error(`org ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

export async function token(t: TestApp, admin: string, orgId: string, role: string, label = role) {
  const r = await t.call(admin, "POST", "/api/tokens", { orgId, role, label });
  if (r.status !== 201) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}
