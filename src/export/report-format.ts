// What the downloadable reports share: Markdown that cannot break out of its table or paragraph, the
// sheet shape the SpreadsheetCodec writes, and the rate columns used by both reports.
import { formatRate, type RateRow } from "../domain/reports";

/** Text safe inside a Markdown paragraph or table cell: no table breaks, links, emphasis or HTML. */
export function mdText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  return String(value)
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]#|~!]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** A Markdown table; numbers right-aligned. An empty body renders as "（无）". */
export function mdTable(header: readonly string[], rows: readonly (readonly (string | number | null)[])[], numeric: readonly boolean[] = []): string {
  if (rows.length === 0) return "（无）";
  const line = (cells: readonly (string | number | null)[]) => `| ${cells.map((c) => mdText(c)).join(" | ")} |`;
  const sep = `| ${header.map((_, i) => (numeric[i] ? "---:" : "---")).join(" | ")} |`;
  return [line(header), sep, ...rows.map(line)].join("\n");
}

export type SheetRows = (string | number | null)[][];
export interface Sheet {
  name: string;
  rows: SheetRows;
}

export const RATE_HEADER = ["抽取", "检查", "合格", "不合格", "合格率"];
export const rateCells = (r: RateRow) => [r.sampled, r.checked, r.passed, r.failed, formatRate(r.passRate)];
