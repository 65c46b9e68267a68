import { describe, expect, it } from "vitest";
import { CONFIGURED, looksLikeToken, maskWebhookUrl } from "./mask-url";

const FEISHU = "8f3c2a1e-5b7d-4c9a-9e21-0d6b4f7a3c55";
const DING = "4f1e0c9b8a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f";
const WECOM = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
const SLACK = "XXXXXXXXXXXXXXXXXXXXXXXX";

describe("maskWebhookUrl", () => {
  it.each([
    // Feishu and Lark: the token is the last path segment.
    [`https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU}`, "https://open.feishu.cn/open-apis/bot/v2/hook/***3c55"],
    [`https://open.larksuite.com/open-apis/bot/v2/hook/${FEISHU}`, "https://open.larksuite.com/open-apis/bot/v2/hook/***3c55"],
    // A short token after /hook/ is still a token.
    ["https://open.feishu.cn/open-apis/bot/v2/hook/abc", "https://open.feishu.cn/open-apis/bot/v2/hook/***"],
    // DingTalk and WeCom: the key is in the query.
    [`https://oapi.dingtalk.com/robot/send?access_token=${DING}`, "https://oapi.dingtalk.com/robot/send?access_token=***2e1f"],
    [`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM}`, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***5aaa"],
    ["https://oapi.dingtalk.com/robot/send?access_token=abc", "https://oapi.dingtalk.com/robot/send?access_token=***"],
    // Every query value, not only known keys; a bare "?token" too.
    ["https://example.com/notify?a=1&sig=whatever&empty=", "https://example.com/notify?a=***&sig=***&empty="],
    ["https://example.com/notify?Zx81k2Lm9Qp4Rt7Vw3", "https://example.com/notify?***7Vw3"],
    // Slack-like: everything after /services/.
    [`https://hooks.slack.com/services/T00000000/B00000000/${SLACK}`, "https://hooks.slack.com/services/***/***/***XXXX"],
    // Discord-like: id and token after /webhooks/.
    ["https://discord.com/api/webhooks/123456789012345678/aBcD-eFgH_iJkL", "https://discord.com/api/webhooks/***5678/***"],
    // Generic: long random segments, UUIDs, long hex runs; ordinary words stay readable.
    ["https://hooks.example.com/in/AbC123xyz789DEF456ghi/post", "https://hooks.example.com/in/***6ghi/post"],
    [`https://example.com/x/${FEISHU}.json`, "https://example.com/x/***json"],
    ["https://example.com/x/deadbeef0123456789", "https://example.com/x/***6789"],
    ["https://example.com/api/notifications-webhook-endpoint", "https://example.com/api/notifications-webhook-endpoint"],
    // Userinfo and fragments.
    ["https://user:p4ssw0rd@example.com/hook", "https://***@example.com/hook"],
    ["https://example.com/a#secret-fragment", "https://example.com/a#***"],
    // Port kept; nothing to hide.
    ["http://robot.example.gov.cn:8080/send", "http://robot.example.gov.cn:8080/send"],
    // Unparseable or not http(s): nothing is echoed.
    ["not a url", CONFIGURED],
    ["javascript:alert(1)", CONFIGURED],
  ])("%s", (url, expected) => {
    expect(maskWebhookUrl(url)).toBe(expected);
  });

  it("is idempotent, including over the older query-only masking", () => {
    for (const url of [
      `https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU}`,
      `https://oapi.dingtalk.com/robot/send?access_token=${DING}`,
      `https://hooks.slack.com/services/T00000000/B00000000/${SLACK}`,
      "https://oapi.dingtalk.com/robot/send?access_token=***",
    ]) {
      const once = maskWebhookUrl(url);
      expect(maskWebhookUrl(once)).toBe(once);
    }
  });

  it("never contains the secret", () => {
    for (const [url, secret] of [
      [`https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU}`, FEISHU],
      [`https://oapi.dingtalk.com/robot/send?access_token=${DING}`, DING],
      [`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM}`, WECOM],
      [`https://hooks.slack.com/services/T00000000/B00000000/${SLACK}`, SLACK],
    ] as const) {
      const masked = maskWebhookUrl(url);
      expect(masked).not.toContain(secret);
      // No 8-character piece of the secret survives either.
      for (let i = 0; i + 8 <= secret.length; i++) expect(masked).not.toContain(secret.slice(i, i + 8));
    }
  });
});

describe("looksLikeToken", () => {
  it.each([
    ["open-apis", false],
    ["v2", false],
    ["cgi-bin", false],
    ["send", false],
    ["2026", false],
    ["notifications_webhook_endpoint", false],
    [FEISHU, true],
    ["0123456789abcdef", true],
    ["AbC123xyz789DEF456ghi", true],
    ["ABCDEFGHIJKLMNOPQRST", true],
  ])("%s → %s", (seg, expected) => {
    expect(looksLikeToken(seg)).toBe(expected);
  });
});
