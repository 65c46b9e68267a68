// A webhook URL is a credential: whoever holds it can post into the group. Robots carry the secret in
// the query (WeCom key=, DingTalk access_token=), in the path (Feishu/Lark …/hook/<token>, Slack
// /services/T…/B…/<token>, Discord /webhooks/<id>/<token>) or in userinfo. This is the only form in
// which a stored URL leaves the database: API answers, the settings page, audit rows, delivery errors.

export const MASK = "***";
/** Shown when the URL cannot even be parsed: nothing of it is safe to echo. */
export const CONFIGURED = "已配置";

// Path segments after these carry the robot's secret, however short it is.
const SECRET_AFTER = new Set(["hook", "hooks", "services", "webhooks"]);
// Already masked (by this function or the older query-only masking): left as is, so masking twice is harmless.
const MASKED = /^\*{3,}[A-Za-z0-9_-]{0,4}$/;

/** "***" plus the last 4 characters when the secret is long enough that 4 of them give nothing away. */
function maskValue(value: string): string {
  if (value === "" || MASKED.test(value)) return value;
  return value.length >= 16 ? `${MASK}${value.slice(-4)}` : MASK;
}

/**
 * A path segment that looks random rather than like a word: long runs of token characters (unless
 * they are plain lowercase words such as "notifications-webhook"), UUIDs, or long hex runs.
 */
export function looksLikeToken(segment: string): boolean {
  let s = segment;
  try {
    s = decodeURIComponent(segment);
  } catch {}
  if (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(s)) return true;
  if (/[0-9a-f]{12,}/i.test(s) && /\d/.test(s)) return true;
  return s.length >= 16 && /^[A-Za-z0-9_.~=+-]+$/.test(s) && !/^[a-z]+(?:[-_.][a-z]+)*$/.test(s);
}

function maskPath(pathname: string): string {
  let afterMarker = false;
  return pathname
    .split("/")
    .map((seg) => {
      if (seg === "") return seg;
      const masked = afterMarker || looksLikeToken(seg) ? maskValue(seg) : seg;
      if (SECRET_AFTER.has(seg.toLowerCase())) afterMarker = true;
      return masked;
    })
    .join("/");
}

function maskQuery(search: string): string {
  if (search.length <= 1) return "";
  const parts = search
    .slice(1)
    .split("&")
    .map((pair) => {
      if (pair === "") return pair;
      const eq = pair.indexOf("=");
      // A bare "?token" is as secret as a value.
      return eq < 0 ? maskValue(pair) : `${pair.slice(0, eq)}=${maskValue(pair.slice(eq + 1))}`;
    });
  return `?${parts.join("&")}`;
}

/** The URL with every secret part masked; never the full secret, whatever the robot. Pure. */
export function maskWebhookUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return CONFIGURED;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return CONFIGURED;
  const userinfo = u.username || u.password ? `${MASK}@` : "";
  const hash = u.hash ? `#${MASK}` : "";
  return `${u.protocol}//${userinfo}${u.host}${maskPath(u.pathname)}${maskQuery(u.search)}${hash}`;
}
