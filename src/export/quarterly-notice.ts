// The quarterly notice as people read it: a publishable Chinese Markdown notice and the sheets of
// the XLSX download. The figures come from buildQuarterlyNotice.
import { chineseDate, formatRate, formatSamplingRate, type LowerRollup, type LowerUnit, type QuarterlyNotice } from "../domain/reports";
import type { SheetOut } from "../lib/types";
import { mdTable, mdText, RATE_HEADER, rateCells } from "./report-format";

const RATE_NUMERIC = [false, true, true, true, true, true];

export function quarterTitle(year: number, quarter: number): string {
  return `关于${year}年第${quarter}季度政务新媒体抽查情况的通报`;
}

const UNIT_SCORE_HEADER = ["名次", "主办单位", "得分", "结论", "扣分情况"];
function unitScoreCells(u: QuarterlyNotice["unitScores"][number], k: number) {
  const deductions = u.deductions.map((d) => `${d.label}${d.count}处扣${d.points}分`).join("；");
  return [k + 1, u.orgName, u.score, u.verdictLabel, deductions || "无扣分"];
}

export function renderQuarterlyMarkdown(n: QuarterlyNotice): string {
  const out: string[] = [];
  const gov = mdText(n.governmentName);
  out.push(`# ${quarterTitle(n.year, n.quarter)}`, "");
  const scope = n.aggregate && n.rounds.length > 1 ? `${gov}及所辖各抽查单位` : gov;
  out.push(`按照政务新媒体季度抽查制度，现将${scope}${n.year}年第${n.quarter}季度政务新媒体抽查情况通报如下。`, "");

  out.push("## 一、总体情况", "");
  if (n.rounds.length === 0) {
    out.push("本季度尚未开展抽查。", "");
  } else {
    const population = n.rounds.reduce((s, r) => s + r.population, 0);
    let p = `本季度共${n.rounds.length}个抽查单位开展抽查，纳入抽查范围的账号${population}个，抽取${n.sampled}个，已完成检查${n.checked}个，其中合格${n.passed}个、不合格${n.failed}个，合格率${formatRate(n.passRate)}。`;
    if (n.checked < n.sampled) p += `尚有${n.sampled - n.checked}个账号未登记检查结果。`;
    out.push(p, "");
    out.push(
      mdTable(
        ["抽查单位", "账号总数", "抽查比例", "随机种子", ...RATE_HEADER],
        n.rounds.map((r) => [r.unitName, r.population, formatSamplingRate(r.rate), r.seed, r.sampled, r.checked, r.passed, r.failed, formatRate(r.passRate)]),
        [false, true, true, false, true, true, true, true, true],
      ),
      "",
      "抽查名单按公布的随机种子抽取，可据此复核。",
      "",
    );
  }

  out.push("## 二、分平台情况", "");
  out.push(mdTable(["平台", ...RATE_HEADER], n.byPlatform.map((r) => [r.label, ...rateCells(r)]), RATE_NUMERIC), "");

  out.push("## 三、分单位情况", "");
  out.push(mdTable(["主办单位", ...RATE_HEADER], n.byUnit.map((r) => [r.label, ...rateCells(r)]), RATE_NUMERIC), "");

  // 单位得分 (src/domain/reports/scores.ts): a subsection of 分单位情况, so the numbering stays.
  if (n.unitScores.length > 0) {
    out.push("### 单位得分", "");
    out.push("满分100分，按检查发现的问题和监测情况扣分；存在单项否决事项的单位为不合格，不论得分。", "");
    out.push(mdTable(UNIT_SCORE_HEADER, n.unitScores.map(unitScoreCells), [true, false, true, false, false]), "");
  }

  out.push("## 四、存在的问题", "");
  const failed = n.vetoed.length + n.failing.length;
  const statusCell = (f: { status: string; rectifiedAt: string | null }) => (f.rectifiedAt ? `${f.status}（${f.rectifiedAt}）` : f.status);
  if (failed === 0) {
    out.push(n.checked > 0 ? "本季度已检查的账号均为合格。" : "本季度暂无检查结果。", "");
  } else {
    const split = n.vetoed.length > 0 ? `，其中单项否决${n.vetoed.length}个` : "";
    out.push(`本季度不合格账号${failed}个${split}，存在的主要问题如下：`, "");
    out.push(mdTable(["问题类型", "账号数"], n.problems.map((p) => [p.label, p.count]), [false, true]), "");
    // 国办秘函〔2019〕19号: 单项否决 items are listed first, apart from the other failures.
    if (n.vetoed.length > 0) {
      out.push("### （一）单项否决账号", "");
      out.push(
        mdTable(
          ["序号", "账号名称", "平台", "主办单位", "单项否决事项", "存在问题", "整改要求", "整改期限", "整改情况"],
          n.vetoed.map((f, i) => [i + 1, f.accountName, f.platformLabel, f.orgName, f.vetoItems.map((v) => v.label).join("；"), f.problems.join("；"), f.requirement ?? "", f.deadline ?? "", statusCell(f)]),
          [true],
        ),
        "",
      );
    }
    if (n.failing.length > 0) {
      out.push(n.vetoed.length > 0 ? "### （二）其他不合格账号" : "不合格账号名单：", "");
      out.push(
        mdTable(
          ["序号", "账号名称", "平台", "主办单位", "存在问题", "整改要求", "整改期限", "整改情况"],
          n.failing.map((f, i) => [i + 1, f.accountName, f.platformLabel, f.orgName, f.problems.join("；"), f.requirement ?? "", f.deadline ?? "", statusCell(f)]),
          [true],
        ),
        "",
      );
    }
  }
  if (n.rechecks.length > 0) {
    const overdue = n.rechecks.filter((r) => r.overdueUnrectified).length;
    out.push(
      `本季度复查上次抽查不合格且逾期未整改的账号${n.rechecks.length}个，复查时仍未整改的${overdue}个，按逾期未整改判为不合格。`,
      "",
    );
    out.push(
      mdTable(
        ["序号", "账号名称", "主办单位", "原抽查", "原整改期限", "整改完成日期", "复查结果"],
        n.rechecks.map((r, i) => [i + 1, r.accountName, r.orgName, r.earlierQuarter ?? "", r.deadline ?? "", r.rectifiedAt ?? "", r.resultLabel]),
        [true],
      ),
      "",
    );
  }

  out.push("## 五、整改要求", "");
  if (failed === 0) {
    out.push("请各单位继续落实政务新媒体日常监测和内容保障，保持更新频率，确保互动功能正常。", "");
  } else {
    const r = n.rectification;
    out.push(
      `截至${chineseDate(n.asOfDate)}，不合格账号${r.failing}个，已整改${r.rectified}个，整改中${r.pending}个，逾期未整改${r.overdue}个。`,
      "",
      "1. 请不合格账号的主办单位对照存在的问题和整改要求，在整改期限内完成整改，并将整改情况报送政务新媒体主管单位。",
      "2. 对逾期未整改的账号，将再次通报并督促整改；对运维能力差、无力维护的账号，应按程序予以整合或关停。",
      "3. 各单位应举一反三，落实日常监测，保持更新频率，确保互动功能正常、信息准确。",
      "",
    );
  }
  if (n.lower) out.push(...lowerMarkdown(n.lower));
  out.push(gov, chineseDate(n.asOfDate), "");
  return out.join("\n");
}

