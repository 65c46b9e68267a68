import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityKind, platformKey, postIdentity, sameArticle, urlKey, weiboBid, weiboMid } from "./post-identity";

const WX = "Xk3sF0m9m8QkAqQd3vQ8bA";
const id = (guid: string | null, link: string | null, platform: string | null = null, title = "标题", publishedAt: Date | null = null) =>
  postIdentity({ guid, link, title, publishedAt }, platform);

describe("postIdentity: one key per article, whatever bridge or format", () => {
  it.each([
    // WeWe RSS: Atom <id> is the bare article id with <link href> to it; RSS <guid> is the URL.
    ["WeWe RSS Atom <id> + <link>", "AbCdEf1", "https://mp.weixin.qq.com/s/AbCdEf1", "wechat", "wx:AbCdEf1"],
    ["WeWe RSS Atom <id> + <link>, platform unknown", "AbCdEf1", "https://mp.weixin.qq.com/s/AbCdEf1", null, "wx:AbCdEf1"],
    ["WeWe RSS Atom <id> alone, WeChat account", "AbCdEf1", null, "wechat", "wx:AbCdEf1"],
    ["WeWe RSS RSS <guid>", "https://mp.weixin.qq.com/s/AbCdEf1", "https://mp.weixin.qq.com/s/AbCdEf1", "wechat", "wx:AbCdEf1"],
    ["WeChat short link with share parameters", null, `http://mp.weixin.qq.com/s/${WX}?scene=1&click_id=7#rd`, "wechat", `wx:${WX}`],
    ["WeChat short link, trailing slash", null, `https://mp.weixin.qq.com/s/${WX}/`, null, `wx:${WX}`],
    ["WeChat long link (RSSHub wechat routes)", null, "http://mp.weixin.qq.com/s?__biz=MzA3NjQ4MzE2MA==&mid=2651234567&idx=2&sn=0c9f1e2d3b4a5c6d7e8f&chksm=84a1b2c3&scene=21#wechat_redirect", "wechat", "wx:MzA3NjQ4MzE2MA==/2651234567/2"],
    ["WeChat long link, = escaped, other order", null, "https://mp.weixin.qq.com/s?idx=2&mid=2651234567&__biz=MzA3NjQ4MzE2MA%3D%3D&sn=x", null, "wx:MzA3NjQ4MzE2MA==/2651234567/2"],
    ["WeChat old appmsg link", null, "http://mp.weixin.qq.com/mp/appmsg/show?__biz=MzA3NjQ4MzE2MA==&appmsgid=2651234567&itemidx=2&sign=abc", null, "wx:MzA3NjQ4MzE2MA==/2651234567/2"],
    // RSSHub /weibo/user/:uid writes guid = link = weibo.com/<uid>/<bid>.
    ["RSSHub weibo: weibo.com/<uid>/<bid>", "https://weibo.com/1642591402/z0JH2lOMb", "https://weibo.com/1642591402/z0JH2lOMb", "weibo", "wb:3501756485200075"],
    ["weibo.com/<uid>/<mid>", null, "https://www.weibo.com/1642591402/3501756485200075", "weibo", "wb:3501756485200075"],
    ["m.weibo.cn/status/<mid>", null, "https://m.weibo.cn/status/3501756485200075", "weibo", "wb:3501756485200075"],
    ["m.weibo.cn/status/<bid>", null, "https://m.weibo.cn/status/z0JH2lOMb?sourceType=weixin", "weibo", "wb:3501756485200075"],
    ["m.weibo.cn/detail/<mid>", null, "https://m.weibo.cn/detail/3501756485200075", null, "wb:3501756485200075"],
    ["bare weibo mid, Weibo account", "3501756485200075", null, "weibo", "wb:3501756485200075"],
    // RSSHub /douyin/user/:uid.
    ["douyin.com/video/<id>", "https://www.douyin.com/video/7301234567890123456", "https://www.douyin.com/video/7301234567890123456", "douyin", "dy:7301234567890123456"],
    ["iesdouyin.com/share/video/<id>/", null, "https://www.iesdouyin.com/share/video/7301234567890123456/?region=CN&u_code=abc", "douyin", "dy:7301234567890123456"],
    ["douyin.com/note/<id>", null, "https://www.douyin.com/note/7301234567890123457", null, "dy:7301234567890123457"],
    // RSSHub /toutiao/user/:token and pasted links.
    ["toutiao.com/article/<id>/", null, "https://www.toutiao.com/article/7301234567890123456/?log_from=abc", "toutiao", "tt:7301234567890123456"],
    ["toutiao.com/a<id>/", null, "https://www.toutiao.com/a7301234567890123456/", "toutiao", "tt:7301234567890123456"],
    ["toutiao.com/group/<id>/", null, "http://toutiao.com/group/7301234567890123456/", null, "tt:7301234567890123456"],
    ["m.toutiao.com/item/<id>/", null, "https://m.toutiao.com/item/7301234567890123456/", null, "tt:7301234567890123456"],
    ["m.toutiao.com/i<id>/", null, "https://m.toutiao.com/i7301234567890123456/", null, "tt:7301234567890123456"],
    // RSSHub /kuaishou/user/:principalId.
    ["kuaishou.com/short-video/<id>", "https://www.kuaishou.com/short-video/3xk9wrbnzaqi7pq", "https://www.kuaishou.com/short-video/3xk9wrbnzaqi7pq", "kuaishou", "ks:3xk9wrbnzaqi7pq"],
    ["kuaishou share page", null, "https://v.m.chenzhongtech.com/fw/photo/3xk9wrbnzaqi7pq?fid=0&cc=share_copylink", null, "ks:3xk9wrbnzaqi7pq"],
    ["bilibili BV link", null, "https://www.bilibili.com/video/BV1GJ411x7h7/?spm_id_from=333.788", null, "bili:BV1GJ411x7h7"],
    ["bilibili m. link", null, "https://m.bilibili.com/video/BV1GJ411x7h7", null, "bili:BV1GJ411x7h7"],
    ["bare BV id, Bilibili account", "BV1GJ411x7h7", null, "bilibili", "bili:BV1GJ411x7h7"],
    // Not a platform: guid, then the normalised link.
    ["an opaque guid", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "https://example.gov.cn/a", null, "guid:urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"],
    ["a bare id without a platform rule", "AbCdEf1", null, null, "guid:AbCdEf1"],
    ["a bare id on a platform whose shape it lacks", "AbCdEf1", null, "douyin", "guid:AbCdEf1"],
    ["a guid that is a URL keys as the URL", "HTTP://WWW.Example.gov.cn/art/1.html?utm_source=wx", null, null, "url:example.gov.cn/art/1.html"],
    ["a CMS link", null, "https://www.example.gov.cn/art/2026/11/22/art_1.html?b=2&a=1&from=timeline#top", null, "url:example.gov.cn/art/2026/11/22/art_1.html?a=1&b=2"],
    ["a relative link", null, "/art/1.html", null, "link:/art/1.html"],
  ])("%s", (_label, guid, link, platform, key) => {
    expect(id(guid, link, platform)).toBe(key);
  });

  it("keys a post without guid or link by title and minute", () => {
    const at = (iso: string) => new Date(iso);
    expect(id(null, null, null, "关于 开展 检查", at("2026-11-22T15:59:59Z"))).toBe("tm:关于 开展 检查|2026-11-22T15:59Z");
    // The same minute, however written; extra spaces in the title do not matter.
    expect(id(null, null, null, " 关于  开展 检查 ", at("2026-11-22T15:59:00.000Z"))).toBe("tm:关于 开展 检查|2026-11-22T15:59Z");
    expect(id(null, null, null, "关于 开展 检查", at("2026-11-22T16:00:00Z"))).not.toBe(id(null, null, null, "关于 开展 检查", at("2026-11-22T15:59:59Z")));
    expect(id(null, null, null, "无日期", null)).toBe("tm:无日期|");
  });

  it("gives the same key to the URL forms clerks paste and bridges write", () => {
    const same = [
      "https://example.gov.cn/art/1.html",
      "http://example.gov.cn/art/1.html/",
      "https://www.example.gov.cn/art/1.html#top",
      "https://m.example.gov.cn/art/1.html?utm_medium=social&share_token=x",
      "HTTPS://EXAMPLE.GOV.CN:443/art/1.html",
    ].map(urlKey);
    expect(new Set(same)).toEqual(new Set(["url:example.gov.cn/art/1.html"]));
    // Different pages stay different: the path's case and meaningful parameters are kept.
    expect(urlKey("https://example.gov.cn/art/1.html?id=2")).not.toBe(urlKey("https://example.gov.cn/art/1.html?id=3"));
    expect(urlKey("https://example.gov.cn/Art/1.html")).not.toBe(urlKey("https://example.gov.cn/art/1.html"));
    expect(urlKey("javascript:alert(1)")).toBeNull();
  });

  it("does not take non-article pages for articles", () => {
    expect(platformKey("https://weibo.com/u/1642591402")).toBeNull();
    expect(platformKey("https://weibo.com/1642591402/P1")).toBeNull(); // too short for a bid
    expect(platformKey("https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzA3NjQ4MzE2MA==")).toBeNull();
    expect(platformKey("https://www.douyin.com/user/MS4wLjABAAAA")).toBeNull();
    expect(platformKey("https://www.toutiao.com/c/user/token/abc/")).toBeNull();
  });
});

