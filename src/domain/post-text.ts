// What is kept of a post's content (发文摘要, docs/规则依据.md#发文内容的保存): its text stripped of
// HTML, at most 2,000 characters, and the links found in it, at most 20 — what the wording and
// link checks read, and nothing else. Pure and linear in the input: no backtracking regex over
// markup, so a hostile 10 MB body costs no more than its first 200,000 characters.

/** Characters (Unicode code points) of text kept. */
export const MAX_SUMMARY_CHARS = 2_000;
/** Links kept per post, in order of appearance. */
export const MAX_POST_LINKS = 20;
/** A longer link is not kept (it could not be a page a clerk opens). */
export const MAX_LINK_LENGTH = 2_000;
/** Only this much of the HTML is read: enough for the summary and the links of any real post. */
export const MAX_HTML_READ = 200_000;

export interface PostText {
  summary: string | null;
  links: string[];
}

/** Elements whose content is not text. */
const SKIPPED = new Set(["script", "style", "noscript", "template", "svg", "math", "head", "title", "iframe", "object"]);
/** Elements that end a line or a block: a space between them, none inside inline markup (CJK has no spaces). */
const BREAKING = new Set([
  "br", "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "thead", "tbody", "tfoot", "caption",
  "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "section", "article", "header", "footer", "aside",
  "nav", "figure", "figcaption", "img", "video", "audio", "source", "address", "main", "details", "summary", "center",
]);

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ensp: " ", emsp: " ", thinsp: " ", zwsp: "",
  zwnj: "", zwj: "", shy: "", hellip: "…", mdash: "—", ndash: "–", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”",
  sbquo: "‚", bdquo: "„", middot: "·", bull: "•", copy: "©", reg: "®", trade: "™", times: "×", divide: "÷",
  laquo: "«", raquo: "»", yen: "¥", cent: "¢", pound: "£", euro: "€", deg: "°", plusmn: "±", sect: "§", para: "¶",
  permil: "‰", prime: "′", Prime: "″", larr: "←", rarr: "→", uarr: "↑", darr: "↓", iexcl: "¡", iquest: "¿",
};

const LEGACY = new Set(["amp", "lt", "gt", "quot", "nbsp"]);
const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));?/g;

/** Decodes HTML character references: the common named ones and every numeric one. */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) {
      // Without ";" only the legacy few are references ("&copy2026" is not); an unknown name stays as written.
      const v = whole.endsWith(";") || LEGACY.has(name) ? NAMED[name] : undefined;
      return v === undefined ? whole : v;
    }
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    // NUL, surrogates and beyond Unicode are not characters: the replacement character stands in.
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
    return String.fromCodePoint(code);
  });
}

