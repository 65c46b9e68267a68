// Wording checks (错敏词) end to end: a real feed on 127.0.0.1 polled three times by the poll-feeds job,
// a real database. A starter typo in a title and a custom rule's full-width variant in a summary give
// one hit per post and key and one wording alert, however often the feed is polled; a notice goes to
// the unit and its office once. A rule added later finds a post of the last 90 days, not an older one,
// and only in the subtree of the org that made it.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDeps } from "../jobs/deps";
import { JOBS, runJob } from "../jobs";
import { pollFeeds } from "../jobs/poll-feeds";
import { checkNewPosts } from "../src/commands/wording";
import { storePosts } from "../src/db/queries/posts";
import { alerts, posts, webhookDeliveries, wordingHits } from "../src/db/schema";
import { createGuardedFetch } from "../src/net/guarded-fetch-node";
import { createGuardedPost } from "../src/net/guarded-post-node";
import { startServer, type TestServer } from "./feeds/http-server";
import { makeTestApp, org, token, type TestApp } from "./helpers";

const rss = (items: { guid: string; title: string; content: string; date: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>某县教育发布</title>${items
    .map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><pubDate>${i.date}</pubDate><content:encoded><![CDATA[${i.content}]]></content:encoded></item>`)
    .join("")}</channel></rss>`;

const FEED = rss([
  { guid: "p1", title: "关于布署冬季防火工作的通知", content: "<p>今天上午，<b>Abc　局</b>召开冬季防火工作会议。</p>", date: "Sun, 22 Nov 2026 10:00:00 +0800" },
  { guid: "p2", title: "全县中小学开展安全教育", content: "<p>内容无误。</p>", date: "Sat, 21 Nov 2026 10:00:00 +0800" },
  { guid: "p3", title: "ａｂｃ 局：再接再励", content: "<p>会议要求再接再励。</p>", date: "Fri, 20 Nov 2026 10:00:00 +0800" },
]);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ "/feed": (_req, res) => void res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(FEED) });
});
afterAll(() => server.close());

const H = 3_600_000;
const DAY = 24 * H;

function jobDeps(t: TestApp): JobDeps {
  const allow = ["127.0.0.1"];
  return { db: t.db, fetchFeed: createGuardedFetch(allow), feedAllowHosts: allow, postWebhook: createGuardedPost([]) };
}

