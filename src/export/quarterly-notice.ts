// The quarterly notice as people read it: a publishable Chinese Markdown notice and the sheets of
// the XLSX download. The figures come from buildQuarterlyNotice.
import { chineseDate, formatRate, formatSamplingRate, type QuarterlyNotice } from "../domain/reports";
import { mdTable, mdText, RATE_HEADER, rateCells, type Sheet } from "./report-format";

const RATE_NUMERIC = [false, true, true, true, true, true];

export function quarterTitle(year: number, quarter: number): string {
  return `关于${year}年第${quarter}季度政务新媒体抽查情况的通报`;
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

  out.push("## 四、存在的问题", "");
  if (n.failing.length === 0) {
    out.push(n.checked > 0 ? "本季度已检查的账号均为合格。" : "本季度暂无检查结果。", "");
  } else {
    out.push(`本季度不合格账号${n.failing.length}个，存在的主要问题如下：`, "");
    out.push(mdTable(["问题类型", "账号数"], n.problems.map((p) => [p.label, p.count]), [false, true]), "");
    out.push("不合格账号名单：", "");
    out.push(
      mdTable(
        ["序号", "账号名称", "平台", "主办单位", "存在问题", "整改要求", "整改期限", "整改情况"],
        n.failing.map((f, i) => [i + 1, f.accountName, f.platformLabel, f.orgName, f.problems.join("；"), f.requirement ?? "", f.deadline ?? "", f.rectifiedAt ? `${f.status}（${f.rectifiedAt}）` : f.status]),
        [true],
      ),
      "",
    );
  }

  out.push("## 五、整改要求", "");
  if (n.failing.length === 0) {
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
  out.push(gov, chineseDate(n.asOfDate), "");
  return out.join("\n");
}


export function quarterlySheets(n: QuarterlyNotice): Sheet[] {
  return [
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
    },
    { name: "分平台", rows: [["平台", ...RATE_HEADER], ...n.byPlatform.map((r) => [r.label, ...rateCells(r)])] },
    { name: "分单位", rows: [["主办单位", ...RATE_HEADER], ...n.byUnit.map((r) => [r.label, ...rateCells(r)])] },
    {
      name: "不合格账号",
      rows: [
        ["序号", "账号名称", "平台", "主办单位", "抽查单位", "存在问题", "整改要求", "整改期限", "整改完成日期", "整改情况"],
        ...n.failing.map((f, i) => [i + 1, f.accountName, f.platformLabel, f.orgName, f.samplingUnitName, f.problems.join("；"), f.requirement ?? "", f.deadline ?? "", f.rectifiedAt ?? "", f.status]),
      ],
    },
  ];
}
