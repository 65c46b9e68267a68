// What is kept of a post's content (docs/规则依据.md#发文内容的保存): a feed item's, a pushed post's
// and an imported row's body become a ≤ 2,000-character summary and ≤ 20 links, stored on the first
// arrival only; an over-long pushed body is refused in Chinese. Real feed server, real database.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDeps } from "../jobs/deps";
import { pollFeeds } from "../jobs/poll-feeds";
import { posts, wordingHits } from "../src/db/schema";
import { toCsv } from "../src/lib/csv";
import { createGuardedFetch } from "../src/net/guarded-fetch-node";
import { createGuardedPost } from "../src/net/guarded-post-node";
import { startServer, type TestServer } from "./feeds/http-server";
import { makeTestApp, token, type TestApp } from "./helpers";

let feedBody = "";
let server: TestServer;

const rss = (items: { guid: string; title: string; content: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>某县发布</title>${items
    .map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><pubDate>Sun, 22 Nov 2026 10:00:00 +0800</pubDate><description>简介</description><content:encoded><![CDATA[${i.content}]]></content:encoded></item>`)
    .join("")}</channel></rss>`;

beforeAll(async () => {
  server = await startServer({
    "/feed": (_req, res) => void res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(feedBody),
  });
});
afterAll(() => server.close());

describe("post summaries and links", () => {
  let t: TestApp;
  let sup: string;
  let feedAccount: string;
  let pushAccount: string;

  beforeAll(async () => {
    t = await makeTestApp({ at: "2026-11-23T02:00:00Z" });
    const root = await t.bootstrap("某县人民政府", "county");
    sup = await token(t, root.token, root.orgId, "supervisor");
    const make = async (body: Record<string, unknown>) => {
      const r = await t.call(sup, "POST", "/api/accounts", { orgId: root.orgId, openedOn: "2026-01-01", ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    feedAccount = await make({ platform: "douyin", name: "某县发布", feedUrl: server.url("/feed") });
    pushAccount = await make({ platform: "app", name: "某县客户端" });
  });
  afterAll(() => t.close());

  const stored = async (accountId: string) =>
    (await t.db.select({ title: posts.title, summary: posts.summary, links: posts.links }).from(posts).where(eq(posts.accountId, accountId))).sort((a, b) =>
      a.title < b.title ? -1 : 1,
    );

  it("a feed item's content:encoded becomes its summary and links; a later change does not rewrite the row", async () => {
    const deps: JobDeps = { db: t.db, fetchFeed: createGuardedFetch(["127.0.0.1"]), feedAllowHosts: ["127.0.0.1"], postWebhook: createGuardedPost([]) };
    const many = Array.from({ length: 25 }, (_, i) => `<a href="https://www.example.gov.cn/n/${i}.html">附件${i}</a>`).join("");
    feedBody = rss([
      {
        guid: "a1",
        title: "冬季供暖通知",
        content: `<section><p style="x">关于做好<strong>冬季供暖</strong>工作的通知&nbsp;&amp;&#x544A;示</p><script>track("https://t.example.com/")</script><img src="https://img.example.gov.cn/1.jpg"></section>`,
      },
      { guid: "a2", title: "长文", content: `<p>${"政务公开".repeat(1000)}</p>${many}` },
    ]);
    const r = await pollFeeds(deps, new Date("2026-11-23T02:00:00Z"));
    expect(r).toMatchObject({ ok: 1, newPosts: 2 });
    const [notice, long] = await stored(feedAccount);
    expect(notice).toEqual({ title: "冬季供暖通知", summary: "关于做好冬季供暖工作的通知 &告示", links: ["https://img.example.gov.cn/1.jpg"] });
    expect([...long!.summary!]).toHaveLength(2000);
    expect(long!.links).toHaveLength(20);
    expect(long!.links![0]).toBe("https://www.example.gov.cn/n/0.html");

    // The same item arrives again with other content: the first arrival's row stays as it was.
    feedBody = rss([{ guid: "a1", title: "冬季供暖通知", content: "<p>改过的正文 https://changed.example.cn/</p>" }]);
    await pollFeeds(deps, new Date("2026-11-23T09:00:00Z"));
    expect((await stored(feedAccount))[0]).toMatchObject({ summary: "关于做好冬季供暖工作的通知 &告示", links: ["https://img.example.gov.cn/1.jpg"] });
  });

  it("a pushed post's content (or summary) is kept the same way and shown in the post list", async () => {
    const r = await t.call(sup, "POST", `/api/accounts/${pushAccount}/posts`, {
      posts: [
        { title: "推送一", publishedAt: "2026-11-22T10:00:00+08:00", content: "<p>详见 <a href='https://www.example.gov.cn/a.html'>原文</a></p><p>第二段</p>" },
        { title: "推送二", publishedAt: "2026-11-22T11:00:00+08:00", summary: "只有摘要，见https://www.example.gov.cn/b.html。" },
        { title: "推送三", publishedAt: "2026-11-22T12:00:00+08:00" },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ inserted: 3, duplicates: 0 });
    const list = await t.call(sup, "GET", `/api/accounts/${pushAccount}/posts`);
    const byTitle = Object.fromEntries((list.body.items as any[]).map((p) => [p.title, [p.summary, p.links]]));
    expect(byTitle).toEqual({
      推送一: ["详见 原文 第二段", ["https://www.example.gov.cn/a.html"]],
      推送二: ["只有摘要，见https://www.example.gov.cn/b.html。", ["https://www.example.gov.cn/b.html"]],
      推送三: [null, null],
    });
  });

  it("refuses a pushed body over 100,000 characters with a Chinese message, storing nothing", async () => {
    const r = await t.call(sup, "POST", `/api/accounts/${pushAccount}/posts`, { posts: [{ title: "太长", content: "字".repeat(100_001) }] });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("validation_error");
    expect(r.body.error.message).toContain("正文不能超过100000个字");
    expect((await stored(pushAccount)).map((p) => p.title)).not.toContain("太长");
  });

  it("an import's 正文 (else 摘要) column is kept; a cell past the table limit is refused in Chinese", async () => {
    const rows = [
      ["发布时间", "标题", "链接", "唯一标识", "摘要", "正文"],
      ["2026-11-21 09:00", "导入一", "", "i1", "摘要不用", "<b>正文</b>优先 http://www.example.gov.cn/c.html"],
      ["2026-11-21 10:00", "导入二", "", "i2", "只有摘要", ""],
      ["2026-11-21 11:00", "导入三", "", "i3", "", "长".repeat(9_000)],
      ["2026-11-21 12:00", "导入四", "", "i4", "", "超".repeat(10_001)],
    ];
    const bad = await t.call(sup, "POST", `/api/accounts/${pushAccount}/posts/import`, toCsv(rows), { "content-type": "text/csv" });
    expect(bad.status).toBe(413);
    expect(bad.body.error.message).toContain("第5行");
    expect(bad.body.error.message).toContain("10000 个字符");
    rows.pop();
    const ok = await t.call(sup, "POST", `/api/accounts/${pushAccount}/posts/import`, toCsv(rows), { "content-type": "text/csv" });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ inserted: 3 });
    const got = (await stored(pushAccount)).filter((p) => p.title.startsWith("导入"));
    expect(got.map((p) => [p.title, p.summary, p.links])).toEqual([
      ["导入一", "正文优先 http://www.example.gov.cn/c.html", ["http://www.example.gov.cn/c.html"]],
      ["导入三", "长".repeat(2000), null],
      ["导入二", "只有摘要", null],
    ]);
  });

  it("pushed and imported text is read for wording (错敏词) as soon as it is stored", async () => {
    const r = await t.call(sup, "POST", `/api/accounts/${pushAccount}/posts`, {
      posts: [{ title: "会议纪要", publishedAt: "2026-11-22T15:00:00+08:00", content: "<p>会议对下一步工作进行了<b>布署</b>。</p>" }],
    });
    expect(r.body).toEqual({ inserted: 1, duplicates: 0 });
    const rows = [["发布时间", "标题", "正文"], ["2026-11-21 15:00", "导入纪要", "做好布署"]];
    expect((await t.call(sup, "POST", `/api/accounts/${pushAccount}/posts/import`, toCsv(rows), { "content-type": "text/csv" })).body).toMatchObject({ inserted: 1 });
    const hits = await t.db.select({ field: wordingHits.field, wrong: wordingHits.wrong, postId: wordingHits.postId }).from(wordingHits).where(eq(wordingHits.accountId, pushAccount));
    expect(hits.map((h) => [h.field, h.wrong])).toEqual([
      ["summary", "布署"],
      ["summary", "布署"],
    ]);
    const unread = (await t.db.select({ at: posts.wordingCheckedAt }).from(posts).where(eq(posts.accountId, pushAccount))).filter((p) => p.at === null);
    expect(unread).toEqual([]);
  });
});
