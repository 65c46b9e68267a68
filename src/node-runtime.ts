// Node-only: the job dependencies for this runtime (guarded fetches over undici).
import type { JobDeps } from "../jobs";
import type { Db } from "./db/client";
import type { Env } from "./env";
import { createGuardedFetch } from "./feeds/guarded-fetch-node";
import { createGuardedPost } from "./lib/guarded-post-node";

export function nodeJobDeps(db: Db, env: Pick<Env, "FEED_ALLOW_HOSTS" | "WEBHOOK_ALLOW_HOSTS">): JobDeps & { close(): Promise<void> } {
  const fetchFeed = createGuardedFetch(env.FEED_ALLOW_HOSTS);
  const postWebhook = createGuardedPost(env.WEBHOOK_ALLOW_HOSTS);
  return {
    db,
    fetchFeed,
    feedAllowHosts: env.FEED_ALLOW_HOSTS,
    postWebhook,
    close: async () => {
      await Promise.all([fetchFeed.close(), postWebhook.close()]);
    },
  };
}
