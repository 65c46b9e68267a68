// The account column of the filings page: "名称（平台，主办单位）" for every account on the page in one
// query, instead of one GET /api/accounts/:id per row. Same visibility as that call: the account's
// current org lies in the caller's subtree; an account the caller cannot see gets no label.
import { eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { isVisible } from "../db/queries/org-tree";
import { accounts, orgs } from "../db/schema";
import { PLATFORM_LABELS } from "../domain/platforms";
import type { Actor } from "../lib/types";

export async function accountLabels(db: DbOrTx, actor: Pick<Actor, "orgPath">, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: accounts.id, name: accounts.name, platform: accounts.platform, orgName: orgs.name, path: orgs.path })
    .from(accounts)
    .innerJoin(orgs, eq(orgs.id, accounts.orgId))
    .where(inArray(accounts.id, [...ids]));
  return new Map(rows.filter((r) => isVisible(actor, r)).map((r) => [r.id, `${r.name}（${PLATFORM_LABELS[r.platform]}，${r.orgName}）`]));
}
