import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { FILING_KINDS, FILING_STATUSES, type AccountChanges } from "../../domain/lifecycle";

export const filings = sqliteTable(
  "filings",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: FILING_KINDS }).notNull(),
    accountId: text("account_id").notNull(),
    /** The account's owning org when the filing was submitted. */
    orgId: text("org_id").notNull(),
    /** 备案主管单位, computed from the tree at submission (鹤政办〔2019〕20号第十二条，docs/规则依据.md#分级备案). */
    authorityOrgId: text("authority_org_id").notNull(),
    status: text("status", { enum: FILING_STATUSES }).notNull(),
    changes: text("changes", { mode: "json" }).$type<AccountChanges>(),
    reason: text("reason"),
    completed: integer("completed", { mode: "boolean" }),
    targetAccountId: text("target_account_id"),
    /** open filings: 新开设 (a new account) or 存量登记 (an account that already existed before it was filed). */
    registration: text("registration", { enum: ["new", "existing"] }),
    submittedBy: text("submitted_by").notNull(),
    submittedAt: text("submitted_at").notNull(),
    decidedBy: text("decided_by"),
    decidedAt: text("decided_at"),
    decisionNote: text("decision_note"),
  },
  (t) => [
    index("filings_account_idx").on(t.accountId),
    index("filings_authority_idx").on(t.authorityOrgId, t.status),
  ],
);
