// Server-rendered SVG charts for the overview and the account page: pure components over plain
// figures, no client script (the Content-Security-Policy allows none), colours by presentation
// attributes (no style attributes). Every chart carries a <title> and its figures as text beside it.
import type { Child } from "hono/jsx";
import type { WeekStatus } from "../domain/compliance";

/** The palette of layout.tsx: status colours, then categorical ones for mixes. */
/** textLength for a label that would overflow `room` px at font-size 10 (about 5.6 px per digit or slash). */
function fitted(label: string, room: number): { textLength?: number; lengthAdjust?: string } {
  return label.length * 5.6 > room ? { textLength: Math.max(8, room), lengthAdjust: "spacingAndGlyphs" } : {};
}

export const TONES = {
  good: "#1e6b34",
  fair: "#7fb58d",
  bad: "#9f1c1c",
  veto: "#5c0b0b",
  warn: "#c77700",
  unknown: "#9aa5b1",
  exempt: "#ffffff",
  track: "#e4e7eb",
  text: "#1f2933",
  muted: "#7b8794",
} as const;
export type Tone = keyof typeof TONES;
const CATEGORICAL = ["#9f1c1c", "#2f5d8a", "#1e6b34", "#c77700", "#5b3f8c", "#2c7a7b", "#8a4b00", "#97266d", "#4a5568", "#b7791f", "#276749", "#7b8794"];

