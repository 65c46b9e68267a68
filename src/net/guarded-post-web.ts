// Runtime-neutral webhook POST for Workers: DNS can't be controlled there, so the scheme and literal host are checked.
import { checkUrl, WEBHOOK_WORDING } from "./address-guard";
import type { PostFn } from "./types";

export function createWebGuardedPost(allowHosts: string[]): PostFn {
  return async (url, init) => {
    const checked = checkUrl(url, allowHosts, WEBHOOK_WORDING);
    if (!checked.ok) throw new Error(checked.reason);
    return fetch(checked.url.href, { ...init, redirect: "manual" });
  };
}