const LOWER_HEADER = ["抽查单位", "抽查状态", "抽取", "已检查", "合格", "不合格", "单项否决", "合格率", "逾期未整改"];

function lowerCells(u: LowerUnit | (LowerRollup["totals"] & { orgName: string; statusLabel: string })) {
  return [u.orgName, u.statusLabel, u.sampled, u.inspected, u.passed, u.failed, u.vetoed, formatRate(u.passRate), u.overdueRectifications];
}

/** 各县（区）抽查情况: what each sampling unit below has drawn, checked and left overdue. */
function lowerMarkdown(l: LowerRollup): string[] {
  const out = ["## 六、各县（区）抽查情况", ""];
  if (l.units.length === 0) return [...out, "本级以下无抽查单位。", ""];
  const name = new Map(l.units.map((u) => [u.orgId, u.orgName]));
  const t = l.totals;
  let p = `下级抽查单位${t.units}个，已完成检查${t.done}个，检查中${t.inspecting}个，尚未抽取${t.notDrawn}个；共抽取账号${t.sampled}个，已检查${t.inspected}个，合格${t.passed}个、不合格${t.failed}个（其中单项否决${t.vetoed}个），合格率${formatRate(t.passRate)}，逾期未整改${t.overdueRectifications}个。`;
  if (l.notDrawn.length > 0) p += `尚未抽取：${l.notDrawn.map((id) => name.get(id)).join("、")}。`;
  if (l.notFinished.length > 0) p += `尚未完成检查：${l.notFinished.map((id) => name.get(id)).join("、")}。`;
  out.push(p, "");
  out.push(
    mdTable(
      LOWER_HEADER,
      [...l.units.map(lowerCells), lowerCells({ ...t, orgName: "合计", statusLabel: "" })],
      [false, false, true, true, true, true, true, true, true],
    ),
    "",
  );
  return out;
}


