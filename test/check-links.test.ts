// check-links end to end: a real HTTP server on 127.0.0.1 (FEED_ALLOW_HOSTS=127.0.0.1), the real
// guarded fetch, a real database. A dead homepage alerts only after two failures a day apart and
// resolves when it recovers; a redirect to a private address is never followed.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLinks } from "../jobs/check-links";
import type { JobDeps } from "../jobs/deps";
import { JOBS, runJob } from "../jobs";
import { storePosts } from "../src/db/queries/posts";
import { ALERT_KIND_LABELS } from "../src/domain/alerts";
import { badLinkNotice } from "../src/notify/messages";
import { accounts, linkChecks } from "../src/db/schema";
import { createGuardedFetch } from "../src/net/guarded-fetch-node";
import { createGuardedPost } from "../src/net/guarded-post-node";
import { startServer, type TestServer } from "./feeds/http-server";
import { makeTestApp, token, type TestApp } from "./helpers";

const H = 3_600_000;
const T0 = Date.parse("2026-11-23T19:30:00Z");
const at = (hours: number) => new Date(T0 + hours * H);

let server: TestServer;
let homeDead = true;
let contentDead = true;
const methods: Record<string, string[]> = {};

beforeAll(async () => {
  const log = (path: string, method: string) => (methods[path] ??= []).push(method);
  server = await startServer({
    "/home": (req, res) => {
      log("/home", req.method!);
      res.writeHead(homeDead ? 404 : 200, { "content-type": "text/html" });
      res.end(homeDead ? "not found" : "<html>ok</html>");
    },
    // A server that refuses HEAD but serves the page to GET.
    "/head405": (req, res) => {
      log("/head405", req.method!);
      if (req.method === "HEAD") return void res.writeHead(405).end();
      res.writeHead(200, { "content-type": "text/html" });
      res.end("x".repeat(100_000));
    },
    "/to-localhost": (_req, res) => void res.writeHead(302, { location: `http://localhost:${server.port}/secret` }).end(),
    "/to-mapped": (_req, res) => void res.writeHead(301, { location: `http://[::ffff:127.0.0.1]:${server.port}/secret` }).end(),
    "/to-metadata": (_req, res) => void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    "/to-ten": (_req, res) => void res.writeHead(307, { location: "http://10.0.0.1/admin" }).end(),
    "/hop": (_req, res) => void res.writeHead(302, { location: "/ok" }).end(),
    "/ok": (_req, res) => void res.writeHead(200, { "content-type": "text/html" }).end("ok"),
    "/content-dead": (_req, res) => void res.writeHead(contentDead ? 410 : 200, { "content-type": "text/html" }).end(contentDead ? "gone" : "ok"),
    "/secret": (_req, res) => void res.writeHead(200).end("internal"),
  });
});
afterAll(() => server.close());

function jobDeps(t: TestApp): JobDeps {
  const allow = ["127.0.0.1"];
  return { db: t.db, fetchFeed: createGuardedFetch(allow), feedAllowHosts: allow, postWebhook: createGuardedPost([]) };
}

