// Pure parts of the webhook formats: response interpretation, retry schedule, byte-safe cutting.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildWebhookRequest,
  interpretResponse,
  isValidWebhookUrl,
  isWebhookKind,
  MAX_ATTEMPTS,
  retryDelayMs,
  WEBHOOK_KIND_LABELS,
  WEBHOOK_KINDS,
  type Notice,
} from "../../src/notify/formats";
import { sendWebhook } from "../../src/notify/send";
import { joinWithinBytes, truncateUtf8 } from "../../src/notify/utf8";

const MIN = 60_000;
const notice: Notice = { event: "veto", title: "标题", lines: ["一行"], data: null };

describe("kinds", () => {
  it("has Chinese labels for every kind", () => {
    expect(WEBHOOK_KINDS).toEqual(["generic", "wecom", "dingtalk", "feishu"]);
    expect(WEBHOOK_KIND_LABELS).toEqual({ generic: "通用JSON", wecom: "企业微信机器人", dingtalk: "钉钉机器人", feishu: "飞书机器人" });
    expect(isWebhookKind("feishu")).toBe(true);
    expect(isWebhookKind("slack")).toBe(false);
    expect(isWebhookKind("constructor")).toBe(false);
  });

  it("a URL that is not http(s) is a failed delivery, not an exception, and is never fetched", async () => {
    let fetched = 0;
    const spy = async () => {
      fetched++;
      return new Response("ok");
    };
    for (const url of ["ftp://example.com/x", "javascript:alert(1)", "data:,ok", "not a url", ""]) {
      expect(isValidWebhookUrl(url)).toBe(false);
      for (const kind of WEBHOOK_KINDS) {
        const req = await buildWebhookRequest(kind, url, "secret", notice, new Date());
        const result = await sendWebhook(spy, kind, req, 1000);
        expect(result.ok).toBe(false);
        expect(result.error).toMatch(/^无效的 Webhook 地址/);
      }
    }
    expect(fetched).toBe(0);
    expect(isValidWebhookUrl("https://oapi.dingtalk.com/robot/send?access_token=x")).toBe(true);
  });
});

describe("interpretResponse", () => {
  it("non-2xx is never ok", () => {
    for (const kind of WEBHOOK_KINDS) {
      expect(interpretResponse(kind, 500, "")).toEqual({ ok: false, error: "HTTP 500" });
      expect(interpretResponse(kind, 404, "{\"errcode\":0,\"code\":0}").ok).toBe(false);
    }
    expect(interpretResponse("feishu", 400, '{"code":19021,"msg":"sign match fail"}')).toEqual({
      ok: false,
      error: "HTTP 400：sign match fail",
    });
  });

  it("generic: any 2xx", () => {
    expect(interpretResponse("generic", 200, "whatever")).toEqual({ ok: true });
    expect(interpretResponse("generic", 204, "")).toEqual({ ok: true });
  });

  it("wecom/dingtalk: errcode must be 0", () => {
    for (const kind of ["wecom", "dingtalk"] as const) {
      expect(interpretResponse(kind, 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
      expect(interpretResponse(kind, 200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual({ ok: false, error: "sign not match" });
      expect(interpretResponse(kind, 200, '{"errcode":93000}').error).toContain("93000");
      expect(interpretResponse(kind, 200, '{"ok":true}').error).toContain("errcode");
      expect(interpretResponse(kind, 200, "<html></html>").error).toMatch(/无法解析/);
      expect(interpretResponse(kind, 200, "").error).toMatch(/无法解析.*空响应/);
      expect(interpretResponse(kind, 200, "[0]").ok).toBe(false);
      expect(interpretResponse(kind, 200, "null").ok).toBe(false);
    }
  });

  it("feishu: code (or legacy StatusCode) must be 0", () => {
    expect(interpretResponse("feishu", 200, '{"code":0,"msg":"success","data":{}}')).toEqual({ ok: true });
    expect(interpretResponse("feishu", 200, '{"Extra":null,"StatusCode":0,"StatusMessage":"success"}')).toEqual({ ok: true });
    expect(interpretResponse("feishu", 200, '{"code":9499,"msg":"Bad Request"}')).toEqual({ ok: false, error: "Bad Request" });
    expect(interpretResponse("feishu", 200, '{"StatusCode":19001,"StatusMessage":"param invalid"}')).toEqual({
      ok: false,
      error: "param invalid",
    });
    expect(interpretResponse("feishu", 200, "not json").error).toContain("飞书机器人");
  });
});

describe("retryDelayMs", () => {
  it("follows 1 min, 5 min, 30 min, 2 h, then 6 h", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([1 * MIN, 5 * MIN, 30 * MIN, 120 * MIN, 360 * MIN, 360 * MIN, 360 * MIN]);
    expect(MAX_ATTEMPTS).toBe(6);
  });

  it("is monotonic and capped at 6 h, also for odd input", () => {
    let prev = 0;
    for (let a = 1; a <= 50; a++) {
      const d = retryDelayMs(a);
      expect(d).toBeGreaterThanOrEqual(prev);
      expect(d).toBeLessThanOrEqual(6 * 60 * MIN);
      prev = d;
    }
    expect(retryDelayMs(0)).toBe(MIN);
    expect(retryDelayMs(-3)).toBe(MIN);
    expect(retryDelayMs(Number.NaN)).toBe(MIN);
    expect(retryDelayMs(Number.POSITIVE_INFINITY)).toBe(MIN);
    expect(retryDelayMs(1e9)).toBe(360 * MIN);
  });
});

describe("byte-safe cutting", () => {
  const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
  const bytes = (s: string) => Buffer.byteLength(s, "utf8");

  it("truncateUtf8 never exceeds the limit nor splits a character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), fc.integer({ min: 0, max: 400 }), (text, max) => {
        const out = truncateUtf8(text, max, "…（已截断）");
        expect(bytes(out)).toBeLessThanOrEqual(max);
        expect(wellFormed(out)).toBe(true);
        if (bytes(text) <= max) expect(out).toBe(text);
      }),
    );
  });

  it("joinWithinBytes keeps head and tail, stays within the limit, marks the cut", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", maxLength: 80 }), { maxLength: 60 }),
        fc.integer({ min: 40, max: 2000 }),
        (lines, max) => {
          const parts = { head: "**标题**\n", lines, sep: "\n", tail: "\n[查看详情](https://x.cn/)" };
          const out = joinWithinBytes(parts, max, "…（已截断）");
          expect(bytes(out)).toBeLessThanOrEqual(max);
          expect(wellFormed(out)).toBe(true);
          const whole = parts.head + lines.join("\n") + parts.tail;
          if (bytes(whole) <= max) expect(out).toBe(whole);
          else if (bytes(parts.head + parts.tail + "…（已截断）") <= max) {
            // Room for title, link and mark: they are all there. (Less room: cut as plain text.)
            expect(out).toContain("…（已截断）");
            expect(out.startsWith(parts.head)).toBe(true);
            expect(out.endsWith(parts.tail)).toBe(true);
          } else expect(out.endsWith("…（已截断）")).toBe(true);
        },
      ),
    );
  });
});
