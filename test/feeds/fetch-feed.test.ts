// fetchFeed against real HTTP servers on 127.0.0.1, through both guarded fetches
// (undici + guarded lookup on Node; global fetch as on Workers).
import type http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchFeed, FEED_ACCEPT, FEED_USER_AGENT } from "../../src/feeds/fetch-feed";
import { createGuardedFetch, type GuardedFetch } from "../../src/net/guarded-fetch-node";
import { createWebGuardedFetch } from "../../src/net/guarded-fetch-web";
import { normaliseItems } from "../../src/feeds/normalise";
import { parseFeed } from "../../src/feeds/parse-feed";
import type { FetchLike } from "../../src/net/types";
import { fixture, redirect, serve, startServer, type TestServer } from "./http-server";

const MB = 1024 * 1024;
let srv: TestServer;
/** Bytes the /huge* handlers managed to write before the client went away. */
const hugeSent: Record<string, number> = {};
/** Responses the slow handlers were still holding open, to check the client hung up. */
const slowClosed: Record<string, boolean> = {};

function streamHuge(name: string, withLength: boolean): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (_req, res) => {
    const total = 20 * MB;
    const chunk = Buffer.alloc(64 * 1024, 0x20); // one 64 KiB chunk reused: the test never holds 20 MB
    hugeSent[name] = 0;
    res.writeHead(200, {
      "content-type": "application/rss+xml",
      ...(withLength ? { "content-length": String(total) } : {}),
    });
    let stopped = false;
    res.on("close", () => (stopped = true));
    const pump = () => {
      while (!stopped && hugeSent[name]! < total) {
        hugeSent[name]! += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!stopped) res.end();
    };
    pump();
  };
}

beforeAll(async () => {
  srv = await startServer({
    "/rss": serve(fixture("rss2.xml"), "application/rss+xml; charset=utf-8"),
    "/atom": serve(fixture("atom.xml"), "application/atom+xml"),
    "/gbk": serve(fixture("gbk.xml"), "text/xml"),
    "/error500": serve("internal error", "text/plain", 500),
    "/forbidden": serve("waf", "text/html", 403),
    "/html": serve(fixture("page.html"), "text/html; charset=utf-8"),
    "/etag": (req, res) => {
      if (req.headers["if-none-match"] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        return void res.end();
      }
      res.writeHead(200, {
        "content-type": "application/rss+xml",
        etag: '"v1"',
        "last-modified": "Sun, 22 Nov 2026 16:00:00 GMT",
      });
      res.end(fixture("rss2.xml"));
    },
    "/since": (req, res) => {
      if (req.headers["if-modified-since"] === "Sun, 22 Nov 2026 16:00:00 GMT") {
        res.writeHead(304);
        return void res.end();
      }
      serve(fixture("rss2.xml"), "application/rss+xml", 200, { "last-modified": "Sun, 22 Nov 2026 16:00:00 GMT" })(
        req,
        res,
      );
    },
    "/loop-a": redirect("/loop-b"),
    "/loop-b": redirect("/loop-a", 301),
    "/self": redirect("/self", 307),
    "/chain/1": redirect("/chain/2"),
    "/chain/2": redirect("/chain/3", 308),
    "/chain/3": redirect("/chain/4", 303),
    "/chain/4": redirect("/chain/5"),
    "/chain/5": redirect("/chain/6"),
    "/chain/6": redirect("/chain/7"),
    "/chain/7": redirect("/rss"),
    "/relative/start": redirect("../rss"),
    "/to-loopback": (_req, res) => redirect(`http://127.0.0.1:${srv.port}/rss`)(_req, res),
    "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    "/to-file": redirect("file:///etc/passwd"),
    "/to-decimal": redirect("http://2130706433/rss"),
    "/no-location": (_req, res) => {
      res.writeHead(302);
      res.end();
    },
    "/huge-chunked": streamHuge("chunked", false),
    "/huge-length": streamHuge("length", true),
    "/gzip-bomb": (_req, res) => {
      // 50 MB of zeros gzip-compressed on the fly (~50 KB on the wire): the cap counts decoded bytes.
      res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" });
      const gz = zlib.createGzip();
      gz.pipe(res);
      const zeros = Buffer.alloc(64 * 1024);
      let written = 0;
      let stopped = false;
      res.on("close", () => {
        stopped = true;
        gz.destroy();
      });
      const pump = () => {
        while (!stopped && written < 50 * MB) {
          written += zeros.length;
          if (!gz.write(zeros)) return void gz.once("drain", pump);
        }
        if (!stopped) gz.end();
      };
      pump();
    },
    "/small-but-over": serve("x".repeat(2000), "application/rss+xml"),
    "/chunked-2000": (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" }); // no Content-Length: chunked
      for (let i = 0; i < 20; i++) res.write("y".repeat(100));
      res.end();
    },
    "/trickle": (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write("<");
      const timer = setInterval(() => res.write(" "), 1000);
      res.on("close", () => {
        clearInterval(timer);
        slowClosed.trickle = true;
      });
    },
    "/no-headers": (_req, res) => {
      // Never answers; the socket just stays open.
      res.on("close", () => (slowClosed.noHeaders = true));
    },
    "/empty": (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end();
    },
  });
});

