// Fetches one feed (订阅源) with conditional headers, hand-followed redirects, a byte cap and one
// total timeout. Runtime-neutral: the network goes through the injected FetchLike. Never throws.
import { checkUrl } from "../net/address-guard";
import type { FetchLike } from "../net/types";
import type { FetchErrorCode, FetchResult } from "./types";

export const FEED_USER_AGENT = "govmedia-feed-monitor/0.1";
export const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml, text/xml;q=0.9, */*;q=0.5";

export type FetchFeedOptions = {
  fetch: FetchLike;
  allowHosts: string[];
  etag?: string | null;
  lastModified?: string | null;
  /** Total budget for connect, headers, redirects and body. Default 15000. */
  timeoutMs?: number;
  /** Body cap in bytes. Default 5 MiB. */
  maxBytes?: number;
  /** Redirect hops followed before giving up. Default 5. */
  maxRedirects?: number;
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Internal: ends the run with a result; thrown so every step can bail out the same way. */
class Stop {
  constructor(readonly result: FetchResult) {}
}

const fail = (code: FetchErrorCode, reason: string, status?: number): Stop =>
  new Stop(status === undefined ? { kind: "error", code, reason } : { kind: "error", code, reason, status });

export async function fetchFeed(url: string, opts: FetchFeedOptions): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 5;
  const timeoutReason = `连接超时（${formatSeconds(timeoutMs)} 秒）`;

  // One controller for the whole run: connect, headers, every hop and the body.
  const controller = new AbortController();
  let timedOut = false;
  let onAbort: () => void = () => {};
  // Rejects when the budget runs out, so even a FetchLike or a body stream that ignores the
  // signal cannot hold us past the timeout.
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(fail("timeout", timeoutReason));
  });
  aborted.catch(() => {}); // observed via Promise.race below; avoid unhandled-rejection noise
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(timeoutReason));
    onAbort();
  }, timeoutMs);
  const race = <T>(p: Promise<T>): Promise<T> => Promise.race([p, aborted]);

  try {
    return await run();
  } catch (e) {
    if (e instanceof Stop) return e.result;
    if (timedOut) return { kind: "error", code: "timeout", reason: timeoutReason };
    return classifyThrown(e);
  } finally {
    clearTimeout(timer);
  }

  async function run(): Promise<FetchResult> {
    const seen = new Set<string>();
    let current = url;
    let hops = 0;
    for (;;) {
      const checked = checkUrl(current, opts.allowHosts);
      if (!checked.ok) throw fail("blocked", checked.reason);
      const href = checked.url.href;
      if (seen.has(href)) throw fail("redirect_loop", `重定向循环（再次回到 ${clip(href)}），已停止`);
      seen.add(href);

      const headers: Record<string, string> = { "User-Agent": FEED_USER_AGENT, Accept: FEED_ACCEPT };
      if (opts.etag) headers["If-None-Match"] = opts.etag;
      if (opts.lastModified) headers["If-Modified-Since"] = opts.lastModified;

      const res = await race(opts.fetch(href, { headers, signal: controller.signal }));
      const status = res.status;

      if (REDIRECT_STATUSES.has(status)) {
        discard(res);
        const location = res.headers.get("location");
        if (!location) throw fail("http_status", `订阅源返回 HTTP ${status} 重定向，但没有给出新地址`, status);
        hops += 1;
        if (hops > maxRedirects) throw fail("too_many_redirects", `重定向次数过多（超过 ${maxRedirects} 次），已停止`);
        try {
          current = new URL(location, href).href;
        } catch {
          throw fail("http_status", `订阅源重定向到无效地址：${clip(location)}`, status);
        }
        continue;
      }
      if (status === 304) {
        discard(res);
        return { kind: "not_modified", finalUrl: href };
      }
      if (status < 200 || status > 299) {
        discard(res);
        throw fail("http_status", `订阅源返回 HTTP ${status}${statusHint(status)}`, status);
      }

      const declared = res.headers.get("content-length");
      if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
        discard(res);
        throw fail("too_large", tooLargeReason(maxBytes));
      }
      const body = await readCapped(res, maxBytes);
      return {
        kind: "ok",
        body,
        contentType: res.headers.get("content-type"),
        etag: res.headers.get("etag"),
        lastModified: res.headers.get("last-modified"),
        finalUrl: href,
        status,
      };
    }
  }

  /** Reads the body chunk by chunk; stops (and cancels the stream) once past maxBytes. */
  async function readCapped(res: Response, cap: number): Promise<Uint8Array> {
    if (!res.body) return new Uint8Array(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await race(reader.read());
        if (done) break;
        total += value.byteLength;
        if (total > cap) throw fail("too_large", tooLargeReason(cap));
        chunks.push(value);
      }
    } catch (e) {
      reader.cancel().catch(() => {});
      throw e;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }
}

/** Releases a response body we don't read (keeps connections from hanging around). */
function discard(res: Response): void {
  res.body?.cancel().catch(() => {});
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return "（拒绝访问：可能需要更新 Cookie，或被防火墙拦截）";
  if (status === 404 || status === 410) return "（地址不存在，请核对订阅地址）";
  if (status === 429) return "（请求过于频繁，被对方限流）";
  if (status >= 500) return "（订阅源服务器出错）";
  return "";
}

function tooLargeReason(maxBytes: number): string {
  return `订阅源超过 ${formatSize(maxBytes)}，已停止读取`;
}

function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (Number.isInteger(mb)) return `${mb} MB`;
  if (mb >= 1) return `${mb.toFixed(1)} MB`;
  const kb = bytes / 1024;
  return Number.isInteger(kb) ? `${kb} KB` : `${bytes} 字节`;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

function clip(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Maps anything a FetchLike threw to an error result; a FeedBlockedError anywhere in the cause chain wins. */
function classifyThrown(e: unknown): FetchResult {
  const chain: unknown[] = [];
  for (let cur: unknown = e; cur && chain.length < 8; cur = (cur as { cause?: unknown }).cause) chain.push(cur);
  for (const c of chain) {
    const err = c as { code?: unknown; reason?: unknown; message?: unknown };
    if (err.code === "FEED_BLOCKED") {
      return { kind: "error", code: "blocked", reason: String(err.reason ?? err.message ?? "订阅地址已被拒绝") };
    }
  }
  for (const c of chain) {
    const err = c as { code?: unknown; hostname?: unknown; message?: unknown };
    const code = typeof err.code === "string" ? err.code : "";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") {
      return network(`域名无法解析${typeof err.hostname === "string" ? `（${err.hostname}）` : ""}，请核对订阅地址`);
    }
    if (code === "ECONNREFUSED") return network("连接被拒绝：订阅源服务器没有在该端口提供服务");
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return network("连接被对方中断");
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return network("网络不可达");
    if (/CERT|SELF_SIGNED|ERR_TLS/.test(code)) return network(`HTTPS 证书无效（${code}）`);
    if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT") {
      return { kind: "error", code: "timeout", reason: "连接超时（无法连上订阅源服务器）" };
    }
  }
  const deepest = chain[chain.length - 1] as { message?: unknown } | undefined;
  const msg = typeof deepest?.message === "string" ? deepest.message : String(e);
  return network(`网络错误：${clip(msg, 300)}`);
}

function network(reason: string): FetchResult {
  return { kind: "error", code: "network", reason };
}
