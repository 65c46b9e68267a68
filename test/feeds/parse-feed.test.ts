// parseFeed on fixture files. The GBK fixtures were made with iconv:
//   iconv -f UTF-8 -t GBK src.xml > gbk.xml ; iconv -f UTF-8 -t GB18030 src.xml > gb18030.xml
import { describe, expect, it } from "vitest";
import { parseFeed } from "../../src/feeds/parse-feed";
import { fixture } from "./http-server";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("parseFeed: RSS 2.0", () => {
  it("reads items with raw guid, link, title and date strings", async () => {
    const r = await parseFeed(fixture("rss2.xml"), "application/rss+xml; charset=utf-8");
    if (!r.ok) throw new Error(r.reason);
    expect(r.title).toBe("张掖市人民政府 - 微博");
    expect(r.items).toHaveLength(8);
    expect(r.items[0]).toEqual({
      guid: "weibo-P1",
      link: "https://weibo.com/1234567890/P1",
      title: "周日深夜发布：本周政务公开情况",
      date: "Sun, 22 Nov 2026 23:59:59 +0800",
      // The HTML body: its start tells reposts (feeds/reposts.ts); more of it gives the summary kept.
      description: "<p>正文 &amp; 图片</p>",
      content: "<p>正文 &amp; 图片</p>",
    });
    // No date at all: no `date` key.
    expect(r.items[2]).toEqual({ link: "https://www.kuaishou.com/short-video/P3", title: "没有日期的条目（快手路由）" });
    // CST is kept raw (rss-parser's isoDate would read it as US Central time).
    expect(r.items[4]!.date).toBe("Sun, 22 Nov 2026 23:59:59 CST");
    // dc:date is used when there is no pubDate.
    expect(r.items[6]!.date).toBe("2026-11-20 09:30:00");
    expect(r.items[7]).toEqual({ title: "没有 guid 也没有链接", date: "Fri, 20 Nov 2026 10:00:00 GMT" });
  });

  it("accepts RSS without a version attribute (read as 2.0)", async () => {
    const r = await parseFeed(utf8("<rss><channel><title>t</title><item><title>a</title><guid>1</guid></item></channel></rss>"), null);
    expect(r).toEqual({ ok: true, title: "t", items: [{ guid: "1", title: "a" }] });
  });

  it("reads RSS 1.0 (RDF)", async () => {
    const xml = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://example.gov.cn/"><title>RDF</title></channel>
      <item rdf:about="https://example.gov.cn/1"><title>一</title><link>https://example.gov.cn/1</link><dc:date>2026-11-22T23:59:59+08:00</dc:date></item>
    </rdf:RDF>`;
    const r = await parseFeed(utf8(xml), "application/rdf+xml");
    expect(r).toEqual({
      ok: true,
      title: "RDF",
      items: [{ guid: "https://example.gov.cn/1", link: "https://example.gov.cn/1", title: "一", date: "2026-11-22T23:59:59+08:00" }],
    });
  });

  it("caps titles at 500 characters and folds whitespace", async () => {
    const long = "长".repeat(800);
    const r = await parseFeed(utf8(`<rss version="2.0"><channel><title>${long}</title><item><title>a\n   b</title></item><item><title>${long}</title></item></channel></rss>`), null);
    if (!r.ok) throw new Error(r.reason);
    expect(r.title).toHaveLength(500);
    expect(r.items[0]!.title).toBe("a b");
    expect(r.items[1]!.title).toHaveLength(500);
  });

  it("strips a UTF-8 BOM", async () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('<?xml version="1.0"?><rss version="2.0"><channel><title>带 BOM</title></channel></rss>')]);
    expect(await parseFeed(body, null)).toEqual({ ok: true, title: "带 BOM", items: [] });
  });

  it("treats guid elements with attributes only as missing", async () => {
    const r = await parseFeed(utf8('<rss version="2.0"><channel><title>t</title><item><guid isPermaLink="false"/><title>x</title></item></channel></rss>'), null);
    expect(r).toEqual({ ok: true, title: "t", items: [{ title: "x" }] });
  });
});

describe("parseFeed: Atom", () => {
  it("maps id → guid, alternate link, and keeps the raw published/updated strings", async () => {
    const r = await parseFeed(fixture("atom.xml"), "application/atom+xml");
    if (!r.ok) throw new Error(r.reason);
    expect(r.title).toBe("某区政务公开办 · 公众号");
    expect(r.items).toHaveLength(6);
    expect(r.items[0]).toEqual({
      guid: "urn:wechat:MP_WXS_1:2247483650",
      link: "https://mp.weixin.qq.com/s/AAA",
      title: "周日深夜推送（UTC 写法）",
      date: "2026-11-22T15:59:59Z", // published wins over updated
    });
    expect(r.items[1]!.date).toBe("2026-11-23T00:00:00+08:00"); // updated only
    expect(r.items[1]!.title).toBe("只有 updated 的条目 <b>加粗</b>");
    // rss-parser alone rejects the whole feed here ("Invalid time value"); we keep the raw string.
    expect(r.items[2]!.date).toBe("not a date");
    expect(r.items[3]!.date).toBeUndefined();
    // An offset-less date stays raw (rss-parser would read it in the server's time zone).
    expect(r.items[5]).toEqual({ guid: "urn:wechat:MP_WXS_1:2247483654", title: "偏移量不带冒号，没有时区的 ISO", date: "2026-11-21T08:00:00" });
  });
});

describe("parseFeed: the body for the summary", () => {
  it("RSS: content:encoded wins over description, and is kept longer than the repost check reads", async () => {
    const long = "<p>" + "政务公开".repeat(10_000) + "</p>";
    const xml = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
      <item><guid>1</guid><title>a</title><description>短简介</description><content:encoded><![CDATA[${long}]]></content:encoded></item>
      <item><guid>2</guid><title>b</title><description>&lt;p&gt;只有简介 &lt;a href="https://www.example.gov.cn/x"&gt;链接&lt;/a&gt;&lt;/p&gt;</description></item>
    </channel></rss>`;
    const r = await parseFeed(utf8(xml), null);
    if (!r.ok) throw new Error(r.reason);
    expect(r.items[0]!.content).toBe(long);
    expect(r.items[0]!.description).toHaveLength(20_000);
    expect(r.items[1]!.content).toBe('<p>只有简介 <a href="https://www.example.gov.cn/x">链接</a></p>');
  });

  it("Atom: <content> or else <summary>", async () => {
    const xml = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>1</id><title>a</title><summary>摘要</summary><content type="html">&lt;p&gt;正文&lt;/p&gt;</content></entry>
      <entry><id>2</id><title>b</title><summary>只有摘要</summary></entry>
    </feed>`;
    const r = await parseFeed(utf8(xml), null);
    if (!r.ok) throw new Error(r.reason);
    expect(r.items.map((i) => i.content)).toEqual(["<p>正文</p>", "只有摘要"]);
  });
});

describe("parseFeed: encodings", () => {
  it("decodes a GBK feed from its XML declaration", async () => {
    const r = await parseFeed(fixture("gbk.xml"), "text/xml");
    if (!r.ok) throw new Error(r.reason);
    expect(r.title).toBe("甘肃省政务公开（GBK 编码）");
    expect(r.items.map((i) => i.title)).toEqual(["关于开展政务新媒体季度抽查的通知", "张掖市政务公开办：每周四提醒更新"]);
    expect(r.items[1]!.date).toBe("2026年11月20日 10:00");
  });

  it("decodes GBK from the Content-Type charset (gb2312 label) when the declaration has none", async () => {
    const r = await parseFeed(fixture("gbk-no-declaration.xml"), "application/rss+xml; charset=gb2312");
    if (!r.ok) throw new Error(r.reason);
    expect(r.title).toBe("甘肃省政务公开（GBK 编码）");
  });

  it("decodes GB18030 four-byte characters", async () => {
    const r = await parseFeed(fixture("gb18030.xml"), null);
    if (!r.ok) throw new Error(r.reason);
    expect(r.items[1]!.title).toBe("扩展字：䶮𠀀（四字节编码）");
  });

  it("GBK bytes with no charset anywhere fall back to UTF-8 (garbled, but still parsed)", async () => {
    const r = await parseFeed(fixture("gbk-no-declaration.xml"), "text/xml");
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.title).not.toBe("甘肃省政务公开（GBK 编码）");
  });

  it("Content-Type charset wins over the XML declaration", async () => {
    const body = utf8('<?xml version="1.0" encoding="GBK"?><rss version="2.0"><channel><title>其实是 UTF-8</title></channel></rss>');
    expect(await parseFeed(body, "text/xml; charset=UTF-8")).toMatchObject({ ok: true, title: "其实是 UTF-8" });
  });

  it("reports an unknown charset", async () => {
    const r = await parseFeed(utf8("<rss/>"), "text/xml; charset=x-klingon");
    expect(r).toEqual({ ok: false, reason: "订阅源使用了不支持的字符编码：x-klingon" });
  });
});

describe("parseFeed: things that are not feeds", () => {
  it("rejects an HTML page served as a feed", async () => {
    const r = await parseFeed(fixture("page.html"), "text/html; charset=utf-8");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^返回的是网页（HTML）而不是 RSS\/Atom 订阅源/);
    // Even when the server claims it is XML.
    const r2 = await parseFeed(fixture("page.html"), "application/rss+xml");
    expect(r2.ok === false && r2.reason.startsWith("返回的是网页（HTML）")).toBe(true);
    // A bare <html> without doctype.
    const r3 = await parseFeed(utf8("<html><body>WAF 拦截</body></html>"), null);
    expect(r3.ok === false && r3.reason.startsWith("返回的是网页（HTML）")).toBe(true);
  });

  it("rejects malformed XML with the parser's position", async () => {
    const r = await parseFeed(fixture("invalid.xml"), "application/rss+xml");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^订阅源 XML 格式错误：结束标签与开始标签不匹配（第 \d+ 行第 \d+ 列）$/);
  });

  it("rejects a truncated document, a stray ampersand, and plain text", async () => {
    const truncated = await parseFeed(utf8('<rss version="2.0"><channel><title>x</title><item><title>a</title>'), null);
    expect(truncated).toMatchObject({ ok: false, reason: expect.stringMatching(/^订阅源 XML 格式错误：文档不完整/) });
    const amp = await parseFeed(utf8('<rss version="2.0"><channel><title>A & B</title></channel></rss>'), null);
    expect(amp).toMatchObject({ ok: false, reason: expect.stringMatching(/^订阅源 XML 格式错误：存在未转义的 & 字符/) });
    const text = await parseFeed(utf8("Service Unavailable"), "text/plain");
    expect(text).toMatchObject({ ok: false, reason: expect.stringMatching(/^订阅源 XML 格式错误/) });
  });

  it("rejects junk after the root element, which xml2js alone accepts", async () => {
    const r = await parseFeed(fixture("trailing-junk.xml"), "application/rss+xml");
    expect(r).toEqual({ ok: false, reason: "订阅源 XML 格式错误：根元素 </rss> 之后还有多余内容" });
    const twoRoots = await parseFeed(
      utf8('<rss version="2.0"><channel><title>a</title></channel></rss><rss version="2.0"><channel><title>b</title></channel></rss>'),
      null,
    );
    expect(twoRoots.ok).toBe(false);
  });

  it("does not mistake <rss> inside CDATA for a second root", async () => {
    const xml = '<rss version="2.0"><channel><title>t</title><item><title>a</title><description><![CDATA[<rss version="2.0">示例</rss>]]></description></item></channel></rss>\n<!-- cached -->\n';
    expect(await parseFeed(utf8(xml), null)).toMatchObject({ ok: true, items: [{ title: "a" }] });
  });

  it("rejects XML that is neither RSS nor Atom", async () => {
    const r = await parseFeed(fixture("not-a-feed.xml"), "application/xml");
    expect(r).toEqual({ ok: false, reason: "内容是 XML，但不是 RSS/Atom 订阅源（根元素为 <sitemap>）" });
  });

  it("rejects <rss> without <channel> with a reason instead of a TypeError", async () => {
    const r = await parseFeed(utf8('<rss version="2.0"></rss>'), null);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^订阅源结构不完整/);
  });

  it("rejects an empty body", async () => {
    expect(await parseFeed(new Uint8Array(0), "application/rss+xml")).toEqual({ ok: false, reason: "订阅源返回了空内容" });
  });

  it("does not expand DTD entities (no billion laughs)", async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
      <rss version="2.0"><channel><title>&b;</title></channel></rss>`;
    const r = await parseFeed(utf8(xml), null);
    // sax does not read the internal subset: the entity is unknown and the document is refused.
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining("使用了未定义的实体") });
  });
});