/** A colour for the nth part of a mix: a status tone or the palette in turn. */
const colourOf = (tone: Tone | undefined, i: number) => (tone ? TONES[tone] : CATEGORICAL[i % CATEGORICAL.length]!);
const pctText = (r: number | null | undefined) => (r == null ? "—" : `${Math.round(r * 1000) / 10}%`);
/** Long unit names are cut in the drawing; the full name stays in the cell's <title> and the table. */
const clip = (s: string, n: number) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n - 1).join("")}…` : s);

function Swatch(props: { colour: string; outline?: boolean }) {
  return (
    <svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
      <rect x="0.5" y="0.5" width="11" height="11" rx="2" fill={props.colour} stroke={props.outline ? TONES.muted : props.colour} />
    </svg>
  );
}

/** The figures of a chart for screen readers and for anyone who wants the numbers: a folded table. */
function Figures(props: { head: string[]; rows: (string | number)[][] }) {
  return (
    <details class="figures">
      <summary>数据</summary>
      <table>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              {r.map((v) => (
                <td>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function ChartCard(props: { title: string; note?: Child; kind: string; children: Child }) {
  return (
    <section class={`card chart chart-${props.kind}`}>
      <h2>{props.title}</h2>
      {props.children}
      {props.note ? <p class="muted chart-note">{props.note}</p> : null}
    </section>
  );
}

export interface TrendPoint {
  /** The week id, "2026-W47". */
  week: string;
  /** 达标率 over judged accounts; null when none could be judged. */
  rate: number | null;
  judged: number;
  total: number;
}

/** 12 weeks of 达标率 as bars, with how many accounts each rate was judged on. */
export function TrendChart(props: { title: string; points: TrendPoint[]; note?: Child }) {
  const W = 480;
  const H = 190;
  const left = 38;
  const top = 14;
  const plotH = 120;
  const slot = (W - left - 6) / Math.max(1, props.points.length);
  const barW = Math.min(32, slot * 0.6);
  const y = (r: number) => top + plotH - r * plotH;
  return (
    <ChartCard title={props.title} kind="trend" note={props.note}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
        <title>{props.title}</title>
        {[0, 0.5, 1].map((g) => (
          <g>
            <line x1={left} x2={W - 4} y1={y(g)} y2={y(g)} stroke={TONES.track} stroke-width="1" />
            <text x={left - 6} y={y(g) + 4} text-anchor="end" font-size="11" fill={TONES.muted}>
              {`${g * 100}%`}
            </text>
          </g>
        ))}
        {props.points.map((p, i) => {
          const cx = left + slot * i + slot / 2;
          const tip = `${p.week}：达标率 ${pctText(p.rate)}（${p.total} 个账号中 ${p.judged} 个可判断）`;
          return (
            <g class="bar">
              <title>{tip}</title>
              {p.rate == null ? (
                <text x={cx} y={y(0) - 4} text-anchor="middle" font-size="11" fill={TONES.muted}>
                  —
                </text>
              ) : (
                <>
                  <rect x={cx - barW / 2} y={y(p.rate)} width={barW} height={Math.max(1, p.rate * plotH)} fill={p.rate >= 0.8 ? TONES.good : TONES.warn} />
                  <text x={cx} y={y(p.rate) - 4} text-anchor="middle" font-size="10" fill={TONES.text}>
                    {pctText(p.rate)}
                  </text>
                </>
              )}
              <text x={cx} y={top + plotH + 16} text-anchor="middle" font-size="11" fill={TONES.text}>
                {p.week.slice(5)}
              </text>
              {/* Squeezed into its slot when the counts are long (137/144 under twelve bars). */}
              <text x={cx} y={top + plotH + 32} text-anchor="middle" font-size="10" fill={TONES.muted} {...fitted(`${p.judged}/${p.total}`, slot - 4)}>
                {`${p.judged}/${p.total}`}
              </text>
            </g>
          );
        })}
      </svg>
      <p class="muted chart-note">柱下为“可判断/合计”账号数；达标率只按可判断的账号计算。</p>
      <Figures head={["周", "达标率", "可判断", "合计"]} rows={props.points.map((p) => [p.week, pctText(p.rate), p.judged, p.total])} />
    </ChartCard>
  );
}

export interface MixPart {
  label: string;
  value: number;
  tone?: Tone;
}

/** One stacked bar of parts that add up to a whole (platform mix, this week's pace, data sources). */
export function MixBar(props: { title: string; parts: MixPart[]; unit?: string; note?: Child; kind?: string }) {
  const W = 600;
  const unit = props.unit ?? "个";
  const parts = props.parts.filter((p) => p.value > 0);
  const total = parts.reduce((n, p) => n + p.value, 0);
  let x = 0;
  return (
    <ChartCard title={props.title} kind={props.kind ?? "mix"} note={props.note}>
      <svg viewBox={`0 0 ${W} 28`} role="img" aria-label={`${props.title}：共 ${total} ${unit}`}>
        <title>{`${props.title}：共 ${total} ${unit}`}</title>
        {total === 0 ? <rect class="seg" x="0" y="2" width={W} height="24" rx="3" fill={TONES.track} /> : null}
        {parts.map((p) => {
          const w = (p.value / total) * W;
          const at = x;
          x += w;
          const i = props.parts.indexOf(p);
          return (
            <rect class="seg" x={at} y="2" width={w} height="24" fill={colourOf(p.tone, i)} stroke={p.tone === "exempt" ? TONES.muted : "#ffffff"} stroke-width="1">
              <title>{`${p.label}：${p.value} ${unit}（${pctText(p.value / total)}）`}</title>
            </rect>
          );
        })}
      </svg>
      {/* The legend is the text equivalent: every part with its figure. */}
      <ul class="legend">
        {props.parts.map((p, i) => (
          <li>
            <Swatch colour={colourOf(p.tone, i)} outline={p.tone === "exempt"} />
            {p.label} <b>{p.value}</b>
            {total > 0 ? <span class="muted">（{pctText(p.value / total)}）</span> : null}
          </li>
        ))}
        <li class="muted">合计 {total} {unit}</li>
      </ul>
    </ChartCard>
  );
}

export interface RankRow {
  label: string;
  /** One value per series, in the order of the series. */
  values: number[];
}

/** Horizontal stacked bars, largest first (units ranked by problems). */
export function RankingChart(props: { title: string; labelHead: string; series: { label: string; tone?: Tone }[]; rows: RankRow[]; empty: string; note?: Child }) {
  const W = 480;
  const labelW = 150;
  const rowH = 24;
  const sum = (r: RankRow) => r.values.reduce((n, v) => n + v, 0);
  const rows = props.rows.filter((r) => sum(r) > 0);
  const max = Math.max(1, ...rows.map(sum));
  const scale = (W - labelW - 40) / max;
  return (
    <ChartCard title={props.title} kind="ranking" note={props.note}>
      {rows.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${W} ${rows.length * rowH + 4}`} role="img" aria-label={props.title}>
            <title>{props.title}</title>
            {rows.map((r, i) => {
              let x = labelW;
              const yy = i * rowH + 4;
              return (
                <g class="bar">
                  <title>{`${r.label}：${props.series.map((s, k) => `${s.label} ${r.values[k] ?? 0}`).join("，")}`}</title>
                  <text x={labelW - 8} y={yy + 14} text-anchor="end" font-size="12" fill={TONES.text}>
                    {clip(r.label, 11)}
                  </text>
                  {r.values.map((v, k) => {
                    const at = x;
                    x += v * scale;
                    return v > 0 ? <rect x={at} y={yy} width={v * scale} height={rowH - 6} fill={colourOf(props.series[k]?.tone, k)} /> : null;
                  })}
                  <text x={x + 6} y={yy + 14} font-size="12" fill={TONES.text}>
                    {String(sum(r))}
                  </text>
                </g>
              );
            })}
          </svg>
          <ul class="legend">
            {props.series.map((s, k) => (
              <li>
                <Swatch colour={colourOf(s.tone, k)} />
                {s.label}
              </li>
            ))}
          </ul>
          <Figures
            head={[props.labelHead, ...props.series.map((s) => s.label), "合计"]}
            rows={rows.map((r) => [r.label, ...props.series.map((_, k) => r.values[k] ?? 0), sum(r)])}
          />
        </>
      )}
    </ChartCard>
  );
}