/** Header row 1 (frozen, filtered) and the date columns of a table sheet, by header name. */
function tableColumns(header: readonly string[], dateColumns: readonly string[] = []): Pick<SheetOut, "headerRow" | "dates"> {
  return {
    headerRow: 1,
    dates: dateColumns.filter((name) => header.includes(name)).map((name) => ({ column: header.indexOf(name) + 1, kind: "date" as const })),
  };
}

const VETO_HEADER = ["序号", "账号名称", "平台", "主办单位", "抽查单位", "单项否决事项", "存在问题", "整改要求", "整改期限", "整改完成日期", "整改情况"];
const FAILING_HEADER = ["序号", "账号名称", "平台", "主办单位", "抽查单位", "存在问题", "整改要求", "整改期限", "整改完成日期", "整改情况"];
const RECHECK_HEADER = ["序号", "账号名称", "平台", "主办单位", "原抽查", "原整改期限", "整改完成日期", "复查日期", "复查结果"];

export function quarterlySheets(n: QuarterlyNotice): SheetOut[] {
  const sheets: SheetOut[] = [
    {
      name: "总体",
      rows: [
        [quarterTitle(n.year, n.quarter)],
        ["通报单位", n.governmentName],
        ["季度", `${n.year}年第${n.quarter}季度`],
        ["抽取账号", n.sampled],
        ["已检查", n.checked],
        ["合格", n.passed],
        ["不合格", n.failed],
        ["合格率", formatRate(n.passRate)],
        ["统计日期", n.asOfDate],
        [],
        ["抽查单位", "账号总数", "抽查比例", "随机种子", ...RATE_HEADER],
        ...n.rounds.map((r) => [r.unitName, r.population, formatSamplingRate(r.rate), r.seed, r.sampled, r.checked, r.passed, r.failed, formatRate(r.passRate)]),
      ],
      // 统计日期 sits in the second column of its label row.
      dates: [{ column: 2, kind: "date" }],
    },
    { name: "分平台", rows: [["平台", ...RATE_HEADER], ...n.byPlatform.map((r) => [r.label, ...rateCells(r)])], headerRow: 1 },
    { name: "分单位", rows: [["主办单位", ...RATE_HEADER], ...n.byUnit.map((r) => [r.label, ...rateCells(r)])], headerRow: 1 },
    {
      name: "单项否决",
      ...tableColumns(VETO_HEADER, ["整改期限", "整改完成日期"]),
      rows: [
        VETO_HEADER,
        ...n.vetoed.map((f, i) => [i + 1, f.accountName, f.platformLabel, f.orgName, f.samplingUnitName, f.vetoItems.map((v) => v.label).join("；"), f.problems.join("；"), f.requirement ?? "", f.deadline ?? "", f.rectifiedAt ?? "", f.status]),
      ],
    },
    {
      name: "不合格账号",
      ...tableColumns(FAILING_HEADER, ["整改期限", "整改完成日期"]),
      rows: [
        FAILING_HEADER,
        ...n.failing.map((f, i) => [i + 1, f.accountName, f.platformLabel, f.orgName, f.samplingUnitName, f.problems.join("；"), f.requirement ?? "", f.deadline ?? "", f.rectifiedAt ?? "", f.status]),
      ],
    },
  ];
  sheets.push({ name: "单位得分", headerRow: 1, rows: [UNIT_SCORE_HEADER, ...n.unitScores.map(unitScoreCells)] });
  if (n.rechecks.length > 0) {
    sheets.push({
      name: "复查",
      ...tableColumns(RECHECK_HEADER, ["原整改期限", "整改完成日期", "复查日期"]),
      rows: [
        RECHECK_HEADER,
        ...n.rechecks.map((r, i) => [i + 1, r.accountName, r.platformLabel, r.orgName, r.earlierQuarter ?? "", r.deadline ?? "", r.rectifiedAt ?? "", r.inspectedOn ?? "", r.resultLabel]),
      ],
    });
  }
  if (n.lower) {
    const t = n.lower.totals;
    sheets.push({
      name: "各县（区）抽查情况",
      headerRow: 1,
      rows: [LOWER_HEADER, ...n.lower.units.map(lowerCells), lowerCells({ ...t, orgName: "合计", statusLabel: "" })],
    });
  }
  return sheets;
}
