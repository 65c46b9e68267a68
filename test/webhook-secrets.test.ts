// A webhook URL is the robot's credential: configured once, then never shown in full again — not in
// the API, not on the settings page, not in the audit log — to any role. Deliveries still use it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue, enqueue } from "../src/notify/outbox";
import { makeTestApp, token, type TestApp } from "./helpers";

const FEISHU = "8f3c2a1e-5b7d-4c9a-9e21-0d6b4f7a3c55";
const LARK = "c0ffee00-1234-4abc-8def-0123456789ab";
const DINGTALK = "4f1e0c9b8a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f";
const WECOM = "693a91f6-7e2b-4bc4-97a0-0ec2f1fa5a0b";
const SLACK = "Zq8rXv2KpL9mNw3TbY7sHc4D";
const GENERIC = "Gx7Pq2Lm9Rt4Vw8Zk3Nb6Hj1";
const SIGNING = ["SECfeishu0a1b2c3d4e5f6a7b8c9d", "SECding9f8e7d6c5b4a39281706", "generic-signing-secret-42x"];

const HOOKS = [
  { kind: "feishu", label: "飞书群", url: `https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU}`, secret: SIGNING[0] },
  { kind: "feishu", label: "Lark 群", url: `https://open.larksuite.com/open-apis/bot/v2/hook/${LARK}` },
  { kind: "dingtalk", label: "钉钉群", url: `https://oapi.dingtalk.com/robot/send?access_token=${DINGTALK}`, secret: SIGNING[1] },
  { kind: "wecom", label: "企业微信群", url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM}` },
  { kind: "generic", label: "Slack 兼容", url: `https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/${SLACK}` },
  { kind: "generic", label: "通用接口", url: `https://notify.example.com/in/${GENERIC}/post`, secret: SIGNING[2] },
] as const;

// Every secret, and the Slack workspace/channel ids, must be absent from everything read back.
const SECRETS = [FEISHU, LARK, DINGTALK, WECOM, SLACK, GENERIC, "T0AB12CD3", "B0EF45GH6", ...SIGNING];

let t: TestApp;
let admin = "";
let viewer = "";
let orgId = "";
const ids: string[] = [];

function expectNoSecrets(text: string, where: string) {
  for (const s of SECRETS) expect(text, `${where} shows ${s}`).not.toContain(s);
}

beforeAll(async () => {
  t = await makeTestApp();
  const root = await t.bootstrap("某市人民政府", "city");
  admin = root.token;
  orgId = root.orgId;
  viewer = await token(t, admin, orgId, "viewer");
  for (const h of HOOKS) {
    const r = await t.call(admin, "POST", "/api/webhooks", { orgId, ...h });
    expect(r.status, h.label).toBe(201);
    expectNoSecrets(JSON.stringify(r.body), `create ${h.label}`);
    ids.push(r.body.id);
  }
  // An update writes before and after into the audit log: both masked.
  const moved = await t.call(admin, "PATCH", `/api/webhooks/${ids[0]}`, { url: `https://open.feishu.cn/open-apis/bot/v2/hook/${LARK}`, label: "飞书群（新）" });
  expect(moved.status).toBe(200);
  await t.call(admin, "PATCH", `/api/webhooks/${ids[0]}`, { url: HOOKS[0].url });
});

afterAll(() => t?.close());

describe("webhook secrets", () => {
  it("GET /api/webhooks masks every kind, for admin and viewer alike", async () => {
    for (const [who, tok] of [["admin", admin], ["viewer", viewer]] as const) {
      const r = await t.call(tok, "GET", "/api/webhooks?pageSize=100");
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(HOOKS.length);
      expectNoSecrets(JSON.stringify(r.body), `${who} list`);
      const urls = r.body.items.map((i: any) => i.url).sort();
      expect(urls).toEqual(
        [
          "https://open.feishu.cn/open-apis/bot/v2/hook/***3c55",
          "https://open.larksuite.com/open-apis/bot/v2/hook/***89ab",
          "https://oapi.dingtalk.com/robot/send?access_token=***2e1f",
          "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***5a0b",
          "https://hooks.slack.com/services/***/***/***Hc4D",
          "https://notify.example.com/in/***6Hj1/post",
        ].sort(),
      );
      for (const i of r.body.items) expect(i).not.toHaveProperty("secret");
      expect(r.body.items.filter((i: any) => i.hasSecret)).toHaveLength(3);
    }
  });

  it("the settings page shows masked addresses only", async () => {
    for (const [who, tok] of [["admin", admin], ["viewer", viewer]] as const) {
      const res = await t.app.request("/settings", { headers: { cookie: `gm_token=${tok}` } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("飞书群");
      expect(html).toContain("open-apis/bot/v2/hook/***");
      expectNoSecrets(html, `${who} /settings`);
    }
  });

  it("the audit log (API and raw rows) never holds a full URL or a signing secret", async () => {
    const r = await t.call(admin, "GET", "/api/audit?entity=webhook&pageSize=100");
    expect(r.status).toBe(200);
    expect(r.body.items.map((a: any) => a.action).sort()).toEqual([...HOOKS.map(() => "webhook.create"), "webhook.update", "webhook.update"].sort());
    expectNoSecrets(JSON.stringify(r.body), "GET /api/audit");
    expect((await t.call(viewer, "GET", "/api/audit")).status).toBe(403);
    const raw = await t.client.execute("SELECT before, after FROM audit_log");
    expectNoSecrets(JSON.stringify(raw.rows), "audit_log rows");
  });

  it("deliveries list shows no secret", async () => {
    for (const id of ids) {
      const r = await t.call(viewer, "GET", `/api/webhooks/${id}/deliveries`);
      expect(r.status).toBe(200);
      expectNoSecrets(JSON.stringify(r.body), "deliveries");
    }
  });

  it("delivery still posts to the real stored URL", async () => {
    const posted: string[] = [];
    const post = async (url: string) => {
      posted.push(url);
      return new Response(JSON.stringify({ errcode: 0, code: 0 }), { status: 200, headers: { "content-type": "application/json" } });
    };
    const notice = { event: "veto", title: "测试", lines: ["一行"], data: null };
    expect(await enqueue(t.db, [orgId], "veto", "secrets-test", notice, t.clock.now)).toBe(HOOKS.length);
    const out = await deliverDue(t.db, post, t.clock.now);
    expect(out).toMatchObject({ attempted: HOOKS.length, delivered: HOOKS.length });
    // The signed ones carry query parameters added by the signer; the stored URL is their prefix.
    for (const h of HOOKS) expect(posted.some((u) => u.startsWith(h.url)), h.url).toBe(true);
  });
});
