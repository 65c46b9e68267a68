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
    /**
     * 备案主管单位 designated for this org instead of the tree rule: a vertical system's superior bureau
     * (公安、税务、气象…), or a 数据局 the government named. Null = the tree rule.
     */
    filingAuthorityId: text("filing_authority_id"),
    /** Other names the org is known by (e.g. a certified 认证主体 that differs from the registry name). */
    aliases: text("aliases", { mode: "json" }).$type<string[]>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("orgs_path_idx").on(t.path), index("orgs_parent_idx").on(t.parentId)],
);
