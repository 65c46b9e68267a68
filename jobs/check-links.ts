// check-links (daily): is each in-use account's homepage, and the links of its recent posts, still
// reachable (外链/死链, docs/规则依据.md#外链死链)? Through the same guarded fetch as feeds
// (FEED_ALLOW_HOSTS applies; every redirect hop is checked again, a private address is never
// reached). A link failing on two checks a day apart opens bad_link; a success resolves it. A newly
// opened bad_link is sent to the unit and, in one list, to its supervising office.
import { syncAlertsBulk, type AlertSyncItem } from "../src/db/queries/alerts";
import { loadOrgIndex } from "../src/db/queries/org-tree";
import { dropLinkChecksOfEndedAccounts, linkTargets, loadLinkChecks, saveLinkChecks, type AccountLinks, type LinkCheckRow } from "../src/db/queries/link-checks";
import { isFailureStatus, judgeLinks, nextLinkState, NEW_LINK_STATE, retryWithGet, statusReason, type CheckedLink, type LinkOutcome } from "../src/domain/links";
import { runLimited } from "../src/lib/limit";
import { badLinkNotice } from "../src/notify/messages";
import { notifyUnitsAndOffices, type AccountNotice } from "../src/notify/recipients";
import { checkUrl, type GuardWording } from "../src/net/address-guard";
import type { FetchLike } from "../src/net/types";
import type { JobDeps } from "./deps";

export interface CheckLinksOptions {
  /** Post links checked per account (the newest). Default 5. */
  perAccount?: number;
  /** Links found in recent posts' content checked per account (newest posts first). Default 20. */
  contentLinksPerAccount?: number;
  /** Links checked per run, all runs together bounded (accounts checked longest ago first). Default 5000. */
  maxLinks?: number;
  /** Posts published within this many days give links. Default 7. */
  sinceDays?: number;
  concurrency?: number;
  perHost?: number;
  /** Per link, redirects and the GET's first bytes included. Default 10 s. */
  timeoutMs?: number;
}

export interface CheckLinksSummary {
  accounts: number;
  links: number;
  ok: number;
  failing: number;
  opened: number;
  resolved: number;
  /** Accounts left for the next run by maxLinks. */
  more: boolean;
}

const DAY = 86_400_000;
const USER_AGENT = "govmedia-link-check/0.1";
/** A GET reads this much of the page at most: enough to know it answers. */
const GET_BYTES = 4096;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Refusals name the link, not a feed; FEED_ALLOW_HOSTS governs both. */
export const LINK_WORDING: GuardWording = { subject: "链接", verb: "检查", allowSetting: "FEED_ALLOW_HOSTS" };

