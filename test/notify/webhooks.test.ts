// Webhook delivery end to end against a real HTTP receiver on 127.0.0.1: no fetch mocks.
// Signatures are checked with node:crypto, independently of the Web Crypto code under test.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  buildWebhookRequest,
  TRUNCATION_MARK,
  WECOM_MAX_BYTES,
  DINGTALK_MAX_BYTES,
  FEISHU_MAX_BYTES,
  type Notice,
  type WebhookKind,
} from "../../src/notify/formats";
import { weeklyDigestNotice } from "../../src/notify/messages";
import { sendWebhook } from "../../src/notify/send";
import { answerJson, startReceiver } from "./receiver";

const NOW = new Date("2026-11-23T01:00:00.123Z");
const SECRET = "SECa1b2c3d4e5f60718293a4b5c6d7e8f9";

const notice: Notice = {
  event: "veto",
  title: "【两周未更新】某某市市场监督管理局 某某市场监管（微博）",
  lines: ["账号：某某市场监管（微博）", "最近一次更新：2026-11-08 09:30（北京时间）", "已 15 天未更新。"],
  link: "https://govmedia.example.cn/accounts/acc_1",
  data: { accountId: "acc_1", days: 15 },
};

const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

let rx: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
});
beforeEach(() => {
  rx.received.length = 0;
  rx.setResponder(answerJson({ errcode: 0, errmsg: "ok" }));
});

async function deliver(kind: WebhookKind, path: string, secret: string | null, n: Notice = notice, now = NOW) {
  const req = await buildWebhookRequest(kind, `${rx.base}${path}`, secret, n, now);
  const result = await sendWebhook(fetch, kind, req, 5000);
  expect(rx.received).toHaveLength(1);
  const got = rx.received[0]!;
  expect(got.method).toBe("POST");
  expect(got.headers["content-type"]).toBe("application/json; charset=utf-8");
  return { req, result, got, json: JSON.parse(got.text) as Record<string, any> };
}

describe("generic JSON", () => {
  it("posts the notice as JSON, signed with hex HMAC-SHA256 of the raw body", async () => {
    rx.setResponder(answerJson("", 204));
    const { result, got, json } = await deliver("generic", "/hooks/govmedia", SECRET);
    expect(result).toEqual({ ok: true, status: 204 });
    expect(json).toEqual({
      event: "veto",
      title: notice.title,
      text: [notice.title, ...notice.lines].join("\n"),
      lines: notice.lines,
      link: notice.link,
      data: { accountId: "acc_1", days: 15 },
      sentAt: "2026-11-23T01:00:00.123Z",
    });
    const expected = createHmac("sha256", SECRET).update(got.raw).digest("hex");
    expect(got.headers["x-govmedia-signature"]).toBe(`sha256=${expected}`);
    expect(got.headers["x-govmedia-timestamp"]).toBe(String(Math.floor(NOW.getTime() / 1000)));
  });

  it("sends no signature headers without a secret (or with a blank one)", async () => {
    for (const secret of [null, "", "   "]) {
      rx.received.length = 0;
      const { result, got } = await deliver("generic", "/hooks/govmedia", secret);
      expect(result.ok).toBe(true);
      expect(got.headers["x-govmedia-signature"]).toBeUndefined();
      expect(got.headers["x-govmedia-timestamp"]).toBeUndefined();
    }
  });

  it("accepts any 2xx whatever the body says", async () => {
    rx.setResponder(answerJson("<html>thanks</html>", 200));
    const { result } = await deliver("generic", "/x", null);
    expect(result).toEqual({ ok: true, status: 200 });
  });
});

