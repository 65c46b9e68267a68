import type { RouteHandler } from "@hono/zod-openapi";
import * as wording from "../../commands/wording";
import { readUpload } from "../../export/upload";
import type { AppEnv } from "../../lib/types";
import type * as routes from "./word-rules.routes";

export const listWordRules: RouteHandler<typeof routes.listWordRules, AppEnv> = async (c) => {
  const { db } = c.get("deps");
  const items = await wording.listWordRules(db, c.get("actor"), c.req.valid("query").orgId);
  return c.json({ items, total: items.length }, 200);
};

export const createWordRule: RouteHandler<typeof routes.createWordRule, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const { orgId, ...input } = c.req.valid("json");
  return c.json(await wording.createWordRule(db, c.get("actor"), orgId, input, now()), 201);
};

export const importWordRules: RouteHandler<typeof routes.importWordRules, AppEnv> = async (c) => {
  const { db, now, spreadsheet } = c.get("deps");
  const { orgId, dryRun } = c.req.valid("query");
  const table = await readUpload(c.req.raw, spreadsheet);
  return c.json(await wording.importWordRules(db, c.get("actor"), orgId, table, now(), dryRun), 200);
};

export const disableWordRule: RouteHandler<typeof routes.disableWordRule, AppEnv> = async (c) => {
  const { db, now } = c.get("deps");
  const row = await wording.disableWordRule(db, c.get("actor"), c.req.valid("param").id, now());
  return c.json({ id: row.id, deletedAt: row.deletedAt! }, 200);
};
