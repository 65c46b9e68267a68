// Webhook formats: one Notice rendered for a generic JSON receiver or a group robot
// (企业微信 / 钉钉 / 飞书), with each robot's signing. Pure apart from Web Crypto; no I/O here.
// docs/规则依据.md#预警去重与通知: alerts reach the operating unit and the supervising office through their webhooks.
import { hmacSha256, toBase64, toHex } from "./hmac";
import { joinWithinBytes } from "./utf8";

export const WEBHOOK_KINDS = ["generic", "wecom", "dingtalk", "feishu"] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export const WEBHOOK_KIND_LABELS: Record<WebhookKind, string> = {
  generic: "通用JSON",
  wecom: "企业微信机器人",
  dingtalk: "钉钉机器人",
  feishu: "飞书机器人",
};

export function isWebhookKind(value: unknown): value is WebhookKind {
  return typeof value === "string" && (WEBHOOK_KINDS as readonly string[]).includes(value);
}

/** What to tell people, independent of where it goes. Stored as JSON with a delivery, so keep it plain data. */
export interface Notice {
  /** e.g. "weekly_digest", "veto", "midweek_reminder". */
  event: string;
  title: string;
  /** Plain text, one line each (no markup: the robot formats add their own). */
  lines: string[];
  link?: string;
  /** Machine-readable payload for generic receivers. */
  data: unknown;
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const TRUNCATION_MARK = "…（内容过长，已截断）";
/** 企业微信群机器人 markdown.content: at most 4096 bytes, UTF-8. */
export const WECOM_MAX_BYTES = 4096;
/** 钉钉自定义机器人 markdown.text: kept within about 20000 bytes. */
export const DINGTALK_MAX_BYTES = 20_000;
/** 飞书自定义机器人: the request body must stay under 20 KB; leave room for JSON escaping and signing. */
export const FEISHU_MAX_BYTES = 18_000;

export const SIGNATURE_HEADER = "X-Govmedia-Signature";
export const TIMESTAMP_HEADER = "X-Govmedia-Timestamp";

/** What a webhook form should accept: an absolute http(s) URL. */
export function isValidWebhookUrl(url: string): boolean {
  return parseHttpUrl(url) !== null;
}

/**
 * Builds the HTTP request for one webhook. Never throws: a URL that is not http(s) is passed
 * through unchanged (and unsigned), and sendWebhook then reports it as a failed delivery.
 * `now` is the send time: robot signatures are only valid for about an hour, so build right before sending.
 */
export async function buildWebhookRequest(
  kind: WebhookKind,
  url: string,
  secret: string | null,
  notice: Notice,
  now: Date,
): Promise<OutgoingRequest> {
  const target = parseHttpUrl(url);
  // An empty secret means "not configured" (Web Crypto also refuses zero-length HMAC keys).
  const key = secret?.trim() ? secret.trim() : null;
  const headers: Record<string, string> = {};

  switch (kind) {
    case "generic": {
      const body = JSON.stringify({
        event: notice.event,
        title: notice.title,
        text: [notice.title, ...notice.lines].join("\n"),
        lines: notice.lines,
        link: notice.link ?? null,
        data: notice.data ?? null,
        sentAt: now.toISOString(),
      });
      if (key) {
        // Receivers verify: hex(HMAC-SHA256(secret, raw body)) === header minus "sha256=".
        headers[SIGNATURE_HEADER] = `sha256=${toHex(await hmacSha256(key, body))}`;
        headers[TIMESTAMP_HEADER] = String(Math.floor(now.getTime() / 1000));
      }
      return { url: target?.href ?? url, headers, body };
    }

    case "wecom": {
      // 企业微信群机器人 has no signing: the key in the URL is the credential. Secret ignored.
      const content = joinWithinBytes(
        {
          head: `**${inline(notice.title)}**\n`,
          lines: notice.lines.map((l) => `> ${inline(l)}`),
          sep: "\n",
          tail: markdownLink(notice.link, "\n"),
        },
        WECOM_MAX_BYTES,
        TRUNCATION_MARK,
      );
      return { url: target?.href ?? url, headers, body: JSON.stringify({ msgtype: "markdown", markdown: { content } }) };
    }

    case "dingtalk": {
      // Paragraphs (blank line between) render the same in every DingTalk client.
      const text = joinWithinBytes(
        {
          head: `#### ${inline(notice.title)}\n\n`,
          lines: notice.lines.map(inline),
          sep: "\n\n",
          tail: markdownLink(notice.link, "\n\n"),
        },
        DINGTALK_MAX_BYTES,
        TRUNCATION_MARK,
      );
      if (key && target) {
        // 钉钉加签: timestamp in ms; sign = urlencode(base64(HMAC-SHA256(key=secret, msg=`${ts}\n${secret}`))).
        const timestamp = String(now.getTime());
        const sign = toBase64(await hmacSha256(key, `${timestamp}\n${key}`));
        // searchParams percent-encodes + / = ; set() also replaces a stale timestamp/sign pasted with the URL.
        target.searchParams.set("timestamp", timestamp);
        target.searchParams.set("sign", sign);
      }
      const title = Array.from(inline(notice.title)).slice(0, 100).join(""); // the chat-list preview
      return {
        url: target?.href ?? url,
        headers,
        body: JSON.stringify({ msgtype: "markdown", markdown: { title, text } }),
      };
    }

    case "feishu": {
      const link = notice.link ? safeLink(notice.link) : null;
      const text = joinWithinBytes(
        {
          head: `${inline(notice.title)}\n`,
          lines: notice.lines.map(inline),
          sep: "\n",
          tail: link ? `\n详情：${link}` : "",
        },
        FEISHU_MAX_BYTES,
        TRUNCATION_MARK,
      );
      const payload: Record<string, unknown> = {};
      if (key) {
        // 飞书签名校验: timestamp in SECONDS; sign = base64(HMAC-SHA256(key=`${ts}\n${secret}`, msg="")).
        const timestamp = String(Math.floor(now.getTime() / 1000));
        payload.timestamp = timestamp;
        payload.sign = toBase64(await hmacSha256(`${timestamp}\n${key}`, ""));
      }
      payload.msg_type = "text";
      payload.content = { text };
      return { url: target?.href ?? url, headers, body: JSON.stringify(payload) };
    }
  }
}

/**
 * Did the receiver accept the message? Robots answer HTTP 200 with an error code in the body
 * (企业微信/钉钉: errcode; 飞书: code, or StatusCode in older deployments), so the body decides.
 */
export function interpretResponse(kind: WebhookKind, status: number, bodyText: string): { ok: boolean; error?: string } {
  const parsed = parseJsonObject(bodyText);
  if (status < 200 || status > 299) {
    const detail = parsed && kind !== "generic" ? robotError(kind, parsed) : null;
    return { ok: false, error: detail ? `HTTP ${status}：${detail}` : `HTTP ${status}` };
  }
  if (kind === "generic") return { ok: true };
  if (!parsed) {
    const snippet = bodyText.trim().slice(0, 200);
    return {
      ok: false,
      error: `${WEBHOOK_KIND_LABELS[kind]}返回的内容无法解析为 JSON，无法确认是否送达${snippet ? `：${snippet}` : "（空响应）"}`,
    };
  }
  const error = robotError(kind, parsed);
  return error === null ? { ok: true } : { ok: false, error };
}

/** Delay before the next attempt after `attempts` failed ones: 1 min, 5 min, 30 min, 2 h, then 6 h. */
export function retryDelayMs(attempts: number): number {
  const MINUTE = 60_000;
  const schedule = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 360 * MINUTE];
  const n = Number.isFinite(attempts) ? Math.max(1, Math.floor(attempts)) : 1;
  return schedule[Math.min(n, schedule.length) - 1]!;
}