/** The guarded fetch with a method: HEAD first. (FetchLike without `method` performs a GET.) */
type LinkFetch = (url: string, init: { method: "HEAD" | "GET"; headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

export async function checkLinks(deps: JobDeps, now: Date, opts: CheckLinksOptions = {}): Promise<CheckLinksSummary> {
  const { db } = deps;
  const maxLinks = opts.maxLinks ?? 5000;
  await dropLinkChecksOfEndedAccounts(db);
  const all = await linkTargets(db, new Date(now.getTime() - (opts.sinceDays ?? 7) * DAY), opts.perAccount ?? 5, opts.contentLinksPerAccount ?? 20);
  const existing = await loadLinkChecks(db, all.map((a) => a.account.id));
  const byAccount = new Map<string, LinkCheckRow[]>();
  for (const e of existing) byAccount.set(e.accountId, [...(byAccount.get(e.accountId) ?? []), e]);

  // Accounts whose links were checked longest ago (never: first) go first; the cap takes whole accounts.
  const since = (a: AccountLinks) => {
    const rows = byAccount.get(a.account.id) ?? [];
    if (rows.length < a.targets.length || rows.some((r) => !r.lastCheckedAt)) return "";
    return rows.reduce((m, r) => (r.lastCheckedAt! < m ? r.lastCheckedAt! : m), "~");
  };
  const ordered = all
    .filter((a) => a.targets.length > 0 || byAccount.has(a.account.id))
    .map((a) => ({ a, since: since(a) }))
    .sort((x, y) => (x.since < y.since ? -1 : x.since > y.since ? 1 : x.a.account.id.localeCompare(y.a.account.id)))
    .map((x) => x.a);
  const chosen: AccountLinks[] = [];
  let links = 0;
  for (const a of ordered) {
    if (links + a.targets.length > maxLinks && chosen.length > 0) break;
    chosen.push(a);
    links += a.targets.length;
  }

  // The network first, outside any transaction.
  const jobs = chosen.flatMap((a) => a.targets.map((t) => ({ accountId: a.account.id, ...t })));
  const outcomes = new Map<string, LinkOutcome>();
  // A link shared by several accounts is fetched once.
  const urls = [...new Set(jobs.map((j) => j.url))];
  await runLimited(urls, { concurrency: opts.concurrency ?? 8, perKey: opts.perHost ?? 2, key: hostOf }, async (url) => {
    outcomes.set(url, await checkLink(url, deps.fetchFeed, deps.feedAllowHosts, opts.timeoutMs ?? 10_000));
  });

  // Then, per batch of accounts, the states (one short transaction) and the alerts.
  const summary: CheckLinksSummary = { accounts: chosen.length, links: jobs.length, ok: 0, failing: 0, opened: 0, resolved: 0, more: chosen.length < ordered.length };
  const opened: { alert: { id: string; accountId: string; message: string }; account: AccountLinks["account"] }[] = [];
  for (let i = 0; i < chosen.length; i += 200) {
    const batch = chosen.slice(i, i + 200);
    const checked: (CheckedLink & { accountId: string })[] = [];
    const items: AlertSyncItem[] = [];
    for (const a of batch) {
      const prev = new Map((byAccount.get(a.account.id) ?? []).map((r) => [r.url, r]));
      const mine = a.targets.map((t) => {
        const outcome = outcomes.get(t.url)!;
        if (outcome.ok) summary.ok++;
        else summary.failing++;
        return { accountId: a.account.id, url: t.url, source: t.source, ...nextLinkState(prev.get(t.url) ?? NEW_LINK_STATE, outcome, now) };
      });
      checked.push(...mine);
      items.push({ account: a.account, ...judgeLinks(mine) });
    }
    await saveLinkChecks(
      db,
      batch.map((a) => a.account.id),
      checked,
      batch.flatMap((a) => byAccount.get(a.account.id) ?? []),
    );
    const synced = await syncAlertsBulk(db, items, now);
    summary.opened += synced.opened.length;
    summary.resolved += synced.resolved;
    for (const alert of synced.opened) opened.push({ alert, account: batch.find((a) => a.account.id === alert.accountId)!.account });
  }
  // Newly opened bad links: a message to each unit, one list to each supervising office. Keyed by the
  // alert, so a rerun sends nothing twice (docs/规则依据.md#预警去重与通知).
  if (opened.length > 0) {
    const index = await loadOrgIndex(db);
    const notices: AccountNotice[] = opened.map(({ alert, account }) => {
      const orgName = index.get(account.orgId)?.name ?? "";
      return {
        key: `bad_link:${alert.id}`,
        account,
        notice: badLinkNotice({ orgName, accountName: account.name, accountId: account.id, alertId: alert.id, message: alert.message }),
        entry: { orgName, accountName: account.name, detail: alert.message },
      };
    });
    await notifyUnitsAndOffices(db, "bad_link", notices, now, index);
  }
  return summary;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * One link: HEAD (GET when the server refuses HEAD), redirects followed by hand and each hop checked
 * by the address guard before any request, one timeout for it all. Never throws.
 */
export async function checkLink(url: string, fetchFeed: FetchLike, allowHosts: string[], timeoutMs: number): Promise<LinkOutcome> {
  const fetch: LinkFetch = fetchFeed;
  const controller = new AbortController();
  const timeoutReason = `连接超时（${timeoutMs / 1000} 秒无响应）`;
  let timedOut = false;
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error(timeoutReason));
  });
  aborted.catch(() => {});
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(timeoutReason));
    onAbort();
  }, timeoutMs);
  const race = <T>(p: Promise<T>) => Promise.race([p, aborted]);
  const headers = { "User-Agent": USER_AGENT, Accept: "text/html, */*;q=0.8" };

  try {
    let current = url;
    const seen = new Set<string>();
    for (let hop = 0; ; hop++) {
      const checked = checkUrl(current, allowHosts, LINK_WORDING);
      if (!checked.ok) {
        const reason = hop === 0 ? checked.reason : `重定向到 ${clip(current)}：${checked.reason}`;
        return { ok: false, status: null, code: "blocked", reason };
      }
      const href = checked.url.href;
      if (seen.has(href)) return { ok: false, status: null, code: "redirect", reason: `重定向循环（再次回到 ${clip(href)}）` };
      seen.add(href);

      let res = await race(fetch(href, { method: "HEAD", headers, signal: controller.signal }));
      if (retryWithGet(res.status)) {
        discard(res);
        res = await race(fetch(href, { method: "GET", headers, signal: controller.signal }));
        await race(readSome(res, GET_BYTES));
      } else discard(res);

      if (REDIRECT_STATUSES.has(res.status)) {
        const location = res.headers.get("location");
        if (!location) return { ok: false, status: res.status, code: "redirect", reason: `HTTP ${res.status} 重定向，但没有给出新地址` };
        if (hop >= MAX_REDIRECTS) return { ok: false, status: res.status, code: "redirect", reason: `重定向次数过多（超过 ${MAX_REDIRECTS} 次）` };
        try {
          current = new URL(location, href).href;
        } catch {
          return { ok: false, status: res.status, code: "redirect", reason: `重定向到无效地址：${clip(location)}` };
        }
        continue;
      }
      if (isFailureStatus(res.status)) return { ok: false, status: res.status, code: "http_status", reason: statusReason(res.status) };
      return { ok: true, status: res.status };
    }
  } catch (e) {
    if (timedOut) return { ok: false, status: null, code: "timeout", reason: timeoutReason };
    return classifyThrown(e);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads at most `cap` bytes of the body, then lets the rest go. */
async function readSome(res: Response, cap: number): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let total = 0;
  try {
    while (total < cap) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function discard(res: Response): void {
  res.body?.cancel().catch(() => {});
}

/** A refusal by the guard (anywhere in the cause chain) or a network error, in Chinese. */
function classifyThrown(e: unknown): LinkOutcome {
  const chain: unknown[] = [];
  for (let cur: unknown = e; cur && chain.length < 8; cur = (cur as { cause?: unknown }).cause) chain.push(cur);
  for (const c of chain) {
    const err = c as { code?: unknown; reason?: unknown; message?: unknown };
    if (err.code === "FEED_BLOCKED") {
      // The guarded fetch words its refusals for feeds; here the subject is a link.
      const reason = String(err.reason ?? err.message ?? "链接已被拒绝").replace(/^订阅地址/, "链接");
      return { ok: false, status: null, code: "blocked", reason };
    }
  }
  for (const c of chain) {
    const err = c as { code?: unknown; hostname?: unknown };
    const code = typeof err.code === "string" ? err.code : "";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") {
      return network(`域名无法解析${typeof err.hostname === "string" ? `（${err.hostname}）` : ""}`);
    }
    if (code === "ECONNREFUSED") return network("连接被拒绝：网站没有在该端口提供服务");
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return network("连接被对方中断");
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return network("网络不可达");
    if (/CERT|SELF_SIGNED|ERR_TLS/.test(code)) return network(`HTTPS 证书无效（${code}）`);
    if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT") return { ok: false, status: null, code: "timeout", reason: "连接超时（无法连上网站）" };
  }
  const deepest = chain[chain.length - 1] as { message?: unknown } | undefined;
  return network(`网络错误：${clip(typeof deepest?.message === "string" ? deepest.message : String(e), 200)}`);
}

function network(reason: string): LinkOutcome {
  return { ok: false, status: null, code: "network", reason };
}

function clip(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
