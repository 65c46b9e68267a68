import { describe, expect, it } from "vitest";
import { decodeEntities, firstCodePoints, MAX_POST_LINKS, MAX_SUMMARY_CHARS, summarise } from "./post-text";

describe("summarise: text", () => {
  it("nothing in, nothing kept", () => {
    expect(summarise(undefined)).toEqual({ summary: null, links: [] });
    expect(summarise(null)).toEqual({ summary: null, links: [] });
    expect(summarise("")).toEqual({ summary: null, links: [] });
    expect(summarise("<p> \n\t </p><br/>")).toEqual({ summary: null, links: [] });
  });

  it("strips nested tags; inline markup adds no space between Chinese characters, blocks do", () => {
    const html = `<div><p>关于<strong>做好<em>冬季</em>供暖</strong>工作的通知</p><p>各乡镇：</p><ul><li>一、保障<span style="color:red">民生</span></li><li>二、加强值守</li></ul></div>`;
    expect(summarise(html).summary).toBe("关于做好冬季供暖工作的通知 各乡镇： 一、保障民生 二、加强值守");
  });

  it("drops <script>, <style> and comments with their content, whatever the case", () => {
    const html = `前<SCRIPT type="text/javascript">var a = "<p>不是正文</p>";</Script>中<style>p{color:red}</style><!-- 注释 <b>也不是</b> -->后`;
    expect(summarise(html).summary).toBe("前 中 后");
  });

  it("decodes named and numeric entities", () => {
    expect(summarise("A&amp;B &lt;通知&gt; &ldquo;政务&rdquo;&nbsp;&#20844;&#x544A; &hellip; &unknown; &copy2026").summary).toBe(
      "A&B <通知> “政务” 公告 … &unknown; &copy2026",
    );
    expect(decodeEntities("&#0;&#xD800;&#x110000;&#128512;")).toBe("\uFFFD\uFFFD\uFFFD😀");
    // Decoded markup is text, not markup.
    expect(summarise("&lt;script&gt;alert(1)&lt;/script&gt;").summary).toBe("<script>alert(1)</script>");
  });

  it("collapses whitespace (full-width space and NBSP included) and keeps a lone '<' as text", () => {
    expect(summarise("  第一段\r\n\r\n\u3000\u3000第二段\u00a0 1 < 2  ").summary).toBe("第一段 第二段 1 < 2");
  });

  it("cuts at 2,000 code points and never splits a surrogate pair", () => {
    const cjk = "政".repeat(3000);
    const s = summarise(`<p>${cjk}</p>`).summary!;
    expect(s).toBe("政".repeat(MAX_SUMMARY_CHARS));
    // Astral characters (2 UTF-16 units each): 2,000 of them, all whole.
    const emoji = summarise("a" + "😀".repeat(2500)).summary!;
    expect([...emoji]).toHaveLength(MAX_SUMMARY_CHARS);
    expect(emoji.endsWith("😀")).toBe(true);
    expect(emoji).toBe("a" + "😀".repeat(MAX_SUMMARY_CHARS - 1));
    expect(firstCodePoints("ab😀c", 3)).toBe("ab😀");
    // A lone surrogate from a broken feed becomes U+FFFD.
    expect(summarise("x\ud800y").summary).toBe("x\uFFFDy");
  });

  it("a 10 MB body: bounded, quick, and the same as its first 200,000 characters", () => {
    const big = `<p>开头</p>` + "<div><a href='https://example.gov.cn/x'>段落</a>内容</div>".repeat(250_000);
    expect(big.length).toBeGreaterThan(10_000_000);
    const r = summarise(big);
    expect(r.summary!.startsWith("开头 段落内容 段落内容")).toBe(true);
    expect([...r.summary!].length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(r.links).toEqual(["https://example.gov.cn/x"]);
    expect(r).toEqual(summarise(big.slice(0, 200_000)));
    // Hostile shapes that would make a backtracking regex quadratic.
    for (const hostile of ["<a".repeat(5_000_000), "<".repeat(10_000_000), "<p " + "x=".repeat(5_000_000), "&#".repeat(5_000_000), `http://x.cn/${".".repeat(150_000)}a`, "http://".repeat(1_000_000)]) {
      const h = summarise(hostile);
      expect(h.links).toEqual([]);
      expect([...(h.summary ?? "")].length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    }
  });
});

describe("summarise: links", () => {
  it("takes absolute http(s) links from href/src and bare URLs in the text, in order, once each", () => {
    const html = `<p>详见<a href="https://www.gov.cn/zhengce/a.htm?x=1&amp;y=2">政策原文</a>，
      或访问https://www.example.gov.cn/notice/1.html。图片：<img src='http://img.example.cn/1.jpg'>
      <a href=https://www.gov.cn/zhengce/a.htm?x=1&y=2>重复</a> 原文链接：https://www.example.gov.cn/notice/1.html</p>
      <a href="/relative/path">相对</a><a href="javascript:alert(1)">x</a><img src="data:image/png;base64,AAAA">
      <a href="mailto:a@b.cn">信</a><a href="//cdn.example.cn/x">协议相对</a>（来源：http://news.example.cn/a.html）`;
    expect(summarise(html).links).toEqual([
      "https://www.gov.cn/zhengce/a.htm?x=1&y=2",
      "https://www.example.gov.cn/notice/1.html",
      "http://img.example.cn/1.jpg",
      "http://news.example.cn/a.html",
    ]);
  });

  it("ignores data-src and the links inside <script>, keeps an iframe's src", () => {
    const html = `<img data-src="https://a.example.cn/lazy.jpg"><script>var u="https://tracker.example.com/t";</script><iframe src="https://v.example.cn/embed/1"></iframe>`;
    expect(summarise(html).links).toEqual(["https://v.example.cn/embed/1"]);
  });

  it("keeps at most 20 links and none longer than 2,000 characters", () => {
    const many = Array.from({ length: 30 }, (_, i) => `<a href="https://example.gov.cn/p/${i}">${i}</a>`).join("");
    const r = summarise(many);
    expect(r.links).toHaveLength(MAX_POST_LINKS);
    expect(r.links[0]).toBe("https://example.gov.cn/p/0");
    expect(r.links.at(-1)).toBe("https://example.gov.cn/p/19");
    const long = `https://example.gov.cn/${"a".repeat(2_100)}`;
    expect(summarise(`<a href="${long}">长</a> ${long} https://ok.example.cn/`).links).toEqual(["https://ok.example.cn/"]);
  });

  it("Chinese text or punctuation right after a bare URL ends it", () => {
    expect(summarise("网址http://www.example.gov.cn/a/b.html点击查看；另见https://x.example.cn/q?a=1）").links).toEqual([
      "http://www.example.gov.cn/a/b.html",
      "https://x.example.cn/q?a=1",
    ]);
  });
});
