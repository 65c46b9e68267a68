// Chinese notices for the operating unit and the supervising office (docs/规则依据.md#预警去重与通知): all the text the
// webhooks carry. Pure: the jobs decide who is below the minimum; these only say it.
import { UNKNOWN_REASON_LABELS, WEEK_STATUS_LABELS, type UnknownReason, type WeekStatus } from "../domain/compliance";
import { formatShanghaiDateTime } from "../domain/weeks";
import type { Notice } from "./formats";

export type DigestStatus = WeekStatus;

/** The week statuses by their one name (domain/compliance); "unknown": the feed could not be read, so the count may be incomplete. */
const STATUS = WEEK_STATUS_LABELS;

export interface WeeklyDigestInput {
  orgName: string;
  /** ISO week in Asia/Shanghai, e.g. "2026-W47". */
  weekId: string;
  /**
   * posts: items published; updates: what was counted under the policy's unit (status is judged on
   * it; when absent, posts is the count); unknownReason: why an unknown week is unknown.
   */
  accounts: { name: string; platformLabel: string; posts: number; updates?: number; required: number; status: DigestStatus; unknownReason?: UnknownReason | null }[];
  openAlerts: { accountName: string; kindLabel: string }[];
  link?: string;
}

/** "1 次（发文 3 条）" when the unit makes updates differ from items, else "3 次". */
function countText(a: { posts: number; updates?: number }): string {
  const updates = a.updates ?? a.posts;
  return updates === a.posts ? `${updates} 次` : `${updates} 次（发文 ${a.posts} 条）`;
}

export function weeklyDigestNotice(input: WeeklyDigestInput): Notice {
  const counts: Record<DigestStatus, number> = { compliant: 0, below: 0, unknown: 0, exempt: 0 };
  for (const a of input.accounts) counts[a.status] += 1;
  const below = input.accounts.filter((a) => a.status === "below");
  const unknown = input.accounts.filter((a) => a.status === "unknown");

  const lines = [
    `共 ${input.accounts.length} 个账号：${STATUS.compliant} ${counts.compliant} / ${STATUS.below} ${counts.below} / ${STATUS.unknown} ${counts.unknown} / ${STATUS.exempt} ${counts.exempt}`,
  ];
  if (below.length > 0) {
    lines.push(`${STATUS.below}账号（${below.length}）：`);
    for (const a of below) lines.push(`· ${a.name}（${a.platformLabel}）：本周更新 ${countText(a)}，要求 ${a.required} 次`);
  }
  if (unknown.length > 0) {
    // Each unknown says why (docs/规则依据.md#没有数据不下结论): an account without any source is not a failing feed.
    const collection = unknown.every((a) => !a.unknownReason || a.unknownReason === "collection_failed");
    lines.push(collection ? `${STATUS.unknown}账号（${unknown.length}，数据采集异常）：` : `${STATUS.unknown}账号（${unknown.length}）：`);
    for (const a of unknown) {
      const why = collection || !a.unknownReason ? "" : `${UNKNOWN_REASON_LABELS[a.unknownReason]}；`;
      lines.push(`· ${a.name}（${a.platformLabel}）：${why}已采集到 ${countText(a)}，要求 ${a.required} 次`);
    }
  }
  if (input.openAlerts.length > 0) {
    lines.push(`未处理预警（${input.openAlerts.length}）：`);
    for (const al of input.openAlerts) lines.push(`· ${al.accountName}：${al.kindLabel}`);
  }
  if (below.length === 0 && unknown.length === 0 && input.openAlerts.length === 0 && counts.compliant > 0) {
    lines.push("本周参与考核的账号全部达标。");
  }

  return withLink(
    {
      event: "weekly_digest",
      title: `【政务新媒体周报】${input.orgName} ${input.weekId}`,
      lines,
      data: {
        orgName: input.orgName,
        weekId: input.weekId,
        counts: { total: input.accounts.length, ...counts },
        accounts: input.accounts,
        openAlerts: input.openAlerts,
      },
    },
    input.link,
  );
}

export interface VetoInput {
  orgName: string;
  accountName: string;
  platformLabel: string;
  lastPostAt: Date | null;
  /** Days without a post up to the check time. */
  days: number;
  link?: string;
}

/** 两周未更新: 国办秘函〔2019〕19号 检查指标, 单项否决 (docs/规则依据.md#两周单项否决). */
export function vetoNotice(input: VetoInput): Notice {
  const lastPostAt = input.lastPostAt && !Number.isNaN(input.lastPostAt.getTime()) ? input.lastPostAt : null;
  const last = lastPostAt ? `${formatShanghaiDateTime(lastPostAt)}（北京时间）` : "无记录";
  return withLink(
    {
      event: "veto",
      title: `【两周未更新】${input.orgName} ${input.accountName}（${input.platformLabel}）`,
      lines: [
        `账号：${input.accountName}（${input.platformLabel}）`,
        `主办单位：${input.orgName}`,
        `最近一次更新：${last}`,
        `已 ${input.days} 天未更新。按国办秘函〔2019〕19号检查指标，监测时间点前2周内无更新属单项否决，检查时判为不合格，请尽快更新。`,
      ],
      data: {
        orgName: input.orgName,
        accountName: input.accountName,
        platformLabel: input.platformLabel,
        lastPostAt: lastPostAt ? lastPostAt.toISOString() : null,
        days: input.days,
      },
    },
    input.link,
  );
}

export interface MidweekReminderInput {
  orgName: string;
  weekId: string;
  /** Accounts behind this week's pace; ones that already reached the minimum are left out. updates (when given) is what counts. */
  accounts: { name: string; platformLabel: string; posts: number; updates?: number; required: number }[];
  link?: string;
}

