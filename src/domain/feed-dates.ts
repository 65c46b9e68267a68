// Which feed dates to believe, and what an item without a believable date is worth
// (docs/规则依据.md#无日期与日期不可靠的条目). Pure: poll-feeds applies what these decide.

/** Dated items needed before "they all share one time" means anything (one push of two articles shares one legitimately). */
export const SHARED_STAMP_MIN_ITEMS = 3;
/**
 * How near the poll a shared time must be to be read as the fetch time: bridges cache a response for
 * minutes to hours, while the articles of one real push written days ago are left alone.
 */
export const SHARED_STAMP_WINDOW_MS = 24 * 60 * 60_000;

export interface DatedItem {
  publishedAt: Date;
  /** "feed"/"given": the date the source wrote; "first_seen": none usable, the time it was first seen. */
  dateSource: "feed" | "given" | "first_seen";
}

/**
 * What a poll shows about the feed's dates. true: at least SHARED_STAMP_MIN_ITEMS dated items carry
 * one and the same instant, within SHARED_STAMP_WINDOW_MS of the poll — the route stamps the fetch
 * time (日期不可靠). false: at least two distinct dates — the dates are real. null: too few dated items
 * to tell (the feed's flag stays as it was).
 */
export function judgeFeedDates(items: readonly DatedItem[], now: Date): boolean | null {
  const dated = items.filter((i) => i.dateSource !== "first_seen").map((i) => i.publishedAt.getTime());
  const distinct = new Set(dated);
  if (distinct.size >= 2) return false;
  if (dated.length < SHARED_STAMP_MIN_ITEMS) return null;
  return Math.abs(dated[0]! - now.getTime()) <= SHARED_STAMP_WINDOW_MS;
}

/**
 * The items as they are stored. An item without a trustworthy date — none usable, or every date of
 * a feed marked unreliable — takes the time it was first seen; on the feed's first successful poll
 * it is backfill (kept and shown, never counted: nothing says when it was published, and the poll
 * time would credit this week with an old post). Afterwards it counts at its first-seen time.
 */
export function trustDates<T extends DatedItem>(
  items: readonly T[],
  ctx: { firstPoll: boolean; unreliable: boolean; firstSeenAt: Date },
): (T & { backfill: boolean })[] {
  return items.map((item) => {
    const undated = item.dateSource === "first_seen" || ctx.unreliable;
    if (!undated) return { ...item, backfill: false };
    return { ...item, publishedAt: new Date(ctx.firstSeenAt.getTime()), dateSource: "first_seen" as const, backfill: ctx.firstPoll };
  });
}
