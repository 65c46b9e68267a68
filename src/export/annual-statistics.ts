// The annual statistics as people read them: Markdown and the sheets of the XLSX download.
import { ACCOUNT_STATUS_LABELS } from "../domain/lifecycle";
import { chineseDate, formatRate, REPORT_STATUSES, type AnnualStats, type InspectionSummary, type StatusCountRow } from "../domain/reports";
import type { SheetOut } from "../lib/types";
import { mdTable, mdText } from "./report-format";

export function annualTitle(governmentName: string, year: number): string {
  return `${governmentName}${year}年度政务新媒体工作统计`;
}

const STATUS_HEADER = ["合计", "在用", ...REPORT_STATUSES.map((s) => ACCOUNT_STATUS_LABELS[s])];
const statusCells = (r: StatusCountRow) => [r.total, r.inUse, ...REPORT_STATUSES.map((s) => r[s])];
const INSPECTION_HEADER = ["抽查轮次", "抽取", "检查", "合格", "不合格", "合格率"];
const inspectionCells = (s: InspectionSummary) => [s.rounds, s.sampled, s.checked, s.passed, s.failed, formatRate(s.passRate)];

const SCORE_HEADER = ["名次", "主办单位", "平均得分", "计分季度", "单项否决季度"];
const quarterList = (qs: number[]) => qs.map((q) => `第${q}季度`).join("、");
const scoreCells = (u: AnnualStats["unitScores"][number], k: number) => [k + 1, u.orgName, u.averageScore, quarterList(u.quarters), quarterList(u.vetoedQuarters)];

export function renderAnnualMarkdown(s: AnnualStats): string {
  const a = s.accounts;
  const i = s.inspections;
  const numeric = [false, ...STATUS_HEADER.map(() => true)];
  const out: string[] = [`# ${mdText(annualTitle(s.governmentName, s.year))}`, ""];
  out.push(`统计范围：${mdText(s.governmentName)}及所属部门、下级政府主办的政务新媒体；年末数据截至${chineseDate(s.asOfDate)}。`, "");

  out.push("## 一、账号总体情况", "");
  const parts = a.byStatus.filter((b) => b.count > 0).map((b) => `${b.label}${b.count}个`);
  out.push(`截至${chineseDate(s.asOfDate)}，共登记政务新媒体账号${a.total}个，其中在用（正常、停更、关停中）${a.inUse}个${parts.length ? `（${parts.join("，")}）` : ""}。`, "");
  out.push(mdTable(["状态", "账号数"], a.byStatus.map((b) => [b.label, b.count]), [false, true]), "");

  out.push("## 二、分平台情况", "");
  out.push(mdTable(["平台", ...STATUS_HEADER], a.byPlatform.map((r) => [r.label, ...statusCells(r)]), numeric), "");

  out.push("## 三、分层级情况", "");
  out.push(mdTable(["主办单位层级", ...STATUS_HEADER], a.byLevel.map((r) => [r.label, ...statusCells(r)]), numeric), "");

  out.push("## 四、本年度开设、关停和整合情况", "");
  out.push(`${s.year}年新开设账号${s.duringYear.opened}个，关停注销${s.duringYear.closed}个，整合${s.duringYear.merged}个。`, "");

  out.push("## 五、抽查情况", "");
  if (i.rounds === 0) {
    out.push(`${s.year}年未开展季度抽查。`, "");
  } else {
    out.push(`${s.year}年共开展季度抽查${i.rounds}轮次，抽取账号${i.sampled}个次，已检查${i.checked}个次，合格${i.passed}个次，不合格${i.failed}个次，合格率${formatRate(i.passRate)}。`, "");
    out.push(mdTable(["季度", ...INSPECTION_HEADER], i.byQuarter.map((q) => [`第${q.quarter}季度`, ...inspectionCells(q)]), [false, true, true, true, true, true, true]), "");
  }
  if (s.unitScores.length > 0) {
    out.push("## 六、单位得分", "");
    out.push("各主办单位全年平均得分（开展抽查的各季度得分的平均值，满分100分）：", "");
    out.push(mdTable(SCORE_HEADER, s.unitScores.map(scoreCells), [true, false, true, false, false]), "");
  }
  return out.join("\n");
}

export function annualSheets(s: AnnualStats): SheetOut[] {
  const a = s.accounts;
  const i = s.inspections;
  return [
    {
      name: "总体",
      rows: [
        [annualTitle(s.governmentName, s.year)],
        ["统计截至", s.asOfDate],
        ["账号总数", a.total],
        ["在用账号", a.inUse],
        ...a.byStatus.map((b) => [b.label, b.count]),
        ["本年新开设", s.duringYear.opened],
        ["本年关停注销", s.duringYear.closed],
        ["本年整合", s.duringYear.merged],
        ["抽查轮次", i.rounds],
        ["抽取账号（个次）", i.sampled],
        ["已检查（个次）", i.checked],
        ["合格（个次）", i.passed],
        ["不合格（个次）", i.failed],
        ["合格率", formatRate(i.passRate)],
      ],
      // 统计截至 sits in the second column of its label row.
      dates: [{ column: 2, kind: "date" }],
    },
    { name: "分平台", headerRow: 1, rows: [["平台", ...STATUS_HEADER], ...a.byPlatform.map((r) => [r.label, ...statusCells(r)])] },
    { name: "分层级", headerRow: 1, rows: [["主办单位层级", ...STATUS_HEADER], ...a.byLevel.map((r) => [r.label, ...statusCells(r)])] },
    { name: "抽查", headerRow: 1, rows: [["季度", ...INSPECTION_HEADER], ...i.byQuarter.map((q) => [`第${q.quarter}季度`, ...inspectionCells(q)])] },
    { name: "单位得分", headerRow: 1, rows: [SCORE_HEADER, ...s.unitScores.map(scoreCells)] },
  ];
}