describe("企业微信 (wecom)", () => {
  it("posts markdown content with a bold title, quoted lines and the link; secret ignored", async () => {
    const { req, result, got, json } = await deliver("wecom", "/cgi-bin/webhook/send?key=k-123", SECRET);
    expect(result).toEqual({ ok: true, status: 200 });
    expect(got.url).toBe("/cgi-bin/webhook/send?key=k-123");
    expect(req.headers).toEqual({});
    expect(json.msgtype).toBe("markdown");
    expect(Object.keys(json)).toEqual(["msgtype", "markdown"]);
    const content: string = json.markdown.content;
    expect(content.split("\n")).toEqual([
      `**${notice.title}**`,
      "> 账号：某某市场监管（微博）",
      "> 最近一次更新：2026-11-08 09:30（北京时间）",
      "> 已 15 天未更新。",
      "[查看详情](https://govmedia.example.cn/accounts/acc_1)",
    ]);
  });

  it("a huge Chinese digest is cut to ≤ 4096 UTF-8 bytes on a character boundary, keeping title and link", async () => {
    const accounts = Array.from({ length: 600 }, (_, i) => ({
      name: `某某市第${i + 1}人民政府办公室政务公开科🏛️官方账号`,
      platformLabel: "微信公众号",
      posts: i % 3,
      required: 3,
      status: "below" as const,
    }));
    const digest = weeklyDigestNotice({
      orgName: "某某市人民政府办公室",
      weekId: "2026-W47",
      accounts,
      openAlerts: [],
      link: "https://govmedia.example.cn/weeks/2026-W47",
    });
    const { result, got, json } = await deliver("wecom", "/cgi-bin/webhook/send?key=k", null, digest);
    expect(result.ok).toBe(true);
    // The bytes on the wire are valid UTF-8 (a cut inside a 3-byte character would fail here).
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(got.raw)).not.toThrow();
    const content: string = json.markdown.content;
    const bytes = Buffer.byteLength(content, "utf8");
    expect(bytes).toBeLessThanOrEqual(WECOM_MAX_BYTES);
    expect(bytes).toBeGreaterThan(WECOM_MAX_BYTES - 200); // cut near the limit, not far below it
    expect(hasLoneSurrogate(content)).toBe(false);
    expect(content).not.toContain("\uFFFD");
    expect(content.startsWith("**【政务新媒体周报】某某市人民政府办公室 2026-W47**\n")).toBe(true);
    expect(content).toContain(TRUNCATION_MARK);
    expect(content.endsWith("\n[查看详情](https://govmedia.example.cn/weeks/2026-W47)")).toBe(true);
  });

  it("a single enormous line is cut inside the line, still within the limit", async () => {
    const big: Notice = { event: "x", title: "标题", lines: ["政".repeat(5000)], data: null };
    const { json } = await deliver("wecom", "/w", null, big);
    const content: string = json.markdown.content;
    expect(Buffer.byteLength(content, "utf8")).toBeLessThanOrEqual(WECOM_MAX_BYTES);
    expect(content).toMatch(/^\*\*标题\*\*\n> 政+…（内容过长，已截断）$/);
  });

  it("account names cannot @-mention people or inject tags", async () => {
    const hostile: Notice = { event: "x", title: "<@all> 标题", lines: ['名称<font color="warning">x</font>\n<@zhangsan>'], data: null };
    const { json } = await deliver("wecom", "/w", null, hostile);
    const content: string = json.markdown.content;
    expect(content).not.toContain("<");
    expect(content).toContain("＜@all＞ 标题");
    expect(content.split("\n")).toHaveLength(2); // the embedded newline did not start a new line
  });
});

