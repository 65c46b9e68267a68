// Dormancy, consolidation and closure (国办秘函〔2019〕19号、鹤政办〔2019〕20号第十二条，docs/规则依据.md#两周单项否决). Pure: findings and advice, never actions —
// the office acts by approving a merge or close filing.
import type { ActivePeriod, WeekStatus } from "./compliance";
import { lacksData, type FeedState } from "./feed-state";
import type { AccountStatus } from "./lifecycle";
import { PLATFORM_LABELS, type Platform } from "./platforms";
import type { Policy } from "./policy";
import { shanghaiDate } from "./weeks";

const DAY_MS = 86_400_000;

export interface DormancyInput {
  now: Date;
  lastPostAt: Date | null;
  /** When the account (last) became active. */
  liveSince: Date;
  /** Has a feed whose recent fetches fail. */
  feedFailing: boolean;
  /** Most recent first, already limited to weeks before now. */
  recentWeeks: readonly WeekStatus[];
  policy: Policy;
  platform: Platform;
}

export interface DormancyFinding {
  /** 两周无更新 单项否决 (国办秘函〔2019〕19号). */
  veto: boolean;
  /** 僵尸账号: no post in zombieDays. */
  zombie: boolean;
  /** Below the weekly minimum in ≥ chronicBelowWeeks of the last chronicWindowWeeks counted weeks. */
  chronic: boolean;
  /** The feed is failing: no veto/zombie verdict either way. */
  unknown: boolean;
  /** Whole days since the last post; null if it never posted. */
  daysSinceLastPost: number | null;
  belowWeeks: number;
  countedWeeks: number;
  /** Evidence for the reasons recommend() writes (set by assessDormancy). */
  lastPostAt?: Date | null;
  zombieDays?: number;
}

/**
 * veto: no post in the vetoDays before now, and live for at least vetoDays (a new account is not
 * vetoed on day 3); zombie: the same with zombieDays. A post exactly vetoDays ago no longer counts.
 * chronic: among the most recent chronicWindowWeeks counted weeks (compliant or below; exempt and
 * unknown skipped), below ≥ chronicBelowWeeks. A failing feed is never called dormant: veto and
 * zombie are false and unknown is true; chronic still uses counted weeks only.
 */
export function assessDormancy(i: DormancyInput): DormancyFinding {
  const now = i.now.getTime();
  const liveFor = now - i.liveSince.getTime();
  const silentFor = i.lastPostAt === null ? liveFor : now - i.lastPostAt.getTime();
  const silentAtLeast = (days: number): boolean => {
    const ms = days * DAY_MS;
    return liveFor >= ms && silentFor >= ms;
  };

  const counted = i.recentWeeks
    .filter((s) => s === "compliant" || s === "below")
    .slice(0, Math.max(0, i.policy.chronicWindowWeeks));
  const belowWeeks = counted.filter((s) => s === "below").length;

  return {
    veto: !i.feedFailing && silentAtLeast(i.policy.vetoDays),
    zombie: !i.feedFailing && silentAtLeast(i.policy.zombieDays),
    chronic: belowWeeks > 0 && belowWeeks >= i.policy.chronicBelowWeeks,
    unknown: i.feedFailing,
    daysSinceLastPost: i.lastPostAt === null ? null : Math.max(0, Math.floor((now - i.lastPostAt.getTime()) / DAY_MS)),
    belowWeeks,
    countedWeeks: counted.length,
    lastPostAt: i.lastPostAt,
    zombieDays: i.policy.zombieDays,
  };
}

/** What is known of one account at an instant: enough for the finding. */
export interface AccountEvidence {
  now: Date;
  account: { feedUrl: string | null; createdAt: string; platform: Platform };
  /** The account's feed state, if it was ever polled. */
  feed: Pick<FeedState, "feedUrl" | "lastSuccessAt" | "consecutiveFailures"> | null | undefined;
  /** Latest post at or before `now`. */
  lastPostAt: Date | null;
  /** Its active periods, oldest first: the last one's start is when it (last) went live. */
  periods: readonly ActivePeriod[];
  /** Most recent first; [] when only the veto and zombie findings matter. */
  recentWeeks: readonly WeekStatus[];
  policy: Policy;
}

/**
 * The finding for one account from its evidence, shared by the daily alerts and the inspection's
 * veto check: no verdict without readable data (lacksData), live since its last activation.
 */
export function assessAccount(e: AccountEvidence): DormancyFinding {
  return assessDormancy({
    now: e.now,
    lastPostAt: e.lastPostAt,
    liveSince: e.periods.at(-1)?.from ?? new Date(e.account.createdAt),
    feedFailing: lacksData(e.account.feedUrl, e.feed, e.lastPostAt),
    recentWeeks: e.recentWeeks,
    policy: e.policy,
    platform: e.account.platform,
  });
}

export interface Candidate {
  id: string;
  orgId: string;
  platform: Platform;
  status: AccountStatus;
  lastPostAt: Date | null;
  name?: string;
  /** Posts in the last DUPLICATE_WINDOW_WEEKS finished weeks (backfill left out); absent = unknown. */
  recentPosts?: number;
}

/** The window in which two accounts of one unit on one platform are compared for consolidation. */
export const DUPLICATE_WINDOW_WEEKS = 8;

