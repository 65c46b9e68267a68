// The organisation tree and the tiered filing rule (分级备案).
// 鹤政办〔2019〕20号第十二条：政府部门向同级政务新媒体主管单位备案，政府向上一级政务新媒体主管单位备案.

export const ORG_KINDS = ["government", "department", "zone"] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const ORG_LEVELS = ["province", "city", "county", "township"] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

export const ORG_KIND_LABELS: Record<OrgKind, string> = { government: "政府", department: "部门", zone: "开发区（管委会）" };
export const ORG_LEVEL_LABELS: Record<OrgLevel, string> = {
  province: "省级",
  city: "市级",
  county: "县级",
  township: "乡镇（街道）",
};

export interface OrgNode {
  id: string;
  name: string;
  kind: OrgKind;
  level: OrgLevel;
  parentId: string | null;
}

export type OrgIndex = ReadonlyMap<string, OrgNode>;

export function levelRank(level: OrgLevel): number {
  return ORG_LEVELS.indexOf(level);
}

/** Ancestors from the parent up to the root (the org itself excluded). */
export function ancestors(org: OrgNode, index: OrgIndex): OrgNode[] {
  const out: OrgNode[] = [];
  const seen = new Set<string>([org.id]);
  let cur = org.parentId ? index.get(org.parentId) : undefined;
  while (cur && !seen.has(cur.id)) {
    out.push(cur);
    seen.add(cur.id);
    cur = cur.parentId ? index.get(cur.parentId) : undefined;
  }
  return out;
}

/** The nearest government strictly above the org. */
function governmentAbove(org: OrgNode, index: OrgIndex): OrgNode | undefined {
  return ancestors(org, index).find((a) => a.kind === "government");
}

/**
 * 备案主管单位: a department files with the government it belongs to; a government files with
 * the government above it. The root government has nobody above it and decides its own filings.
 */
export function filingAuthority(org: OrgNode, index: OrgIndex): OrgNode {
  return governmentAbove(org, index) ?? org;
}

/** Whether `org` is `ancestor` or lies below it. */
export function isWithin(org: OrgNode, ancestor: OrgNode, index: OrgIndex): boolean {
  return org.id === ancestor.id || ancestors(org, index).some((a) => a.id === ancestor.id);
}

/** Materialised path used to query a subtree: "/rootId/childId/". */
export function orgPath(org: OrgNode, index: OrgIndex): string {
  const chain = [org, ...ancestors(org, index)].reverse();
  return "/" + chain.map((o) => o.id).join("/") + "/";
}

/**
 * Why a child cannot sit under a parent, or undefined when it can. A government below a government
 * is one level lower (province → city → county → township); a department shares its parent's level;
 * a township government has departments at most (乡镇 has no government below it).
 */
export function placementProblem(
  child: Pick<OrgNode, "kind" | "level">,
  parent: Pick<OrgNode, "kind" | "level"> | null,
): string | undefined {
  if (!parent) {
    return child.kind === "government" ? undefined : "根机构必须是政府（kind=government）";
  }
  if (child.kind === "department") {
    if (child.level !== parent.level) {
      return `部门的层级应与上级机构一致（上级为${ORG_LEVEL_LABELS[parent.level]}）`;
    }
    return undefined;
  }
  if (parent.kind !== "government") return "政府不能设在部门之下";
  if (levelRank(child.level) !== levelRank(parent.level) + 1) {
    return `下级政府的层级应比上级政府低一级（上级为${ORG_LEVEL_LABELS[parent.level]}）`;
  }
  return undefined;
}

/** A sampling unit (抽查单位) is a government at county level or above (docs/规则依据.md#抽查单位). */
export function isSamplingUnit(org: Pick<OrgNode, "kind" | "level">): boolean {
  return org.kind === "government" && levelRank(org.level) <= levelRank("county");
}

/** The nearest county-or-higher government at or above the org: its sampling unit (docs/规则依据.md#抽查单位). */
export function samplingUnit(org: OrgNode, index: OrgIndex): OrgNode | undefined {
  return [org, ...ancestors(org, index)].find(isSamplingUnit);
}

/** Names in pinyin order, as Chinese documents list them. */
const collator = new Intl.Collator("zh-CN");

/**
 * Orders org ids as a notice lists them: tree order, an org before what lies below it, departments
 * before lower governments, siblings by name (pinyin).
 */
export function treeOrder(index: OrgIndex): (a: string, b: string) => number {
  const keys = new Map<string, string[]>();
  const keyOf = (id: string): string[] => {
    let k = keys.get(id);
    if (!k) {
      const org = index.get(id);
      k = org ? [org, ...ancestors(org, index)].reverse().map((o) => `${o.kind === "department" ? 0 : 1}${o.name}`) : [id];
      keys.set(id, k);
    }
    return k;
  };
  return (a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = collator.compare(ka[i]!, kb[i]!);
      if (c !== 0) return c;
    }
    return ka.length - kb.length || (a < b ? -1 : a > b ? 1 : 0);
  };
}
