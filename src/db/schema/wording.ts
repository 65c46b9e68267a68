import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const WORD_RULE_KINDS = ["typo", "sensitive", "name_order"] as const;

/**
 * A jurisdiction's own wording rule (错敏词): inherited by its subtree, on top of the starter list
 * shipped with the product. `key` is the wrong text normalised (full-width → half-width, spacing
 * removed, lower case): what is matched and what makes two rules the same. Deleting keeps the row.
 */
export const wordRules = sqliteTable(
  "word_rules",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    wrong: text("wrong").notNull(),
    key: text("key").notNull(),
    correct: text("correct"),
    kind: text("kind", { enum: WORD_RULE_KINDS }).notNull(),
    note: text("note"),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by"),
    deletedAt: text("deleted_at"),
    deletedBy: text("deleted_by"),
  },
  (t) => [
    uniqueIndex("word_rules_live_uq").on(t.orgId, t.key).where(sql`deleted_at IS NULL`),
    index("word_rules_org_idx").on(t.orgId),
  ],
);

/**
 * One wording hit: a rule's text found in a post's title or summary. Unique per post and rule key,
 * so the same hit never alerts twice, however often the post is polled, pushed, imported or rescanned.
 */
export const wordingHits = sqliteTable(
  "wording_hits",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    postId: text("post_id").notNull(),
    key: text("key").notNull(),
    /** The rule that matched: a word_rules id, or "starter" for the shipped list. */
    ruleId: text("rule_id").notNull(),
    wrong: text("wrong").notNull(),
    correct: text("correct"),
    kind: text("kind", { enum: WORD_RULE_KINDS }).notNull(),
    /** "title" or "summary", and the text around the hit as it stands in the post. */
    field: text("field", { enum: ["title", "summary"] }).notNull(),
    excerpt: text("excerpt").notNull(),
    alertId: text("alert_id"),
    foundAt: text("found_at").notNull(),
  },
  (t) => [uniqueIndex("wording_hits_post_key_uq").on(t.postId, t.key), index("wording_hits_account_idx").on(t.accountId, t.foundAt)],
);
