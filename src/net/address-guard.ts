// SSRF guard for user-supplied URLs (订阅地址, 推送地址): which addresses we may reach. Runtime-neutral.
// Only FEED_ALLOW_HOSTS / WEBHOOK_ALLOW_HOSTS (docs/规则依据.md#对外接口约定) let a private or loopback address through.
// Literal-IP hosts are checked here; host names are checked again after DNS on Node
// (guarded-fetch-node.ts). On Workers DNS can't be controlled, so this is the whole check there.

/** IPv4 blocks that are not public unicast: [network, prefix length]. */
const PRIVATE_V4: ReadonlyArray<readonly [string, number]> = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // RFC 1918
  ["100.64.0.0", 10], // CGNAT, RFC 6598
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, incl. cloud metadata 169.254.169.254
  ["172.16.0.0", 12], // RFC 1918
  ["192.0.0.0", 24], // IETF protocol assignments (incl. NAT64 discovery)
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16], // RFC 1918
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast 255.255.255.255
];

const PRIVATE_V4_NUM = PRIVATE_V4.map(([net, len]) => {
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { net: (parseDottedV4(net)! & mask) >>> 0, mask };
});

/** Strict dotted-decimal IPv4 ("127.0.0.1") → unsigned 32-bit number, else null. */
function parseDottedV4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    if (part.length > 1 && part.startsWith("0")) return null; // leading zero: octal in some parsers
    const v = Number(part);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** IPv6 text (no brackets, no zone) → eight 16-bit groups, else null. Accepts a dotted IPv4 tail. */
function parseV6(s: string): number[] | null {
  if (!/^[0-9a-f:.]+$/i.test(s) || !s.includes(":")) return null;
  let text = s;
  // A dotted IPv4 tail ("::ffff:1.2.3.4") becomes its two hex groups.
  const lastColon = text.lastIndexOf(":");
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseDottedV4(last);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const want = 8;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    for (const g of part.split(":")) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  if (!head) return null;
  if (halves.length === 1) {
    return head.length === want ? head : null;
  }
  const rest = parseGroups(halves[1]!);
  if (!rest || head.length + rest.length >= want) return null;
  return [...head, ...new Array<number>(want - head.length - rest.length).fill(0), ...rest];
}

function v4IsPrivate(n: number): boolean {
  return PRIVATE_V4_NUM.some(({ net, mask }) => ((n & mask) >>> 0) === net);
}

function v6IsPrivate(h: number[]): boolean {
  const [h0, h1, h2, h3, h4, h5, h6, h7] = h as [number, number, number, number, number, number, number, number];
  const embedded = ((h6 << 16) >>> 0) + h7;
  const zero64 = h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0;
  // ::ffff:a.b.c.d (IPv4-mapped) and ::ffff:0:a.b.c.d (SIIT): judged by the IPv4 inside.
  if (zero64 && h4 === 0 && h5 === 0xffff) return v4IsPrivate(embedded);
  if (zero64 && h4 === 0xffff && h5 === 0) return v4IsPrivate(embedded);
  // ::/96: unspecified ::, loopback ::1 and the deprecated IPv4-compatible form. Never public.
  if (zero64 && h4 === 0 && h5 === 0) return true;
  // NAT64 well-known prefix 64:ff9b::/96 → the IPv4 inside; local-use 64:ff9b:1::/48 → private.
  if (h0 === 0x64 && h1 === 0xff9b) {
    if (h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0) return v4IsPrivate(embedded);
    return true;
  }
  // 6to4 2002::/16 carries an IPv4 in groups 1–2.
  if (h0 === 0x2002) return v4IsPrivate(((h1 << 16) >>> 0) + h2);
  // Teredo 2001::/32 (tunnels to an obfuscated IPv4) and documentation 2001:db8::/32.
  if (h0 === 0x2001 && (h1 === 0 || h1 === 0xdb8)) return true;
  // Everything outside global unicast 2000::/3 is private or special: fc00::/7 unique-local,
  // fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast, 100::/64 discard, reserved.
  return (h0 & 0xe000) !== 0x2000;
}

type ParsedIp = { v: 4; n: number } | { v: 6; groups: number[] };

/**
 * Parses an IP literal, in the forms a URL host or a resolver may produce: dotted IPv4, IPv6 with
 * or without brackets and zone id, and the odd IPv4 forms WHATWG URL accepts (2130706433,
 * 0177.0.0.1, 0x7f.1), which are normalised through the URL parser. Not an IP → null.
 */
