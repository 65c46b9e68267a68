import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkUrl, isHostAllowed, isPrivateAddress } from "../../src/net/address-guard";

// Reference table, written independently of the implementation: [first octets, prefix length].
const BLOCKED_V4: [number[], number][] = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 0, 2], 24],
  [[192, 88, 99], 24],
  [[192, 168], 16],
  [[198, 18], 15],
  [[198, 51, 100], 24],
  [[203, 0, 113], 24],
  [[224], 4],
  [[240], 4],
];
const toInt = (o: number[]) => o.reduce((n, b) => n * 256 + b, 0);
const toDotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
const ranges = BLOCKED_V4.map(([octets, len]) => {
  const start = toInt([...octets, 0, 0, 0, 0].slice(0, 4));
  return { start, end: start + 2 ** (32 - len) - 1, len };
});
const inBlocked = (n: number) => ranges.some((r) => n >= r.start && n <= r.end);
const hex4 = (n: number) => n.toString(16);

const anyV4 = fc.integer({ min: 0, max: 0xffffffff });
const blockedV4 = fc.constantFrom(...ranges).chain((r) => fc.integer({ min: r.start, max: r.end }));

describe("isPrivateAddress: IPv4", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "100.64.0.1",
    "100.127.255.255",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "2130706433", // decimal 127.0.0.1
    "0177.0.0.1", // octal
    "0x7f.1", // hex, short form
    "0x7f000001",
  ])("%s is private", (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(["8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0", "223.255.255.255", "106.11.0.1", "192.169.0.1"])(
    "%s is public",
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );

  it("any address inside a blocked range is private", () => {
    fc.assert(fc.property(blockedV4, (n) => isPrivateAddress(toDotted(n)) === true), { numRuns: 2000 });
  });

  it("agrees with the reference table on random addresses", () => {
    fc.assert(fc.property(anyV4, (n) => isPrivateAddress(toDotted(n)) === inBlocked(n)), { numRuns: 5000 });
  });

  it("the same verdict for decimal, hex and IPv4-mapped/NAT64/6to4 IPv6 spellings", () => {
    fc.assert(
      fc.property(fc.oneof(anyV4, blockedV4), (n) => {
        const expected = inBlocked(n);
        const hi = n >>> 16;
        const lo = n & 0xffff;
        for (const form of [
          String(n),
          `0x${n.toString(16)}`,
          `::ffff:${toDotted(n)}`,
          `[::ffff:${toDotted(n)}]`,
          `::ffff:${hex4(hi)}:${hex4(lo)}`,
          `0:0:0:0:0:ffff:${hex4(hi)}:${hex4(lo)}`,
          `64:ff9b::${toDotted(n)}`,
          `2002:${hex4(hi)}:${hex4(lo)}::1`,
        ]) {
          expect([form, isPrivateAddress(form)]).toEqual([form, expected]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("isPrivateAddress: IPv6", () => {
  it.each([
    "::1",
    "::",
    "0:0:0:0:0:0:0:1",
    "[::1]",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe", // 169.254.169.254
    "::127.0.0.1", // IPv4-compatible (deprecated)
    "fe80::1",
    "fe80::1%eth0",
    "febf:ffff::1",
    "fc00::1",
    "fd12:3456:789a::1",
    "ff02::1",
    "64:ff9b::7f00:1",
    "64:ff9b:1::1",
    "2002:7f00:1::1",
    "2001:db8::1",
    "2001::1", // Teredo
    "100::1",
    "fec0::1",
  ])("%s is private", (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(["2400:3200::1", "2001:4860:4860::8888", "2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808", "::ffff:8.8.8.8", "240e:ff:e020::1"])(
    "%s is public",
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );

  const group = fc.integer({ min: 0, max: 0xffff });
  const v6 = (first: fc.Arbitrary<number>) =>
    fc.tuple(first, fc.array(group, { minLength: 7, maxLength: 7 })).map(([h0, rest]) => [h0, ...rest].map(hex4).join(":"));

  it("fc00::/7, fe80::/10 and ff00::/8 are private", () => {
    const ula = v6(fc.integer({ min: 0xfc00, max: 0xfdff }));
    const ll = v6(fc.integer({ min: 0xfe80, max: 0xfebf }));
    const mc = v6(fc.integer({ min: 0xff00, max: 0xffff }));
    fc.assert(fc.property(fc.oneof(ula, ll, mc), (ip) => isPrivateAddress(ip)), { numRuns: 2000 });
  });

  it("global unicast outside the special prefixes is public", () => {
    const gua = fc
      .tuple(fc.integer({ min: 0x2000, max: 0x3fff }), fc.array(group, { minLength: 7, maxLength: 7 }))
      .filter(([h0, rest]) => h0 !== 0x2002 && !(h0 === 0x2001 && (rest[0] === 0 || rest[0] === 0xdb8)))
      .map(([h0, rest]) => [h0, ...rest].map(hex4).join(":"));
    fc.assert(fc.property(gua, (ip) => !isPrivateAddress(ip)), { numRuns: 2000 });
  });

  it("fails closed on things that are not IP addresses", () => {
    // (Short forms are IPv4 in URL terms: "1.2.3" is 1.2.0.3, public, as a browser would read it.)
    expect(isPrivateAddress("1.2.3")).toBe(false);
    for (const s of ["", "example.com", "localhost", "::1::2", "1.2.3.256", "gggg::1", "01.02.03.04x"]) {
      expect([s, isPrivateAddress(s)]).toEqual([s, true]);
    }
  });
});

describe("checkUrl", () => {
  const REFUSED = "订阅地址指向内网或本机地址（127.0.0.1），已拒绝";

  it("accepts ordinary public feed URLs", () => {
    const r = checkUrl("https://rsshub.app/weibo/user/1234567890", []);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.url.hostname).toBe("rsshub.app");
    expect(checkUrl("http://8.8.8.8/feed", []).ok).toBe(true);
    expect(checkUrl("http://[2400:3200::1]/feed", []).ok).toBe(true);
  });

  it.each([
    "http://127.0.0.1/feed",
    "http://127.0.0.1:8080/feed",
    "http://2130706433/feed",
    "http://0177.0.0.1/feed",
    "http://0x7f.1/feed",
    "http://127.1/feed",
    "http://0x7f000001/",
    "HTTP://127.0.0.1/",
  ])("refuses %s with the Chinese reason", (url) => {
    const r = checkUrl(url, []);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(REFUSED);
  });

  it.each([
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://255.255.255.255/",
    "http://[64:ff9b::a9fe:a9fe]/",
  ])("refuses private literal %s", (url) => {
    const r = checkUrl(url, []);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^订阅地址指向内网或本机地址（.+），已拒绝/);
  });

  it.each(["http://localhost/", "http://LOCALHOST:3000/", "http://localhost./", "http://feeds.localhost/", "http://a.b.LocalHost/"])(
    "refuses %s",
    (url) => {
      const r = checkUrl(url, []);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/^订阅地址指向本机（.+），已拒绝/);
    },
  );

  it("refuses other schemes, credentials and garbage", () => {
    expect(checkUrl("file:///etc/passwd", [])).toEqual({ ok: false, reason: "只支持 http 或 https 订阅地址（收到 file:）" });
    expect(checkUrl("ftp://example.com/feed", []).ok).toBe(false);
    expect(checkUrl("gopher://example.com/", []).ok).toBe(false);
    expect(checkUrl("https://user:pass@example.com/feed", [])).toEqual({ ok: false, reason: "订阅地址中不能包含用户名或密码，已拒绝" });
    expect(checkUrl("https://user@example.com/feed", []).ok).toBe(false);
    expect(checkUrl("not a url", [])).toEqual({ ok: false, reason: "订阅地址格式不正确：not a url" });
    expect(checkUrl("", []).ok).toBe(false);
  });

  it("allowHosts (FEED_ALLOW_HOSTS) lets a listed host through, case-insensitively", () => {
    expect(checkUrl("http://127.0.0.1:4000/feed", ["127.0.0.1"]).ok).toBe(true);
    expect(checkUrl("http://LocalHost:4000/feed", ["localhost"]).ok).toBe(true);
    expect(checkUrl("http://localhost:4000/feed", ["LOCALHOST"]).ok).toBe(true);
    expect(checkUrl("http://[::1]:4000/feed", ["::1"]).ok).toBe(true);
    expect(checkUrl("http://[::1]:4000/feed", ["[::1]"]).ok).toBe(true);
    expect(checkUrl("http://rsshub.internal:1200/feed", ["RSSHUB.internal"]).ok).toBe(true);
    // Odd spellings of an allowed IP are the same host after URL normalisation.
    expect(checkUrl("http://2130706433/feed", ["127.0.0.1"]).ok).toBe(true);
    // Allowing one private host does not allow another.
    expect(checkUrl("http://127.0.0.2/feed", ["127.0.0.1"]).ok).toBe(false);
    expect(checkUrl("http://localhost/feed", ["127.0.0.1"]).ok).toBe(false);
    // Still no other schemes or credentials.
    expect(checkUrl("file://127.0.0.1/etc/passwd", ["127.0.0.1"]).ok).toBe(false);
    expect(checkUrl("http://u:p@127.0.0.1/", ["127.0.0.1"]).ok).toBe(false);
    expect(isHostAllowed("Example.COM.", ["example.com"])).toBe(true);
    expect(isHostAllowed("example.com", ["", " "])).toBe(false);
  });

  it("decimal/hex/octal hosts get the same verdict as their dotted form (property)", () => {
    fc.assert(
      fc.property(anyV4, (n) => {
        const dotted = checkUrl(`http://${toDotted(n)}/`, []).ok;
        expect(checkUrl(`http://${n}/`, []).ok).toBe(dotted);
        expect(checkUrl(`http://0x${n.toString(16)}/`, []).ok).toBe(dotted);
        expect(checkUrl(`http://0${(n >>> 24).toString(8)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/`, []).ok).toBe(dotted);
        expect(dotted).toBe(!inBlocked(n));
      }),
      { numRuns: 1000 },
    );
  });
});
