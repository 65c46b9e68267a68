import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ROLES } from "../../domain/roles";

export const tokens = sqliteTable(
  "tokens",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    label: text("label").notNull(),
    /** SHA-256 of the secret; the secret itself is shown once and never stored. */
    hash: text("hash").notNull().unique(),
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
    /** Past this instant the token no longer signs in; null = no expiry. */
    expiresAt: text("expires_at"),
    /** When the token was last used, refreshed at most hourly so reads do not turn into writes. */
    lastUsedAt: text("last_used_at"),
  },
  (t) => [index("tokens_org_idx").on(t.orgId)],
);
