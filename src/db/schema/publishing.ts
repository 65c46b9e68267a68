import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * A quarterly notice a supervisor published (公开抽查情况): the notice as it stood when published, so
 * the public page shows what was decided to be public, not whatever the data says later. Unpublishing
 * keeps the row (unpublishedAt), so nothing is deleted.
 */
export const publishedNotices = sqliteTable(
  "published_notices",
  {
    id: text("id").primaryKey(),
    governmentOrgId: text("government_org_id").notNull(),
    year: integer("year").notNull(),
    quarter: integer("quarter").notNull(),
    /** The public notice, JSON: only what the public page may show. */
    snapshot: text("snapshot", { mode: "json" }).notNull(),
    publishedAt: text("published_at").notNull(),
    publishedBy: text("published_by"),
    unpublishedAt: text("unpublished_at"),
    unpublishedBy: text("unpublished_by"),
  },
  (t) => [index("published_notices_unit_idx").on(t.governmentOrgId, t.year, t.quarter)],
);

/**
 * A jurisdiction's own points for a deduction item of the unit score (扣分项), overriding the default
 * table from its effective date for its subtree. `item` is a problem code or a monitoring finding.
 */
export const scoreRules = sqliteTable(
  "score_rules",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    item: text("item").notNull(),
    points: real("points").notNull(),
    effectiveFrom: text("effective_from").notNull(),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [index("score_rules_org_idx").on(t.orgId)],
);

/** The state of one checked link (an account's homepage or a link in its posts): 外链/死链. */
export const linkChecks = sqliteTable(
  "link_checks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    url: text("url").notNull(),
    /** "account" (the account's own url) or "post" (a link in a recent post). */
    source: text("source", { enum: ["account", "post"] }).notNull(),
    lastCheckedAt: text("last_checked_at"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    /** First failure of the current run of failures; null while the link works. */
    failingSince: text("failing_since"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  },
  (t) => [uniqueIndex("link_checks_account_url_uq").on(t.accountId, t.url), index("link_checks_checked_idx").on(t.lastCheckedAt)],
);
