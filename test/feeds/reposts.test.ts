// Reposts (转发) as the bridges mark them, through parseFeed + normaliseItems (docs/规则依据.md#转发).
import { describe, expect, it } from "vitest";
import { normaliseItems } from "../../src/feeds/normalise";
import { parseFeed } from "../../src/feeds/parse-feed";
import { isRepost } from "../../src/feeds/reposts";
import { rsshubFeed, weiboStatus } from "./rsshub";

const at = new Date("2026-11-20T02:00:00Z");
const now = new Date("2026-11-22T10:00:00Z");
const me = { uid: "1234567890", author: "某市发布" };

describe("repost detection", () => {
  it("reads RSSHub weibo retweets, '转发微博' and '//@' chains as reposts, and originals as originals", async () => {
    const body = rsshubFeed({ title: "某市发布的微博", link: "https://weibo.com/1234567890", description: "某市发布的微博" }, [
      weiboStatus({ ...me, bid: "Orig1", at, text: "【通知】本周六全市开展消防演练，请转发周知。" }),
      weiboStatus({ ...me, bid: "Rt1", at, text: "转发微博", retweet: { uid: "2", author: "省政府发布", text: "全省政务公开工作会议召开" } }),
      weiboStatus({ ...me, bid: "Rt2", at, text: "好消息！//<a href='/n/省发改委'>@省发改委</a>:新政策出台", retweet: { uid: "3", author: "国家发改委", text: "原文" } }),
      weiboStatus({ ...me, bid: "Rt3", at, text: "请大家关注", retweet: { uid: "4", author: "应急管理部", text: "防汛提示" } }),
    ]);
    const parsed = await parseFeed(new TextEncoder().encode(body), "application/xml; charset=utf-8");
    if (!parsed.ok) throw new Error(parsed.reason);
    const posts = normaliseItems(parsed.items, { firstSeenAt: now, now, platform: "weibo" });
    expect(posts.map((p) => [p.url, p.repost])).toEqual([
      ["https://weibo.com/1234567890/Orig1", false],
      ["https://weibo.com/1234567890/Rt1", true],
      ["https://weibo.com/1234567890/Rt2", true],
      ["https://weibo.com/1234567890/Rt3", true],
    ]);
  });

  it("RSSHub's readable layout, the 🔁 title, and plain texts", () => {
    const readable =
      '请关注<br clear="both" /><div style="clear: both"></div><blockquote style="background: #80808010;margin:0;padding:5px 20px;"><a href="https://weibo.com/5" target="_blank">@国务院客户端</a>:&ensp;原文<br><small>原博：<a href="https://weibo.com/5/Ab1">https://weibo.com/5/Ab1</a></small></blockquote>';
    expect(isRepost({ title: "请关注", description: readable })).toBe(true);
    expect(isRepost({ title: "请关注🔁 @国务院客户端: 原文" })).toBe(true);
    expect(isRepost({ title: "转发 @省政府发布：会议召开" })).toBe(true);
    expect(isRepost({ title: "【转发】全省天气预报" })).toBe(true);
    // An original asking readers to share, a quotation in an original, or nothing at all.
    expect(isRepost({ title: "转发周知：停水通知" })).toBe(false);
    expect(isRepost({ title: "习近平总书记重要讲话", description: "<blockquote>引用原文</blockquote>" })).toBe(false);
    expect(isRepost({})).toBe(false);
  });

  it("an explicit mark wins over detection (pushed posts)", () => {
    const [p] = normaliseItems([{ title: "转发微博", guid: "x", repost: false }], { firstSeenAt: now, now });
    expect(p!.repost).toBe(false);
    const [q] = normaliseItems([{ title: "原创", guid: "y", repost: true }], { firstSeenAt: now, now });
    expect(q!.repost).toBe(true);
  });
});