/** A heatmap cell's look: the week's status, or the two-week veto (单项否决) on top of it. */
export type CellStatus = WeekStatus | "veto" | "none";

export interface HeatCell {
  week: string;
  /** Monday and Sunday of the week, "YYYY-MM-DD" (Beijing). */
  from: string;
  to: string;
  updates: number;
  required: number;
  status: CellStatus;
  /** Why the week could not be judged (or is exempt), in Chinese. */
  reason?: string;
}

export const CELL_LABELS: Record<CellStatus, string> = {
  compliant: "达标",
  below: "未达标",
  veto: "单项否决",
  unknown: "无法判断",
  exempt: "免于考核",
  none: "不在监测范围",
};

const CELL_FILL: Record<CellStatus, string> = {
  compliant: TONES.good,
  below: "#e06666",
  veto: TONES.veto,
  unknown: "url(#hm-hatch)",
  exempt: TONES.exempt,
  none: "#f5f6f8",
};

/** "11月23日" from "2026-11-23". */
const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** The tooltip of a cell: "11月23日–11月29日：2/3 次（达标）". */
export function cellTitle(c: HeatCell): string {
  const span = `${md(c.from)}–${md(c.to)}`;
  if (c.status === "exempt" || c.status === "none") return `${span}：${CELL_LABELS[c.status]}${c.reason ? `（${c.reason}）` : ""}`;
  return `${span}：${c.updates}/${c.required} 次（${CELL_LABELS[c.status]}${c.reason ? `：${c.reason}` : ""}）`;
}

/** Weeks as cells (oldest first): posts against the minimum, veto, unknown and exempt weeks each drawn apart. */
export function WeekHeatmap(props: { title: string; cells: HeatCell[]; note?: Child }) {
  const size = 20;
  const gap = 3;
  const W = props.cells.length * (size + gap);
  const top = 16;
  const counts = new Map<CellStatus, number>();
  for (const c of props.cells) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return (
    <ChartCard title={props.title} kind="heatmap" note={props.note}>
      <svg class="heatmap" viewBox={`0 0 ${Math.max(W, 1)} ${top + size + 2}`} role="img" aria-label={props.title}>
        <title>{props.title}</title>
        <defs>
          <pattern id="hm-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="4" height="4" fill="#d9dee3" />
            <line x1="0" y1="0" x2="0" y2="4" stroke={TONES.unknown} stroke-width="2" />
          </pattern>
        </defs>
        {props.cells.map((c, i) => {
          const x = i * (size + gap);
          // A month label over the first week of each month (and the first cell).
          const month = i === 0 || c.from.slice(5, 7) !== props.cells[i - 1]!.from.slice(5, 7) ? `${Number(c.from.slice(5, 7))}月` : null;
          const mark = c.status === "unknown" ? "?" : c.status === "veto" ? "否" : c.status === "compliant" || c.status === "below" ? String(c.updates) : "";
          return (
            <g class={`cell cell-${c.status}`} data-week={c.week}>
              <title>{cellTitle(c)}</title>
              {month ? (
                <text x={x} y="11" font-size="10" fill={TONES.muted}>
                  {month}
                </text>
              ) : null}
              <rect
                x={x + 0.5}
                y={top + 0.5}
                width={size - 1}
                height={size - 1}
                rx="3"
                fill={CELL_FILL[c.status]}
                stroke={c.status === "exempt" ? TONES.muted : c.status === "none" ? TONES.track : "none"}
                stroke-dasharray={c.status === "exempt" ? "2 2" : undefined}
              />
              {mark ? (
                <text x={x + size / 2} y={top + 14} text-anchor="middle" font-size="11" font-weight="600" fill={c.status === "unknown" ? TONES.text : "#ffffff"}>
                  {mark}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <ul class="legend">
        {(["compliant", "below", "veto", "unknown", "exempt"] as const).map((s) => (
          <li>
            <Swatch colour={s === "unknown" ? "#c3cad2" : CELL_FILL[s]} outline={s === "exempt"} />
            {CELL_LABELS[s]} <b>{counts.get(s) ?? 0}</b> 周
          </li>
        ))}
      </ul>
      <Figures
        head={["周", "日期", "更新/最低", "状态"]}
        rows={[...props.cells].reverse().map((c) => [c.week, `${md(c.from)}–${md(c.to)}`, c.status === "exempt" || c.status === "none" ? "—" : `${c.updates}/${c.required}`, `${CELL_LABELS[c.status]}${c.reason ? `：${c.reason}` : ""}`])}
      />
    </ChartCard>
  );
}
