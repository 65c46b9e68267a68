// Post identity (发文身份): one key per article, however it reaches us — WeWe RSS Atom or RSS,
// RSSHub, the push API or a spreadsheet. Pure. The key is what the (account, identity) unique index
// compares, so two sources agree on a post exactly when they compute the same key here.
// docs/规则依据.md#发文来源与去重: platform article id → guid → link → title + minute.
//
// Key formats are stored in the database: change them only together with a data migration
// (src/db/data-migrations.ts re-keys stored posts).
//   wx:<id>                 WeChat short link mp.weixin.qq.com/s/<id>, or a bare id on a WeChat account
//   wx:<__biz>/<mid>/<idx>  WeChat long link /s?__biz=…&mid=…&idx=…   (not convertible to the short id)
//   wb:<mid>                Weibo: weibo.com/<uid>/<bid>, m.weibo.cn/status|detail/<mid or bid>
//   dy:<id> tt:<id> ks:<id> Douyin video/note, Toutiao article/group/item, Kuaishou short video
//   bili:<BV…|av…>          Bilibili video (BV and av are not converted into each other)
//   url:<host><path>?<q>    any other http(s) link, normalised (also a guid that is a URL)
//   guid:<guid>             a guid that is neither a URL nor a platform id
//   link:<raw>              a link that is not an absolute http(s) URL, as written
//   tm:<title>|<minute>     neither: title + publication minute (UTC), or "tm:<title>|" if undated
import { fnv1a64 } from "./hash";

export const MAX_IDENTITY = 1000;

export interface IdentityInput {
  guid: string | null;
  link: string | null;
  title: string;
  /** The date the source gave (parsed), or null when it gave none. Only its minute is used. */
  publishedAt: Date | null;
}

/** The identity of a post; `platform` (the account's) lets a bare article id count as that platform's id. */
export function postIdentity(input: IdentityInput, platform?: string | null): string {
  const guid = nonEmpty(input.guid);
  const link = nonEmpty(input.link);
  const key =
    (guid !== null ? platformKey(guid) : null) ??
    (link !== null ? platformKey(link) : null) ??
    (guid !== null ? bareIdKey(guid, platform) : null) ??
    (guid !== null ? (urlKey(guid) ?? `guid:${guid}`) : null) ??
    (link !== null ? (urlKey(link) ?? `link:${link}`) : null) ??
    `tm:${input.title.trim().replace(/\s+/g, " ")}|${input.publishedAt ? minute(input.publishedAt) : ""}`;
  return capIdentity(key);
}

/**
 * The kind of key: two keys of one kind name an article in the same way (two WeChat short ids are
 * two articles), so only keys of different kinds can hide one article — WeChat's short and long
 * links (not convertible into each other), or a bridge's own guid against a platform link.
 */
export function identityKind(key: string): string {
  const prefix = key.slice(0, key.indexOf(":") + 1);
  if (prefix === "wx:") return key.includes("/") ? "wx-long" : "wx-short";
  return prefix;
}

/** Title and publication minute, the last resort for telling two keys apart. */
export function titleMinute(title: string, publishedAt: Date): string {
  return `${title.trim().replace(/\s+/g, " ")}|${minute(publishedAt)}`;
}

/**
 * Two dated posts of one account (dates as given, not first-seen times) are one article when their
 * keys are of different kinds and they have the same title and publication minute: e.g. the long
 * WeChat link an RSSHub route writes and the short one WeWe RSS writes for the same article, or a
 * push with a title and time only. Keys of the same kind never match this way (two weibo posts
 * with the same text in one minute are two posts).
 */
export function sameArticle(
  a: { identity: string; title: string; publishedAt: Date },
  b: { identity: string; title: string; publishedAt: Date },
): boolean {
  return identityKind(a.identity) !== identityKind(b.identity) && titleMinute(a.title, a.publishedAt) === titleMinute(b.title, b.publishedAt);
}

/** "2026-11-22T15:59Z": items published within one minute and titled alike are one post. */
function minute(d: Date): string {
  return Number.isNaN(d.getTime()) ? "" : `${d.toISOString().slice(0, 16)}Z`;
}

function nonEmpty(s: string | null): string | null {
  const t = s?.trim() ?? "";
  return t === "" ? null : t;
}

// ---- platform URLs ------------------------------------------------------------------------------

