// Page cost: no page of the web UI issues more database statements with 500 accounts than with 50.
// The app runs over the real embedded database; only the client it is given counts what it executes
// (execute, batch statements, and the same inside transactions). Each page is rendered once at 50 and
// once at 500 accounts (with posts, alerts, filings and a sampling round), and the counts must match.
import type { Client, Transaction } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { bootstrap } from "../src/commands/bootstrap";
import { createDb } from "../src/db/client";
import { openEmbedded } from "../src/db/embedded";
import { migrate } from "../src/db/migrate";
import { loadMigrations } from "../src/db/migrations-fs";
import { accounts, accountStatusChanges, alerts, filings, posts } from "../src/db/schema";
import { exceljsCodec } from "../src/lib/spreadsheet-exceljs";

const COUNTED = new Set(["execute", "batch", "executeMultiple"]);

/** The client with a statement counter in front of it: every call still goes to the real database. */
function counting(client: Client) {
  const counter = { n: 0 };
  const count = (name: PropertyKey, args: unknown[]) => {
    counter.n += name === "batch" && Array.isArray(args[0]) ? args[0].length : 1;
  };
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, k) {
        const v = Reflect.get(t, k, t) as unknown;
        if (typeof v !== "function") return v;
        if (COUNTED.has(String(k))) {
          return (...args: unknown[]) => {
            count(k, args);
            return (v as (...a: unknown[]) => unknown).apply(t, args);
          };
        }
        if (k === "transaction") {
          return async (...args: unknown[]) => wrap((await (v as (...a: unknown[]) => Promise<Transaction>).apply(t, args)) as Transaction);
        }
        return (v as (...a: unknown[]) => unknown).bind(t);
      },
    });
  return { client: wrap(client), counter };
}

interface Seeded {
  app: ReturnType<typeof createApp>;
  counter: { n: number };
  close: () => void;
  admin: string;
  supervisor: string;
  accountId: string;
  roundId: string;
}

const NOW = new Date("2026-11-25T02:00:00Z");

async function seeded(n: number): Promise<Seeded> {
  const raw = await openEmbedded(":memory:", { gateWaitMs: 20_000 });
  await migrate(raw, loadMigrations());
  const { client, counter } = counting(raw);
  const db = createDb(client);
  const app = createApp({ db, now: () => NOW, spreadsheet: exceljsCodec });
  const root = await bootstrap(db, NOW, { name: "某市人民政府", level: "city" });
  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const org = async (name: string, kind: string, level: string, parentId: string) => (await api(root.token, "POST", "/api/orgs", { name, kind, level, parentId })).id as string;
  const county = await org("某县人民政府", "government", "county", root.orgId);
  const units = [root.orgId, await org("市教育局", "department", "city", root.orgId), county, await org("县卫健局", "department", "county", county)];
  const supervisor = (await api(root.token, "POST", "/api/tokens", { orgId: root.orgId, role: "supervisor", label: "政务公开办" })).token as string;

  const platforms = ["wechat", "weibo", "douyin", "app", "toutiao"] as const;
  const at = "2025-01-01T00:00:00.000Z";
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `acc-${n}-${i}`,
    orgId: units[i % units.length]!,
    platform: platforms[i % platforms.length]!,
    accountType: null,
    name: `账号${i}`,
    platformId: `pid-${i}`,
    url: null,
    feedUrl: null,
    openedOn: "2025-01-01",
    contactPerson: null,
    contactPhone: null,
    verifiedOwner: null,
    operationMode: null,
    operator: null,
    status: "active" as const,
    closingReason: null,
    mergedIntoId: null,
    origin: "import" as const,
    createdAt: at,
    updatedAt: at,
  }));
  for (let i = 0; i < rows.length; i += 100) {
    const chunk = rows.slice(i, i + 100);
    await db.insert(accounts).values(chunk);
    await db.insert(accountStatusChanges).values(chunk.map((a) => ({ accountId: a.id, status: "active" as const, at })));
    await db.insert(posts).values(
      chunk.flatMap((a) =>
        [0, 1].map((k) => ({
          id: `${a.id}-p${k}`,
          accountId: a.id,
          identity: `${a.id}-p${k}`,
          title: `发文${k}`,
          publishedAt: `2026-11-1${7 + k}T02:00:00.000Z`,
          dateSource: "given" as const,
          source: "api" as const,
          firstSeenAt: `2026-11-1${7 + k}T02:00:00.000Z`,
        })),
      ),
    );
    await db.insert(alerts).values(
      chunk.map((a) => ({
        id: `${a.id}-al`,
        accountId: a.id,
        orgId: a.orgId,
        kind: "below_minimum" as const,
        status: "open" as const,
        message: "上周更新未达标",
        detail: null,
        openedAt: "2026-11-23T01:00:00.000Z",
        lastSeenAt: "2026-11-23T01:00:00.000Z",
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        resolvedBy: null,
        note: null,
      })),
    );
    await db.insert(filings).values(
      chunk
        .filter((_, k) => k % 5 === 0)
        .map((a) => ({
          id: `${a.id}-f`,
          kind: "change" as const,
          accountId: a.id,
          orgId: a.orgId,
          authorityOrgId: root.orgId,
          status: "submitted" as const,
          changes: { contactPerson: "张三" },
          reason: null,
          submittedBy: "seed",
          submittedAt: "2026-11-20T02:00:00.000Z",
        })),
    );
  }
  const round = await api(supervisor, "POST", "/api/sampling-rounds", { governmentOrgId: root.orgId, year: 2026, quarter: 4 });
  return { app, counter, close: () => raw.close(), admin: root.token, supervisor, accountId: rows[0]!.id, roundId: round.id as string };
}

