import { originalShare } from "../../domain/reposts";
import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq, inArray, like, type SQL } from "drizzle-orm";
import { accounts, orgs } from "../../db/schema";
import { paceTarget, summarise } from "../../domain/compliance";
import { IN_USE_STATUSES, isInUse } from "../../domain/lifecycle";
import { PLATFORM_LABELS, type Platform } from "../../domain/platforms";
import { addWeeks, parseWeekId, weekOf, weekRange, type Week } from "../../domain/weeks";
import { badRequest, notFound } from "../../lib/errors";
import type { AppEnv } from "../../lib/types";
import { computeCompliance } from "../../db/queries/compliance";
import { inSubtree, loadOrgIndex, visibleOrg } from "../../db/queries/org-tree";
import type * as routes from "./compliance.routes";

const MAX_WEEKS = 53;

function week(id: string, field: string): Week {
  const w = parseWeekId(id);
  if (!w) throw badRequest(`${field}：不存在的周“${id}”`);
  return w;
}

export const getCompliance: RouteHandler<typeof routes.getCompliance, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const actor = c.get("actor");
  const q = c.req.valid("query");
  let weeks: Week[];
  if (q.from || q.to) {
    if (!q.from || !q.to) throw badRequest("from 和 to 须同时填写");
    weeks = weekRange(week(q.from, "from"), week(q.to, "to"));
    if (weeks.length === 0) throw badRequest("from 不能晚于 to");
    if (weeks.length > MAX_WEEKS) throw badRequest(`一次最多查询 ${MAX_WEEKS} 周`);
  } else {
    weeks = [q.week ? week(q.week, "week") : addWeeks(weekOf(now()), -1)];
  }
  if (weeks[0]!.start > now()) throw badRequest(`${weeks[0]!.id} 尚未开始`);

  const where: SQL[] = [inSubtree(actor), inArray(accounts.status, [...IN_USE_STATUSES, "closed", "merged"])];
  if (q.orgId) where.push(like(orgs.path, `${(await visibleOrg(db, actor, q.orgId)).path}%`));
  if (q.platform) where.push(eq(accounts.platform, q.platform));
  if (q.accountId) {
    // An account outside the caller's subtree is "not found", as everywhere else.
    const [seen] = await db.select({ id: accounts.id }).from(accounts).innerJoin(orgs, eq(orgs.id, accounts.orgId)).where(and(inSubtree(actor), eq(accounts.id, q.accountId))).limit(1);
    if (!seen) throw notFound("账号");
    where.push(eq(accounts.id, q.accountId));
  }
  const list = await db
    .select({ a: accounts, orgName: orgs.name })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(and(...where))
    .orderBy(orgs.path, accounts.platform, accounts.name);
  const info = new Map(list.map((r) => [r.a.id, r]));
  const rows = (await computeCompliance(db, list.map((r) => r.a), weeks, await loadOrgIndex(db), now()))
    .map((r) => {
      const { a, orgName } = info.get(r.accountId)!;
      return { ...r, accountName: a.name, orgId: a.orgId, orgName, platform: a.platform, accountType: a.accountType };
    })
    // Closed or merged accounts appear only for weeks they were judged in.
    .filter((r) => r.status !== "exempt" || isInUse(info.get(r.accountId)!.a.status))
    .filter((r) => !q.status || r.status === q.status);

  const orgNames = new Map(rows.map((r) => [r.orgId, r.orgName]));
  // Each group's original share pools its rows' posts (the sums' ratio, not a mean of shares).
  const shares = (key: (r: (typeof rows)[number]) => string) => {
    const sums = new Map<string, { posts: number; reposts: number }>();
    for (const r of rows) {
      const s = sums.get(key(r)) ?? { posts: 0, reposts: 0 };
      s.posts += r.posts;
      s.reposts += r.reposts;
      sums.set(key(r), s);
    }
    return (k: string) => originalShare(sums.get(k) ?? { posts: 0, reposts: 0 });
  };
  const label = <T extends { key: string }>(list: T[], name: (k: string) => string, share: (k: string) => number | null) =>
    list.map((s) => ({ ...s, label: name(s.key), originalShare: share(s.key) }));
  // The rate is over judged rows only (compliant + below); judged and the unknown reasons say how many that is.
  const overall = summarise(rows.map((r) => ({ status: r.status, unknownReason: r.unknownReason, groupKey: "all" })))[0] ?? {
    key: "all", total: 0, compliant: 0, below: 0, exempt: 0, unknown: 0, judged: 0, unknownReasons: { no_source: 0, collection_failed: 0, week_in_progress: 0 }, rate: null,
  };
  // This week's pace (本周进度): only for a single week not over yet; the target is the domain's even pace.
  const at = now();
  const current = weeks.length === 1 && weeks[0]!.end > at ? weeks[0]! : undefined;
  let pace: { week: string; reached: number; onTrack: number; behind: number; unknown: number; exempt: number } | null = null;
  if (current) {
    pace = { week: current.id, reached: 0, onTrack: 0, behind: 0, unknown: 0, exempt: 0 };
    for (const r of rows) {
      if (r.status === "exempt") pace.exempt += 1;
      else if (r.updates >= r.required) pace.reached += 1;
      else if (r.unknownReason !== "week_in_progress") pace.unknown += 1;
      else if (r.updates >= paceTarget(r.required, current.start, at)) pace.onTrack += 1;
      else pace.behind += 1;
    }
  }
  const start = (q.page - 1) * q.pageSize;
  return c.json(
    {
      weeks: weeks.map((w) => w.id),
      items: rows.slice(start, start + q.pageSize),
      total: rows.length,
      summary: {
        overall: { ...overall, label: "合计", originalShare: shares(() => "all")("all") },
        byOrg: label(summarise(rows.map((r) => ({ status: r.status, unknownReason: r.unknownReason, groupKey: r.orgId }))), (k) => orgNames.get(k) ?? k, shares((r) => r.orgId)),
        byPlatform: label(summarise(rows.map((r) => ({ status: r.status, unknownReason: r.unknownReason, groupKey: r.platform }))), (k) => PLATFORM_LABELS[k as Platform] ?? k, shares((r) => r.platform)),
        // Week ids sort as text in time order ("2025-W52" < "2026-W01").
        byWeek: label(summarise(rows.map((r) => ({ status: r.status, unknownReason: r.unknownReason, groupKey: r.week }))), (k) => k, shares((r) => r.week)),
        pace,
      },
    },
    200,
  );
};
