// The SVG charts are pure: given figures, the markup has one bar or cell per figure, with its title
// and the figures again as text.
import { describe, expect, it } from "vitest";
import { cellTitle, MixBar, RankingChart, TrendChart, WeekHeatmap, type HeatCell } from "./charts";
import { heatCells, vetoWeeks } from "./week-summary";

const html = (node: unknown) => String(node);
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe("TrendChart", () => {
  it("draws one bar per judged week and lists every week's rate and judged count", () => {
    const s = html(
      TrendChart({
        title: "近 3 周达标率",
        points: [
          { week: "2026-W45", rate: 0.5, judged: 4, total: 6 },
          { week: "2026-W46", rate: null, judged: 0, total: 2 },
          { week: "2026-W47", rate: 1, judged: 3, total: 3 },
        ],
      }),
    );
    expect(s).toContain("<svg");
    expect(s).toContain("<title>近 3 周达标率</title>");
    expect(count(s, /<g class="bar">/g)).toBe(3);
    // Two rects: the week with nothing judged has no bar, only a dash.
    expect(count(s, /<rect /g)).toBe(2);
    expect(s).toContain("2026-W45：达标率 50%（6 个账号中 4 个可判断）");
    expect(s).toContain("<td>2026-W46</td><td>—</td><td>0</td><td>2</td>");
    expect(s).toContain("<td>2026-W47</td><td>100%</td><td>3</td><td>3</td>");
  });
});

describe("MixBar", () => {
  it("draws a segment per non-empty part, sized by share, and a legend with every figure", () => {
    const s = html(
      MixBar({
        title: "平台分布",
        parts: [
          { label: "微信公众号", value: 3 },
          { label: "微博", value: 1 },
          { label: "抖音", value: 0 },
        ],
      }),
    );
    expect(count(s, /class="seg"/g)).toBe(2);
    expect(s).toMatch(/<rect class="seg" x="0" y="2" width="450"/);
    expect(s).toContain("微信公众号：3 个（75%）");
    expect(s).toContain("抖音 <b>0</b>");
    expect(s).toContain("合计 4 个");
  });

  it("escapes labels: a name is text, never markup", () => {
    const s = html(MixBar({ title: "t", parts: [{ label: `<script>alert("x")</script>😀`, value: 1 }] }));
    expect(s).not.toContain("<script>");
    expect(s).toContain("&lt;script&gt;");
  });
});

describe("RankingChart", () => {
  it("ranks rows with their stacked parts and leaves out rows without any", () => {
    const s = html(
      RankingChart({
        title: "问题较多的单位",
        labelHead: "单位",
        series: [{ label: "未达标", tone: "bad" }, { label: "预警", tone: "warn" }],
        rows: [
          { label: "市教育局", values: [2, 1] },
          { label: "市卫健委", values: [0, 0] },
          { label: "一个名字非常非常长的县级人民政府办公室", values: [1, 0] },
        ],
        empty: "无",
      }),
    );
    expect(count(s, /<g class="bar">/g)).toBe(2);
    expect(s).toContain("<title>市教育局：未达标 2，预警 1</title>");
    expect(s).not.toContain("市卫健委");
    // The drawing cuts a long name; its title and the table keep it whole.
    expect(s).toContain(">一个名字非常非常长的…</text>");
    expect(s).toContain("<td>一个名字非常非常长的县级人民政府办公室</td>");
    expect(html(RankingChart({ title: "t", labelHead: "单位", series: [{ label: "x" }], rows: [], empty: "没有问题。" }))).toContain("没有问题。");
  });
});

describe("WeekHeatmap", () => {
  const cell = (week: string, from: string, to: string, status: HeatCell["status"], updates: number, required = 3, reason?: string): HeatCell => ({ week, from, to, status, updates, required, reason });

  it("draws one cell per week with a class per status and a tooltip of updates against the minimum", () => {
    const cells = [
      cell("2026-W47", "2026-11-16", "2026-11-22", "compliant", 3),
      cell("2026-W48", "2026-11-23", "2026-11-29", "below", 2),
      cell("2026-W49", "2026-11-30", "2026-12-06", "veto", 0, 3, "连续 14 天以上无更新"),
      cell("2026-W50", "2026-12-07", "2026-12-13", "unknown", 0, 3, "本周尚未结束"),
      cell("2026-W51", "2026-12-14", "2026-12-20", "exempt", 0),
    ];
    const s = html(WeekHeatmap({ title: "周历", cells }));
    expect(count(s, /<g class="cell /g)).toBe(5);
    for (const st of ["compliant", "below", "veto", "unknown", "exempt"]) expect(count(s, new RegExp(`class="cell cell-${st}"`, "g"))).toBe(1);
    expect(s).toContain("<title>11月23日–11月29日：2/3 次（未达标）</title>");
    expect(s).toContain("<title>11月30日–12月6日：0/3 次（单项否决：连续 14 天以上无更新）</title>");
    expect(s).toContain('fill="url(#hm-hatch)"');
    expect(s).toContain('stroke-dasharray="2 2"');
    // Month labels where the month changes: 11月 on the first cell, 12月 on W50 (starting 12-07)… and
    // W49 starts in November, so only two.
    expect(count(s, />\d+月</g)).toBe(2);
    expect(cellTitle(cells[4]!)).toBe("12月14日–12月20日：免于考核");
  });
});

describe("vetoWeeks and heatCells", () => {
  it("marks judged silent weeks once the run reaches the veto days; unknown weeks break the run", () => {
    const w = (status: "compliant" | "below" | "unknown" | "exempt", updates: number) => ({ status, updates });
    expect(vetoWeeks([w("below", 0), w("below", 0), w("below", 0), w("compliant", 3)], 14)).toEqual([false, true, true, false]);
    expect(vetoWeeks([w("below", 0), w("unknown", 0), w("below", 0)], 14)).toEqual([false, false, false]);
    // A 服务号 with minimum 0 is 达标 every week, yet two silent weeks are still the veto.
    expect(vetoWeeks([w("compliant", 0), w("compliant", 0)], 14)).toEqual([false, true]);
    expect(vetoWeeks([w("below", 0), w("below", 0)], 21)).toEqual([false, false]);
  });

  it("gives every week a cell, with dates and reasons, and weeks without a row as none", () => {
    const cells = heatCells(
      ["2026-W47", "2026-W48", "2026-W49"],
      [
        { week: "2026-W48", status: "below", updates: 0, required: 3, unknownReason: null },
        { week: "2026-W49", status: "unknown", updates: 0, required: 3, unknownReason: "no_source" },
      ],
      14,
    );
    expect(cells.map((c) => c.status)).toEqual(["none", "below", "unknown"]);
    expect(cells[1]).toMatchObject({ from: "2026-11-23", to: "2026-11-29" });
    expect(cells[2]!.reason).toContain("未接入数据来源");
  });
});
