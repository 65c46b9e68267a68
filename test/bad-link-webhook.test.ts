// bad_link to webhooks: when check-links opens a bad_link alert, the unit's webhook subscribed to
// bad_link gets one message and its supervising office one combined list — each exactly once, none
// on a rerun, none to a webhook not subscribed. Real HTTP servers on 127.0.0.1, real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLinks } from "../jobs/check-links";
import type { JobDeps } from "../jobs/deps";
import { deliverWebhooks } from "../jobs/deliver-webhooks";
import { createGuardedFetch } from "../src/net/guarded-fetch-node";
import { createGuardedPost } from "../src/net/guarded-post-node";
import { startServer, type TestServer } from "./feeds/http-server";
import { makeTestApp, org, token, type TestApp } from "./helpers";
import { startReceiver } from "./notify/receiver";

const H = 3_600_000;
const T0 = Date.parse("2026-11-23T19:30:00Z");
const at = (hours: number) => new Date(T0 + hours * H);

let site: TestServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  site = await startServer({
    "/gone": (_req, res) => void res.writeHead(404, { "content-type": "text/html" }).end("not found"),
    "/ok": (_req, res) => void res.writeHead(200, { "content-type": "text/html" }).end("ok"),
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  site.close();
  await receiver.close();
});

describe("bad_link webhooks", () => {
  let t: TestApp;
  let sup: string;
  let unitId: string;
  let officeId: string;
  let accountId: string;

  beforeAll(async () => {
    t = await makeTestApp({ at: "2026-11-20T00:00:00Z", webhookAllowHosts: ["127.0.0.1"] });
    const root = await t.bootstrap("某县人民政府", "county");
    officeId = root.orgId;
    sup = await token(t, root.token, root.orgId, "supervisor");
    unitId = await org(t, root.token, "某县教育局", "department", "county", root.orgId);
    const a = await t.call(sup, "POST", "/api/accounts", { orgId: unitId, platform: "douyin", name: "某县教育发布", url: site.url("/gone"), openedOn: "2026-01-01" });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    accountId = a.body.id;
    // Another account of the unit whose homepage works: it must not be named.
    const b = await t.call(sup, "POST", "/api/accounts", { orgId: unitId, platform: "weibo", name: "某县教育微博", url: site.url("/ok"), openedOn: "2026-01-01" });
    expect(b.status, JSON.stringify(b.body)).toBe(201);

    const hook = async (orgId: string, label: string, events?: string[]) => {
      const r = await t.call(sup, "POST", "/api/webhooks", { orgId, kind: "generic", label, url: `${receiver.base}/${label}`, ...(events ? { events } : {}) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    };
    // The unit subscribes to bad_link only; the office takes the default (every event); a second unit
    // hook wants veto only and must hear nothing.
    expect((await hook(unitId, "unit", ["bad_link"])).events).toEqual(["bad_link"]);
    expect((await hook(officeId, "office")).events).toContain("bad_link");
    await hook(unitId, "veto-only", ["veto"]);
  });
  afterAll(() => t.close());

  const deps = (): JobDeps => ({
    db: t.db,
    fetchFeed: createGuardedFetch(["127.0.0.1"]),
    feedAllowHosts: ["127.0.0.1"],
    postWebhook: createGuardedPost(["127.0.0.1"]),
  });
  const bodies = (path: string) => receiver.received.filter((r) => r.url === path).map((r) => JSON.parse(r.text));

  it("the webhook events accept bad_link and refuse an unknown event in Chinese", async () => {
    const bad = await t.call(sup, "POST", "/api/webhooks", { orgId: unitId, kind: "generic", label: "x", url: `${receiver.base}/x`, events: ["bad_links"] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    // A webhook made before bad_link existed can add it; a repeated event is kept once.
    const old = await t.call(sup, "POST", "/api/webhooks", { orgId: unitId, kind: "generic", label: "old", url: `${receiver.base}/old`, events: ["veto"] });
    const patched = await t.call(sup, "PATCH", `/api/webhooks/${old.body.id}`, { events: ["veto", "bad_link", "bad_link"] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.events).toEqual(["veto", "bad_link"]);
    expect((await t.call(sup, "PATCH", `/api/webhooks/${old.body.id}`, { active: false })).body).toMatchObject({ active: false, events: ["veto", "bad_link"] });
  });

  it("sends one message to the unit and one list to the office when bad_link opens, none on a rerun", async () => {
    const d = deps();
    await checkLinks(d, at(0));
    await checkLinks(d, at(12));
    await deliverWebhooks(d, at(12));
    expect(receiver.received).toEqual([]); // failing, but not yet a day apart

    const opened = await checkLinks(d, at(25));
    expect(opened.opened).toBe(1);
    expect(await deliverWebhooks(d, at(25))).toMatchObject({ attempted: 2, delivered: 2 });

    const unit = bodies("/unit");
    expect(unit).toHaveLength(1);
    expect(unit[0]).toMatchObject({ event: "bad_link", title: "【链接无法访问】某县教育局 某县教育发布", data: { accountId } });
    expect(unit[0].text).toContain("404");
    expect(unit[0].text).toContain(`127.0.0.1:${site.port}/gone`);
    expect(unit[0].text).not.toContain("某县教育微博");

    const office = bodies("/office");
    expect(office).toHaveLength(1);
    expect(office[0]).toMatchObject({ event: "bad_link", title: "【链接无法访问】某县人民政府辖内 1 个账号" });
    expect(office[0].lines[1]).toContain("· 某县教育局 某县教育发布：");
    expect(bodies("/veto-only")).toEqual([]);

    // Reruns while the link stays dead: the alert stays open, nothing is queued or sent again.
    expect((await checkLinks(d, at(26))).opened).toBe(0);
    await checkLinks(d, at(50));
    expect(await deliverWebhooks(d, at(51))).toMatchObject({ attempted: 0 });
    expect(receiver.received).toHaveLength(2);
  }, 60_000);
});
