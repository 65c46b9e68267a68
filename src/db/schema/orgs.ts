import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ORG_KINDS, ORG_LEVELS } from "../../domain/orgs";

export const orgs = sqliteTable(
  "orgs",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ORG_KINDS }).notNull(),
    level: text("level", { enum: ORG_LEVELS }).notNull(),
    parentId: text("parent_id"),
    /** "/rootId/…/id/": lets a subtree be read with one LIKE. Kept in step on move. */
    path: text("path").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("orgs_path_idx").on(t.path), index("orgs_parent_idx").on(t.parentId)],
);