describe("check-links", () => {
  let t: TestApp;
  let sup: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeTestApp({ at: "2026-11-20T00:00:00Z" });
    const root = await t.bootstrap("某县政府", "county");
    sup = await token(t, root.token, root.orgId, "supervisor");
    const make = async (key: string, name: string, url: string) => {
      const r = await t.call(sup, "POST", "/api/accounts", { orgId: root.orgId, platform: "douyin", name, url, openedOn: "2026-01-01" });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[key] = r.body.id;
    };
    await make("dead", "某县发布", server.url("/home"));
    await make("head405", "某县应急", server.url("/head405"));
    await make("private", "某县教育", server.url("/to-localhost"));
    // Links in recent posts are checked too; an old post's link is not.
    const post = (n: number, url: string, publishedAt: string) => ({ identity: `u:${n}`, guid: null, url, title: `文${n}`, publishedAt: new Date(publishedAt), dateSource: "given" as const });
    await storePosts(
      t.db,
      ids.private!,
      [
        post(1, server.url("/to-metadata"), "2026-11-22T02:00:00Z"),
        post(2, server.url("/to-ten"), "2026-11-21T02:00:00Z"),
        post(3, server.url("/to-mapped"), "2026-11-20T02:00:00Z"),
        post(4, server.url("/hop"), "2026-11-19T02:00:00Z"),
        post(5, server.url("/old"), "2026-11-01T02:00:00Z"),
      ],
      "api",
      new Date("2026-11-22T03:00:00Z"),
    );
  });
  afterAll(() => t.close());

  const openBadLinks = async () => {
    t.clock.now = new Date();
    const r = await t.call(sup, "GET", "/api/alerts?status=open&pageSize=50");
    expect(r.status).toBe(200);
    return (r.body.items as any[]).filter((a) => a.kind === "bad_link");
  };
  const row = async (url: string) => (await t.db.select().from(linkChecks).where(eq(linkChecks.url, url)))[0];

  it("is registered as a daily job, 03:30 Beijing", () => {
    expect(JOBS["check-links"]).toMatchObject({ cron: "30 3 * * *", utcCron: "30 19 * * *" });
  });

  it("a dead homepage alerts only after two failures a day apart, once, and resolves on recovery", async () => {
    const deps = jobDeps(t);
    // First failure: recorded, no alert.
    const first = (await runJob("check-links", deps, at(0))) as Awaited<ReturnType<typeof checkLinks>>;
    expect(first.links).toBe(1 + 1 + 1 + 4);
    expect(await row(server.url("/home"))).toMatchObject({ source: "account", lastStatus: 404, consecutiveFailures: 1, failingSince: at(0).toISOString() });
    expect(await row(server.url("/old"))).toBeUndefined();
    expect(await openBadLinks()).toEqual([]);

    // 12 h later: failing twice, but not a day apart yet.
    await checkLinks(deps, at(12));
    expect(await row(server.url("/home"))).toMatchObject({ consecutiveFailures: 2, failingSince: at(0).toISOString() });
    expect(await openBadLinks()).toEqual([]);

    // 25 h after the first failure: one bad_link on the account, with the status.
    const third = await checkLinks(deps, at(25));
    const open = await openBadLinks();
    const dead = open.filter((a) => a.accountId === ids.dead);
    expect(dead).toHaveLength(1);
    expect(dead[0].message).toContain("404");
    expect(dead[0].message).toContain(`127.0.0.1:${server.port}/home`);
    expect(third.opened).toBe(2); // the dead homepage and the account whose links go private

    // Repeated runs keep one alert per account.
    await checkLinks(deps, at(26));
    await checkLinks(deps, at(27));
    expect((await openBadLinks()).filter((a) => a.accountId === ids.dead)).toHaveLength(1);

    // The page comes back: the alert resolves itself.
    homeDead = false;
    const back = await checkLinks(deps, at(28));
    expect(back.resolved).toBe(1);
    expect((await openBadLinks()).filter((a) => a.accountId === ids.dead)).toEqual([]);
    expect(await row(server.url("/home"))).toMatchObject({ lastStatus: 200, consecutiveFailures: 0, failingSince: null, lastError: null });
    const all = (await t.call(sup, "GET", "/api/alerts?pageSize=50")).body.items as any[];
    expect(all.filter((a) => a.kind === "bad_link" && a.accountId === ids.dead).map((a) => [a.status, a.resolvedBy])).toEqual([["resolved", "auto"]]);
  }, 60_000);

  it("a page that refuses HEAD but answers GET is fine; a redirect within allowed hosts is followed", async () => {
    expect(await row(server.url("/head405"))).toMatchObject({ lastStatus: 200, consecutiveFailures: 0, lastError: null });
    expect(methods["/head405"]).toContain("GET");
    expect(await row(server.url("/hop"))).toMatchObject({ source: "post", lastStatus: 200, consecutiveFailures: 0 });
    expect((await openBadLinks()).filter((a) => a.accountId === ids.head405)).toEqual([]);
  });

  it("never follows a redirect to a private address, and says why in Chinese", async () => {
    expect(server.hits.filter((h) => h.path === "/secret")).toEqual([]);
    for (const path of ["/to-localhost", "/to-mapped", "/to-metadata", "/to-ten"]) {
      const r = await row(server.url(path));
      expect(r, path).toMatchObject({ lastStatus: null });
      expect(r!.lastError, path).toMatch(/^重定向到 .*(内网或本机|本机).*已拒绝/);
      expect(r!.lastError, path).toContain("FEED_ALLOW_HOSTS");
    }
    expect((await row(server.url("/to-metadata")))!.lastError).toContain("169.254.169.254");
    expect((await row(server.url("/to-ten")))!.lastError).toContain("10.0.0.1");
    // Refused on every check a day apart: the account's bad_link names its links.
    const open = (await openBadLinks()).filter((a) => a.accountId === ids.private);
    expect(open).toHaveLength(1);
    expect(open[0].message).toContain("账号主页");
    expect(open[0].message).toContain("等 4 个链接");
  });

  it("keeps no link state for an account no longer in use", async () => {
    await t.db.update(accounts).set({ status: "closed" }).where(eq(accounts.id, ids.private!));
    const r = await checkLinks(jobDeps(t), at(48));
    expect(r.accounts).toBe(2);
    expect(await row(server.url("/to-ten"))).toBeUndefined();
    expect(await row(server.url("/home"))).toMatchObject({ lastStatus: 200 });
  });
});

