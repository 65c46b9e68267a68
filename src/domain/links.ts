// Links (外链/死链): which HTTP outcomes make a link failing, and when a failing link becomes a
// bad_link alert (docs/规则依据.md#外链死链). Pure: the check-links job fetches, these decide.
import type { AlertJudgement } from "./alerts";

const HOUR = 3_600_000;
/** A link must fail on two checks at least this far apart: one bad night of a small site is not a dead link. */
export const BAD_LINK_AFTER_MS = 24 * HOUR;

/** What one check of a link saw, after redirects. `status` is the last HTTP status, null when none came. */
export type LinkOutcome =
  | { ok: true; status: number }
  | { ok: false; status: number | null; code: "http_status" | "network" | "timeout" | "blocked" | "redirect"; reason: string };

/** A link's stored state (link_checks). */
export interface LinkState {
  lastCheckedAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** First failure of the current run of failures; null while the link works. */
  failingSince: string | null;
  consecutiveFailures: number;
}

export const NEW_LINK_STATE: LinkState = { lastCheckedAt: null, lastStatus: null, lastError: null, failingSince: null, consecutiveFailures: 0 };

/**
 * Statuses some servers give to HEAD (or to robots) although the page works: ask again with GET
 * before judging. 501: HEAD not implemented.
 */
export function retryWithGet(status: number): boolean {
  return status === 401 || status === 403 || status === 405 || status === 429 || status === 501;
}

/**
 * Whether a final status (after redirects) means the page cannot be reached: gone (404/410) or a
 * server error (5xx). Other statuses — 401/403 of a page behind a login or a firewall, 429 — show a
 * live server, so they are not called dead.
 */
export function isFailureStatus(status: number): boolean {
  return status === 404 || status === 410 || status >= 500;
}

/** The Chinese reason for a failing status, for the alert and the clerk. */
export function statusReason(status: number): string {
  if (status === 404) return "HTTP 404，页面不存在";
  if (status === 410) return "HTTP 410，页面已删除";
  if (status >= 500) return `HTTP ${status}，网站服务器出错`;
  return `HTTP ${status}`;
}

/** Only web pages are checked: a post's link may be a bare id or an app scheme. */
export function isCheckableUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url.trim());
}

/** The state after one more check: a success clears the failing run; a failure starts or extends it. */
export function nextLinkState(prev: LinkState, outcome: LinkOutcome, now: Date): LinkState {
  const at = now.toISOString();
  if (outcome.ok) return { lastCheckedAt: at, lastStatus: outcome.status, lastError: null, failingSince: null, consecutiveFailures: 0 };
  return {
    lastCheckedAt: at,
    lastStatus: outcome.status,
    lastError: outcome.reason,
    failingSince: prev.failingSince ?? at,
    consecutiveFailures: prev.consecutiveFailures + 1,
  };
}

/**
 * A bad link: failing now, on at least two checks, the latest at least 24 h after the first
 * failure of the run. A link that failed once, or twice within a day, is not yet bad.
 */
export function isBadLink(state: LinkState): boolean {
  if (!state.failingSince || !state.lastCheckedAt || state.consecutiveFailures < 2) return false;
  return Date.parse(state.lastCheckedAt) - Date.parse(state.failingSince) >= BAD_LINK_AFTER_MS;
}

/** A URL short enough for a message line: scheme dropped, the middle cut. */
export function shortenUrl(url: string, max = 60): string {
  const s = url.replace(/^https?:\/\//i, "");
  if (s.length <= max) return s;
  const head = Math.ceil((max - 1) * 0.6);
  return `${s.slice(0, head)}…${s.slice(s.length - (max - 1 - head))}`;
}

export interface CheckedLink extends LinkState {
  url: string;
  source: "account" | "post";
}

/**
 * One account's links after a run: bad_link is open while any of them is bad (one alert per account,
 * naming the links), and resolves once none is. `links` must be all the account's current links.
 */
export function judgeLinks(links: readonly CheckedLink[]): AlertJudgement {
  const bad = links.filter(isBadLink).sort((a, b) => (a.source === b.source ? a.url.localeCompare(b.url) : a.source === "account" ? -1 : 1));
  if (bad.length === 0) return { kinds: ["bad_link"], signals: [] };
  const shown = bad.slice(0, 3).map((l) => `${l.source === "account" ? "账号主页" : "发文链接"} ${shortenUrl(l.url)}（${l.lastError ?? statusReason(l.lastStatus ?? 0)}）`);
  const more = bad.length > shown.length ? `等 ${bad.length} 个链接` : "";
  const message = `${shown.join("；")}${more}：连续两次以上、间隔一天以上检查均无法访问`;
  return {
    kinds: ["bad_link"],
    signals: [
      {
        kind: "bad_link",
        message,
        detail: { links: bad.map((l) => ({ url: l.url, source: l.source, status: l.lastStatus, reason: l.lastError, failingSince: l.failingSince })) },
      },
    ],
  };
}