export type Recommendation =
  | { kind: "consolidate"; targetAccountId: string; reason: string; evidence?: Record<string, unknown> }
  | { kind: "close"; reason: string }
  | null;

function lastPostText(f: DormancyFinding): string {
  if (f.lastPostAt) return `最近一次更新为${shanghaiDate(f.lastPostAt)}（北京时间）`;
  if (f.lastPostAt === null) return "开通以来未见更新";
  return f.daysSinceLastPost === null ? "未见更新" : `已${f.daysSinceLastPost}天无更新`;
}

/** Most recently posting first (never-posted last), ties → smaller id. */
function byRecency(a: Candidate, b: Candidate): number {
  const ta = a.lastPostAt ? a.lastPostAt.getTime() : -Infinity;
  const tb = b.lastPostAt ? b.lastPostAt.getTime() : -Infinity;
  if (ta !== tb) return tb > ta ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * 鹤政办〔2019〕20号第十二条：对运维能力差、功能相近、用户关注度和利用率低的政务新媒体要清理整合，对无力维护的坚决关停.
 * zombie → close. chronic → consolidate into a live ("active") account on the same platform of the same
 * org, else of the government the unit belongs to (most recently posting first, ties → smaller id);
 * none → close. Otherwise no advice.
 */
export function recommend(
  account: { id: string; orgId: string; platform: Platform },
  finding: DormancyFinding,
  candidates: readonly Candidate[],
  unitGovernmentId: string | null,
): Recommendation {
  const lastPost = lastPostText(finding);
  if (finding.zombie) {
    const days = finding.zombieDays ?? 90;
    return {
      kind: "close",
      reason: `${days}天无更新，属僵尸账号（${lastPost}），建议关停注销`,
    };
  }
  if (!finding.chronic) return duplicateAdvice(account, candidates, lastPost);

  const evidence = `近${finding.countedWeeks}个计入周中有${finding.belowWeeks}周未达到每周最低更新次数（${lastPost}）`;
  const eligible = candidates.filter(
    (c) => c.id !== account.id && c.status === "active" && c.platform === account.platform,
  );
  const sameOrg = eligible.filter((c) => c.orgId === account.orgId).sort(byRecency)[0];
  if (sameOrg) {
    return {
      kind: "consolidate",
      targetAccountId: sameOrg.id,
      reason: `${evidence}；本单位另有正常运营的${PLATFORM_LABELS[account.platform]}账号，建议清理整合至该账号`,
    };
  }
  const government =
    unitGovernmentId === null
      ? undefined
      : eligible.filter((c) => c.orgId === unitGovernmentId).sort(byRecency)[0];
  if (government) {
    return {
      kind: "consolidate",
      targetAccountId: government.id,
      reason: `${evidence}；所属政府有正常运营的${PLATFORM_LABELS[account.platform]}账号，建议清理整合至该账号`,
    };
  }
  return {
    kind: "close",
    reason: `${evidence}；本单位及所属政府无同平台正常运营账号可整合，无力维护的建议关停注销`,
  };
}

/** More active first: more posts in the window, then the more recent last post, ties → smaller id. */
function byActivity(a: Candidate, b: Candidate): number {
  const pa = a.recentPosts ?? 0;
  const pb = b.recentPosts ?? 0;
  if (pa !== pb) return pb - pa;
  return byRecency(a, b);
}

function postText(c: Candidate): string {
  const last = c.lastPostAt ? `最近一次更新为${shanghaiDate(c.lastPostAt)}（北京时间）` : "未见更新";
  return `近${DUPLICATE_WINDOW_WEEKS}周发文${c.recentPosts ?? 0}条，${last}`;
}

/**
 * 同一单位同一平台两个及以上在用账号 (duplicate_platform)：长安区“同一平台上开设的多个账号要进行功能整合”,
 * 鹤政办〔2019〕20号第十二条 清理整合. The less active account (fewer posts in the last
 * DUPLICATE_WINDOW_WEEKS weeks, then the older last post, ties → larger id) is advised to consolidate
 * into the most active other active account of the unit on that platform; the most active one gets no advice.
 */
function duplicateAdvice(
  account: { id: string; orgId: string; platform: Platform },
  candidates: readonly Candidate[],
  lastPost: string,
): Recommendation {
  const self = candidates.find((c) => c.id === account.id);
  if (!self) return null;
  const peers = candidates
    .filter((c) => c.id !== account.id && c.status === "active" && c.orgId === account.orgId && c.platform === account.platform)
    .sort(byActivity);
  const target = peers[0];
  if (!target || byActivity(target, self) > 0) return null;
  const label = PLATFORM_LABELS[account.platform];
  const targetName = target.name ? `“${target.name}”` : "";
  return {
    kind: "consolidate",
    targetAccountId: target.id,
    reason:
      `本单位在${label}有两个及以上在用账号，本账号近${DUPLICATE_WINDOW_WEEKS}周发文${self.recentPosts ?? 0}条（${lastPost}），` +
      `不如本单位同平台账号${targetName}活跃（${postText(target)}），建议清理整合至该账号（同一平台上开设的多个账号要进行功能整合）`,
    evidence: {
      windowWeeks: DUPLICATE_WINDOW_WEEKS,
      recentPosts: self.recentPosts ?? 0,
      targetRecentPosts: target.recentPosts ?? 0,
      targetLastPostAt: target.lastPostAt?.toISOString() ?? null,
    },
  };
}