describe("check-links: links found in posts' content", () => {
  let t: TestApp;
  let sup: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeTestApp({ at: "2026-11-20T00:00:00Z" });
    const root = await t.bootstrap("某市政府", "city");
    sup = await token(t, root.token, root.orgId, "supervisor");
    for (const [key, name] of [["one", "某市发布"], ["many", "某市融媒"]] as const) {
      const r = await t.call(sup, "POST", "/api/accounts", { orgId: root.orgId, platform: "app", name, url: server.url("/ok"), openedOn: "2026-01-01" });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[key] = r.body.id;
    }
    const post = (n: number, links: string[], publishedAt: string) => ({ identity: `c:${n}`, guid: null, url: null, title: `文${n}`, publishedAt: new Date(publishedAt), dateSource: "given" as const, summary: `正文${n}`, links });
    // A dead link in a recent post's text; the homepage link repeated there is checked once; an old post's link is not checked.
    await storePosts(
      t.db,
      ids.one!,
      [post(1, [server.url("/content-dead"), server.url("/ok")], "2026-11-22T02:00:00Z"), post(2, [server.url("/content-old")], "2026-11-01T02:00:00Z")],
      "api",
      new Date("2026-11-22T03:00:00Z"),
    );
    // 25 recent posts with a link each: only the newest 20 links are checked.
    await storePosts(
      t.db,
      ids.many!,
      Array.from({ length: 25 }, (_, i) => post(100 + i, [server.url(`/n/${i}`)], new Date(Date.parse("2026-11-21T00:00:00Z") + i * 3_600_000).toISOString())),
      "api",
      new Date("2026-11-22T03:00:00Z"),
    );
  });
  afterAll(() => t.close());

  const openBadLinks = async () => {
    t.clock.now = new Date();
    const r = await t.call(sup, "GET", "/api/alerts?status=open&pageSize=50");
    return (r.body.items as any[]).filter((a) => a.kind === "bad_link" && a.accountId === ids.one);
  };
  const rowsOf = async (accountId: string) => (await t.db.select().from(linkChecks).where(eq(linkChecks.accountId, accountId))).map((r) => r.url).sort();

  it("checks at most 20 of them per account, from the newest posts", async () => {
    await checkLinks(jobDeps(t), at(0));
    expect(await rowsOf(ids.many!)).toEqual([server.url("/ok"), ...Array.from({ length: 20 }, (_, i) => server.url(`/n/${i + 5}`))].sort());
    expect(await rowsOf(ids.one!)).toEqual([server.url("/content-dead"), server.url("/ok")]);
  });

  it("a dead link in a post's text alerts after two failures a day apart, and resolves on recovery", async () => {
    expect((await t.db.select().from(linkChecks).where(eq(linkChecks.url, server.url("/content-dead"))))[0]).toMatchObject({ source: "post", lastStatus: 410, consecutiveFailures: 1 });
    expect(await openBadLinks()).toEqual([]);
    await checkLinks(jobDeps(t), at(12));
    expect(await openBadLinks()).toEqual([]);
    await checkLinks(jobDeps(t), at(25));
    const open = await openBadLinks();
    expect(open).toHaveLength(1);
    expect(open[0].message).toContain(`发文链接 127.0.0.1:${server.port}/content-dead（HTTP 410，页面已删除）`);
    contentDead = false;
    expect((await checkLinks(jobDeps(t), at(26))).resolved).toBeGreaterThanOrEqual(1);
    expect(await openBadLinks()).toEqual([]);
  });
});

describe("bad_link wording", () => {
  it("has a Chinese label and a unit message naming the links", () => {
    expect(ALERT_KIND_LABELS.bad_link).toBe("链接无法访问");
    const n = badLinkNotice({ orgName: "某县政府", accountName: "某县发布", accountId: "a1", alertId: "x1", message: "账号主页 www.gov.cn/x（HTTP 404，页面不存在）" });
    expect(n.event).toBe("bad_link");
    expect(n.title).toBe("【链接无法访问】某县政府 某县发布");
    expect(n.lines[0]).toContain("HTTP 404");
  });
});
