import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ACCOUNT_STATUSES } from "../../domain/lifecycle";
import { PLATFORMS } from "../../domain/platforms";
import { POLICY_KEYS } from "../../domain/policy";
import { ALERT_KINDS } from "../../domain/alerts";

export const POST_SOURCES = ["feed", "api", "import"] as const;

/** Posts seen for an account; one row per identity (platform article id → guid → link → title + minute; docs/规则依据.md#发文来源与去重), whatever the source. */
export const posts = sqliteTable(
  "posts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    identity: text("identity").notNull(),
    guid: text("guid"),
    url: text("url"),
    title: text("title").notNull(),
    publishedAt: text("published_at").notNull(),
    /** "feed"/"given": the date came with the item; "first_seen": it had none (or an absurd one). */
    dateSource: text("date_source", { enum: ["feed", "given", "first_seen"] }).notNull(),
    source: text("source", { enum: POST_SOURCES }).notNull(),
    firstSeenAt: text("first_seen_at").notNull(),
    /** Seen on a feed's first poll without a trustworthy date: kept and shown, never counted in a week. */
    backfill: integer("backfill", { mode: "boolean" }).notNull().default(false),
    /** A repost (转发) where the bridge marks one; counted or not by the countReposts policy. */
    repost: integer("repost", { mode: "boolean" }).notNull().default(false),
    /**
     * What the wording and link checks read: the item's text stripped of HTML, at most 2,000
     * characters, and the links found in it (at most 20). Nothing else of the content is kept.
     */
    summary: text("summary"),
    links: text("links", { mode: "json" }).$type<string[]>(),
    /** When the wording check last read this post; null: not yet (new posts are scanned after they land). */
    wordingCheckedAt: text("wording_checked_at"),
  },
  (t) => [
    uniqueIndex("posts_identity_uq").on(t.accountId, t.identity),
    // Covers the weekly counts and last-post lookups (which skip backfill and may skip reposts)
    // without reading the table rows.
    index("posts_account_published_idx").on(t.accountId, t.publishedAt, t.backfill, t.repost),
    // The wording check finds what it has not read yet without scanning the table.
    index("posts_wording_unchecked_idx").on(t.publishedAt).where(sql`wording_checked_at IS NULL`),
  ],
);

/**
 * Each account's counts for one finished Shanghai week (domain/compliance WeekTally), kept so the
 * weekly job reads a week's posts once, not the whole chronic window every week. A cache of the
 * posts table, exact by construction: triggers on posts (migration 0012) delete the row of any week
 * a post is added to, changed in or removed from, and a missing row is counted again from posts.
 * `week` is the Monday (Shanghai date) the week starts on.
 */
export const weekTallies = sqliteTable(
  "week_tallies",
  {
    accountId: text("account_id").notNull(),
    week: text("week").notNull(),
    items: integer("items").notNull(),
    originalItems: integer("original_items").notNull(),
    pushes: integer("pushes").notNull(),
    originalPushes: integer("original_pushes").notNull(),
    days: integer("days").notNull(),
    originalDays: integer("original_days").notNull(),
    countedAt: text("counted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.week] })],
);

/** Per-feed polling state: conditional GET validators, errors, backoff. */
export const feedState = sqliteTable("feed_state", {
  accountId: text("account_id").primaryKey(),
  feedUrl: text("feed_url").notNull(),
  etag: text("etag"),
  lastModified: text("last_modified"),
  lastAttemptAt: text("last_attempt_at"),
  lastSuccessAt: text("last_success_at"),
  lastError: text("last_error"),
  lastErrorCode: text("last_error_code"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  nextDueAt: text("next_due_at").notNull(),
  /** Every item of the last poll had one and the same timestamp (the fetch time): dates are not real. */
  datesUnreliable: integer("dates_unreliable", { mode: "boolean" }).notNull().default(false),
  /**
   * A poller's claim on the feed (host:pid, a Worker invocation, a queue consumer) until claimedUntil:
   * no two pollers fetch the same feed at once, whatever runs them.
   */
  claimedBy: text("claimed_by"),
  claimedUntil: text("claimed_until"),
}, (t) => [
  // Due feeds are found by their next due time (poll-feeds claims the earliest first).
  index("feed_state_due_idx").on(t.nextDueAt),
]);

/**
 * When re-keying found two stored posts to be one (the same article through another bridge or
 * format), the one merged away is recorded here: nothing is deleted without a trace.
 */
export const postMerges = sqliteTable(
  "post_merges",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    mergedPostId: text("merged_post_id").notNull(),
    intoPostId: text("into_post_id").notNull(),
    identityBefore: text("identity_before").notNull(),
    identityAfter: text("identity_after").notNull(),
    /** The merged post's row as it was, JSON. */
    mergedRow: text("merged_row", { mode: "json" }),
    reason: text("reason").notNull(),
    mergedAt: text("merged_at").notNull(),
  },
  (t) => [index("post_merges_account_idx").on(t.accountId)],
);

/** Shanghai dates on which a feed was fetched successfully: tells "0 posts" from "we could not see". */
export const feedCoverage = sqliteTable(
  "feed_coverage",
  {
    accountId: text("account_id").notNull(),
    date: text("date").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.date] })],
);

