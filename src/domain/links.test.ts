import { describe, expect, it } from "vitest";
import { isBadLink, isCheckableUrl, isFailureStatus, judgeLinks, nextLinkState, NEW_LINK_STATE, retryWithGet, shortenUrl, type LinkOutcome } from "./links";

const at = (h: number) => new Date(Date.parse("2026-11-23T19:30:00Z") + h * 3_600_000);
const dead: LinkOutcome = { ok: false, status: 404, code: "http_status", reason: "HTTP 404，页面不存在" };
const fine: LinkOutcome = { ok: true, status: 200 };

function run(outcomes: [number, LinkOutcome][]) {
  let s = NEW_LINK_STATE;
  for (const [h, o] of outcomes) s = nextLinkState(s, o, at(h));
  return s;
}

describe("link outcomes", () => {
  it("404, 410 and 5xx fail; 2xx and a live server's 401/403/429 do not", () => {
    expect([404, 410, 500, 502, 503].every(isFailureStatus)).toBe(true);
    expect([200, 204, 401, 403, 429, 400].some(isFailureStatus)).toBe(false);
  });
  it("HEAD refused (401/403/405/429/501) is asked again with GET; 404 is not", () => {
    expect([401, 403, 405, 429, 501].every(retryWithGet)).toBe(true);
    expect([200, 404, 410, 500].some(retryWithGet)).toBe(false);
  });
  it("only http(s) links are checked", () => {
    expect(isCheckableUrl("https://www.gov.cn/a")).toBe(true);
    expect(isCheckableUrl("javascript:alert(1)")).toBe(false);
    expect(isCheckableUrl("weixin://dl/business")).toBe(false);
    expect(isCheckableUrl("abc123")).toBe(false);
  });
  it("shortens long URLs and keeps short ones", () => {
    expect(shortenUrl("https://www.gov.cn/a")).toBe("www.gov.cn/a");
    const s = shortenUrl(`https://example.gov.cn/${"x".repeat(200)}/end.html`);
    expect(s.length).toBe(60);
    expect(s).toContain("…");
    expect(s.endsWith("end.html")).toBe(true);
  });
});

describe("when a failing link is bad", () => {
  it("one failure starts failingSince but is not bad", () => {
    const s = run([[0, dead]]);
    expect(s).toMatchObject({ failingSince: at(0).toISOString(), consecutiveFailures: 1, lastStatus: 404 });
    expect(isBadLink(s)).toBe(false);
  });
  it("two failures 12 h apart are not bad; a third 24 h after the first is", () => {
    expect(isBadLink(run([[0, dead], [12, dead]]))).toBe(false);
    expect(isBadLink(run([[0, dead], [12, dead], [24, dead]]))).toBe(true);
    expect(isBadLink(run([[0, dead], [23.9, dead]]))).toBe(false);
  });
  it("a success in between starts the run again", () => {
    const s = run([[0, dead], [12, fine], [24, dead]]);
    expect(s.failingSince).toBe(at(24).toISOString());
    expect(isBadLink(s)).toBe(false);
    expect(isBadLink(run([[0, dead], [12, fine], [24, dead], [48, dead]]))).toBe(true);
  });
  it("a success clears the state", () => {
    const s = run([[0, dead], [24, dead], [30, fine]]);
    expect(s).toMatchObject({ failingSince: null, consecutiveFailures: 0, lastError: null, lastStatus: 200 });
  });
});

describe("judgeLinks", () => {
  const bad = { url: "https://a.gov.cn/home", source: "account" as const, ...run([[0, dead], [24, dead]]) };
  const once = { url: "https://a.gov.cn/p/1", source: "post" as const, ...run([[24, dead]]) };
  it("speaks for bad_link and opens it naming the link and the status", () => {
    const j = judgeLinks([bad, once]);
    expect(j.kinds).toEqual(["bad_link"]);
    expect(j.signals).toHaveLength(1);
    expect(j.signals[0]!.message).toContain("a.gov.cn/home");
    expect(j.signals[0]!.message).toContain("404");
    expect(j.signals[0]!.message).not.toContain("p/1");
  });
  it("resolves (no signal) when no link is bad", () => {
    expect(judgeLinks([once]).signals).toEqual([]);
    expect(judgeLinks([]).kinds).toEqual(["bad_link"]);
  });
});