/** A delivery is given up (status failed) after this many attempts. */
export const MAX_ATTEMPTS = 6;

// ---------------------------------------------------------------------------------------------

function parseHttpUrl(url: string): URL | null {
  try {
    const u = new URL(url.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u : null;
  } catch {
    return null;
  }
}

/**
 * One line of user-controlled text (account and unit names) made inert for robot markup: no line
 * breaks, and no `<`/`>` so a name cannot @-mention people (企业微信 `<@userid>`, 飞书 `<at user_id="all">`)
 * or inject `<font>` tags.
 */
function inline(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/</g, "＜").replace(/>/g, "＞");
}

/** http(s) only, percent-encoded so it cannot break out of a markdown link. */
function safeLink(link: string): string | null {
  const u = parseHttpUrl(link);
  return u ? u.href.replace(/\(/g, "%28").replace(/\)/g, "%29") : null;
}

function markdownLink(link: string | undefined, before: string): string {
  const href = link ? safeLink(link) : null;
  return href ? `${before}[查看详情](${href})` : "";
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** null when the robot reported success, else its message. */
function robotError(kind: WebhookKind, body: Record<string, unknown>): string | null {
  let code: unknown;
  let message: unknown;
  let field: string;
  if (kind === "feishu") {
    const useLegacy = body.code === undefined && body.StatusCode !== undefined;
    code = useLegacy ? body.StatusCode : body.code;
    message = useLegacy ? body.StatusMessage : body.msg;
    field = "code";
  } else {
    code = body.errcode;
    message = body.errmsg;
    field = "errcode";
  }
  if (code === 0 || code === "0") return null;
  if (code === undefined || code === null) return `${WEBHOOK_KIND_LABELS[kind]}的响应中没有 ${field}，无法确认是否送达`;
  return typeof message === "string" && message.trim() ? message : `${WEBHOOK_KIND_LABELS[kind]}返回错误码 ${String(code)}`;
}
