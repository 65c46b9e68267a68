// Original share (原创占比) of an account's or a unit's posts, docs/规则依据.md#转发. Pure.
// Reposts (转发) are stored with `repost = true` where the bridge or the pusher marks them; whether
// they count toward the weekly minimum is the policy's `countReposts`, the share is reported either way.

export interface RepostTally {
  /** All posts in the period (originals and reposts; backfill excluded by the caller). */
  posts: number;
  /** Of those, reposts. */
  reposts: number;
}

/** originals / all in the period; null when there were no posts (no share to speak of). */
export function originalShare(t: RepostTally): number | null {
  if (t.posts <= 0) return null;
  const originals = Math.max(0, t.posts - Math.min(t.reposts, t.posts));
  return originals / t.posts;
}

/** The share over several accounts (a unit, a platform): the sums' ratio, not the mean of the shares. */
export function pooledOriginalShare(tallies: Iterable<RepostTally>): number | null {
  let posts = 0;
  let reposts = 0;
  for (const t of tallies) {
    posts += t.posts;
    reposts += t.reposts;
  }
  return originalShare({ posts, reposts });
}