describe("sameArticle: title and minute, across kinds of key only", () => {
  const at = new Date("2026-11-17T02:00:10Z");
  const long = { identity: "wx:MzA3NjQ4MzE2MA==/2651234567/1", title: "融媒体中心揭牌", publishedAt: at };
  it("matches WeChat's long and short links, and a title-and-time push, for one title and minute", () => {
    expect(identityKind(long.identity)).toBe("wx-long");
    expect(identityKind("wx:AbCdEf1")).toBe("wx-short");
    expect(sameArticle(long, { identity: "wx:AbCdEf1", title: " 融媒体中心揭牌", publishedAt: new Date("2026-11-17T02:00:59Z") })).toBe(true);
    expect(sameArticle({ identity: "tm:融媒体中心揭牌|2026-11-17T02:00Z", title: "融媒体中心揭牌", publishedAt: at }, long)).toBe(true);
  });
  it("never matches two keys of one kind, another minute or another title", () => {
    expect(sameArticle({ ...long, identity: "wb:1" }, { ...long, identity: "wb:2" })).toBe(false);
    expect(sameArticle(long, { identity: "wx:AbCdEf1", title: "融媒体中心揭牌", publishedAt: new Date("2026-11-17T02:01:00Z") })).toBe(false);
    expect(sameArticle(long, { identity: "wx:AbCdEf1", title: "融媒体中心揭牌（二）", publishedAt: at })).toBe(false);
  });
});

describe("Weibo mid ↔ bid", () => {
  it("converts the documented example both ways", () => {
    expect(weiboMid("z0JH2lOMb")).toBe("3501756485200075");
    expect(weiboBid("3501756485200075")).toBe("z0JH2lOMb");
    // Inner groups keep their zeros: 4 base-62 characters ↔ 7 digits.
    expect(weiboMid(weiboBid("4000000000000001"))).toBe("4000000000000001");
  });

  it("round-trips any 13–16 digit mid", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 12n, max: 10n ** 16n - 1n }), (n) => {
        const mid = n.toString();
        expect(weiboMid(weiboBid(mid))).toBe(mid);
        expect(platformKey(`https://weibo.com/1642591402/${weiboBid(mid)}`)).toBe(platformKey(`https://m.weibo.cn/status/${mid}`));
      }),
      { numRuns: 500 },
    );
  });
});
