import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ACCOUNT_STATUSES } from "../../domain/lifecycle";
import { ACCOUNT_TYPES, PLATFORMS } from "../../domain/platforms";

export const ACCOUNT_ORIGINS = ["filing", "direct", "import"] as const;

export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    /** WeChat only: 订阅号 (subscription, the default) or 服务号 (service); null for other platforms. */
    accountType: text("account_type", { enum: ACCOUNT_TYPES }),
    name: text("name").notNull(),
    platformId: text("platform_id"),
    url: text("url"),
    feedUrl: text("feed_url"),
    openedOn: text("opened_on"),
    contactPerson: text("contact_person"),
    contactPhone: text("contact_phone"),
    /** 认证主体 as shown by the platform. */
    verifiedOwner: text("verified_owner"),
    /** 运维方式 as the ledger says it (自主运维, 委托第三方运维 …). */
    operationMode: text("operation_mode"),
    /** 运维单位: who runs the account day to day, when not the unit itself. */
    operator: text("operator"),
    status: text("status", { enum: ACCOUNT_STATUSES }).notNull(),
    closingReason: text("closing_reason"),
    mergedIntoId: text("merged_into_id"),
    /** How the account entered the registry: an open filing, a supervisor's direct registration, a ledger import. */
    origin: text("origin", { enum: ACCOUNT_ORIGINS }).notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("accounts_org_idx").on(t.orgId),
    index("accounts_platform_id_idx").on(t.platform, t.platformId),
    // One live account per platform id (docs/规则依据.md#台账风险提示); closed ones keep theirs for the history.
    uniqueIndex("accounts_live_platform_id_uq")
      .on(t.platform, t.platformId)
      .where(sql`platform_id IS NOT NULL AND status IN ('pending','active','suspended','closing')`),
  ],
);
