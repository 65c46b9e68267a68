// Webhook delivery: retries with backoff, a delivery log, no duplicate messages on rerun.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deliverWebhooks } from "../../jobs/deliver-webhooks";
import { createGuardedFetch } from "../../src/net/guarded-fetch-node";
import { createGuardedPost } from "../../src/net/guarded-post-node";
import { enqueue } from "../../src/notify/outbox";
import { makeTestApp, token } from "../helpers";

let server: http.Server;
let base = "";
let failuresLeft = 2;
const bodies: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      bodies.push(data);
      if (failuresLeft-- > 0) return void res.writeHead(500).end("busy");
      res.writeHead(200, { "content-type": "application/json" }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it("retries a failing robot with backoff until it is delivered, once", async () => {
  const t = await makeTestApp({ at: "2026-11-23T01:00:00Z", webhookAllowHosts: ["127.0.0.1"] });
  const root = await t.bootstrap("某县政府", "county");
  const sup = await token(t, root.token, root.orgId, "supervisor");
  const hook = await t.call(sup, "POST", "/api/webhooks", { orgId: root.orgId, kind: "dingtalk", label: "钉钉群", url: `${base}/robot/send?access_token=t`, secret: "SEC1" });
  expect(hook.status).toBe(201);
  const deps = { db: t.db, fetchFeed: createGuardedFetch([]), feedAllowHosts: [], postWebhook: createGuardedPost(["127.0.0.1"]) };
  const t0 = new Date("2026-11-23T01:00:00Z");
  const notice = { event: "veto", title: "【两周未更新】测试", lines: ["一行"], data: {} };
  expect(await enqueue(t.db, [root.orgId], "veto", "veto:test", notice, t0)).toBe(1);
  expect(await enqueue(t.db, [root.orgId], "veto", "veto:test", notice, t0)).toBe(0);

  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  expect(await deliverWebhooks(deps, at(0))).toMatchObject({ attempted: 1, delivered: 0, failed: 1 });
  expect(await deliverWebhooks(deps, at(30))).toMatchObject({ attempted: 0 }); // backoff: 1 min
  expect(await deliverWebhooks(deps, at(61))).toMatchObject({ attempted: 1, failed: 1 });
  expect(await deliverWebhooks(deps, at(61 + 200))).toMatchObject({ attempted: 0 }); // backoff: 5 min
  expect(await deliverWebhooks(deps, at(61 + 301))).toMatchObject({ attempted: 1, delivered: 1 });
  expect(await deliverWebhooks(deps, at(9999))).toMatchObject({ attempted: 0 });
  expect(bodies).toHaveLength(3);
  expect(JSON.parse(bodies[2]!)).toMatchObject({ msgtype: "markdown" });

  const log = await t.call(sup, "GET", `/api/webhooks/${hook.body.id}/deliveries`);
  expect(log.body.items).toHaveLength(1);
  expect(log.body.items[0]).toMatchObject({ status: "delivered", attempts: 3, lastStatus: 200, lastError: null });
});