/** An absolute http(s) URL with its host lower-cased and `www.` / `m.` dropped, or null. */
function parseHttp(text: string): { host: string; url: URL } | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return { host: url.hostname.toLowerCase().replace(/^(?:www\.|m\.)+/, ""), url };
}

const segmentsOf = (url: URL) => url.pathname.split("/").filter(Boolean);

/** The canonical key of a platform article URL (see the formats above), or null for any other text. */
export function platformKey(text: string): string | null {
  const p = parseHttp(text);
  if (!p) return null;
  const { host, url } = p;
  const seg = segmentsOf(url);
  const q = url.searchParams;
  if (host === "mp.weixin.qq.com") {
    if (seg[0] === "s" && seg.length === 2 && WECHAT_ID.test(seg[1]!)) return `wx:${seg[1]}`;
    // The long form (also the old /mp/appmsg/show?appmsgid=&itemidx=): one 群发 (mid), article idx.
    const biz = q.get("__biz");
    const mid = q.get("mid") ?? q.get("appmsgid");
    if (biz && mid && /^\d+$/.test(mid)) return `wx:${biz}/${mid}/${q.get("idx") ?? q.get("itemidx") ?? "1"}`;
    return null;
  }
  if (host === "weibo.com" || host === "weibo.cn") {
    // weibo.com/<uid>/<bid|mid>, m.weibo.cn/status/<bid|mid>, m.weibo.cn/detail/<mid>.
    const id =
      seg.length === 2 && (seg[0] === "status" || seg[0] === "detail" || /^\d+$/.test(seg[0]!)) ? seg[1]! : null;
    const mid = id === null ? null : weiboMid(id);
    return mid === null ? null : `wb:${mid}`;
  }
  if (host === "douyin.com" || host === "iesdouyin.com") {
    // douyin.com/video/<id>, /note/<id>; iesdouyin.com/share/video/<id>/ (share pages).
    const s = seg[0] === "share" ? seg.slice(1) : seg;
    if ((s[0] === "video" || s[0] === "note") && /^\d{6,}$/.test(s[1] ?? "")) return `dy:${s[1]}`;
    return null;
  }
  if (host === "toutiao.com") {
    // /article/<id>/, /group/<id>/, /item/<id>/, /video/<id>/, /a<id>/, /i<id>/ — one id per article.
    const m =
      seg.length >= 2 && ["article", "group", "item", "video", "w"].includes(seg[0]!) && /^\d{6,}$/.test(seg[1]!)
        ? seg[1]!
        : seg.length === 1
          ? /^[ai](\d{6,})$/.exec(seg[0]!)?.[1]
          : undefined;
    return m ? `tt:${m}` : null;
  }
  if (host === "kuaishou.com" || host === "v.kuaishou.com" || host === "v.m.chenzhongtech.com") {
    // kuaishou.com/short-video/<id>, /fw/photo/<id>, /photo/<uid>/<id>.
    const id =
      seg[0] === "short-video" ? seg[1] : seg[0] === "fw" && seg[1] === "photo" ? seg[2] : seg[0] === "photo" ? seg[2] : undefined;
    return id && KUAISHOU_ID.test(id) ? `ks:${id}` : null;
  }
  if (host === "bilibili.com") {
    const id = seg[0] === "video" ? seg[1] : undefined;
    if (id && BILIBILI_BV.test(id)) return `bili:${id}`;
    if (id && /^av\d+$/i.test(id)) return `bili:${id.toLowerCase()}`;
    return null;
  }
  return null;
}

// WeChat short ids are base64url-like (usually 22 characters); test fixtures use shorter ones.
const WECHAT_ID = /^[A-Za-z0-9_-]{6,64}$/;
const KUAISHOU_ID = /^[A-Za-z0-9_-]{6,40}$/;
// BV ids: "BV1" + 9 base58 characters (case matters).
const BILIBILI_BV = /^BV1[1-9A-HJ-NP-Za-km-z]{9}$/;

/**
 * A guid that is the article id itself, not a URL: recognised only for the account's own platform,
 * where the shape is unambiguous. WeWe RSS writes `<id>AbCdEf1</id>` in Atom and the same article
 * as `https://mp.weixin.qq.com/s/AbCdEf1` in RSS; both become `wx:AbCdEf1`.
 */
