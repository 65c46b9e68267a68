import { SAMPLE_REASONS } from "../../domain/sampling";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** One quarterly spot-check round (季度抽查) of a sampling unit, with every input of its draw. */
export const samplingRounds = sqliteTable(
  "sampling_rounds",
  {
    id: text("id").primaryKey(),
    governmentOrgId: text("government_org_id").notNull(),
    year: integer("year").notNull(),
    quarter: integer("quarter").notNull(),
    /** The draw's input: the population fixed at the quarter's start, plus accounts carried over for coverage. */
    population: text("population", { mode: "json" }).$type<{ accountId: string; sampledThisYear: boolean; hasOpenAlert: boolean; carriedOver?: boolean; recheck?: boolean }[]>().notNull(),
    populationSize: integer("population_size").notNull(),
    rate: real("rate").notNull(),
    seed: text("seed").notNull(),
    sampleSize: integer("sample_size").notNull(),
    minimumByRate: integer("minimum_by_rate").notNull(),
    minimumForCoverage: integer("minimum_for_coverage").notNull(),
    quarterStart: text("quarter_start").notNull(),
    /** own: the unit's own accounts (its sampling unit); subtree: every in-use account under the government. */
    scope: text("scope", { enum: ["own", "subtree"] }).notNull().default("own"),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [uniqueIndex("rounds_unit_quarter_uq").on(t.governmentOrgId, t.year, t.quarter)],
);

export const samplingItems = sqliteTable(
  "sampling_items",
  {
    id: text("id").primaryKey(),
    roundId: text("round_id").notNull(),
    accountId: text("account_id").notNull(),
    position: integer("position").notNull(),
    reason: text("reason", { enum: SAMPLE_REASONS }).notNull(),
  },
  (t) => [uniqueIndex("items_round_account_uq").on(t.roundId, t.accountId), index("items_account_idx").on(t.accountId)],
);

export const INSPECTION_RESULTS = ["pass", "fail"] as const;

/** The inspection of one sampled account: result, problems, rectification. */
export const inspections = sqliteTable(
  "inspections",
  {
    id: text("id").primaryKey(),
    roundId: text("round_id").notNull(),
    accountId: text("account_id").notNull(),
    result: text("result", { enum: INSPECTION_RESULTS }).notNull(),
    problems: text("problems", { mode: "json" }).$type<string[]>().notNull(),
    notes: text("notes"),
    /** 整改要求 / deadline for rectification (YYYY-MM-DD). */
    requirement: text("requirement"),
    deadline: text("deadline"),
    rectifiedAt: text("rectified_at"),
    rectificationNote: text("rectification_note"),
    inspector: text("inspector"),
    inspectedOn: text("inspected_on").notNull(),
    /** Why a vetoed account was passed anyway; required in that case. */
    overrideNote: text("override_note"),
    recordedBy: text("recorded_by"),
    recordedAt: text("recorded_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  // By account: re-checks look up an account's earlier failures in every round.
  (t) => [uniqueIndex("inspections_round_account_uq").on(t.roundId, t.accountId), index("inspections_account_idx").on(t.accountId)],
);
