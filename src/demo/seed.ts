// Writes a plan (src/demo/plan.ts) through the application's own write paths, so the data is what the
// application itself would have stored: orgs and tokens as the admin creates them, the old ledger as a
// ledger import stores it, filings through submitFiling/decideFiling, posts through the push/import
// path, feeds through the poll-feeds job, the weekly evaluation and dormancy jobs through runJob, rounds
// through createRound, inspections through recordInspection, rectifications and acknowledgements
// through the API. Time is simulated: each step runs with its own "now" inside the period.
import { count, eq } from "drizzle-orm";
import { JOBS, runJob, type JobDeps } from "../../jobs";
import { createApp } from "../app";
import { bootstrap } from "../commands/bootstrap";
import { decideFiling, submitFiling, type FilingRow } from "../commands/filings";
import { recordInspection } from "../commands/inspections";
import { createRound } from "../commands/sampling";
import { issueToken, newTokenSecret } from "../commands/tokens";
import type { Db } from "../db/client";
import { insertAccounts, type AccountRow } from "../db/queries/accounts";
import { writeAudit } from "../db/queries/audit";
import { loadOrgIndex, type OrgRow } from "../db/queries/org-tree";
import { storePosts } from "../db/queries/posts";
import { roundItems, type RoundRow } from "../db/queries/sampling";
import { accounts as accountsTable, alerts, filings as filingsTable, inspections, orgs as orgsTable, posts as postsTable, samplingRounds } from "../db/schema";
import type { ProblemCategory } from "../domain/inspection";
import { filingAuthority, isSamplingUnit, placementProblem } from "../domain/orgs";
import type { Role } from "../domain/roles";
import { addWeeks, quarterOf, quarterStart, shanghaiDate, weekOf } from "../domain/weeks";
import { resolvedActorEnv } from "../lib/auth";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { insertOrg } from "../commands/orgs";
import type { Actor } from "../lib/types";
import { toIncoming } from "../routes/posts/posts.handlers";
import { DAY_MS, planPosts, type Plan, type PlanAccount, type PlanFiling, type PlannedPost } from "./plan";
import { createRandom } from "./random";

/** The audit action that marks a database as a finished demo/synthetic seed (and names its root org). */
export const SEED_MARK = "demo.seed";

export interface SeedResult {
  rootOrgId: string;
  /** The admin token bootstrap issued; shown once, like any token. */
  adminToken: string;
  orgs: number;
  accounts: number;
  posts: number;
  filings: Record<string, number>;
  rounds: number;
  inspections: number;
  alerts: Record<string, number>;
  jobRuns: number;
  /** Steps the application refused (a rule changed under the generator); logged, not fatal. */
  skipped: string[];
  seconds: number;
}

export interface SeedOptions {
  log?: (line: string) => void;
}

const HOUR = 3_600_000;
/** How long the feeds have been read (weekly polls, then daily at the end). */
const FEED_WEEKS = 16;

/** A Beijing wall-clock time on the Shanghai day of `t`. */
function beijing(t: Date, hour: number, minute = 0): Date {
  return new Date(Date.parse(`${shanghaiDate(t)}T00:00:00+08:00`) + hour * HOUR + minute * 60_000);
}

function addDays(date: string, days: number): string {
  return shanghaiDate(new Date(Date.parse(`${date}T12:00:00+08:00`) + days * DAY_MS));
}