/** The first `max` code points of `s` (a surrogate pair is never split). */
export function firstCodePoints(s: string, max: number): string {
  if (s.length <= max) return s;
  let i = 0;
  for (let n = 0; n < max && i < s.length; n++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return s.slice(0, i);
}

const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** An absolute http(s) URL as the browser would write it, or null (javascript:, data:, relative, too long). */
export function absoluteHttpUrl(raw: string): string | null {
  const t = raw.trim();
  if (!/^https?:\/\/[^/\s]/i.test(t) || t.length > MAX_LINK_LENGTH) return null;
  try {
    const u = new URL(t);
    if ((u.protocol !== "http:" && u.protocol !== "https:") || u.hostname === "") return null;
    return u.href.length > MAX_LINK_LENGTH ? null : u.href;
  } catch {
    return null;
  }
}

/** Bare URLs in text: RFC 3986 characters only, so Chinese text or punctuation after a link ends it. */
const BARE_URL = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/gi;
/** Sentence punctuation that ends a bare URL rather than belonging to it. */
const TRAILING = new Set([".", ",", ";", ":", "!", "?", "'", '"', ")", "]"]);
const LINK_ATTRIBUTE = /(?:^|\s)(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const TAG_NAME = /\/?([A-Za-z][A-Za-z0-9-]*)/y;

/**
 * A post's HTML (or plain text) → its summary and links. Tags are dropped (the content of
 * <script>, <style> and the like entirely), entities decoded, whitespace collapsed, the text cut at
 * 2,000 characters. Links: absolute http(s) URLs from href/src attributes and bare URLs in the
 * text, in order of appearance, deduplicated, at most 20. Empty → `{ summary: null, links: [] }`.
 */
export function summarise(html: string | undefined | null): PostText {
  if (typeof html !== "string" || html === "") return { summary: null, links: [] };
  let s = html.length > MAX_HTML_READ ? html.slice(0, MAX_HTML_READ) : html;
  // The cut may leave half a surrogate pair at the end.
  const last = s.charCodeAt(s.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);

  const text: string[] = [];
  const links = new Set<string>();
  const addLink = (raw: string) => {
    if (links.size >= MAX_POST_LINKS) return;
    const url = absoluteHttpUrl(raw);
    if (url !== null) links.add(url);
  };
  const addText = (chunk: string) => {
    if (chunk === "") return;
    const decoded = decodeEntities(chunk);
    if (links.size < MAX_POST_LINKS) for (const m of decoded.matchAll(BARE_URL)) addLink(withoutTrailing(m[0]));
    text.push(decoded);
  };

  let i = 0;
  const n = s.length;
  while (i < n) {
    const lt = s.indexOf("<", i);
    if (lt < 0) {
      addText(s.slice(i));
      break;
    }
    if (lt > i) addText(s.slice(i, lt));
    i = lt;
    // Comments, CDATA, doctype and processing instructions: no text of their own.
    if (s.startsWith("<!--", i)) {
      const end = s.indexOf("-->", i + 4);
      i = end < 0 ? n : end + 3;
      text.push(" ");
      continue;
    }
    if (s.startsWith("<![CDATA[", i)) {
      const end = s.indexOf("]]>", i + 9);
      addText(end < 0 ? s.slice(i + 9) : s.slice(i + 9, end));
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (s[i + 1] === "!" || s[i + 1] === "?") {
      const end = s.indexOf(">", i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    TAG_NAME.lastIndex = i + 1;
    const m = TAG_NAME.exec(s);
    if (!m) {
      // A "<" that opens no tag ("a < b") is text.
      addText("<");
      i++;
      continue;
    }
    const gt = s.indexOf(">", TAG_NAME.lastIndex);
    if (gt < 0) break; // an unfinished tag at the end: nothing more to read
    const closing = m[0].startsWith("/");
    const name = m[1]!.toLowerCase();
    const attrs = s.slice(TAG_NAME.lastIndex, gt);
    if (!closing && links.size < MAX_POST_LINKS && attrs.length > 0) {
      for (const a of attrs.matchAll(LINK_ATTRIBUTE)) addLink(decodeEntities(a[1] ?? a[2] ?? a[3] ?? ""));
    }
    i = gt + 1;
    if (!closing && SKIPPED.has(name) && !attrs.endsWith("/")) {
      const end = closingTag(s, name, i);
      if (end < 0) break;
      const close = s.indexOf(">", end);
      i = close < 0 ? n : close + 1;
      text.push(" ");
      continue;
    }
    if (BREAKING.has(name)) text.push(" ");
  }

  const joined = text.join("");
  // Lone surrogates (a broken feed) are not text: U+FFFD, as a UTF-8 writer would store them.
  const collapsed = joined
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(/[\s\u0000-\u001f\u007f-\u009f\u200b\ufeff]+/g, " ")
    .trim();
  const summary = firstCodePoints(collapsed, MAX_SUMMARY_CHARS).trimEnd();
  return { summary: summary === "" ? null : summary, links: [...links] };
}

/** A loop, not a regex: `/[.,]+$/` is quadratic on a long run of punctuation that does not end the string. */
function withoutTrailing(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING.has(url[end - 1]!)) end--;
  return url.slice(0, end);
}

/** Where `</name` (any case) next starts at or after `from`; -1 when never. */
function closingTag(s: string, name: string, from: number): number {
  for (let k = s.indexOf("</", from); k >= 0; k = s.indexOf("</", k + 2)) {
    if (s.slice(k + 2, k + 2 + name.length).toLowerCase() === name) return k;
  }
  return -1;
}
