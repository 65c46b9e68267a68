// Alerts (预警), docs/规则依据.md#预警去重与通知: their kinds and Chinese names, and which alerts an account's evidence calls
// for. Pure: the jobs load the evidence, these decide, the alert sync stores the result.
import type { WeekStatus } from "./compliance";
import type { DormancyFinding, Recommendation } from "./dormancy";
import { isFeedFailing, type FeedState } from "./feed-state";
import { FLAG_CODES, type Flag } from "./registry-checks";

export const ALERT_KINDS = [
  "below_minimum",
  "no_update_14d",
  "dormant_90d",
  "feed_failing",
  // No feed, and nothing pushed or imported: the account cannot be monitored at all (docs/规则依据.md#没有数据不下结论).
  "no_data_source",
  "recommend_consolidate",
  "recommend_close",
  // A homepage or post link that failed on two checks a day apart (外链/死链, docs/规则依据.md#外链死链).
  "bad_link",
  // A wrong or sensitive wording (错敏词) found in a post's title or summary (docs/规则依据.md#错敏词).
  "wording",
  // The registry checks are alerts too (docs/规则依据.md#台账风险提示).
  ...FLAG_CODES,
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Not yet resolved: at most one such alert per account and kind. */
export const OPEN_ALERT_STATUSES = ["open", "acknowledged"] as const;

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  below_minimum: "更新未达标",
  no_update_14d: "两周未更新",
  dormant_90d: "长期未更新（僵尸账号）",
  feed_failing: "订阅源抓取失败",
  no_data_source: "无数据来源",
  recommend_consolidate: "建议整合",
  recommend_close: "建议关停",
  bad_link: "链接无法访问",
  wording: "错敏词",
  duplicate_platform: "同平台重复开设",
  inconsistent_name: "名称不一致",
  reopened_after_close: "注销后重开",
  owner_mismatch: "认证主体不一致",
  unapproved_opening: "未经批准开设",
  personal_owner: "以个人名义认证",
};

/** The note on an alert closed because its cause went away. */
export const AUTO_RESOLVED_NOTE = "原因已消除，自动关闭";
/** The note on an alert closed because its account is no longer live. */
export const ENDED_ACCOUNT_NOTE = "账号已关停、整合或未获批准，自动关闭";

/** A cause that is present now: an alert of this kind should be open with this message. */
export interface AlertSignal {
  kind: AlertKind;
  message: string;
  detail?: unknown;
}

/** The kinds a judgement speaks for (open the signalled ones, close the rest) and the signals present. */
export interface AlertJudgement {
  kinds: AlertKind[];
  signals: AlertSignal[];
}

export const DORMANCY_KINDS: readonly AlertKind[] = ["no_update_14d", "dormant_90d", "recommend_consolidate", "recommend_close"];
/** Findings that need data: with none, they stand as they are (never opened, never auto-closed). */
const VERDICT_KINDS: readonly AlertKind[] = DORMANCY_KINDS;
export const FLAG_KINDS: readonly AlertKind[] = FLAG_CODES;

/**
 * The daily judgement of one account: its registry flags, and — for an active account — the
 * dormancy finding and the advice (docs/规则依据.md#两周单项否决). An unknown finding (no readable data) leaves the
 * veto/zombie/advice alerts as they stand.
 */
export function judgeAccount(flags: readonly Flag[], dormancy?: { finding: DormancyFinding; advice: Recommendation }): AlertJudgement {
  const signals: AlertSignal[] = flags.map((f) => ({ kind: f.code, message: f.message }));
  let kinds: AlertKind[] = [...FLAG_KINDS, ...DORMANCY_KINDS];
  if (!dormancy) return { kinds, signals };
  const { finding, advice } = dormancy;
  if (finding.unknown) kinds = kinds.filter((k) => !VERDICT_KINDS.includes(k));
  const evidence = {
    daysSinceLastPost: finding.daysSinceLastPost,
    belowWeeks: finding.belowWeeks,
    countedWeeks: finding.countedWeeks,
    lastPostAt: finding.lastPostAt?.toISOString() ?? null,
  };
  if (finding.veto) {
    const silence = finding.daysSinceLastPost === null ? "开通以来未见更新" : `已${finding.daysSinceLastPost}天无更新`;
    signals.push({ kind: "no_update_14d", message: `监测时间点前两周内无更新（${silence}），单项否决`, detail: evidence });
  }
  if (finding.zombie) signals.push({ kind: "dormant_90d", message: `长期未更新（超过${finding.zombieDays ?? 90}天），属僵尸账号`, detail: evidence });
  if (advice?.kind === "consolidate") {
    signals.push({ kind: "recommend_consolidate", message: advice.reason, detail: { ...evidence, ...advice.evidence, targetAccountId: advice.targetAccountId } });
  } else if (advice?.kind === "close") {
    signals.push({ kind: "recommend_close", message: advice.reason, detail: evidence });
  }
  return { kinds, signals };
}

/**
 * The weekly judgement of one account for the week just ended: below the minimum opens
 * below_minimum, compliant or exempt closes it, unknown (no evidence either way) leaves it as it is.
 */
export function judgeWeek(
  weekId: string,
  row: { status: WeekStatus; posts: number; updates?: number; required: number },
): AlertJudgement | null {
  if (row.status === "unknown") return null;
  const updates = row.updates ?? row.posts;
  const items = updates === row.posts ? "" : `（发文 ${row.posts} 条）`;
  const signals: AlertSignal[] =
    row.status === "below"
      ? [{ kind: "below_minimum", message: `${weekId} 更新 ${updates} 次${items}，低于每周最低 ${row.required} 次`, detail: { week: weekId, posts: row.posts, updates, required: row.required } }]
      : [];
  return { kinds: ["below_minimum"], signals };
}

/**
 * The daily check for a data source: an active account with no feed and no post pushed or imported
 * has no_data_source — one alert per account (the sync keeps one open), not a weekly repeat;
 * it resolves when a feed is set or a post arrives. Other statuses close it.
 */
export function judgeDataSource(account: { status: string; feedUrl: string | null }, hasPosts: boolean): AlertJudgement {
  const missing = account.status === "active" && !account.feedUrl && !hasPosts;
  return {
    kinds: ["no_data_source"],
    signals: missing
      ? [{ kind: "no_data_source", message: "未配置订阅地址，也没有接口推送或表格导入的发文，无法监测更新情况；请配置订阅地址或推送发文" }]
      : [],
  };
}

/**
 * A feed after a poll: a success closes feed_failing; enough consecutive failures open it; a failure
 * before that leaves it as it is (one blip is normal for RSS bridges).
 */
export function judgeFeed(state: Pick<FeedState, "consecutiveFailures" | "lastError" | "lastErrorCode">): AlertJudgement | null {
  const failures = state.consecutiveFailures;
  if (failures === 0) return { kinds: ["feed_failing"], signals: [] };
  if (!isFeedFailing(failures)) return null;
  const reason = state.lastError ?? "";
  const message = `订阅源连续 ${failures} 次抓取失败：${reason}`;
  return { kinds: ["feed_failing"], signals: [{ kind: "feed_failing", message, detail: { failures, reason, code: state.lastErrorCode } }] };
}
