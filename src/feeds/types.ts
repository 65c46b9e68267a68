// Shared types of the feed layer (订阅源抓取). Runtime-neutral: no Node-only imports.

/** Error codes of a failed fetch, stable for storing in per-feed error state. */
export type FetchErrorCode =
  | "blocked"
  | "timeout"
  | "too_large"
  | "http_status"
  | "redirect_loop"
  | "too_many_redirects"
  | "network";

export type FetchResult =
  | {
      kind: "ok";
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
      status: number;
    }
  | { kind: "not_modified"; finalUrl: string }
  | { kind: "error"; reason: string; code: FetchErrorCode; status?: number };

/**
 * One item as read from a feed, before normalising. `date` is the raw string the feed wrote;
 * `description` its HTML description/content (capped short), read only to tell reposts; `content`
 * the same body capped at what domain/post-text reads, for the summary and links kept; `repost` an
 * explicit mark (pushed posts), which wins over detection.
 */
export type RawItem = { guid?: string; link?: string; title?: string; date?: string; description?: string; content?: string; repost?: boolean };

export type ParseResult = { ok: true; items: RawItem[]; title?: string } | { ok: false; reason: string };

export type NormalisedPost = {
  /** Dedup key from domain/post-identity (`wx:…`, `wb:…`, `url:…`, `guid:…`, `tm:…`); at most 1000 chars. */
  identity: string;
  guid: string | null;
  /** The item link, only when it is an http(s) URL (safe to render as a link). */
  url: string | null;
  title: string;
  publishedAt: Date;
  dateSource: "feed" | "first_seen";
  /** A repost (转发) as the bridge marks it (feeds/reposts.ts). */
  repost: boolean;
  /** The content's text, at most 2,000 characters, and its links, at most 20 (domain/post-text); null when none. */
  summary: string | null;
  links: string[] | null;
};