describe("钉钉 (dingtalk)", () => {
  // A timestamp whose signature contains + or /, so URL encoding of the sign is really exercised.
  function nowWithAwkwardSign(): Date {
    for (let ms = NOW.getTime(); ; ms++) {
      const sign = createHmac("sha256", SECRET).update(`${ms}\n${SECRET}`).digest("base64");
      if (/[+/]/.test(sign)) return new Date(ms);
    }
  }

  it("posts markdown and signs the URL: timestamp (ms) and urlencoded base64 HMAC, access_token kept", async () => {
    const now = nowWithAwkwardSign();
    const { result, got, json } = await deliver("dingtalk", "/robot/send?access_token=tok123", SECRET, notice, now);
    expect(result).toEqual({ ok: true, status: 200 });
    const url = new URL(got.url, rx.base);
    expect(url.pathname).toBe("/robot/send");
    expect(url.searchParams.get("access_token")).toBe("tok123");
    const ts = url.searchParams.get("timestamp")!;
    expect(ts).toBe(String(now.getTime()));
    const expected = createHmac("sha256", SECRET).update(`${ts}\n${SECRET}`).digest("base64");
    expect(url.searchParams.get("sign")).toBe(expected);
    // On the wire the sign is percent-encoded: no raw + / = that a server would misread.
    expect(got.url).toContain(`&sign=${encodeURIComponent(expected)}`);
    expect(json).toEqual({
      msgtype: "markdown",
      markdown: {
        title: notice.title,
        text: [
          `#### ${notice.title}`,
          ...notice.lines,
          "[查看详情](https://govmedia.example.cn/accounts/acc_1)",
        ].join("\n\n"),
      },
    });
  });

  it("replaces a stale timestamp/sign pasted with the URL", async () => {
    const { got } = await deliver("dingtalk", "/robot/send?access_token=t&timestamp=1&sign=old", SECRET);
    const url = new URL(got.url, rx.base);
    expect(url.searchParams.getAll("timestamp")).toEqual([String(NOW.getTime())]);
    expect(url.searchParams.getAll("sign")).toHaveLength(1);
    expect(url.searchParams.get("sign")).not.toBe("old");
  });

  it("leaves the URL alone without a secret", async () => {
    const { got } = await deliver("dingtalk", "/robot/send?access_token=tok123", null);
    expect(got.url).toBe("/robot/send?access_token=tok123");
  });

  it("a robot error (errcode 310000 sign not match) is a failure with its message", async () => {
    rx.setResponder(answerJson({ errcode: 310000, errmsg: "sign not match" }));
    const { result } = await deliver("dingtalk", "/robot/send?access_token=t", "wrong");
    expect(result).toEqual({ ok: false, status: 200, error: "sign not match" });
  });

  it("long text stays within the DingTalk limit", async () => {
    const big: Notice = { event: "x", title: "标题", lines: Array.from({ length: 3000 }, (_, i) => `第${i}行：政务新媒体`), data: null };
    const { json } = await deliver("dingtalk", "/d", null, big);
    expect(Buffer.byteLength(json.markdown.text, "utf8")).toBeLessThanOrEqual(DINGTALK_MAX_BYTES);
    expect(json.markdown.text).toContain(TRUNCATION_MARK);
  });
});

describe("飞书 (feishu)", () => {
  it("posts text with timestamp (seconds) and sign = base64 HMAC keyed by `${ts}\\n${secret}` over ''", async () => {
    rx.setResponder(answerJson({ code: 0, msg: "success", data: {} }));
    const { result, got, json } = await deliver("feishu", "/open-apis/bot/v2/hook/abc", SECRET);
    expect(result).toEqual({ ok: true, status: 200 });
    expect(got.url).toBe("/open-apis/bot/v2/hook/abc");
    const ts = String(Math.floor(NOW.getTime() / 1000));
    const expected = createHmac("sha256", `${ts}\n${SECRET}`).update("").digest("base64");
    expect(json).toEqual({
      timestamp: ts,
      sign: expected,
      msg_type: "text",
      content: { text: [notice.title, ...notice.lines, "详情：https://govmedia.example.cn/accounts/acc_1"].join("\n") },
    });
  });

  it("no timestamp/sign without a secret", async () => {
    rx.setResponder(answerJson({ code: 0, msg: "success" }));
    const { json } = await deliver("feishu", "/f", null);
    expect(Object.keys(json)).toEqual(["msg_type", "content"]);
  });

  it("accepts the legacy StatusCode answer; a code ≠ 0 fails with msg", async () => {
    rx.setResponder(answerJson({ Extra: null, StatusCode: 0, StatusMessage: "success" }));
    expect((await deliver("feishu", "/f", SECRET)).result.ok).toBe(true);
    rx.received.length = 0;
    rx.setResponder(answerJson({ code: 19021, msg: "sign match fail or timestamp is not within one hour from current time" }));
    expect((await deliver("feishu", "/f", SECRET)).result).toEqual({
      ok: false,
      status: 200,
      error: "sign match fail or timestamp is not within one hour from current time",
    });
  });

  it("long text stays within the Feishu limit", async () => {
    rx.setResponder(answerJson({ code: 0, msg: "success" }));
    const big: Notice = { event: "x", title: "标题", lines: Array.from({ length: 3000 }, (_, i) => `第${i}行：政务新媒体`), data: null };
    const { json, got } = await deliver("feishu", "/f", SECRET, big);
    expect(Buffer.byteLength(json.content.text, "utf8")).toBeLessThanOrEqual(FEISHU_MAX_BYTES);
    expect(got.raw.length).toBeLessThan(20 * 1024);
  });
});

