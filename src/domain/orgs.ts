// The organisation tree and the tiered filing rule (分级备案).
// 鹤政办〔2019〕20号第十二条：政府部门向同级政务新媒体主管单位备案，政府向上一级政务新媒体主管单位备案.
// A 开发区（管委会）(zone) is placed and files like a government; an org may instead be designated a
// filing authority of its own (垂直管理系统, a 数据局): docs/规则依据.md#指定备案单位.

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
  /** 指定备案单位: files here instead of by the tree rule (null/absent = the tree rule). */
  filingAuthorityId?: string | null;
  /** Other names of the unit (e.g. a 认证主体 that differs from the registry name). */
  aliases?: readonly string[] | null;
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

/** Governments and zones (开发区/管委会) are the tree's offices: they file upwards and receive filings. */
export function isGovernmentLike(org: Pick<OrgNode, "kind">): boolean {
  return org.kind === "government" || org.kind === "zone";
}

/**
 * The nearest government or zone strictly above the org: the government a department belongs to,
 * whatever filing authority is designated (e.g. the owner of a 县公安局 account is still 县政府's unit).
 */
export function treeGovernment(org: OrgNode, index: OrgIndex): OrgNode | undefined {
  return ancestors(org, index).find(isGovernmentLike);
}

/** 备案主管单位 by the tree rule alone (鹤政办〔2019〕20号第十二条), a zone counting as a government. */
function treeAuthority(org: OrgNode, index: OrgIndex): OrgNode {
  return treeGovernment(org, index) ?? org;
}

/**
 * 备案主管单位: the designated org when one is set (and still exists); otherwise a department files
 * with the government (or zone) it belongs to, and a government or zone with the one above it. The
 * root government has nobody above it and decides its own filings.
 */
export function filingAuthority(org: OrgNode, index: OrgIndex): OrgNode {
  const designated = org.filingAuthorityId ? index.get(org.filingAuthorityId) : undefined;
  if (designated && designated.id !== org.id) return designated;
  return treeAuthority(org, index);
}

/** Whether the org's filing authority is a designated one in force (not the tree rule). */
export function hasDesignatedAuthority(org: OrgNode, index: OrgIndex): boolean {
  return !!org.filingAuthorityId && org.filingAuthorityId !== org.id && index.has(org.filingAuthorityId);
}

/**
 * The orgs whose supervisors decide filings routed to `authority`: the authority itself, and when
 * it is a department (a designated 市公安局), also the government it belongs to, whose office
 * supervises the department's work (docs/规则依据.md#指定备案单位).
 */
export function filingDeciders(authority: OrgNode, index: OrgIndex): string[] {
  if (authority.kind !== "department") return [authority.id];
  const gov = treeGovernment(authority, index);
  return gov ? [authority.id, gov.id] : [authority.id];
}

/**
 * Why `org` cannot be designated to file with `authority`, or undefined when it can: not with
 * itself, and not so that following filing authorities from `authority` leads back to `org`
 * (A→B with B→A, or a government designated to one of its own departments).
 */
export function designationProblem(org: OrgNode, authority: OrgNode, index: OrgIndex): string | undefined {
  if (authority.id === org.id) return "不能指定本机构为自己的备案主管单位";
  const next = new Map(index).set(org.id, { ...org, filingAuthorityId: authority.id });
  const seen = new Set<string>();
  let cur: OrgNode = next.get(authority.id) ?? authority;
  while (!seen.has(cur.id)) {
    seen.add(cur.id);
    const up = filingAuthority(cur, next);
    if (up.id === org.id) {
      return `不能指定“${authority.name}”为备案主管单位：“${authority.name}”的备案最终要报“${org.name}”审核，会形成循环`;
    }
    if (up.id === cur.id) break;
    cur = up;
  }
  return undefined;
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
 * Why a child cannot sit under a parent, or undefined when it can. A government or zone below a
 * government or zone is one level lower (province → city → county → township); a department shares
 * its parent's level; a township government has departments at most (乡镇 has no government below it).
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
  const what = child.kind === "zone" ? "开发区（管委会）" : "政府";
  if (!isGovernmentLike(parent)) return `${what}不能设在部门之下`;
  if (levelRank(child.level) !== levelRank(parent.level) + 1) {
    return `下级${what}的层级应比上级${ORG_KIND_LABELS[parent.kind]}低一级（上级为${ORG_LEVEL_LABELS[parent.level]}）`;
  }
  return undefined;
}

/**
 * A sampling unit (抽查单位) is a government or zone (开发区/管委会) at county level or above: a zone
 * draws its own round like a county, and its accounts leave the parent's population (docs/规则依据.md#抽查单位).
 */
export function isSamplingUnit(org: Pick<OrgNode, "kind" | "level">): boolean {
  return isGovernmentLike(org) && levelRank(org.level) <= levelRank("county");
}

/** The nearest county-or-higher government or zone at or above the org: its sampling unit (docs/规则依据.md#抽查单位). */
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
