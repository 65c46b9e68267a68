// Decodes and parses a fetched feed body into raw items. Runtime-neutral (rss-parser's parseString
// only — its own HTTP fetching is Node-only and unguarded, so it is never used).
import Parser from "rss-parser";
import { MAX_HTML_READ } from "../domain/post-text";
import type { ParseResult, RawItem } from "./types";

const MAX_TITLE = 500;
/** Characters of an item's description kept for repost detection (its own text and the quoted block's opening). */
const MAX_DESCRIPTION = 20_000;
/** Characters of the body kept for the summary and links: what domain/post-text reads at most. */
const MAX_CONTENT = MAX_HTML_READ;

type XmlItem = Record<string, unknown>;

// rss-parser turns Atom <published>/<updated> into `new Date(x).toISOString()`: that throws on a bad
// date (failing the whole feed) and reads an offset-less date in the server's time zone. Renaming
// the two tags before rss-parser sees them keeps the raw strings for normalise.ts instead.
const RENAMED_DATE_TAGS: Record<string, string> = { published: "gm:published", updated: "gm:updated" };

function makeParser() {
  return new Parser<Record<string, unknown>, XmlItem>({
    // RSS without a version attribute is read as RSS 2.0 (some bridges omit it).
    defaultRSS: 2,
    xml2js: { tagNameProcessors: [(name: string) => RENAMED_DATE_TAGS[name] ?? name] },
    customFields: {
      item: [
        ["gm:published", "rawPublished"],
        ["gm:updated", "rawUpdated"],
      ],
    },
  });
}

/**
 * Decodes the body (charset from Content-Type, else the XML declaration, else UTF-8) and parses
 * RSS 0.9x/1.0/2.0 or Atom. Never throws; failures carry a Chinese reason for the clerk.
 */
export async function parseFeed(body: Uint8Array, contentType: string | null): Promise<ParseResult> {
  const decoded = decode(body, contentType);
  if (!decoded.ok) return decoded;
  const text = decoded.text;

  const root = rootElement(text);
  if (looksLikeHtml(text, root)) {
    return { ok: false, reason: "返回的是网页（HTML）而不是 RSS/Atom 订阅源，请核对订阅地址或检查订阅源是否需要登录" };
  }
  if (text.trim() === "") return { ok: false, reason: "订阅源返回了空内容" };
  if (root === null) {
    if (isHtmlType(contentType)) return { ok: false, reason: "返回的是网页（HTML）而不是 RSS/Atom 订阅源" };
    return { ok: false, reason: "订阅源 XML 格式错误：找不到根元素" };
  }
  const local = root.replace(/^.*:/, "").toLowerCase();
  if (local !== "rss" && local !== "feed" && local !== "rdf") {
    return { ok: false, reason: `内容是 XML，但不是 RSS/Atom 订阅源（根元素为 <${clip(root, 50)}>）` };
  }
  // xml2js (via sax) accepts junk after the root element, and even a second root: refuse that.
  const trailing = afterRoot(text, root);
  if (trailing !== null) return { ok: false, reason: `订阅源 XML 格式错误：根元素 </${root}> 之后还有多余内容` };

  let feed: { title?: unknown; items?: XmlItem[] };
  try {
    feed = (await makeParser().parseString(text)) as typeof feed;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/Line:\s*\d+/.test(msg) || /Unable to parse XML/.test(msg)) {
      return { ok: false, reason: `订阅源 XML 格式错误：${describeSaxError(msg)}` };
    }
    if (/not recognized as RSS/.test(msg)) {
      return { ok: false, reason: "内容是 XML，但不是 RSS/Atom 订阅源" };
    }
    // rss-parser assumes structure (e.g. <rss> without <channel>) and throws TypeErrors otherwise.
    return { ok: false, reason: `订阅源结构不完整，无法读取条目（${clip(msg, 120)}）` };
  }

  const items: RawItem[] = (feed.items ?? []).map(toRawItem);
  const title = capTitle(text1(feed.title));
  return title === undefined ? { ok: true, items } : { ok: true, items, title };
}

function toRawItem(it: XmlItem): RawItem {
  const out: RawItem = {};
  const guid = text1(it.guid) ?? text1(it.id) ?? text1(it["rdf:about"]);
  const link = text1(it.link);
  const title = capTitle(text1(it.title));
  // Raw strings, not rss-parser's isoDate: that is `new Date(x)`, which reads "CST" as US Central
  // and an offset-less date in the server's zone. normalise.ts applies the China rules instead.
  const date = text1(it.pubDate) ?? text1(it.date) ?? text1(it.rawPublished) ?? text1(it.rawUpdated);
  // The HTML body: its start tells reposts by the bridge's markup (feeds/reposts.ts); more of it
  // gives the summary and links kept (domain/post-text).
  const description = text1(it["content:encoded"]) ?? text1(it.content) ?? text1(it.summary) ?? text1(it.description);
  if (guid !== undefined) out.guid = guid;
  if (link !== undefined) out.link = link;
  if (title !== undefined) out.title = title;
  if (date !== undefined) out.date = date;
  if (description !== undefined) {
    out.description = description.slice(0, MAX_DESCRIPTION);
    out.content = description.slice(0, MAX_CONTENT);
  }
  return out;
}

/** A string field from xml2js output: a string, or an element with text `_`; trimmed, non-empty. */
function text1(v: unknown): string | undefined {
  let s: unknown = v;
  if (Array.isArray(s)) s = s[0];
  if (s && typeof s === "object" && typeof (s as { _?: unknown })._ === "string") s = (s as { _: string })._;
  if (typeof s !== "string") return undefined;
  const t = s.trim();
  return t === "" ? undefined : t;
}

