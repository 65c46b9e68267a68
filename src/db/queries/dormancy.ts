// The evidence the dormancy finding reads (last posts, active periods, feed state), loaded once for
// the daily assessment and for the inspection's veto check, then judged by domain/dormancy.
import type { DbOrTx } from "../client";
import { assessAccount } from "../../domain/dormancy";
import { shanghaiDate, shanghaiDayEnd } from "../../domain/weeks";
import { accountById } from "./accounts";
import { feedStates } from "./feeds";
import { activePeriods, policyResolver } from "./monitoring";
import { loadOrgIndex } from "./org-tree";
import { lastPostTimes } from "./posts";

/** Last post at or before `asOf`, active periods and feed state of each account. */
export async function dormancySources(db: DbOrTx, accountIds: readonly string[], asOf: Date) {
  const [lastPosts, periods, feeds] = await Promise.all([
    lastPostTimes(db, accountIds, asOf),
    activePeriods(db, accountIds),
    feedStates(db, accountIds),
  ]);
  return { lastPosts, periods, feeds };
}

/** Whether the account had the two-week veto at the end of the inspection day (or now, if earlier). */
export async function vetoedAt(db: DbOrTx, accountId: string, inspectedOn: string, now: Date): Promise<boolean> {
  const endOfDay = shanghaiDayEnd(inspectedOn);
  const at = endOfDay < now ? endOfDay : now;
  const account = await accountById(db, accountId);
  if (!account) return false;
  const [{ lastPosts, periods, feeds }, index] = await Promise.all([dormancySources(db, [accountId], at), loadOrgIndex(db)]);
  const policy = (await policyResolver(db, index))(account.orgId, shanghaiDate(at));
  // Same finding as the daily alerts: no verdict without readable data.
  return assessAccount({
    now: at,
    account,
    feed: feeds.get(accountId),
    lastPostAt: lastPosts.get(accountId) ?? null,
    periods: periods.get(accountId) ?? [],
    recentWeeks: [],
    policy,
  }).veto;
}
