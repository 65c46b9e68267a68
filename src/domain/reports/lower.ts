// The roll-up of the sampling units below a government (各县（区）抽查情况): who has drawn, who has
// finished inspecting, pass rates, 单项否决 and overdue rectifications, for the government's office
// (宝鸡：抽查和整改情况及时上报市政府办公室). Pure: "today" is an input.
import { effectiveResult, vetoItemsOf, type NoticeItemInput } from "./quarterly";
import { passRate, rectificationStatus } from "./rates";

export const LOWER_STATUSES = ["not_drawn", "inspecting", "done"] as const;
export type LowerStatus = (typeof LOWER_STATUSES)[number];
export const LOWER_STATUS_LABELS: Record<LowerStatus, string> = { not_drawn: "未抽取", inspecting: "检查中", done: "已完成" };

export interface LowerInput {
  /** YYYY-MM-DD in Asia/Shanghai: decides 逾期. */
  today: string;
  /** The sampling units strictly below the government, in display order. */
  units: readonly { orgId: string; orgName: string }[];
  /** Their rounds of the quarter. */
  rounds: readonly { roundId: string; governmentOrgId: string }[];
  /** The sampled accounts of those rounds. */
  items: readonly NoticeItemInput[];
}

export interface LowerFigures {
  sampled: number;
  inspected: number;
  passed: number;
  failed: number;
  /** Failed accounts with a 单项否决 item. */
  vetoed: number;
  passRate: number | null;
  /** Failures whose deadline is before today with no rectification recorded. */
  overdueRectifications: number;
}

export interface LowerUnit extends LowerFigures {
  orgId: string;
  orgName: string;
  roundId: string | null;
  status: LowerStatus;
  statusLabel: string;
}

export interface LowerRollup {
  units: LowerUnit[];
  notDrawn: string[];
  notFinished: string[];
  totals: LowerFigures & { units: number; notDrawn: number; inspecting: number; done: number };
}

function figures(items: readonly NoticeItemInput[], today: string): LowerFigures {
  let inspected = 0;
  let passed = 0;
  let vetoed = 0;
  let overdue = 0;
  for (const i of items) {
    const r = effectiveResult(i);
    if (r === null) continue;
    inspected += 1;
    if (r === "pass") {
      passed += 1;
      continue;
    }
    if (vetoItemsOf(i).length > 0) vetoed += 1;
    if (rectificationStatus(i.inspection!, today) === "overdue") overdue += 1;
  }
  return { sampled: items.length, inspected, passed, failed: inspected - passed, vetoed, passRate: passRate(passed, inspected), overdueRectifications: overdue };
}

/**
 * One row per sampling unit: not_drawn without a round this quarter; done when every drawn account
 * has a result (an empty round is done); otherwise inspecting.
 */
export function buildLowerRollup(input: LowerInput): LowerRollup {
  const roundOf = new Map(input.rounds.map((r) => [r.governmentOrgId, r.roundId]));
  const itemsOf = new Map<string, NoticeItemInput[]>();
  for (const i of input.items) {
    const list = itemsOf.get(i.roundId) ?? [];
    list.push(i);
    itemsOf.set(i.roundId, list);
  }
  const units: LowerUnit[] = input.units.map((u) => {
    const roundId = roundOf.get(u.orgId) ?? null;
    const f = figures(roundId ? (itemsOf.get(roundId) ?? []) : [], input.today);
    const status: LowerStatus = roundId === null ? "not_drawn" : f.inspected >= f.sampled ? "done" : "inspecting";
    return { orgId: u.orgId, orgName: u.orgName, roundId, status, statusLabel: LOWER_STATUS_LABELS[status], ...f };
  });
  const drawnItems = units.flatMap((u) => (u.roundId ? (itemsOf.get(u.roundId) ?? []) : []));
  const count = (s: LowerStatus) => units.filter((u) => u.status === s).length;
  return {
    units,
    notDrawn: units.filter((u) => u.status === "not_drawn").map((u) => u.orgId),
    notFinished: units.filter((u) => u.status === "inspecting").map((u) => u.orgId),
    totals: { units: units.length, notDrawn: count("not_drawn"), inspecting: count("inspecting"), done: count("done"), ...figures(drawnItems, input.today) },
  };
}
