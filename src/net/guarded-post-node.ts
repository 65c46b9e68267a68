// Node-only: POST for webhooks through the same guarded DNS lookup as feeds — a webhook URL is
// user-supplied and must not reach private addresses (unless WEBHOOK_ALLOW_HOSTS lists the host).
import { Agent, fetch as undiciFetch } from "undici";
import { checkUrl, WEBHOOK_WORDING } from "./address-guard";
import { createGuardedLookup } from "./guarded-fetch-node";
import type { PostFn } from "./types";

export function createGuardedPost(allowHosts: string[]): PostFn & { close(): Promise<void> } {
  const agent = new Agent({ connect: { lookup: createGuardedLookup(allowHosts, undefined, WEBHOOK_WORDING) as never }, keepAliveTimeout: 1_000 });
  const post = async (url: string, init: RequestInit) => {
    const checked = checkUrl(url, allowHosts, WEBHOOK_WORDING);
    if (!checked.ok) throw new Error(checked.reason);
    const res = await undiciFetch(checked.url.href, {
      method: init.method ?? "POST",
      headers: init.headers as Record<string, string>,
      body: init.body as string,
      signal: init.signal ?? null,
      redirect: "manual",
      dispatcher: agent,
    });
    return res as unknown as Response;
  };
  return Object.assign(post, { close: () => agent.close() });
}
