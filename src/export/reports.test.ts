import { describe, expect, it } from "vitest";
import {
  buildAnnualStats,
  buildQuarterlyNotice,
  formatRate,
  groupRates,
  passRate,
  rectificationStatus,
  type AnnualInput,
  type NoticeItemInput,
  type QuarterlyInput,
} from "../domain/reports";
import { shanghaiMidnight } from "../domain/weeks";
import { renderAnnualMarkdown } from "./annual-statistics";
import { quarterlySheets, renderQuarterlyMarkdown } from "./quarterly-notice";
import { mdTable, mdText } from "./report-format";

// Hand-computed fixture: 11 sampled accounts, 10 inspected, across 3 platforms and 2 units
// (unit A in county 1's round, unit B in county 2's round).
//
//  #  unit platform result problems                deadline    rectified
//  1  A    wechat   pass
//  2  A    wechat   pass
//  3  A    wechat   pass
//  4  B    wechat   fail   stale_2w                2026-10-10  —            → overdue on 2026-10-20
//  5  A    weibo    pass
//  6  B    weibo    pass
//  7  A    weibo    fail   typos, bad_links        2026-10-31  —            → pending
//  8  A    douyin   pass
//  9  B    douyin   pass
// 10  B    douyin   fail   stale_2w, other         2026-10-12  2026-10-15   → rectified
// 11  A    wechat   (not yet inspected)
//
// overall 7/10 = 0.7; wechat 3/4 = 0.75, weibo 2/3, douyin 2/3; A 5/6, B 2/4 = 0.5.
type Row = [unit: "A" | "B", platform: "wechat" | "weibo" | "douyin", result: "pass" | "fail" | null, problems?: string[], deadline?: string, rectifiedAt?: string];
const ROWS: Row[] = [
  ["A", "wechat", "pass"],
  ["A", "wechat", "pass"],
  ["A", "wechat", "pass"],
  ["B", "wechat", "fail", ["stale_2w"], "2026-10-10"],
  ["A", "weibo", "pass"],
  ["B", "weibo", "pass"],
  ["A", "weibo", "fail", ["typos", "bad_links"], "2026-10-31"],
  ["A", "douyin", "pass"],
  ["B", "douyin", "pass"],
  ["B", "douyin", "fail", ["stale_2w", "other"], "2026-10-12", "2026-10-15"],
  ["A", "wechat", null],
];

function fixture(): QuarterlyInput {
  const items: NoticeItemInput[] = ROWS.map(([unit, platform, result, problems = [], deadline, rectifiedAt], i) => ({
    roundId: unit === "A" ? "r1" : "r2",
    accountId: `acc${i + 1}`,
    accountName: `账号${i + 1}`,
    platform,
    orgId: unit === "A" ? "orgA" : "orgB",
    orgName: unit === "A" ? "甲县民政局" : "乙县人民政府",
    inspection: result
      ? { id: `i${i + 1}`, result, problems, requirement: result === "fail" ? "恢复更新" : null, deadline: deadline ?? null, rectifiedAt: rectifiedAt ?? null, inspectedOn: "2026-10-05" }
      : null,
  }));
  return {
    governmentOrgId: "city",
    governmentName: "某市人民政府",
    year: 2026,
    quarter: 4,
    aggregate: true,
    today: "2026-10-20",
    rounds: [
      { roundId: "r1", governmentOrgId: "county1", unitName: "甲县人民政府", population: 14, sampleSize: 7, seed: "aa11", rate: 0.5 },
      { roundId: "r2", governmentOrgId: "county2", unitName: "乙县人民政府", population: 8, sampleSize: 4, seed: "bb22", rate: 0.5 },
    ],
    items,
  };
}

describe("rates", () => {
  it("passRate is passed/checked and null for nothing checked", () => {
    expect(passRate(7, 10)).toBe(0.7);
    expect(passRate(0, 0)).toBeNull();
    expect(passRate(0, 3)).toBe(0);
    expect(formatRate(0.7)).toBe("70.0%");
    expect(formatRate(2 / 3)).toBe("66.7%");
    expect(formatRate(1)).toBe("100.0%");
    expect(formatRate(null)).toBe("—");
  });

  it("groupRates counts unchecked items as sampled only and honours an order", () => {
    const rows = groupRates(
      [{ k: "b", r: "pass" as const }, { k: "a", r: null }, { k: "a", r: "fail" as const }],
      (x) => x.k,
      (x) => x.k.toUpperCase(),
      (x) => x.r,
      ["a", "b"],
    );
    expect(rows).toEqual([
      { key: "a", label: "A", sampled: 2, checked: 1, passed: 0, failed: 1, passRate: 0 },
      { key: "b", label: "B", sampled: 1, checked: 1, passed: 1, failed: 0, passRate: 1 },
    ]);
  });
});