export function midweekReminderNotice(input: MidweekReminderInput): Notice {
  const behind = input.accounts.filter((a) => (a.updates ?? a.posts) < a.required);
  const lines =
    behind.length === 0
      ? ["本周各账号更新进度正常。"]
      : [
          `以下 ${behind.length} 个账号本周更新次数尚未达到要求，请在周日24时前补足：`,
          ...behind.map(
            (a) => `· ${a.name}（${a.platformLabel}）：已更新 ${countText(a)}，要求 ${a.required} 次，还差 ${a.required - (a.updates ?? a.posts)} 次`,
          ),
        ];
  return withLink(
    {
      event: "midweek_reminder",
      title: `【本周更新提醒】${input.orgName} ${input.weekId}`,
      lines,
      data: { orgName: input.orgName, weekId: input.weekId, accounts: behind },
    },
    input.link,
  );
}

function withLink(notice: Notice, link: string | undefined): Notice {
  return link ? { ...notice, link } : notice;
}

export interface OfficeBatchInput {
  event: "veto" | "feed_failing" | "midweek_reminder" | "bad_link";
  officeName: string;
  /** One line per account (or unit) concerned. */
  entries: { orgName: string; accountName: string; detail: string }[];
  weekId?: string;
}

const BATCH_TITLES: Record<OfficeBatchInput["event"], string> = {
  veto: "两周未更新",
  feed_failing: "订阅源异常",
  midweek_reminder: "本周更新提醒",
  bad_link: "链接无法访问",
};

/** The office message's opening, after "<office>辖内 N 个账号". */
const BATCH_LEADS: Record<OfficeBatchInput["event"], string> = {
  veto: "监测时间点前两周内无更新（单项否决），请督促整改：",
  feed_failing: "的订阅源连续抓取失败，更新情况暂时无法判断：",
  midweek_reminder: "本周更新次数落后于进度：",
  bad_link: "的主页或发文链接连续两次以上、间隔一天以上检查均无法访问，请督促修复或更正：",
};

/**
 * What the supervising office gets: one message listing every account concerned in this run,
 * rather than one message per account (docs/规则依据.md#预警去重与通知: alerts without spam).
 */
export function officeBatchNotice(input: OfficeBatchInput): Notice {
  const head = `${input.officeName}辖内 ${input.entries.length} 个账号`;
  return {
    event: input.event,
    title: `【${BATCH_TITLES[input.event]}】${head}${input.weekId ? `（${input.weekId}）` : ""}`,
    lines: [
      `${head}${BATCH_LEADS[input.event]}`,
      ...input.entries.map((e) => `· ${e.orgName} ${e.accountName}：${e.detail}`),
    ],
    data: { officeName: input.officeName, weekId: input.weekId ?? null, entries: input.entries },
  };
}

/** One account's line in an office's combined message. */
export interface OfficeEntry {
  orgName: string;
  accountName: string;
  detail: string;
}

/** An account's line in the office's veto list. */
export function vetoEntry(input: { orgName: string; accountName: string; platformLabel: string; lastPostAt: Date | null; days: number | null }): OfficeEntry {
  return {
    orgName: input.orgName,
    accountName: `${input.accountName}（${input.platformLabel}）`,
    detail: input.lastPostAt ? `最近更新 ${formatShanghaiDateTime(input.lastPostAt)}，已 ${input.days} 天` : "开通以来未见更新",
  };
}

export interface FeedFailingInput {
  orgName: string;
  accountName: string;
  accountId: string;
  alertId: string;
  /** The alert's message (how many failures, and why). */
  message: string;
  reason: string;
}

/** 订阅源异常: the unit's message when an account's feed starts failing. */
export function feedFailingNotice(input: FeedFailingInput): Notice {
  return {
    event: "feed_failing",
    title: `【订阅源异常】${input.orgName} ${input.accountName}`,
    lines: [input.message, "更新情况暂时无法判断，请检查订阅地址或改用接口推送/表格导入。"],
    data: { accountId: input.accountId, alertId: input.alertId, reason: input.reason },
  };
}

/** A unit's line in the office's midweek list: how many of its accounts are behind, and which. */
export function midweekEntry(orgName: string, accounts: readonly { name: string; platformLabel: string; posts: number; updates?: number; required: number }[]): OfficeEntry {
  return {
    orgName,
    accountName: `${accounts.length} 个账号`,
    detail: accounts.map((a) => `${a.name}（${a.platformLabel}）${a.updates ?? a.posts}/${a.required}`).join("、"),
  };
}

/** Said (to the log or the CLI) when a job is already running elsewhere under its lease. */
export function jobAlreadyRunningMessage(job: string, heldBy: { holder: string; acquiredAt: string }): string {
  return `任务 ${job} 正在运行（${heldBy.holder}，开始于 ${heldBy.acquiredAt}），本次未执行；请等其结束后再试`;
}

export interface BadLinkInput {
  orgName: string;
  accountName: string;
  accountId: string;
  alertId: string;
  /** The alert's message: which links (shortened) and why (status or reason). */
  message: string;
}

/** 链接无法访问: the unit's message when an account's homepage or post links stay unreachable. */
export function badLinkNotice(input: BadLinkInput): Notice {
  return {
    event: "bad_link",
    title: `【链接无法访问】${input.orgName} ${input.accountName}`,
    lines: [input.message, "请核对账号主页地址或发文链接，修复或更正后下次检查（每日一次）自动关闭本预警。"],
    data: { accountId: input.accountId, alertId: input.alertId },
  };
}
