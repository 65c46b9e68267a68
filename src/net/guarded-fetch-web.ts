// Runtime-neutral guarded fetch for Workers (and any runtime with a global fetch). DNS can't be
// controlled there, so the guard is checkUrl: scheme, credentials, literal private IPs, localhost.
// Cloudflare's own egress does not reach private networks either.
import { checkUrl } from "./address-guard";
import { FeedBlockedError, type FetchLike } from "./types";

export function createWebGuardedFetch(allowHosts: string[]): FetchLike {
  return async (url, init) => {
    const checked = checkUrl(url, allowHosts);
    if (!checked.ok) throw new FeedBlockedError(checked.reason);
    return fetch(checked.url.href, { method: init.method ?? "GET", headers: init.headers, signal: init.signal, redirect: "manual" });
  };
}