describe("rectificationStatus", () => {
  it("is rectified once recorded, overdue only after the deadline day, pending otherwise", () => {
    expect(rectificationStatus({ rectifiedAt: "2026-10-30", deadline: "2026-10-10" }, "2026-11-01")).toBe("rectified");
    expect(rectificationStatus({ rectifiedAt: null, deadline: "2026-10-19" }, "2026-10-20")).toBe("overdue");
    expect(rectificationStatus({ rectifiedAt: null, deadline: "2026-10-20" }, "2026-10-20")).toBe("pending");
    expect(rectificationStatus({ rectifiedAt: null, deadline: null }, "2030-01-01")).toBe("pending");
  });
});

describe("buildQuarterlyNotice", () => {
  const n = buildQuarterlyNotice(fixture());

  it("computes the overall pass rate from inspected accounts only", () => {
    expect(n).toMatchObject({ sampled: 11, checked: 10, passed: 7, failed: 3, passRate: 0.7 });
  });

  it("computes pass rates by platform in platform order", () => {
    expect(n.byPlatform.map((r) => [r.key, r.label, r.sampled, r.checked, r.passed, r.passRate])).toEqual([
      ["wechat", "微信公众号", 5, 4, 3, 0.75],
      ["weibo", "微博", 3, 3, 2, 2 / 3],
      ["douyin", "抖音", 3, 3, 2, 2 / 3],
    ]);
  });

  it("computes pass rates by owning unit and by sampling unit", () => {
    expect(n.byUnit.map((r) => [r.key, r.label, r.checked, r.passed, r.passRate])).toEqual([
      ["orgA", "甲县民政局", 6, 5, 5 / 6],
      ["orgB", "乙县人民政府", 4, 2, 0.5],
    ]);
    expect(n.bySamplingUnit.map((r) => [r.key, r.label, r.checked, r.passed, r.passRate])).toEqual([
      ["county1", "甲县人民政府", 6, 5, 5 / 6],
      ["county2", "乙县人民政府", 4, 2, 0.5],
    ]);
    expect(n.rounds.map((r) => [r.roundId, r.population, r.sampleSize, r.seed, r.sampled, r.checked, r.passRate])).toEqual([
      ["r1", 14, 7, "aa11", 7, 6, 5 / 6],
      ["r2", 8, 4, "bb22", 4, 4, 0.5],
    ]);
  });

  it("counts problems per failing account, most frequent first", () => {
    expect(n.problems).toEqual([
      { category: "stale_2w", label: "更新不及时（超过2周）", count: 2 },
      { category: "typos", label: "错别字/错敏词", count: 1 },
      { category: "bad_links", label: "链接错误", count: 1 },
      { category: "other", label: "其他", count: 1 },
    ]);
  });

  it("lists the failing accounts with Chinese labels and rectification states, 单项否决 apart", () => {
    // stale_2w is 单项否决 by default (国办秘函〔2019〕19号): accounts 4 and 10 are in `vetoed`.
    expect(n.vetoed.map((f) => [f.accountName, f.platformLabel, f.orgName, f.problems, f.vetoItems.map((v) => v.code), f.status])).toEqual([
      ["账号4", "微信公众号", "乙县人民政府", ["更新不及时（超过2周）"], ["stale_2w"], "逾期未整改"],
      ["账号10", "抖音", "乙县人民政府", ["更新不及时（超过2周）", "其他"], ["stale_2w"], "已整改"],
    ]);
    expect(n.failing.map((f) => [f.accountName, f.platformLabel, f.orgName, f.problems, f.status])).toEqual([
      ["账号7", "微博", "甲县民政局", ["错别字/错敏词", "链接错误"], "整改中"],
    ]);
    expect(n.rectification).toEqual({ failing: 3, rectified: 1, overdue: 1, pending: 1 });
  });

  it("a round with an empty population appears with zeros and a null rate", () => {
    const input = fixture();
    const empty = buildQuarterlyNotice({ ...input, rounds: [...input.rounds, { roundId: "r3", governmentOrgId: "county3", unitName: "丙县人民政府", population: 0, sampleSize: 0, seed: "cc", rate: 0.5 }] });
    expect(empty.rounds[2]).toMatchObject({ sampled: 0, checked: 0, passRate: null });
    const none = buildQuarterlyNotice({ ...input, rounds: [], items: [] });
    expect(none).toMatchObject({ sampled: 0, checked: 0, passRate: null, byPlatform: [], failing: [] });
    expect(renderQuarterlyMarkdown(none)).toContain("本季度尚未开展抽查");
  });

  it("renders a publishable Markdown notice", () => {
    const md = renderQuarterlyMarkdown(n);
    expect(md.split("\n")[0]).toBe("# 关于2026年第4季度政务新媒体抽查情况的通报");
    for (const h of ["## 一、总体情况", "## 二、分平台情况", "## 三、分单位情况", "## 四、存在的问题", "## 五、整改要求"]) expect(md).toContain(h);
    expect(md).toContain("抽取11个，已完成检查10个，其中合格7个、不合格3个，合格率70.0%");
    expect(md).toContain("| 微信公众号 | 5 | 4 | 3 | 1 | 75.0% |");
    expect(md).toContain("| 微博 | 3 | 3 | 2 | 1 | 66.7% |");
    expect(md).toContain("| 乙县人民政府 | 4 | 4 | 2 | 2 | 50.0% |");
    expect(md).toContain("| 甲县人民政府 | 14 | 50% | aa11 | 7 | 6 | 5 | 1 | 83.3% |");
    expect(md).toContain("| 1 | 账号4 | 微信公众号 | 乙县人民政府 | 更新不及时（超过2周） | 更新不及时（超过2周） | 恢复更新 | 2026-10-10 | 逾期未整改 |");
    expect(md).toContain("| 1 | 账号7 | 微博 | 甲县民政局 | 错别字/错敏词；链接错误 | 恢复更新 | 2026-10-31 | 整改中 |");
    expect(md).toContain("已整改1个，整改中1个，逾期未整改1个");
    expect(md).toContain("2026年10月20日");
  });

  it("spreadsheet rows carry the same figures", () => {
    const sheets = quarterlySheets(n);
    expect(sheets.map((s) => s.name)).toEqual(["总体", "分平台", "分单位", "单项否决", "不合格账号", "单位得分"]);
    expect(sheets[1]!.rows[1]).toEqual(["微信公众号", 5, 4, 3, 1, "75.0%"]);
    expect(sheets[3]!.rows).toHaveLength(3);
    expect(sheets[4]!.rows).toHaveLength(2);
  });
});