export function parseIp(input: string): ParsedIp | null {
  let s = input.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0 && s.includes(":")) s = s.slice(0, zone);
  if (s.includes(":")) {
    const groups = parseV6(s);
    return groups ? { v: 6, groups } : null;
  }
  const direct = parseDottedV4(s);
  if (direct !== null) return { v: 4, n: direct };
  if (!/^[0-9a-fx.]+$/i.test(s)) return null;
  try {
    const host = new URL(`http://${s}/`).hostname;
    const n = parseDottedV4(host);
    return n === null ? null : { v: 4, n };
  } catch {
    return null;
  }
}

/**
 * True when the address is not public unicast: loopback, RFC 1918, link-local (incl. metadata
 * 169.254.169.254), CGNAT, "this network", multicast, broadcast/reserved, documentation,
 * IPv6 ::/::1, fc00::/7, fe80::/10, ff00::/8, and IPv4-mapped / NAT64 / 6to4 forms of any of these.
 * Fails closed: a string that is not an IP literal counts as private.
 */
export function isPrivateAddress(ip: string): boolean {
  const parsed = parseIp(ip);
  if (!parsed) return true;
  return parsed.v === 4 ? v4IsPrivate(parsed.n) : v6IsPrivate(parsed.groups);
}

/** Canonical form of a host for comparison: lower case, no brackets, no trailing dot, IPs normalised. */
export function canonicalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  h = h.replace(/\.+$/, "");
  try {
    const parsed = new URL(`http://${h.includes(":") ? `[${h}]` : h}/`).hostname;
    return parsed.replace(/^\[|\]$/g, "").replace(/\.+$/, "");
  } catch {
    return h;
  }
}

/** Whether `host` is listed in allowHosts (FEED_ALLOW_HOSTS), case-insensitively. */
export function isHostAllowed(host: string, allowHosts: readonly string[]): boolean {
  const h = canonicalHost(host);
  return allowHosts.some((a) => a.trim() !== "" && canonicalHost(a) === h);
}

/** How a refusal names the URL, the act, and the setting that would allow it: feeds and webhooks differ. */
export interface GuardWording {
  subject: string;
  verb: string;
  allowSetting: string;
}
export const FEED_WORDING: GuardWording = { subject: "订阅地址", verb: "抓取", allowSetting: "FEED_ALLOW_HOSTS" };
export const WEBHOOK_WORDING: GuardWording = { subject: "推送地址", verb: "访问", allowSetting: "WEBHOOK_ALLOW_HOSTS" };

const allowHint = (w: GuardWording) => `；如确需${w.verb}，请由管理员将其加入 ${w.allowSetting}`;

/**
 * Checks a feed URL before any request: http/https only, no credentials, and no literal private IP
 * or localhost unless the host is in allowHosts. Reasons are Chinese, for the clerk.
 */
export function checkUrl(
  url: string,
  allowHosts: readonly string[],
  w: GuardWording = FEED_WORDING,
): { ok: true; url: URL } | { ok: false; reason: string } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { ok: false, reason: `${w.subject}格式不正确：${clip(url)}` };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { ok: false, reason: `只支持 http 或 https ${w.subject}（收到 ${clip(parsed.protocol)}）` };
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return { ok: false, reason: `${w.subject}中不能包含用户名或密码，已拒绝` };
  }
  if (parsed.hostname === "") return { ok: false, reason: `${w.subject}缺少主机名：${clip(url)}` };
  if (isHostAllowed(parsed.hostname, allowHosts)) return { ok: true, url: parsed };

  const host = parsed.hostname.toLowerCase().replace(/\.+$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) {
    return { ok: false, reason: `${w.subject}指向本机（${parsed.hostname}），已拒绝${allowHint(w)}` };
  }
  // WHATWG URL has already turned 2130706433, 0177.0.0.1, 0x7f.1 into dotted IPv4 and IPv6 into
  // its compressed form in brackets; anything else is a DNS name (checked after lookup on Node).
  const literal = host.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
  if (literal && isPrivateAddress(host)) {
    return { ok: false, reason: `${w.subject}指向内网或本机地址（${parsed.hostname}），已拒绝${allowHint(w)}` };
  }
  return { ok: true, url: parsed };
}

function clip(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