export function bareIdKey(id: string, platform: string | null | undefined): string | null {
  const t = id.trim();
  switch (platform) {
    case "wechat":
      return WECHAT_ID.test(t) && /[A-Za-z]/.test(t) ? `wx:${t}` : null;
    case "weibo": {
      const mid = /^\d{12,20}$/.test(t) ? t : null; // a bare bid is too like any short token to guess
      return mid === null ? null : `wb:${mid}`;
    }
    case "douyin":
      return /^\d{15,20}$/.test(t) ? `dy:${t}` : null;
    case "toutiao":
      return /^\d{15,20}$/.test(t) ? `tt:${t}` : null;
    case "bilibili":
      return BILIBILI_BV.test(t) ? `bili:${t}` : null;
    default:
      return null;
  }
}

// ---- Weibo mid / bid ---------------------------------------------------------------------------

const BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * A Weibo post id as the numeric mid. The bid in `weibo.com/<uid>/<bid>` is the mid written in
 * base 62, in groups: the mid's decimal digits are cut into groups of 7 from the right, and each
 * group is written as 4 base-62 characters (the leftmost group unpadded). 3501756485200075 ↔ z0JH2lOMb.
 */
export function weiboMid(id: string): string | null {
  if (/^\d{10,20}$/.test(id)) return id.replace(/^0+/, "");
  // Real bids are 8–9 characters (13–16 digit mids); a shorter token is not taken for one.
  if (!/^[0-9A-Za-z]{6,12}$/.test(id)) return null;
  let mid = "";
  for (let end = id.length; end > 0; end -= 4) {
    const start = Math.max(0, end - 4);
    let n = 0;
    for (const c of id.slice(start, end)) n = n * 62 + BASE62.indexOf(c);
    if (start > 0 && n >= 10_000_000) return null; // not a bid: an inner group holds at most 7 digits
    mid = (start > 0 ? String(n).padStart(7, "0") : String(n)) + mid;
  }
  mid = mid.replace(/^0+/, "");
  return mid === "" ? null : mid;
}

/** The inverse of weiboMid: the bid of a numeric mid. */
export function weiboBid(mid: string): string {
  let bid = "";
  for (let end = mid.length; end > 0; end -= 7) {
    const start = Math.max(0, end - 7);
    let n = Number(mid.slice(start, end));
    let chunk = "";
    do {
      chunk = BASE62[n % 62] + chunk;
      n = Math.floor(n / 62);
    } while (n > 0);
    bid = (start > 0 ? chunk.padStart(4, "0") : chunk) + bid;
  }
  return bid;
}

// ---- other links -------------------------------------------------------------------------------

/** Query parameters that say how a link was shared, not what it points to. */
const TRACKING = new Set([
  "spm", "spm_id_from", "from", "from_source", "vd_source", "scene", "subscene", "sessionid", "clicktime",
  "enterid", "chksm", "isappinstalled", "nsukey", "wfr", "ascene", "devicetype",
  "pass_ticket", "exportkey", "wx_header", "mpshare", "srcid", "sharer_sharetime", "sharer_shareid",
  "refer_flag", "timestamp", "ts", "_t", "wid", "jumpfrom", "previewkey", "poc_token", "xtrack", "fbclid", "gclid",
]);
const isTracking = (name: string) => {
  const n = name.toLowerCase();
  return TRACKING.has(n) || n.startsWith("utm_") || n.startsWith("share_");
};

/**
 * `url:` + an http(s) link normalised so that its spellings agree: no scheme, host without
 * `www.`/`m.`, no default port, no trailing slash, no fragment, tracking parameters dropped and the
 * rest sorted. Null if the text is not an absolute http(s) URL.
 */
export function urlKey(text: string): string | null {
  const p = parseHttp(text);
  if (!p) return null;
  const { host, url } = p;
  const params = [...url.searchParams].filter(([k]) => !isTracking(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length === 0 ? "" : `?${new URLSearchParams(params).toString()}`;
  const port = url.port ? `:${url.port}` : "";
  return `url:${host}${port}${url.pathname.replace(/\/+$/, "")}${query}`;
}

/**
 * Caps an identity at MAX_IDENTITY chars: a longer one becomes its prefix + "#" + the FNV-1a
 * 64-bit hash (hex) of the whole string, so two long identities sharing a prefix stay distinct.
 */
export function capIdentity(identity: string): string {
  if (identity.length <= MAX_IDENTITY) return identity;
  const suffix = `#${fnv1a64(identity)}`;
  let prefix = identity.slice(0, MAX_IDENTITY - suffix.length);
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) prefix = prefix.slice(0, -1); // don't split a surrogate pair
  return prefix + suffix;
}
