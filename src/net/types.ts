// The outbound request shapes the guards produce (guarded GET for feeds, guarded POST for webhooks).
// Runtime-neutral: no Node-only imports.

/**
 * The one fetch shape the feed layer calls. Implementations must not follow redirects
 * (fetchFeed follows them by hand, re-checking each hop) and must honour `signal`.
 * Node: createGuardedFetch (guarded-fetch-node.ts); Workers: createWebGuardedFetch.
 */
export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal; /** GET unless said: link checks ask HEAD first. */ method?: "GET" | "HEAD" },
) => Promise<Response>;

/** A guarded POST for webhook deliveries: createGuardedPost (Node) or createWebGuardedPost (Workers). */
export type PostFn = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Thrown by the guarded fetches when an address is refused (SSRF guard). fetchFeed looks for
 * `code === "FEED_BLOCKED"` anywhere in an error's cause chain (undici wraps connect errors in
 * `TypeError: fetch failed`) and reports `{kind: "error", code: "blocked", reason}`.
 */
export class FeedBlockedError extends Error {
  readonly code = "FEED_BLOCKED";
  constructor(readonly reason: string) {
    super(reason);
    this.name = "FeedBlockedError";
  }
}
