// 错敏词 notices (docs/规则依据.md#错敏词): the unit's message when new wrong or sensitive wording is
// found in its account's posts, and its supervising office's one combined list per run.
import type { Notice } from "./formats";

export interface WordingNoticeInput {
  orgName: string;
  accountName: string;
  accountId: string;
  alertId: string;
  /** One line per new hit: 《标题》中“布署”应为“部署”. */
  hits: readonly string[];
}

/** Lines listed in one message at most; the rest are counted. */
const MAX_LINES = 10;

function listed(lines: readonly string[]): string[] {
  const shown = lines.slice(0, MAX_LINES).map((l) => `· ${l}`);
  if (lines.length > MAX_LINES) shown.push(`……另有 ${lines.length - MAX_LINES} 处，详见预警`);
  return shown;
}

/** 错敏词: to the account's operating unit. */
export function wordingNotice(input: WordingNoticeInput): Notice {
  return {
    event: "wording",
    title: `【错敏词】${input.orgName} ${input.accountName}`,
    lines: [`发文标题或摘要中发现 ${input.hits.length} 处错敏词：`, ...listed(input.hits), "请核实并更正已发布内容，处理后在预警中标记已处置。"],
    data: { accountId: input.accountId, alertId: input.alertId, hits: input.hits },
  };
}

/** 错敏词: the supervising office's list of the accounts in its care with new hits in this run. */
export function wordingOfficeNotice(input: { officeName: string; entries: readonly { orgName: string; accountName: string; detail: string }[] }): Notice {
  const head = `${input.officeName}辖内 ${input.entries.length} 个账号`;
  return {
    event: "wording",
    title: `【错敏词】${head}`,
    lines: [`${head}的发文中发现错敏词，请督促核实更正：`, ...listed(input.entries.map((e) => `${e.orgName} ${e.accountName}：${e.detail}`))],
    data: { officeName: input.officeName, entries: input.entries },
  };
}