/** Every status an account has had and since when: which weeks it was active (docs/规则依据.md#不计入的周). */
export const accountStatusChanges = sqliteTable(
  "account_status_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    status: text("status", { enum: ACCOUNT_STATUSES }).notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("status_changes_account_idx").on(t.accountId, t.at)],
);

export { ALERT_KINDS };
export const ALERT_STATUSES = ["open", "acknowledged", "resolved"] as const;

export const alerts = sqliteTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    orgId: text("org_id").notNull(),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    status: text("status", { enum: ALERT_STATUSES }).notNull(),
    message: text("message").notNull(),
    detail: text("detail", { mode: "json" }),
    openedAt: text("opened_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    acknowledgedAt: text("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
    resolvedAt: text("resolved_at"),
    /** "auto" when the cause went away, otherwise the token that resolved it. */
    resolvedBy: text("resolved_by"),
    note: text("note"),
  },
  (t) => [
    // One open alert per account and kind: no spam (docs/规则依据.md#预警去重与通知).
    uniqueIndex("alerts_open_uq")
      .on(t.accountId, t.kind)
      .where(sql`status IN ('open','acknowledged')`),
    index("alerts_org_idx").on(t.orgId, t.status),
  ],
);

export const WEBHOOK_EVENTS = ["weekly_digest", "veto", "midweek_reminder", "feed_failing", "bad_link", "wording"] as const;

export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    kind: text("kind", { enum: ["generic", "wecom", "dingtalk", "feishu"] }).notNull(),
    label: text("label").notNull(),
    url: text("url").notNull(),
    /** DingTalk/Feishu signing secret: HMAC needs it in clear, so it is stored and never returned. */
    secret: text("secret"),
    events: text("events", { mode: "json" }).$type<(typeof WEBHOOK_EVENTS)[number][]>().notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [index("webhooks_org_idx").on(t.orgId)],
);

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    webhookId: text("webhook_id").notNull(),
    /** What this message is about, e.g. "weekly_digest:2026-W47:<org>": a rerun cannot send it twice. */
    eventKey: text("event_key").notNull(),
    event: text("event").notNull(),
    notice: text("notice", { mode: "json" }).notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull(),
    lastError: text("last_error"),
    lastStatus: integer("last_status"),
    deliveredAt: text("delivered_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("deliveries_event_uq").on(t.webhookId, t.eventKey),
    index("deliveries_due_idx").on(t.status, t.nextAttemptAt),
  ],
);

/** Versioned policy overrides for a government's subtree, applied from a date. Never updated in place. */
export const policyOverrides = sqliteTable(
  "policy_overrides",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    key: text("key", { enum: POLICY_KEYS }).notNull(),
    platform: text("platform", { enum: PLATFORMS }),
    value: real("value").notNull(),
    effectiveFrom: text("effective_from").notNull(),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [index("policy_org_idx").on(t.orgId)],
);