function xmlEscape(s: string) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** An RSS 2.0 document of the account's posts in (from, to]: what a working bridge would serve. */
function rssOf(a: PlanAccount, items: PlannedPost[]): string {
  const entries = items
    .map((p) => `<item><title>${xmlEscape(p.title)}</title>${p.url ? `<link>${xmlEscape(p.url)}</link>` : ""}<guid isPermaLink="false">${xmlEscape(p.guid)}</guid><pubDate>${p.publishedAt.toUTCString()}</pubDate></item>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${xmlEscape(a.name)}</title><link>${xmlEscape(a.url ?? "https://example.invalid/")}</link><description>${xmlEscape(a.name)}</description>${entries}</channel></rss>`;
}

interface Event {
  at: Date;
  order: number;
  run: () => Promise<void>;
}

/**
 * Writes the plan into an empty database, step by step in simulated time (each step's "now" is when it
 * happens in the period). A step the application refuses (AppError) is recorded in `skipped` and the
 * seed goes on; any other error stops it, and the database then has no seed mark.
 */
export async function seedPlan(db: Db, plan: Plan, opts: SeedOptions = {}): Promise<SeedResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const rng = createRandom(`${plan.options.seed}/seed`);
  const skipped: string[] = [];
  const refused = (what: string, e: unknown) => {
    if (!(e instanceof AppError)) throw e;
    skipped.push(`${what}: ${e.message}`);
  };
  let clock = plan.ledgerAt;
  const app = createApp({ db, now: () => clock });
  const api = async (actor: Actor, method: string, path: string, body: unknown) => {
    const res = await app.request(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, resolvedActorEnv(actor));
    if (res.status >= 300) skipped.push(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  };

  // 1. The root government and its admin token (初始化), a month before the ledger import.
  const [rootPlan, ...rest] = plan.orgs;
  const setupAt = new Date(plan.ledgerAt.getTime() - 30 * DAY_MS);
  const boot = await bootstrap(db, setupAt, { name: rootPlan!.name, level: rootPlan!.level });
  const [adminRow] = await db.select().from(orgsTable).where(eq(orgsTable.id, boot.orgId));
  const adminTokenId = (await db.query.tokens.findFirst({ where: (t, { eq: e }) => e(t.orgId, boot.orgId) }))!.id;
  const admin: Actor = { tokenId: adminTokenId, orgId: boot.orgId, orgPath: adminRow!.path, role: "admin" };

  // 2. The org tree, as the admin creates it (same rows and audit as POST /api/orgs).
  const orgRow = new Map<string, OrgRow>([[rootPlan!.key, adminRow!]]);
  for (let i = 0; i < rest.length; i += 200) {
    await db.transaction(async (tx) => {
      for (const o of rest.slice(i, i + 200)) {
        const parent = orgRow.get(o.parentKey!)!;
        const problem = placementProblem(o, parent);
        if (problem) throw new Error(`demo plan: ${o.name}: ${problem}`);
        const row = await insertOrg(tx, admin, setupAt, { name: o.name, kind: o.kind, level: o.level, parent });
        orgRow.set(o.key, row);
      }
    });
  }
  const index = await loadOrgIndex(db);
  const orgOf = (key: string) => orgRow.get(key)!;

  // 3. Tokens: a supervisor (主管单位) for every government and zone, an operator (主办单位) for every unit that files.
  const actors = new Map<string, Actor>();
  const wanted: { orgKey: string; role: Role; label: string }[] = [];
  for (const o of plan.orgs) {
    if (o.kind !== "department") wanted.push({ orgKey: o.key, role: "supervisor", label: `演示：${o.name}主管单位` });
  }
  const orgKeyOfAccount = new Map(plan.accounts.map((a) => [a.key, a.orgKey]));
  for (const key of new Set(plan.filings.map((f) => orgKeyOfAccount.get(f.accountKey)!))) {
    wanted.push({ orgKey: key, role: "operator", label: `演示：${orgOf(key).name}主办单位` });
  }
  const secrets = await Promise.all(wanted.map(() => newTokenSecret()));
  for (let i = 0; i < wanted.length; i += 200) {
    await db.transaction(async (tx) => {
      for (const [j, w] of wanted.slice(i, i + 200).entries()) {
        const org = orgOf(w.orgKey);
        const { id } = await issueToken(tx, admin, setupAt, { orgId: org.id, role: w.role, label: w.label }, secrets[i + j]!);
        actors.set(`${w.orgKey}:${w.role}`, { tokenId: id, orgId: org.id, orgPath: org.path, role: w.role });
      }
    });
  }
  const keyOfOrgId = new Map([...orgRow].map(([k, r]) => [r.id, k]));
  const supervisorOf = (orgId: string): Actor => actors.get(`${keyOfOrgId.get(orgId)}:supervisor`)!;
  /** The supervisor of the government (or zone) a unit belongs to: imports and pushes go through it. */
  const planOrg = new Map(plan.orgs.map((o) => [o.key, o]));
  const governmentActor = (orgKey: string): Actor => {
    let o = planOrg.get(orgKey)!;
    while (o.kind === "department") o = planOrg.get(o.parentKey!)!;
    return actors.get(`${o.key}:supervisor`)!;
  };
  const authorityActor = (account: AccountRow): Actor => supervisorOf(filingAuthority(index.get(account.orgId)!, index).id);
  log(`机构 ${plan.orgs.length} 个，令牌 ${wanted.length + 1} 个`);

  // 4. The old ledger (台账): accounts that existed before the period, imported by each government's supervisor.
  const accountId = new Map<string, string>();
  const rowOf = (a: PlanAccount, status: AccountRow["status"], origin: AccountRow["origin"], at: Date): AccountRow => ({
    id: newId(),
    orgId: orgOf(a.orgKey).id,
    platform: a.platform,
    accountType: a.accountType,
    name: a.name,
    platformId: a.platformId,
    url: a.url,
    feedUrl: a.feedUrl,
    openedOn: a.openedOn,
    contactPerson: a.contactPerson,
    contactPhone: a.contactPhone,
    verifiedOwner: a.verifiedOwner,
    operationMode: a.operationMode,
    operator: a.operator,
    status,
    closingReason: null,
    mergedIntoId: null,
    origin,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  });
  const ledger = plan.accounts.filter((a) => a.entry === "ledger");
  const byImporter = new Map<string, PlanAccount[]>();
  for (const a of ledger) {
    const k = governmentActor(a.orgKey).tokenId;
    byImporter.set(k, [...(byImporter.get(k) ?? []), a]);
  }
  for (const list of byImporter.values()) {
    const actor = governmentActor(list[0]!.orgKey);
    for (let i = 0; i < list.length; i += 200) {
      const rows = list.slice(i, i + 200).map((a) => rowOf(a, "active", "import", plan.ledgerAt));
      await db.transaction((tx) => insertAccounts(tx, actor, plan.ledgerAt, rows, "account.import"));
      list.slice(i, i + 200).forEach((a, j) => accountId.set(a.key, rows[j]!.id));
    }
  }
  log(`台账导入 ${ledger.length} 个账号`);

  // 5. The period's filings, in time order: each submitted by the unit, decided by its filing authority.
  const filingId = new Map<PlanFiling, string>();
  const filingCounts: Record<string, number> = {};
  const filingEvents: Event[] = [];
  for (const [order, f] of plan.filings.entries()) {
    filingEvents.push({ at: f.submittedAt, order, run: () => submit(f) });
    if (f.decidedAt) filingEvents.push({ at: f.decidedAt, order, run: () => decide(f) });
  }
  const planAccount = new Map(plan.accounts.map((a) => [a.key, a]));
  async function submit(f: PlanFiling) {
    const a = planAccount.get(f.accountKey)!;
    const actor = actors.get(`${a.orgKey}:operator`)!;
    try {
      const row = await db.transaction(async (tx) => {
        let account: AccountRow;
        if (f.kind === "open" && !f.retroactive) {
          // A new account: registered pending with its open filing, as POST /api/accounts does for a unit.
          account = rowOf(a, "pending", "filing", f.submittedAt);
          await insertAccounts(tx, actor, f.submittedAt, [account], "account.create");
          accountId.set(a.key, account.id);
        } else {
          [account] = (await tx.select().from(accountsTable).where(eq(accountsTable.id, accountId.get(a.key)!))) as [AccountRow];
        }
        const targetAccountId = f.targetKey ? accountId.get(f.targetKey) : undefined;
        return submitFiling(tx, actor, f.submittedAt, account, { kind: f.kind, changes: f.changes, reason: f.reason, completed: f.completed, targetAccountId });
      });
      filingId.set(f, row.id);
      if (f.outcome === "submitted") filingCounts[`${f.kind}:submitted`] = (filingCounts[`${f.kind}:submitted`] ?? 0) + 1;
    } catch (e) {
      refused(`备案提交 ${a.name}（${f.kind}）`, e);
    }
  }
  async function decide(f: PlanFiling) {
    const id = filingId.get(f);
    if (!id) return;
    try {
      await db.transaction(async (tx) => {
        const [filing] = (await tx.select().from(filingsTable).where(eq(filingsTable.id, id))) as [FilingRow];
        const [account] = (await tx.select().from(accountsTable).where(eq(accountsTable.id, filing.accountId))) as [AccountRow];
        await decideFiling(tx, authorityActor(account), f.decidedAt!, filing, { approve: f.outcome === "approved", note: f.note });
      });
      filingCounts[`${f.kind}:${f.outcome}`] = (filingCounts[`${f.kind}:${f.outcome}`] ?? 0) + 1;
    } catch (e) {
      refused(`备案审核 ${planAccount.get(f.accountKey)!.name}（${f.kind}）`, e);
    }
  }
  for (const e of filingEvents.sort((x, y) => x.at.getTime() - y.at.getTime() || x.order - y.order)) {
    clock = e.at;
    await e.run();
  }
  log(`备案 ${plan.filings.length} 件`);

  // 6. Posts pushed through the API (every four weeks) or imported from a sheet (every quarter), as the
  //    posts routes store them: the same identity rules, one short transaction per batch.
  // Feeds were set up some weeks into the period (FEED_WEEKS before now): what came before was imported.
  const feedFrom = new Date(Math.max(plan.start.getTime(), plan.now.getTime() - FEED_WEEKS * 7 * DAY_MS));
  let postCount = 0;
  for (const a of plan.accounts) {
    const id = accountId.get(a.key);
    if (!id) continue;
    const all = a.channel === "feed" ? planPosts(plan, a).filter((p) => p.publishedAt < feedFrom) : planPosts(plan, a);
    if (all.length === 0) continue;
    const stepDays = a.channel === "api" ? 28 : 91;
    const actor = governmentActor(a.orgKey);
    const source = a.channel === "api" ? "api" : "import"; // a feed account's earlier posts: imported
    // Each push or import is one request's worth (at most 1000 posts, as the route allows); the
    // account's requests are written together, a few thousand rows per transaction at most.
    const requests: { at: Date; posts: PlannedPost[] }[] = [];
    let i = 0;
    for (let end = plan.start.getTime() + stepDays * DAY_MS; i < all.length; end += stepDays * DAY_MS) {
      const at = new Date(Math.min(end, plan.now.getTime()));
      const batch: PlannedPost[] = [];
      while (i < all.length && all[i]!.publishedAt <= at) batch.push(all[i++]!);
      for (let k = 0; k < batch.length; k += 1000) requests.push({ at, posts: batch.slice(k, k + 1000) });
    }
    for (let r = 0; r < requests.length; ) {
      const group: typeof requests = [];
      for (let rows = 0; r < requests.length && (group.length === 0 || rows + requests[r]!.posts.length <= 3000); r++) {
        rows += requests[r]!.posts.length;
        group.push(requests[r]!);
      }
      postCount += await db.transaction(async (tx) => {
        let inserted = 0;
        for (const { at, posts } of group) {
          const incoming = toIncoming(posts.map((p) => ({ publishedAt: p.publishedAt.toISOString(), title: p.title, url: p.url ?? undefined, guid: p.guid })), at, a.platform);
          const res = await storePosts(tx, id, incoming, source, at);
          await writeAudit(tx, actor, at, { action: source === "api" ? "posts.push" : "posts.import", entity: "account", entityId: id, orgId: orgOf(a.orgKey).id, after: res });
          inserted += res.inserted;
        }
        return inserted;
      });
    }
  }
  log(`推送和导入发文 ${postCount} 条`);

  // 7. The monitored period, in time order: feed polls, the weekly evaluations, the spot-check rounds
  //    and their inspections, and the daily dormancy check at the end.
  const events: Event[] = [];
  let seq = 0;
  const schedule = (at: Date, run: () => Promise<void>) => {
    if (at.getTime() <= plan.now.getTime()) events.push({ at, order: seq++, run });
  };
  const feedAccounts = plan.accounts.filter((a) => a.channel === "feed" && accountId.has(a.key));
  const feedPosts = new Map(feedAccounts.map((a) => [a.feedUrl!, { a, posts: planPosts(plan, a) }]));
  // The bridge answers with the last ten days of posts until the account's stop date, then its host no longer resolves.
  const fetchFeed: JobDeps["fetchFeed"] = async (url) => {
    const f = feedPosts.get(url);
    if (!f || (f.a.stopAt && clock >= f.a.stopAt)) {
      const hostname = new URL(url).hostname;
      throw new TypeError("fetch failed", { cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }) });
    }
    const from = clock.getTime() - 10 * DAY_MS;
    const items = f.posts.filter((p) => p.publishedAt.getTime() > from && p.publishedAt <= clock);
    return new Response(rssOf(f.a, items), { status: 200, headers: { "content-type": "application/rss+xml; charset=utf-8" } });
  };
  const deps: JobDeps = {
    db,
    fetchFeed,
    feedAllowHosts: [],
    postWebhook: async () => new Response("demo: no webhooks", { status: 503 }),
  };
  let jobRuns = 0;
  const jobMs: Record<string, number> = {};
  const job = (name: keyof typeof JOBS & string) => async () => {
    const t = performance.now();
    await runJob(name, deps, clock);
    jobMs[name] = (jobMs[name] ?? 0) + performance.now() - t;
    jobRuns++;
  };
  if (feedAccounts.length > 0) {
    // Weekly on Sunday evening, daily over the last ten days (enough failures in a row for feed_failing).
    const dailyFrom = plan.now.getTime() - 10 * DAY_MS;
    for (let t = feedFrom.getTime(); t < plan.now.getTime(); t += t < dailyFrom ? 7 * DAY_MS : DAY_MS) {
      schedule(beijing(new Date(t), 20), job("poll-feeds"));
    }
  }
  // evaluate-week on the Monday 01:00 Beijing of each of the last twelve weeks (at most the period's length).
  const current = weekOf(plan.now);
  const weeksJudged = Math.min(12, plan.options.weeks - 1);
  for (let k = weeksJudged - 1; k >= 0; k--) schedule(new Date(addWeeks(current, -k).start.getTime() + HOUR), job("evaluate-week"));
  schedule(plan.now, job("dormancy"));

  // Spot-check rounds (季度抽查) of every sampling unit for this quarter and the one before, drawn on the
  // quarter's third day; inspections over the following weeks; some failures rectified, some overdue.
  const units = [...index.values()].filter(isSamplingUnit);
  const q = quarterOf(plan.now);
  const quarters = [q.quarter === 1 ? { year: q.year - 1, quarter: 4 as const } : { year: q.year, quarter: (q.quarter - 1) as 1 | 2 | 3 | 4 }, { year: q.year, quarter: q.quarter }];
  let roundCount = 0;
  let inspectionCount = 0;
  const profileOf = new Map<string, PlanAccount>();
  for (const [key, id] of accountId) profileOf.set(id, planAccount.get(key)!);
  for (const qq of quarters) {
    const drawAt = new Date(Math.min(beijing(new Date(quarterStart(qq.year, qq.quarter).getTime() + 2 * DAY_MS), 10).getTime(), plan.now.getTime() - HOUR));
    if (drawAt < plan.ledgerAt || drawAt < quarterStart(qq.year, qq.quarter)) continue;
    for (const unit of units) {
      schedule(drawAt, async () => {
        const actor = supervisorOf(unit.id);
        let round: RoundRow;
        try {
          ({ round } = await db.transaction((tx) => createRound(tx, actor, clock, { unit: unit as OrgRow, index, year: qq.year, quarter: qq.quarter, scope: "own", randomBytes: rng.bytes(16) })));
        } catch (e) {
          return refused(`抽查 ${unit.name}`, e);
        }
        roundCount++;
        const items = await roundItems(db, round.id);
        for (const item of items) {
          const on = new Date(drawAt.getTime() + (7 + rng.int(75)) * DAY_MS); // later ones still to do
          schedule(beijing(on, 9 + rng.int(8)), () => inspect(actor, round, item.accountId, item.reason));
        }
      });
    }
  }

  async function inspect(actor: Actor, round: RoundRow, accountIdValue: string, reason: string) {
    const a = profileOf.get(accountIdValue);
    const inspectedOn = shanghaiDate(clock);
    const failShare = !a ? 0.1 : a.profile === "normal" ? 0.06 : a.profile === "low" ? 0.4 : 0.7;
    const fails = reason === "recheck" || rng.chance(failShare);
    const problems: ProblemCategory[] = !a
      ? ["other"]
      : a.profile === "dormant"
        ? ["long_dormant"]
        : a.profile === "silent" || a.profile === "low"
          ? ["stale_2w"]
          : [rng.pick<ProblemCategory>(["typos", "bad_links", "interaction_broken", "typos"])];
    const deadline = addDays(inspectedOn, 15);
    const failInput = { accountId: accountIdValue, result: "fail" as const, problems, deadline, requirement: "限15日内完成整改，并将整改情况报送主管单位", inspector: `${rng.pick(["王", "李", "陈", "刘"])}${rng.pick(["科长", "同志"])}`, inspectedOn };
    const record = (input: Parameters<typeof recordInspection>[3]["inspection"]) => db.transaction((tx) => recordInspection(tx, actor, clock, { round, inspection: input }));
    let row: Awaited<ReturnType<typeof record>> | undefined;
    try {
      row = fails ? await record(failInput) : await record({ accountId: accountIdValue, result: "pass", problems: [], inspectedOn, inspector: failInput.inspector });
    } catch (e) {
      // A pass refused — two weeks without an update is 单项否决 (国办秘函〔2019〕19号), a re-check still
      // overdue stays 不合格 — is recorded as the rule says.
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      try {
        row = await record({ ...failInput, problems: reason === "recheck" ? ["overdue_unrectified"] : ["stale_2w"] });
      } catch (e2) {
        return refused(`检查 ${a?.name ?? accountIdValue}`, e2);
      }
    }
    inspectionCount++;
    // Most failures are rectified within the deadline; the rest stay overdue (逾期未整改) and come back as re-checks.
    if (row.result === "fail" && rng.chance(0.6)) {
      const done = new Date(clock.getTime() + (3 + rng.int(12)) * DAY_MS);
      const id = row.id;
      schedule(beijing(done, 15), async () => {
        await api(actor, "POST", `/api/inspections/${id}/rectification`, { rectifiedAt: shanghaiDate(clock), note: "已按要求完成整改，恢复正常更新并建立内容审核台账" });
      });
    }
  }

  while (events.length > 0) {
    events.sort((x, y) => x.at.getTime() - y.at.getTime() || x.order - y.order);
    const e = events.shift()!;
    clock = e.at;
    await e.run();
  }
  log(`任务运行 ${jobRuns} 次（${Object.entries(jobMs).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} 秒`).join("，")}），抽查 ${roundCount} 轮，检查记录 ${inspectionCount} 条`);

  // Some open alerts already seen by the unit's office (已知悉), through the API as a clerk would.
  clock = plan.now;
  const open = await db.select({ id: alerts.id, orgId: alerts.orgId, openedAt: alerts.openedAt }).from(alerts).where(eq(alerts.status, "open"));
  for (const al of open.filter((x) => Date.parse(x.openedAt) < plan.now.getTime() - DAY_MS && rng.chance(0.3))) {
    const org = index.get(al.orgId);
    if (!org) continue;
    await api(supervisorOf(filingAuthority(org, index).id), "POST", `/api/alerts/${al.id}/acknowledge`, { note: "已通知主办单位限期整改" });
  }

  const alertRows = await db.select({ kind: alerts.kind, status: alerts.status, n: count() }).from(alerts).groupBy(alerts.kind, alerts.status);
  const alertCounts: Record<string, number> = {};
  for (const r of alertRows) alertCounts[r.status] = (alertCounts[r.status] ?? 0) + r.n;
  const [postTotal] = await db.select({ n: count() }).from(postsTable);
  const result: SeedResult = {
    rootOrgId: boot.orgId,
    adminToken: boot.token,
    orgs: plan.orgs.length,
    accounts: accountId.size,
    posts: postTotal?.n ?? 0,
    filings: filingCounts,
    rounds: roundCount,
    inspections: inspectionCount,
    alerts: alertCounts,
    jobRuns,
    skipped,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
  // Written last: a database without this mark holds an interrupted seed, not a finished one.
  await db.transaction((tx) =>
    writeAudit(tx, admin, plan.now, {
      action: SEED_MARK,
      entity: "org",
      entityId: boot.orgId,
      orgId: boot.orgId,
      after: { ...result, seed: plan.options.seed, weeks: plan.options.weeks, now: plan.now.toISOString(), adminToken: undefined, skipped: skipped.length },
    }),
  );
  return result;
}

/** Counts that say what a database holds (used by the CLI's summary and the tests). */
export async function databaseCounts(db: Db) {
  const n = async (table: typeof orgsTable | typeof accountsTable | typeof postsTable | typeof filingsTable | typeof samplingRounds | typeof inspections) =>
    (await db.select({ n: count() }).from(table))[0]?.n ?? 0;
  return {
    orgs: await n(orgsTable),
    accounts: await n(accountsTable),
    posts: await n(postsTable),
    filings: await n(filingsTable),
    rounds: await n(samplingRounds),
    inspections: await n(inspections),
  };
}

