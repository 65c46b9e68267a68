// data:0001_rekey_posts (issue 9): posts stored under the old identities (`g:` guid, `l:` link,
// `t:` title|raw date) from a WeWe RSS Atom feed and then its RSS — the double count the issue
// measured — are re-keyed; duplicates are merged into the post seen first and recorded, nothing else
// is lost, week counts are as if each article had been stored once, and a rerun changes nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@libsql/client";
import { DATA_MIGRATIONS, rekeyPosts, runDataMigrations } from "../../src/db/data-migrations";
import { weekOf } from "../../src/domain/weeks";
import { toCsv } from "../../src/lib/csv";
import { openDatabase } from "../../src/node-db";
import { makeTestApp, org, token, type TestApp } from "../helpers";

const mp = (id: string) => `https://mp.weixin.qq.com/s/${id}`;
const T1 = "2026-11-22T10:00:00.000Z"; // the Atom feed's poll
const T2 = "2026-11-22T11:05:00.000Z"; // the RSS feed's poll, after the change filing
const T3 = "2026-11-22T12:00:00.000Z"; // a push

let seq = 0;
async function insertPost(
  c: Client,
  p: { accountId: string; identity: string; guid: string | null; url: string | null; title: string; publishedAt: string; firstSeenAt: string; source?: string; dateSource?: string },
) {
  const id = `p${String(++seq).padStart(4, "0")}`;
  await c.execute({
    sql: `INSERT INTO posts (id, account_id, identity, guid, url, title, published_at, date_source, source, first_seen_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [id, p.accountId, p.identity, p.guid, p.url, p.title, p.publishedAt, p.dateSource ?? "feed", p.source ?? "feed", p.firstSeenAt],
  });
  return id;
}

/** The rows the old normaliseItems stored for one WeWe RSS article polled as Atom. */
const atomRow = (accountId: string, a: { id: string; title: string; at: string }, firstSeenAt = T1) => ({
  accountId, identity: `g:${a.id}`, guid: a.id, url: mp(a.id), title: a.title, publishedAt: a.at, firstSeenAt,
});
/** …and as RSS. */
const rssRow = (accountId: string, a: { id: string; title: string; at: string }, firstSeenAt = T2) => ({
  accountId, identity: `g:${mp(a.id)}`, guid: mp(a.id), url: mp(a.id), title: a.title, publishedAt: a.at, firstSeenAt,
});

const ARTICLES = [
  { id: "AbCdEf1", title: "市政府常务会议召开", at: "2026-11-16T01:00:00.000Z" },
  { id: "Gh2IjKlMn", title: "关于开展冬季安全生产检查的通知", at: "2026-11-18T03:30:00.000Z" },
  { id: "Op3QrStU-v", title: "政务服务“一网通办”再提速", at: "2026-11-20T09:15:00.000Z" },
  { id: "Wx4Yz_AbC", title: "周末天气提示", at: "2026-11-21T23:45:00.000Z" },
];
// 130 articles over six weeks: more than one batch of the migration.
const MANY = Array.from({ length: 130 }, (_, i) => ({
  id: `Mn${String(i).padStart(4, "0")}xYz`,
  title: `第${i}篇`,
  at: new Date(Date.UTC(2026, 9, 12) + i * 7.5 * 3_600_000).toISOString(),
}));

let t: TestApp;
let sup: string;
const acc: Record<string, string> = {};
let before: Map<string, Record<string, unknown>>;

async function rows(c: Client, sql: string, args: (string | number)[] = []) {
  const rs = await c.execute({ sql, args });
  return rs.rows.map((r) => Object.fromEntries(rs.columns.map((k) => [k, r[k]])));
}

beforeAll(async () => {
  t = await makeTestApp({ at: "2026-11-10T02:00:00Z" });
  const root = await t.bootstrap("某市人民政府", "city");
  sup = await token(t, root.token, root.orgId, "supervisor");
  await org(t, root.token, "市政府新闻办公室", "department", "city", root.orgId);
  const csv = [
    ["账号名称", "平台", "账号ID", "主办单位", "订阅地址", "开设日期"],
    ["某市发布", "微信公众号", "gh_1", "市政府新闻办公室", "", "2020-01-01"],
    ["某市政务", "微信公众号", "gh_2", "市政府新闻办公室", "", "2020-01-01"],
    ["某市快手", "快手", "ks_1", "市政府新闻办公室", "", "2020-01-01"],
    ["某市融媒", "微信公众号", "gh_3", "市政府新闻办公室", "", "2020-01-01"],
  ];
  expect((await t.call(sup, "POST", "/api/accounts/import", toCsv(csv), { "content-type": "text/csv" })).status).toBe(200);
  for (const a of (await t.call(sup, "GET", "/api/accounts?pageSize=100")).body.items) acc[a.name] = a.id;
  const [wx, big, ks] = [acc["某市发布"]!, acc["某市政务"]!, acc["某市快手"]!];

  // wx: Atom, then RSS (the 4 → 8), then a push of the first article with a share link.
  for (const a of ARTICLES) await insertPost(t.client, atomRow(wx, a));
  for (const a of ARTICLES) await insertPost(t.client, rssRow(wx, a));
  await insertPost(t.client, { accountId: wx, identity: `l:${mp("AbCdEf1")}?scene=1`, guid: null, url: `${mp("AbCdEf1")}?scene=1`, title: "市政府常务会议召开", publishedAt: ARTICLES[0]!.at, firstSeenAt: T3, source: "api", dateSource: "given" });
  // big: the RSS rows were stored first (lower rowids) but seen later; the Atom ones were seen first.
  for (const a of MANY) await insertPost(t.client, rssRow(big, a, T2));
  for (const a of MANY) await insertPost(t.client, atomRow(big, a, T1));
  // ks: no guid, no link. A dated item seen by the feed and pushed with the same instant; an undated one.
  await insertPost(t.client, { accountId: ks, identity: "t:无链接的发文|Wed, 18 Nov 2026 10:00:00 +0800", guid: null, url: null, title: "无链接的发文", publishedAt: "2026-11-18T02:00:00.000Z", firstSeenAt: T1 });
  await insertPost(t.client, { accountId: ks, identity: "t:无链接的发文|2026-11-18T02:00:00.000Z", guid: null, url: null, title: "无链接的发文", publishedAt: "2026-11-18T02:00:00.000Z", firstSeenAt: T3, source: "api", dateSource: "given" });
  await insertPost(t.client, { accountId: ks, identity: "t:无日期|", guid: null, url: null, title: "无日期", publishedAt: T1, firstSeenAt: T1, dateSource: "first_seen" });

  // rm: first through an RSSHub route (long link), then WeWe RSS (short id): keys of different kinds,
  // the same title and minute — one article.
  const rm = acc["某市融媒"]!;
  const long = "https://mp.weixin.qq.com/s?__biz=MzA3NjQ4MzE2MA==&mid=2651234567&idx=1&sn=0c9f1e2d3b4a5c6d7e8f";
  await insertPost(t.client, { accountId: rm, identity: `g:${long}`, guid: long, url: long, title: "融媒体中心揭牌", publishedAt: "2026-11-17T02:00:00.000Z", firstSeenAt: T1 });
  await insertPost(t.client, { accountId: rm, identity: "g:RmShort01", guid: "RmShort01", url: mp("RmShort01"), title: "融媒体中心揭牌", publishedAt: "2026-11-17T02:00:30.000Z", firstSeenAt: T2 });

  before = new Map((await rows(t.client, "SELECT * FROM posts")).map((r) => [String(r.id), r]));
  expect(before.size).toBe(9 + 260 + 3 + 2);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("data:0001_rekey_posts", () => {
  it("re-keys every post, merges duplicates into the post seen first, and reports it", async () => {
    const reports = await runDataMigrations(t.client, DATA_MIGRATIONS, () => new Date("2026-11-23T00:00:00Z"));
    // Merged: wx 4 RSS rows + 1 push; big 130; ks 1; rm 1. Re-keyed: every row that is kept.
    expect(reports).toEqual([{ tag: "data:0001_rekey_posts", counts: { scanned: 274, rekeyed: 4 + 130 + 2 + 1, merged: 5 + 130 + 1 + 1 } }]);
    expect(await rows(t.client, "SELECT tag FROM _migrations WHERE tag LIKE 'data:%'")).toEqual([{ tag: "data:0001_rekey_posts" }]);

    const wx = await rows(t.client, "SELECT identity, first_seen_at FROM posts WHERE account_id = ? ORDER BY identity", [acc["某市发布"]!]);
    expect(wx).toEqual(ARTICLES.map((a) => ({ identity: `wx:${a.id}`, first_seen_at: T1 })).sort((x, y) => (x.identity < y.identity ? -1 : 1)));
    const big = await rows(t.client, "SELECT DISTINCT first_seen_at, substr(identity, 1, 3) AS p FROM posts WHERE account_id = ?", [acc["某市政务"]!]);
    expect(big).toEqual([{ first_seen_at: T1, p: "wx:" }]); // the Atom rows, seen first, were kept
    const ks = await rows(t.client, "SELECT identity, source FROM posts WHERE account_id = ? ORDER BY identity", [acc["某市快手"]!]);
    expect(ks).toEqual([
      { identity: "tm:无日期|", source: "feed" },
      { identity: "tm:无链接的发文|2026-11-18T02:00Z", source: "feed" },
    ]);
    const rm = await rows(t.client, "SELECT identity FROM posts WHERE account_id = ?", [acc["某市融媒"]!]);
    expect(rm).toEqual([{ identity: "wx:MzA3NjQ4MzE2MA==/2651234567/1" }]); // seen first
    const [m] = await rows(t.client, "SELECT identity_before, identity_after, reason FROM post_merges WHERE account_id = ?", [acc["某市融媒"]!]);
    expect(m).toMatchObject({ identity_before: "g:RmShort01", identity_after: "wx:MzA3NjQ4MzE2MA==/2651234567/1" });
    expect(String(m!.reason)).toContain("标题与发布时间");
  });

  it("loses nothing: every deleted post is in post_merges, with its row, pointing at a kept post", async () => {
    const kept = new Set((await rows(t.client, "SELECT id FROM posts")).map((r) => String(r.id)));
    const merges = await rows(t.client, "SELECT * FROM post_merges ORDER BY id");
    expect(merges).toHaveLength(137);
    const merged = new Set(merges.map((m) => String(m.merged_post_id)));
    expect(merged.size).toBe(137); // one row per merged post
    expect(new Set([...kept, ...merged])).toEqual(new Set(before.keys()));
    for (const m of merges) {
      expect(kept.has(String(m.into_post_id))).toBe(true);
      expect(kept.has(String(m.merged_post_id))).toBe(false);
      const row = JSON.parse(String(m.merged_row));
      expect(row).toEqual(before.get(String(m.merged_post_id)));
      expect(m.identity_before).toBe(row.identity);
      const into = await rows(t.client, "SELECT identity, account_id FROM posts WHERE id = ?", [String(m.into_post_id)]);
      expect(into).toEqual([{ identity: m.identity_after, account_id: m.account_id }]);
      expect(m.identity_before).not.toBe(m.identity_after);
      expect(String(m.reason)).toContain("data:0001_rekey_posts");
    }
  });

  it("counts per week are as if each article had been stored once", async () => {
    t.clock.now = new Date("2026-11-23T02:00:00Z");
    const w47 = await t.call(sup, "GET", "/api/compliance?week=2026-W47&pageSize=100");
    expect(w47.status, JSON.stringify(w47.body)).toBe(200);
    const posts = (id: string) => w47.body.items.find((i: { accountId: string }) => i.accountId === id).posts;
    expect(posts(acc["某市发布"]!)).toBe(4);
    expect((await t.call(sup, "GET", `/api/accounts/${acc["某市发布"]}/posts`)).body.total).toBe(4);

    const weeks = [...new Map(MANY.map((a) => [weekOf(new Date(a.at)).id, weekOf(new Date(a.at))])).values()];
    expect(weeks.length).toBeGreaterThan(4);
    const stored = [];
    for (const w of weeks) {
      const [r] = await rows(t.client, "SELECT count(*) AS n FROM posts WHERE account_id = ? AND published_at >= ? AND published_at < ?", [acc["某市政务"]!, w.start.toISOString(), w.end.toISOString()]);
      stored.push(Number(r!.n));
    }
    const once = weeks.map((w) => MANY.filter((a) => new Date(a.at) >= w.start && new Date(a.at) < w.end).length);
    expect(stored).toEqual(once);
    expect(once.reduce((s, n) => s + n, 0)).toBe(130);
  });

  it("is idempotent: recorded once, and running it again changes nothing", async () => {
    const snapshot = await rows(t.client, "SELECT * FROM posts ORDER BY id");
    expect(await runDataMigrations(t.client)).toEqual([]);
    expect(await rekeyPosts.run(t.client, () => new Date())).toEqual({ tag: "data:0001_rekey_posts", counts: { scanned: 0, rekeyed: 0, merged: 0 } });
    expect(await rows(t.client, "SELECT * FROM posts ORDER BY id")).toEqual(snapshot);
    expect(await rows(t.client, "SELECT count(*) AS n FROM post_merges")).toEqual([{ n: 137 }]);
  });
});

describe("openDatabase runs the data migrations after the schema", () => {
  it("re-keys posts left under old identities when the database is next opened", async () => {
    const dir = mkdtempSync(join(tmpdir(), "govmedia-rekey-"));
    const url = `file:${join(dir, "db.sqlite")}`;
    try {
      const first = await openDatabase(url);
      expect(await rows(first.client, "SELECT tag FROM _migrations WHERE tag = ?", [rekeyPosts.tag])).toHaveLength(1);
      // As a database written by the previous version: old keys, and no data tag yet.
      await first.client.execute({ sql: "DELETE FROM _migrations WHERE tag = ?", args: [rekeyPosts.tag] });
      await insertPost(first.client, atomRow("acct-1", ARTICLES[0]!));
      await insertPost(first.client, rssRow("acct-1", ARTICLES[0]!));
      first.client.close();

      const second = await openDatabase(url);
      expect(await rows(second.client, "SELECT identity FROM posts")).toEqual([{ identity: "wx:AbCdEf1" }]);
      expect(await rows(second.client, "SELECT count(*) AS n FROM post_merges")).toEqual([{ n: 1 }]);
      second.client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