describe("Markdown escaping", () => {
  it("keeps tables intact and HTML inert whatever an account is called", () => {
    expect(mdText("a|b\nc")).toBe("a\\|b c");
    expect(mdText("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mdText("[点我](javascript:x)")).toBe("\\[点我\\](javascript:x)");
    const t = mdTable(["名称", "数"], [["x|y", 1]], [false, true]);
    expect(t.split("\n")).toEqual(["| 名称 | 数 |", "| --- | ---: |", "| x\\|y | 1 |"]);
    expect(mdTable(["a"], [])).toBe("（无）");
  });
});

describe("buildAnnualStats", () => {
  const yearStart = shanghaiMidnight("2026-01-01");
  const yearEnd = shanghaiMidnight("2027-01-01");
  const input: AnnualInput = {
    governmentOrgId: "city",
    governmentName: "某市人民政府",
    year: 2026,
    asOf: new Date(yearEnd.getTime() - 1),
    asOfDate: "2026-12-31",
    yearStart,
    yearEnd,
    accounts: [
      { accountId: "a1", platform: "wechat", level: "city", status: "active" }, // opened 2025
      { accountId: "a2", platform: "wechat", level: "county", status: "active" }, // opened 2026-03
      { accountId: "a3", platform: "weibo", level: "county", status: "closed" }, // opened 2025, closed 2026-05
      { accountId: "a4", platform: "douyin", level: "township", status: "merged" }, // opened 2026-02, merged 2026-09
      { accountId: "a5", platform: "weibo", level: "county", status: "closing" }, // opened 2024
      { accountId: "a6", platform: "wechat", level: "county", status: "rejected" }, // never opened
      { accountId: "a7", platform: "wechat", level: "county", status: null }, // opened 2027
      { accountId: "a8", platform: "toutiao", level: "city", status: "closed" }, // closed 2025-12-31 23:59 +08:00
    ],
    changes: [
      { accountId: "a1", status: "active", at: "2025-06-01T00:00:00.000Z" },
      { accountId: "a2", status: "pending", at: "2026-02-20T02:00:00.000Z" },
      { accountId: "a2", status: "active", at: "2026-03-01T02:00:00.000Z" },
      { accountId: "a3", status: "active", at: "2025-01-01T00:00:00.000Z" },
      { accountId: "a3", status: "closed", at: "2026-05-10T02:00:00.000Z" },
      // Opened on 2026-01-01 00:00 +08:00 (= 2025-12-31T16:00Z): in 2026.
      { accountId: "a4", status: "active", at: "2025-12-31T16:00:00.000Z" },
      { accountId: "a4", status: "merged", at: "2026-09-01T02:00:00.000Z" },
      { accountId: "a5", status: "active", at: "2024-01-01T00:00:00.000Z" },
      { accountId: "a5", status: "closing", at: "2026-11-01T02:00:00.000Z" },
      { accountId: "a6", status: "pending", at: "2026-04-01T02:00:00.000Z" },
      { accountId: "a6", status: "rejected", at: "2026-04-02T02:00:00.000Z" },
      { accountId: "a7", status: "active", at: "2027-01-02T02:00:00.000Z" },
      { accountId: "a8", status: "active", at: "2020-01-01T00:00:00.000Z" },
      { accountId: "a8", status: "closed", at: "2025-12-31T15:59:59.000Z" },
      { accountId: "zz", status: "active", at: "2026-05-01T00:00:00.000Z" }, // not in the subtree
    ],
    rounds: [
      { roundId: "r1", quarter: 1, sampleSize: 4 },
      { roundId: "r2", quarter: 1, sampleSize: 2 },
      { roundId: "r3", quarter: 3, sampleSize: 3 },
    ],
    inspections: [
      { quarter: 1, result: "pass" },
      { quarter: 1, result: "pass" },
      { quarter: 1, result: "fail" },
      { quarter: 1, result: "pass" },
      { quarter: 3, result: "pass" },
      { quarter: 3, result: "fail" },
    ],
  };
  const s = buildAnnualStats(input);

  it("counts accounts at year end by status, platform and level, leaving out rejected and future ones", () => {
    expect(s.accounts.total).toBe(6);
    expect(s.accounts.inUse).toBe(3);
    expect(Object.fromEntries(s.accounts.byStatus.map((b) => [b.key, b.count]))).toEqual({ active: 2, suspended: 0, closing: 1, closed: 2, merged: 1, pending: 0 });
    expect(s.accounts.byPlatform.map((r) => [r.key, r.total, r.inUse, r.active, r.closed])).toEqual([
      ["wechat", 2, 2, 2, 0],
      ["weibo", 2, 1, 0, 1],
      ["douyin", 1, 0, 0, 0],
      ["toutiao", 1, 0, 0, 1],
    ]);
    expect(s.accounts.byLevel.map((r) => [r.key, r.label, r.total])).toEqual([
      ["city", "市级", 2],
      ["county", "县级", 3],
      ["township", "乡镇（街道）", 1],
    ]);
  });

  it("counts openings, closures and mergers inside the Shanghai year only", () => {
    expect(s.duringYear).toEqual({ opened: 2, closed: 1, merged: 1 });
  });

  it("summarises the year's inspections and each quarter", () => {
    expect(s.inspections).toMatchObject({ rounds: 3, sampled: 9, checked: 6, passed: 4, failed: 2, passRate: 4 / 6 });
    expect(s.inspections.byQuarter.map((q) => [q.quarter, q.rounds, q.checked, q.passed, q.passRate])).toEqual([
      [1, 2, 4, 3, 0.75],
      [3, 1, 2, 1, 0.5],
    ]);
  });

  it("renders Markdown with Chinese labels", () => {
    const md = renderAnnualMarkdown(s);
    expect(md).toContain("# 某市人民政府2026年度政务新媒体工作统计");
    expect(md).toContain("| 微信公众号 | 2 | 2 | 2 | 0 | 0 | 0 | 0 | 0 |");
    expect(md).toContain("2026年新开设账号2个，关停注销1个，整合1个");
    expect(md).toContain("| 第1季度 | 2 | 6 | 4 | 3 | 1 | 75.0% |");
  });
});