describe("wording checks on polled feeds", () => {
  let t: TestApp;
  let sup: string;
  let rootId: string;
  let unitId: string;
  let siblingId: string;
  let feedAccount: string;
  const hooks: Record<string, string> = {};
  const T0 = new Date("2026-11-23T02:00:00Z");

  beforeAll(async () => {
    t = await makeTestApp({ at: T0.toISOString(), webhookAllowHosts: ["127.0.0.1"] });
    const root = await t.bootstrap("某县人民政府", "county");
    rootId = root.orgId;
    sup = await token(t, root.token, root.orgId, "supervisor");
    unitId = await org(t, root.token, "某县教育局", "department", "county", rootId);
    siblingId = await org(t, root.token, "某县卫健委", "department", "county", rootId);
    const a = await t.call(sup, "POST", "/api/accounts", { orgId: unitId, platform: "douyin", name: "某县教育发布", feedUrl: server.url("/feed"), openedOn: "2026-01-01" });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    feedAccount = a.body.id;
    for (const [label, orgId] of [["unit", unitId], ["office", rootId]] as const) {
      const r = await t.call(sup, "POST", "/api/webhooks", { orgId, kind: "generic", label, url: `http://127.0.0.1:9/${label}`, events: ["wording"] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      hooks[label] = r.body.id;
    }
    // The county's own rule, written full-width; the post writes it half-width with a space.
    const rule = await t.call(sup, "POST", "/api/word-rules", { orgId: rootId, wrong: "ＡＢＣ局", correct: "某某管理局", note: "机构已更名" });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    expect(rule.body.rule).toMatchObject({ level: "own", kind: "typo", kindLabel: "错别字", wrong: "ＡＢＣ局" });
  });
  afterAll(() => t.close());

  const hitsOf = (accountId: string) => t.db.select().from(wordingHits).where(eq(wordingHits.accountId, accountId));
  const wordingAlerts = (accountId: string) => t.db.select().from(alerts).where(and(eq(alerts.accountId, accountId), eq(alerts.kind, "wording")));
  const deliveries = (hook: string) => t.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.webhookId, hook), eq(webhookDeliveries.event, "wording")));

  it("three polls give one hit per post and key, and exactly one alert naming the post and the suggestion", async () => {
    const deps = jobDeps(t);
    for (let i = 0; i < 3; i++) {
      const r = await pollFeeds(deps, new Date(T0.getTime() + i * H));
      expect(r.failed, JSON.stringify(r.errors)).toBe(0);
    }
    const hits = await hitsOf(feedAccount);
    const byPost = (postId: string) => hits.filter((h) => h.postId === postId);
    const titles = new Map((await t.db.select().from(posts).where(eq(posts.accountId, feedAccount))).map((p) => [p.title, p.id]));
    const p1 = titles.get("关于布署冬季防火工作的通知")!;
    const p3 = titles.get("ａｂｃ 局：再接再励")!;
    expect(byPost(p1).map((h) => [h.field, h.wrong, h.correct, h.ruleId === "starter"]).sort()).toEqual([
      // The summary keeps the text with its spacing folded to a plain space; the rule is full-width.
      ["summary", "Abc 局", "某某管理局", false],
      ["title", "布署", "部署", true],
    ]);
    // Found in the title, a key is not stored again for the summary; every (post, key) once.
    expect(byPost(p3).map((h) => [h.field, h.wrong]).sort()).toEqual([
      ["title", "再接再励"],
      ["title", "ａｂｃ 局"],
    ]);
    expect(hits).toHaveLength(4);
    expect(new Set(hits.map((h) => `${h.postId}|${h.key}`)).size).toBe(4);

    const open = await wordingAlerts(feedAccount);
    expect(open).toHaveLength(1);
    expect(open[0]!.status).toBe("open");
    expect(open[0]!.message).toMatch(/^《.+》中“.+”应为“.+” 等 4 处$/);
    expect((open[0]!.detail as { total: number }).total).toBe(4);
    expect(hits.every((h) => h.alertId === open[0]!.id)).toBe(true);
    // The API lists it under its kind.
    const listed = await t.call(sup, "GET", "/api/alerts?kind=wording");
    expect(listed.body.items.map((a: { accountId: string; kindLabel: string }) => [a.accountId, a.kindLabel])).toEqual([[feedAccount, "错敏词"]]);

    // Every post was read once and marked.
    const unread = (await t.db.select().from(posts).where(eq(posts.accountId, feedAccount))).filter((p) => p.wordingCheckedAt === null);
    expect(unread).toEqual([]);

    // One message to the unit, one list to the office, for the whole run, none after.
    const unit = await deliveries(hooks.unit!);
    const office = await deliveries(hooks.office!);
    expect(unit).toHaveLength(1);
    expect(office).toHaveLength(1);
    const lines = (unit[0]!.notice as { lines: string[] }).lines.join("\n");
    expect(lines).toContain("《关于布署冬季防火工作的通知》中“布署”应为“部署”");
    expect((office[0]!.notice as { title: string }).title).toContain("【错敏词】某县人民政府辖内 1 个账号");
  });

  it("a rerun of the check and the daily job find nothing new", async () => {
    await t.db.update(posts).set({ wordingCheckedAt: null }).where(eq(posts.accountId, feedAccount));
    const again = await checkNewPosts(t.db, new Date(T0.getTime() + 4 * H));
    expect(again).toEqual({ checked: 3, hits: 0, alerts: 0 });
    expect(JOBS["check-wording"]).toBeDefined();
    const daily = (await runJob("check-wording", jobDeps(t), new Date(T0.getTime() + 5 * H))) as { checked: number; hits: number };
    expect(daily).toEqual({ checked: 0, hits: 0, alerts: 0 });
    expect(await hitsOf(feedAccount)).toHaveLength(4);
    expect(await wordingAlerts(feedAccount)).toHaveLength(1);
    expect(await deliveries(hooks.unit!)).toHaveLength(1);
  });

  it("a new hit after the alert was resolved opens a new alert", async () => {
    const [first] = await wordingAlerts(feedAccount);
    const resolved = await t.call(sup, "POST", `/api/alerts/${first!.id}/resolve`, { note: "已更正" });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const at = new Date(T0.getTime() + 6 * H);
    await storePosts(t.db, feedAccount, [{ identity: "u:later", guid: "later", url: null, title: "工作按排", publishedAt: at, dateSource: "given" }], "api", at);
    expect(await checkNewPosts(t.db, at)).toEqual({ checked: 1, hits: 1, alerts: 1 });
    const all = await wordingAlerts(feedAccount);
    expect(all.map((a) => a.status).sort()).toEqual(["open", "resolved"]);
    expect(all.find((a) => a.status === "open")!.message).toBe("《工作按排》中“按排”应为“安排”");
  });

  it("a rule added later reads the subtree's last 90 days: an old post alerts, one of 100 days ago and other units' do not", async () => {
    const now = new Date(T0.getTime() + 8 * H);
    t.clock.now = now;
    const make = async (orgId: string, name: string) => {
      const r = await t.call(sup, "POST", "/api/accounts", { orgId, platform: "weibo", name, openedOn: "2026-01-01" });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    const mine = await make(unitId, "某县教育微博");
    const other = await make(siblingId, "某县卫健微博");
    const post = (n: string, title: string, daysAgo: number) => ({ identity: `u:${n}`, guid: n, url: null, title, publishedAt: new Date(now.getTime() - daysAgo * DAY), dateSource: "given" as const });
    await storePosts(t.db, mine, [post("m30", "城区XYZ方案公示", 30), post("m100", "XYZ方案旧文，布署", 100)], "api", now);
    await storePosts(t.db, other, [post("o30", "卫健XYZ方案", 30)], "api", now);
    expect((await checkNewPosts(t.db, now)).hits).toBe(0);
    // The 100-day-old post is outside the window: never read, but marked read so it leaves the unread index.
    const unread = await t.client.execute("SELECT guid FROM posts WHERE wording_checked_at IS NULL");
    expect(unread.rows.map((r) => r.guid)).toEqual([]);

    const r = await t.call(sup, "POST", "/api/word-rules", { orgId: unitId, wrong: "ｘｙｚ 方案", correct: "新方案", kind: "敏感表述" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.rule.kind).toBe("sensitive");
    expect(r.body.rescan).toMatchObject({ hits: 1, alerts: 1 });
    const hits = await hitsOf(mine);
    expect(hits.map((h) => [h.wrong, h.correct, h.kind])).toEqual([["XYZ方案", "新方案", "sensitive"]]);
    expect(await hitsOf(other)).toEqual([]);
    expect((await wordingAlerts(mine))[0]!.message).toBe("《城区XYZ方案公示》中“XYZ方案”应为“新方案”");

    // Importing another rule rescans again: the same post is not counted twice.
    const csv = "错误表述,正确表述,类型,备注\r\n城区ＸＹＺ,城区,错别字,\r\n";
    const imp = await t.call(sup, "POST", `/api/word-rules/import?orgId=${unitId}`, csv, { "content-type": "text/csv" });
    expect(imp.status, JSON.stringify(imp.body)).toBe(200);
    expect(imp.body.rescan).toMatchObject({ hits: 1, alerts: 1 });
    expect(await hitsOf(mine)).toHaveLength(2);
    const [alert] = await wordingAlerts(mine);
    expect(alert!.message).toMatch(/等 2 处$/);
  });
});
