// Node-only guarded fetch: undici's own fetch over an Agent whose DNS lookup refuses private
// addresses. Node's built-in fetch ignores http.Agent, so only this combination actually filters
// the address a socket connects to (no DNS-rebinding gap: the checked address is the one used).
import dns from "node:dns";
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from "node:dns";
import { Agent, fetch as undiciFetch } from "undici";
import { checkUrl, isHostAllowed, isPrivateAddress, FEED_WORDING, type GuardWording } from "./address-guard";
import { FeedBlockedError, type FetchLike } from "./types";

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type LookupOptions = LookupOneOptions | LookupAllOptions | number | undefined;
/** The resolver used underneath; dns.lookup by default, replaceable in tests. */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);


/**
 * A `lookup` for net/tls.connect that resolves every address of the host and fails with a
 * FeedBlockedError if ANY of them is private (unless the host is in allowHosts). Handles both
 * the single-address and the `all: true` (happy eyeballs) calling conventions.
 */
export function createGuardedLookup(
  allowHosts: readonly string[],
  resolver: Resolver = systemResolver,
  wording: GuardWording = FEED_WORDING,
) {
  return function guardedLookup(hostname: string, options: LookupOptions | LookupCallback, cb?: LookupCallback): void {
    const callback = (typeof options === "function" ? options : cb) as LookupCallback;
    const opts: LookupOneOptions | LookupAllOptions =
      typeof options === "number" ? { family: options } : typeof options === "object" && options ? options : {};
    const wantAll = (opts as LookupAllOptions).all === true;
    resolver(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, wantAll ? [] : "");
      if (!addresses || addresses.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`域名无法解析（${hostname}）`);
        e.code = "ENOTFOUND";
        return callback(e, wantAll ? [] : "");
      }
      if (!isHostAllowed(hostname, allowHosts)) {
        const bad = addresses.find((a) => isPrivateAddress(a.address));
        if (bad) {
          return callback(
            new FeedBlockedError(
              `${wording.subject}的域名 ${hostname} 解析到内网或本机地址（${bad.address}），已拒绝；如确需${wording.verb}，请由管理员将其加入 ${wording.allowSetting}`,
            ),
            wantAll ? [] : "",
          );
        }
      }
      if (wantAll) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

export type GuardedFetch = FetchLike & { /** Closes the pooled connections. */ close(): Promise<void> };

/**
 * FetchLike for Node: checkUrl first (literal IPs never reach lookup), then undici fetch through
 * the guarded Agent, redirects never followed (fetchFeed follows them by hand).
 */
export function createGuardedFetch(allowHosts: string[], opts: { resolver?: Resolver } = {}): GuardedFetch {
  const agent = new Agent({
    connect: { lookup: createGuardedLookup(allowHosts, opts.resolver) as never },
    keepAliveTimeout: 1_000,
  });
  const guarded = async (url: string, init: { headers: Record<string, string>; signal: AbortSignal; method?: "GET" | "HEAD" }) => {
    const checked = checkUrl(url, allowHosts);
    if (!checked.ok) throw new FeedBlockedError(checked.reason);
    const res = await undiciFetch(checked.url.href, {
      method: init.method ?? "GET",
      headers: init.headers,
      signal: init.signal,
      redirect: "manual",
      dispatcher: agent,
    });
    // undici's Response has the same shape as the global one (status, headers, body stream).
    return res as unknown as Response;
  };
  return Object.assign(guarded, { close: () => agent.close() });
}