afterAll(async () => {
  await srv.close();
});

type Impl = { name: string; make: (allow: string[]) => FetchLike };
const made: GuardedFetch[] = [];
const impls: Impl[] = [
  {
    name: "node guarded fetch (undici)",
    make: (allow) => {
      const f = createGuardedFetch(allow);
      made.push(f);
      return f;
    },
  },
  { name: "web guarded fetch (global fetch)", make: (allow) => createWebGuardedFetch(allow) },
];
afterAll(async () => {
  await Promise.all(made.map((f) => f.close()));
});

describe.each(impls)("fetchFeed via $name", ({ make }) => {
  const allow = ["127.0.0.1"];
  const opts = (extra: Partial<Parameters<typeof fetchFeed>[1]> = {}) => ({
    fetch: make(extra.allowHosts ?? allow),
    allowHosts: allow,
    ...extra,
  });

  it("fetches an RSS feed with the monitor's User-Agent and Accept headers", async () => {
    const r = await fetchFeed(srv.url("/rss"), opts());
    expect(r.kind).toBe("ok");
    if (r.kind !== "ok") return;
    expect(r.status).toBe(200);
    expect(r.contentType).toBe("application/rss+xml; charset=utf-8");
    expect(r.finalUrl).toBe(srv.url("/rss"));
    expect(Buffer.from(r.body).equals(fixture("rss2.xml"))).toBe(true);
    const hit = srv.hits.filter((h) => h.path === "/rss").at(-1)!;
    expect(hit.headers["user-agent"]).toBe(FEED_USER_AGENT);
    expect(hit.headers.accept).toBe(FEED_ACCEPT);
    expect(hit.headers["if-none-match"]).toBeUndefined();
  });

  it("fetch → parse → normalise: the Sunday 23:59:59+08:00 post, a dateless item, a duplicate", async () => {
    const r = await fetchFeed(srv.url("/rss"), opts());
    if (r.kind !== "ok") throw new Error(JSON.stringify(r));
    const parsed = await parseFeed(r.body, r.contentType);
    if (!parsed.ok) throw new Error(parsed.reason);
    const now = new Date("2026-11-23T02:00:00Z");
    const posts = normaliseItems(parsed.items, { firstSeenAt: now, now, baseUrl: r.finalUrl });
    expect(parsed.items).toHaveLength(8);
    expect(posts).toHaveLength(7); // the second weibo-P1 is dropped
    expect(posts[0]).toMatchObject({ identity: "guid:weibo-P1", publishedAt: new Date("2026-11-22T15:59:59Z") });
    expect(posts.find((p) => p.title.startsWith("没有日期"))).toMatchObject({ dateSource: "first_seen", publishedAt: now });
  });

  it("sends If-None-Match and gets not_modified on a matching ETag", async () => {
    const first = await fetchFeed(srv.url("/etag"), opts());
    if (first.kind !== "ok") throw new Error(JSON.stringify(first));
    expect(first.etag).toBe('"v1"');
    expect(first.lastModified).toBe("Sun, 22 Nov 2026 16:00:00 GMT");
    const second = await fetchFeed(srv.url("/etag"), opts({ etag: first.etag }));
    expect(second).toEqual({ kind: "not_modified", finalUrl: srv.url("/etag") });
    expect(srv.hits.filter((h) => h.path === "/etag").at(-1)!.headers["if-none-match"]).toBe('"v1"');
    const stale = await fetchFeed(srv.url("/etag"), opts({ etag: '"v0"' }));
    expect(stale.kind).toBe("ok");
  });

  it("sends If-Modified-Since", async () => {
    const r = await fetchFeed(srv.url("/since"), opts({ lastModified: "Sun, 22 Nov 2026 16:00:00 GMT" }));
    expect(r.kind).toBe("not_modified");
  });

  it("reports HTTP 500 and 403 with the status and a Chinese reason", async () => {
    const r = await fetchFeed(srv.url("/error500"), opts());
    expect(r).toMatchObject({ kind: "error", code: "http_status", status: 500 });
    if (r.kind === "error") expect(r.reason).toMatch(/^订阅源返回 HTTP 500/);
    const f = await fetchFeed(srv.url("/forbidden"), opts());
    expect(f).toMatchObject({ kind: "error", code: "http_status", status: 403 });
    if (f.kind === "error") expect(f.reason).toContain("Cookie");
  });

  it("detects a redirect loop A→B→A and a self-redirect", async () => {
    const r = await fetchFeed(srv.url("/loop-a"), opts());
    expect(r).toMatchObject({ kind: "error", code: "redirect_loop" });
    if (r.kind === "error") expect(r.reason).toContain("重定向循环");
    expect(await fetchFeed(srv.url("/self"), opts())).toMatchObject({ kind: "error", code: "redirect_loop" });
  });

  it("caps the number of redirects (default 5) and follows a shorter chain", async () => {
    const r = await fetchFeed(srv.url("/chain/1"), opts());
    expect(r).toMatchObject({ kind: "error", code: "too_many_redirects" });
    if (r.kind === "error") expect(r.reason).toContain("重定向次数过多");
    const ok = await fetchFeed(srv.url("/chain/1"), opts({ maxRedirects: 7 }));
    expect(ok).toMatchObject({ kind: "ok", finalUrl: srv.url("/rss") });
    const fromMiddle = await fetchFeed(srv.url("/chain/4"), opts());
    expect(fromMiddle).toMatchObject({ kind: "ok", finalUrl: srv.url("/rss") });
  });

  it("resolves a relative Location against the current URL", async () => {
    const r = await fetchFeed(srv.url("/relative/start"), opts());
    expect(r).toMatchObject({ kind: "ok", finalUrl: srv.url("/rss") });
  });

  it("refuses a redirect to a loopback address that is not in allowHosts", async () => {
    // The origin is allowed by name (localhost); the hop to 127.0.0.1 is not.
    const allowHosts = ["localhost"];
    const r = await fetchFeed(srv.url("/to-loopback", "localhost"), { fetch: make(allowHosts), allowHosts });
    expect(r).toMatchObject({ kind: "error", code: "blocked" });
    if (r.kind === "error") expect(r.reason).toContain("订阅地址指向内网或本机地址（127.0.0.1），已拒绝");
    expect(srv.hits.filter((h) => h.path === "/to-loopback" && h.headers.host === `localhost:${srv.port}`)).not.toHaveLength(0);
  });

  it("refuses redirects to the metadata address, to file:, and to a decimal loopback", async () => {
    const meta = await fetchFeed(srv.url("/to-metadata"), opts());
    expect(meta).toMatchObject({ kind: "error", code: "blocked" });
    if (meta.kind === "error") expect(meta.reason).toContain("169.254.169.254");
    const file = await fetchFeed(srv.url("/to-file"), opts());
    expect(file).toMatchObject({ kind: "error", code: "blocked" });
    if (file.kind === "error") expect(file.reason).toContain("只支持 http 或 https");
    const allowHosts = ["localhost"];
    const dec = await fetchFeed(srv.url("/to-decimal", "localhost"), { fetch: make(allowHosts), allowHosts });
    expect(dec).toMatchObject({ kind: "error", code: "blocked" });
  });

  it("reports a redirect without Location", async () => {
    const r = await fetchFeed(srv.url("/no-location"), opts());
    expect(r).toMatchObject({ kind: "error", code: "http_status", status: 302 });
  });

  it("refuses 127.0.0.1 when allowHosts is empty, with the Chinese reason", async () => {
    const r = await fetchFeed(srv.url("/rss"), { fetch: make([]), allowHosts: [] });
    expect(r).toEqual({
      kind: "error",
      code: "blocked",
      reason: expect.stringContaining("订阅地址指向内网或本机地址（127.0.0.1），已拒绝"),
    });
  });

  it("stops a 20 MB streamed body past maxBytes (default 5 MiB)", async () => {
    const started = Date.now();
    const r = await fetchFeed(srv.url("/huge-chunked"), opts());
    expect(r).toMatchObject({ kind: "error", code: "too_large" });
    if (r.kind === "error") expect(r.reason).toBe("订阅源超过 5 MB，已停止读取");
    expect(Date.now() - started).toBeLessThan(10_000);
    await new Promise((res) => setTimeout(res, 200));
    expect(hugeSent.chunked).toBeLessThan(20 * MB); // the server was cut off, not drained
  });

  it("caps the decompressed size of a gzip bomb", async () => {
    const r = await fetchFeed(srv.url("/gzip-bomb"), opts());
    expect(r).toMatchObject({ kind: "error", code: "too_large" });
  });

  it("refuses a declared Content-Length above maxBytes before reading", async () => {
    const r = await fetchFeed(srv.url("/huge-length"), opts());
    expect(r).toMatchObject({ kind: "error", code: "too_large" });
  });

  it("honours a small maxBytes exactly", async () => {
    expect(await fetchFeed(srv.url("/small-but-over"), opts({ maxBytes: 1999 }))).toMatchObject({
      kind: "error",
      code: "too_large",
      reason: "订阅源超过 1999 字节，已停止读取",
    });
    expect(await fetchFeed(srv.url("/small-but-over"), opts({ maxBytes: 2000 }))).toMatchObject({ kind: "ok" });
    // Without Content-Length the cap is enforced while streaming.
    expect(await fetchFeed(srv.url("/chunked-2000"), opts({ maxBytes: 1999 }))).toMatchObject({ code: "too_large" });
    const exact = await fetchFeed(srv.url("/chunked-2000"), opts({ maxBytes: 2000 }));
    expect(exact.kind === "ok" && exact.body.byteLength).toBe(2000);
  });

  it("cuts a server that trickles one byte per second at the total timeout", async () => {
    slowClosed.trickle = false;
    const started = Date.now();
    const r = await fetchFeed(srv.url("/trickle"), opts({ timeoutMs: 1500 }));
    const elapsed = Date.now() - started;
    expect(r).toEqual({ kind: "error", code: "timeout", reason: "连接超时（1.5 秒）" });
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(3500);
    await new Promise((res) => setTimeout(res, 300));
    expect(slowClosed.trickle).toBe(true); // the connection was torn down, not left dangling
  });

  it("times out a server that never sends headers", async () => {
    slowClosed.noHeaders = false;
    const started = Date.now();
    const r = await fetchFeed(srv.url("/no-headers"), opts({ timeoutMs: 1500 }));
    expect(r).toMatchObject({ kind: "error", code: "timeout" });
    expect(Date.now() - started).toBeLessThan(3500);
    await new Promise((res) => setTimeout(res, 300));
    expect(slowClosed.noHeaders).toBe(true);
  });

  it("returns an empty body as ok (parseFeed rejects it later)", async () => {
    const r = await fetchFeed(srv.url("/empty"), opts());
    expect(r).toMatchObject({ kind: "ok" });
    if (r.kind === "ok") expect(r.body.byteLength).toBe(0);
  });

  it("reports a refused connection as a network error", async () => {
    const closed = await startServer({});
    const url = closed.url("/rss");
    await closed.close();
    const r = await fetchFeed(url, opts());
    expect(r).toMatchObject({ kind: "error", code: "network" });
  });

  it("never throws on nonsense input", async () => {
    expect(await fetchFeed("not a url", opts())).toMatchObject({ kind: "error", code: "blocked" });
    expect(await fetchFeed("ftp://127.0.0.1/feed", opts())).toMatchObject({ kind: "error", code: "blocked" });
    expect(await fetchFeed("http://user:pw@127.0.0.1/feed", opts())).toMatchObject({ kind: "error", code: "blocked" });
  });
});

describe("fetchFeed with a FetchLike that ignores the abort signal", () => {
  it("still returns at the timeout", async () => {
    const stubborn: FetchLike = (url) => fetch(url); // drops the signal on purpose
    const started = Date.now();
    const r = await fetchFeed(srv.url("/no-headers"), { fetch: stubborn, allowHosts: ["127.0.0.1"], timeoutMs: 800 });
    expect(r).toMatchObject({ kind: "error", code: "timeout", reason: "连接超时（0.8 秒）" });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("a FetchLike that throws synchronously-ish becomes a network error", async () => {
    const broken: FetchLike = async () => {
      throw new Error("boom");
    };
    expect(await fetchFeed(srv.url("/rss"), { fetch: broken, allowHosts: ["127.0.0.1"] })).toEqual({
      kind: "error",
      code: "network",
      reason: "网络错误：boom",
    });
  });
});
