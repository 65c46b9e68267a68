// Runtime-neutral webhook POST for Workers: DNS can't be controlled there, so the scheme and literal host are checked.
import { checkUrl } from "./address-guard";
import type { PostFn } from "./types";

/** The address guard speaks of feeds; say the same for webhook addresses. */
export function webhookWording(reason: string): string {
  return reason.replaceAll("订阅地址", "推送地址").replaceAll("FEED_ALLOW_HOSTS", "WEBHOOK_ALLOW_HOSTS").replaceAll("抓取", "访问");
}

export function createWebGuardedPost(allowHosts: string[]): PostFn {
  return async (url, init) => {
    const checked = checkUrl(url, allowHosts);
    if (!checked.ok) throw new Error(webhookWording(checked.reason));
    return fetch(checked.url.href, { ...init, redirect: "manual" });
  };
}