function capTitle(t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  const oneLine = t.replace(/\s+/g, " ");
  return [...oneLine].length > MAX_TITLE ? [...oneLine].slice(0, MAX_TITLE).join("") : oneLine;
}

// ---- decoding -------------------------------------------------------------------------------

/** GBK and GB2312 are subsets of GB18030; the WHATWG decoder for all three labels is gb18030. */
const CHARSET_ALIASES: Record<string, string> = {
  gbk: "gb18030",
  gb2312: "gb18030",
  "gb_2312-80": "gb18030",
  "x-gbk": "gb18030",
  cp936: "gb18030",
  "windows-936": "gb18030",
  gb18030: "gb18030",
  utf8: "utf-8",
};

function decode(body: Uint8Array, contentType: string | null): { ok: true; text: string } | { ok: false; reason: string } {
  // A byte-order mark wins (as in the WHATWG encoding sniffing rules).
  let label: string | null = null;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) label = "utf-8";
  else if (body[0] === 0xff && body[1] === 0xfe) label = "utf-16le";
  else if (body[0] === 0xfe && body[1] === 0xff) label = "utf-16be";
  label ??= charsetFromContentType(contentType) ?? charsetFromXmlDeclaration(body) ?? "utf-8";
  const normalised = CHARSET_ALIASES[label.toLowerCase()] ?? label.toLowerCase();
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(normalised); // strips a BOM of its own encoding
  } catch {
    return { ok: false, reason: `订阅源使用了不支持的字符编码：${clip(label, 40)}` };
  }
  try {
    return { ok: true, text: decoder.decode(body) };
  } catch {
    return { ok: false, reason: `订阅源内容无法按 ${clip(label, 40)} 编码解码` };
  }
}

function charsetFromContentType(ct: string | null): string | null {
  if (!ct) return null;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(ct);
  return m ? m[1]! : null;
}

function charsetFromXmlDeclaration(body: Uint8Array): string | null {
  // The declaration is ASCII; read the head byte by byte so no decoder guess is needed.
  let head = "";
  for (let i = 0; i < Math.min(body.length, 512); i++) head += String.fromCharCode(body[i]!);
  const m = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m ? m[1]! : null;
}

// ---- structure sanity checks -------------------------------------------------------------------

/** Skips prolog (declaration, comments, PIs, DOCTYPE) and returns the first element's name. */
function rootElement(text: string): string | null {
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s|\uFEFF/.test(text[i]!)) i++;
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (/^<!doctype/i.test(text.slice(i, i + 9))) {
      const end = skipDoctype(text, i);
      if (end < 0) return null;
      i = end;
    } else if (text[i] === "<") {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
      return m ? m[1]! : null;
    } else {
      return null;
    }
  }
  return null;
}

function skipDoctype(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === ">" && depth <= 0) return i + 1;
  }
  return -1;
}

function isHtmlType(ct: string | null): boolean {
  return !!ct && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(ct);
}

function looksLikeHtml(text: string, root: string | null): boolean {
  if (root !== null && root.toLowerCase() === "html") return true;
  const head = text.slice(0, 1024).trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || (root === null && /^<(html|head|body)\b/.test(head));
}

/**
 * Returns the text after the root element's closing tag when it holds more than whitespace,
 * comments or processing instructions; null when the document ends cleanly (or has no closing
 * tag at all, which the XML parser then reports itself).
 */
function afterRoot(text: string, root: string): string | null {
  const close = `</${root}`;
  const at = text.lastIndexOf(close);
  if (at < 0) return null;
  const gt = text.indexOf(">", at);
  if (gt < 0) return null;
  const rest = text
    .slice(gt + 1)
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<\?[\s\S]*?\?>/g, "")
    .trim();
  if (rest !== "") return rest;
  // A second root after the first, e.g. "<rss>…</rss><rss>…</rss>": the first close tag of the
  // root at depth 0 must be the last one. Cheap check: the root's open tag appears only once.
  const markup = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "").replace(/<!--[\s\S]*?-->/g, "");
  const opens = markup.match(new RegExp(`<${escapeRe(root)}[\\s>/]`, "g"))?.length ?? 0;
  return opens > 1 ? "second root" : null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function describeSaxError(msg: string): string {
  const first = msg.split("\n")[0]!.trim();
  const line = /Line:\s*(\d+)/.exec(msg)?.[1];
  const col = /Column:\s*(\d+)/.exec(msg)?.[1];
  const where = line !== undefined ? `（第 ${Number(line) + 1} 行第 ${Number(col ?? 0) + 1} 列）` : "";
  const known: Record<string, string> = {
    "Unclosed root tag": "文档不完整，根元素没有结束",
    "Unexpected close tag": "结束标签与开始标签不匹配",
    "Non-whitespace before first tag.": "文档开头不是 XML 标签",
    "Invalid character in entity name": "存在未转义的 & 字符",
    "Invalid character entity": "使用了未定义的实体（&…;），或存在未转义的 & 字符",
    "Unable to parse XML.": "无法解析",
    "Text data outside of root node.": "根元素之外有多余文字",
    "Unmatched closing tag": "结束标签不匹配",
    "Unquoted attribute value": "属性值缺少引号",
  };
  return `${known[first] ?? clip(first, 80)}${where}`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
