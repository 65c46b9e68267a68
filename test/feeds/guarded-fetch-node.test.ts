// The Node guarded fetch (undici + guarded DNS lookup) against a real server on 127.0.0.1.
import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchFeed } from "../../src/feeds/fetch-feed";
import { createGuardedFetch, createGuardedLookup, type GuardedFetch, type Resolver } from "../../src/net/guarded-fetch-node";
import { WEBHOOK_WORDING } from "../../src/net/address-guard";
import { FeedBlockedError } from "../../src/net/types";
import { fixture, serve, startServer, type TestServer } from "./http-server";

let srv: TestServer;
const opened: GuardedFetch[] = [];
const guarded = (allow: string[], resolver?: Resolver) => {
  const f = createGuardedFetch(allow, resolver ? { resolver } : {});
  opened.push(f);
  return f;
};
const init = () => ({ headers: { "user-agent": "test" }, signal: AbortSignal.timeout(5000) });

/** A resolver with a fixed table (the DNS answer is the thing under test, not the network). */
const fakeDns =
  (table: Record<string, LookupAddress[]>): Resolver =>
  (hostname, _opts, cb) => {
    const hit = table[hostname.toLowerCase()];
    if (hit) return cb(null, hit);
    const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    e.code = "ENOTFOUND";
    cb(e, []);
  };

/** Runs the lookup the way net.connect does, with and without `all: true`. */
function lookup(fn: ReturnType<typeof createGuardedLookup>, host: string, all: boolean) {
  return new Promise<{ err: Error | null; result: unknown }>((resolve) =>
    fn(host, all ? { all: true } : { family: 0 }, (err, address, family) => resolve({ err, result: all ? address : { address, family } })),
  );
}

beforeAll(async () => {
  srv = await startServer({ "/feed": serve(fixture("rss2.xml"), "application/rss+xml") });
});
afterAll(async () => {
  await Promise.all(opened.map((f) => f.close()));
  await srv.close();
});

describe("createGuardedFetch", () => {
  it("refuses http://127.0.0.1:<port> when allowHosts is empty, before connecting", async () => {
    const before = srv.hits.length;
    await expect(guarded([])(srv.url("/feed"), init())).rejects.toMatchObject({
      code: "FEED_BLOCKED",
      reason: expect.stringContaining("订阅地址指向内网或本机地址（127.0.0.1），已拒绝"),
    });
    const viaFeed = await fetchFeed(srv.url("/feed"), { fetch: guarded([]), allowHosts: [] });
    expect(viaFeed).toMatchObject({ kind: "error", code: "blocked" });
    expect(srv.hits.length).toBe(before); // nothing reached the server
  });

  it("works with allowHosts = ['127.0.0.1']", async () => {
    const res = await guarded(["127.0.0.1"])(srv.url("/feed"), init());
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("张掖市人民政府");
  });

  it("refuses the name localhost unless it is allowed", async () => {
    await expect(guarded([])(srv.url("/feed", "localhost"), init())).rejects.toBeInstanceOf(FeedBlockedError);
    const res = await guarded(["localhost"])(srv.url("/feed", "localhost"), init());
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it("refuses at lookup a host name that resolves to loopback, and reports it as blocked", async () => {
    const dns = fakeDns({ "feeds.example.test": [{ address: "127.0.0.1", family: 4 }] });
    const url = srv.url("/feed", "feeds.example.test");
    const before = srv.hits.length;
    const err = await guarded([], dns)(url, init()).then(
      () => null,
      (e: unknown) => e,
    );
    // undici wraps the lookup error: TypeError("fetch failed", { cause: FeedBlockedError }).
    expect(err).toBeInstanceOf(TypeError);
    expect((err as { cause?: unknown }).cause).toBeInstanceOf(FeedBlockedError);
    const r = await fetchFeed(url, { fetch: guarded([], dns), allowHosts: [] });
    expect(r).toEqual({
      kind: "error",
      code: "blocked",
      reason: expect.stringContaining("订阅地址的域名 feeds.example.test 解析到内网或本机地址（127.0.0.1），已拒绝"),
    });
    expect(srv.hits.length).toBe(before);
    // Allowed by name: the lookup answer is used as is and the request goes through.
    const ok = await fetchFeed(url, { fetch: guarded(["feeds.example.test"], dns), allowHosts: ["feeds.example.test"] });
    expect(ok).toMatchObject({ kind: "ok", status: 200 });
    expect(srv.hits.at(-1)!.headers.host).toBe(`feeds.example.test:${srv.port}`);
  });

  it("reports an unknown host name as a network error", async () => {
    const r = await fetchFeed("http://no-such-host.example.test/feed", { fetch: guarded([], fakeDns({})), allowHosts: [] });
    expect(r).toMatchObject({ kind: "error", code: "network", reason: expect.stringContaining("域名无法解析") });
  });
});

describe("createGuardedLookup", () => {
  it("refuses real-DNS localhost (→ 127.0.0.1) unless allowed, in both calling conventions", async () => {
    for (const all of [true, false]) {
      const refused = await lookup(createGuardedLookup([]), "localhost", all);
      expect(refused.err).toBeInstanceOf(FeedBlockedError);
      expect((refused.err as FeedBlockedError).reason).toMatch(/^订阅地址的域名 localhost 解析到内网或本机地址（(127\.0\.0\.1|::1)），已拒绝/);
      const allowed = await lookup(createGuardedLookup(["LOCALHOST"]), "localhost", all);
      expect(allowed.err).toBeNull();
      if (all) expect(allowed.result).toEqual(expect.arrayContaining([expect.objectContaining({ address: "127.0.0.1" })]));
      else expect(allowed.result).toMatchObject({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
    }
  });

  it("refuses when ANY resolved address is private (no partial answers)", async () => {
    const dns = fakeDns({
      "mixed.example.test": [
        { address: "93.184.216.34", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ],
      "v6.example.test": [{ address: "::ffff:169.254.169.254", family: 6 }],
      "public.example.test": [
        { address: "93.184.216.34", family: 4 },
        { address: "2606:2800:220:1:248:1893:25c8:1946", family: 6 },
      ],
    });
    const mixed = await lookup(createGuardedLookup([], dns), "mixed.example.test", true);
    expect((mixed.err as FeedBlockedError).reason).toContain("10.0.0.7");
    const v6 = await lookup(createGuardedLookup([], dns), "v6.example.test", false);
    expect(v6.err).toBeInstanceOf(FeedBlockedError);
    const pub = await lookup(createGuardedLookup([], dns), "public.example.test", true);
    expect(pub.err).toBeNull();
    expect(pub.result).toHaveLength(2);
    const one = await lookup(createGuardedLookup([], dns), "public.example.test", false);
    expect(one.result).toEqual({ address: "93.184.216.34", family: 4 });
  });

  it("words the refusal for another caller (webhooks)", async () => {
    const fn = createGuardedLookup([], undefined, WEBHOOK_WORDING);
    const r = await lookup(fn, "localhost", true);
    expect((r.err as FeedBlockedError).reason).toMatch(/^推送地址的域名 localhost 解析到内网或本机地址（.+），已拒绝；.*WEBHOOK_ALLOW_HOSTS$/);
  });
});