describe("failures", () => {
  it("HTTP 500 is a failure", async () => {
    rx.setResponder(answerJson("internal error", 500));
    for (const kind of ["generic", "wecom", "dingtalk", "feishu"] as const) {
      rx.received.length = 0;
      const { result } = await deliver(kind, "/x", null);
      expect(result.ok).toBe(false);
      expect(result.status).toBe(500);
      expect(result.error).toMatch(/^HTTP 500/);
    }
  });

  it("a robot answering 200 with something that is not JSON is a failure with a Chinese reason", async () => {
    rx.setResponder(answerJson("<html>gateway</html>", 200));
    const { result } = await deliver("wecom", "/x", null);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("无法解析");
    expect(result.error).toContain("<html>gateway</html>");
  });

  it("a redirect is not followed (the body is not re-sent elsewhere) and counts as a failure", async () => {
    rx.setResponder((_req, res) => {
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
    });
    const { result } = await deliver("generic", "/x", null);
    expect(result).toMatchObject({ ok: false, status: 302, error: "HTTP 302" });
    expect(rx.received).toHaveLength(1);
  });

  it("a receiver that never answers: not ok after the timeout", async () => {
    rx.setResponder(() => {}); // read the request, never respond
    const req = await buildWebhookRequest("dingtalk", `${rx.base}/robot/send?access_token=t`, SECRET, notice, NOW);
    const started = Date.now();
    const result = await sendWebhook(fetch, "dingtalk", req, 500);
    const elapsed = Date.now() - started;
    expect(result.ok).toBe(false);
    expect(result.error).toContain("超时");
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3000);
  });

  it("a fetch that ignores the abort signal still cannot hang the sender", async () => {
    const stuck = () => new Promise<Response>(() => {});
    const req = await buildWebhookRequest("generic", `${rx.base}/x`, null, notice, NOW);
    const result = await sendWebhook(stuck, "generic", req, 300);
    expect(result).toEqual({ ok: false, error: "请求超时（300 毫秒内未完成）" });
  });

  it("reads at most 64 KiB of an endless response instead of waiting for its end", async () => {
    rx.setResponder((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = "x".repeat(16 * 1024);
      const timer = setInterval(() => res.write(chunk), 5);
      res.on("close", () => clearInterval(timer));
    });
    const req = await buildWebhookRequest("generic", `${rx.base}/x`, null, notice, NOW);
    const result = await sendWebhook(fetch, "generic", req, 5000);
    expect(result).toEqual({ ok: true, status: 200 });
  });

  it("connection refused is a failure, not an exception", async () => {
    const closed = await startReceiver();
    const base = closed.base;
    await closed.close();
    const req = await buildWebhookRequest("wecom", `${base}/x`, null, notice, NOW);
    const result = await sendWebhook(fetch, "wecom", req, 2000);
    expect(result.ok).toBe(false);
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/^发送失败：/);
  });

  it("a fetch that throws synchronously is a failure, not an exception", async () => {
    const broken = (() => {
      throw new TypeError("boom");
    }) as unknown as typeof fetch;
    const req = await buildWebhookRequest("generic", `${rx.base}/x`, null, notice, NOW);
    expect(await sendWebhook(broken, "generic", req, 1000)).toEqual({ ok: false, error: "发送失败：boom" });
  });
});
