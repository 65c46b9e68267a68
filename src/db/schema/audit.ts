import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actorTokenId: text("actor_token_id"),
    actorOrgId: text("actor_org_id"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    /** The org the entity belongs to: visibility of the row follows it. */
    orgId: text("org_id").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
  },
  (t) => [index("audit_entity_idx").on(t.entity, t.entityId), index("audit_org_idx").on(t.orgId)],
);