/** The pages, each with the role that uses it; ids filled in per database. */
const PAGES: { path: (s: Seeded) => string; as: "admin" | "supervisor" }[] = [
  { path: () => "/", as: "supervisor" },
  { path: () => "/accounts", as: "supervisor" },
  { path: () => "/accounts?sort=name&order=desc", as: "supervisor" },
  { path: () => "/accounts?flag=duplicate_platform", as: "supervisor" },
  { path: (s) => `/accounts/${s.accountId}`, as: "supervisor" },
  { path: () => "/alerts", as: "supervisor" },
  { path: () => "/alerts?status=&platform=wechat", as: "supervisor" },
  { path: () => "/compliance", as: "supervisor" },
  { path: () => "/compliance?week=2026-W46&platform=weibo", as: "supervisor" },
  { path: () => "/filings", as: "supervisor" },
  { path: () => "/sampling", as: "supervisor" },
  { path: (s) => `/sampling/${s.roundId}`, as: "supervisor" },
  { path: () => "/settings", as: "supervisor" },
  { path: () => "/rectification", as: "supervisor" },
  { path: () => "/audit", as: "admin" },
  { path: () => "/orgs", as: "admin" },
  { path: () => "/tokens", as: "admin" },
];

let small: Seeded;
let large: Seeded;

beforeAll(async () => {
  small = await seeded(50);
  large = await seeded(500);
}, 120_000);
afterAll(() => {
  small?.close();
  large?.close();
});

async function cost(s: Seeded, path: string, as: "admin" | "supervisor") {
  const before = s.counter.n;
  const res = await s.app.request(path, { headers: { cookie: `gm_token=${s[as]}` } });
  const html = await res.text();
  return { status: res.status, statements: s.counter.n - before, html };
}

async function measure(pages: typeof PAGES) {
  const report: string[] = [];
  const missing: string[] = [];
  const grew: string[] = [];
  for (const p of pages) {
    const a = await cost(small, p.path(small), p.as);
    const b = await cost(large, p.path(large), p.as);
    const path = p.path(small).replace(small.accountId, "{id}").replace(small.roundId, "{id}");
    if (a.status === 404 && b.status === 404) {
      missing.push(path);
      continue;
    }
    expect(a.status, `${path} at 50`).toBe(200);
    expect(b.status, `${path} at 500`).toBe(200);
    report.push(`${path.padEnd(44)} 50 → ${String(a.statements).padStart(3)}   500 → ${String(b.statements).padStart(3)}`);
    if (b.statements > a.statements) grew.push(`${path}: ${a.statements} → ${b.statements}`);
  }
  console.log(`statements per page (50 vs 500 accounts)\n${report.join("\n")}${missing.length ? `\nnot found (skipped): ${missing.join(", ")}` : ""}`);
  return grew;
}

describe("page cost", () => {
  it("the counter sees the statements the app runs", async () => {
    const before = small.counter.n;
    await small.app.request("/api/accounts", { headers: { authorization: `Bearer ${small.supervisor}` } });
    expect(small.counter.n).toBeGreaterThan(before);
  });

  it("no page issues more statements at 500 accounts than at 50", async () => {
    expect(await measure(PAGES)).toEqual([]);
    // The lists really are the big ones: the count says so, and the pager says page 1 of 10.
    const accountsPage = await cost(large, "/accounts", "supervisor");
    expect(accountsPage.html).toContain("共 500 个账号");
    expect(accountsPage.html).toContain("第 1/10 页");
  }, 120_000);

});
