import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ancestors,
  designationProblem,
  filingAuthority,
  filingDeciders,
  hasDesignatedAuthority,
  isSamplingUnit,
  isWithin,
  levelRank,
  ORG_KINDS,
  ORG_LEVELS,
  orgPath,
  placementProblem,
  samplingUnit,
  treeGovernment,
  type OrgKind,
  type OrgLevel,
  type OrgNode,
} from "./orgs";

const RUNS = { numRuns: 200 };

interface Tree {
  nodes: OrgNode[];
  index: Map<string, OrgNode>;
}

const NEXT_LEVEL: Record<OrgLevel, OrgLevel | undefined> = {
  province: "city",
  city: "county",
  county: "township",
  township: undefined,
};

/**
 * A valid org tree: a province- or city-level root government, then nodes hung under random
 * existing parents. Ids "o0", "o1", … "o10", "o11" are deliberately prefixes of one another so a
 * path check without the trailing "/" would be caught.
 */
const treeArb: fc.Arbitrary<Tree> = fc
  .record({
    rootLevel: fc.constantFrom<OrgLevel>("province", "city"),
    steps: fc.array(fc.record({ parent: fc.nat(), wantGovernment: fc.boolean() }), {
      minLength: 0,
      maxLength: 40,
    }),
  })
  .map(({ rootLevel, steps }) => {
    const root: OrgNode = { id: "o0", name: "根政府", kind: "government", level: rootLevel, parentId: null };
    const nodes: OrgNode[] = [root];
    steps.forEach((step, i) => {
      const parent = nodes[step.parent % nodes.length]!;
      const next = NEXT_LEVEL[parent.level];
      const asGovernment = step.wantGovernment && parent.kind === "government" && next !== undefined;
      const node: OrgNode = {
        id: `o${i + 1}`,
        name: `机构${i + 1}`,
        kind: asGovernment ? "government" : "department",
        level: asGovernment ? next! : parent.level,
        parentId: parent.id,
      };
      nodes.push(node);
    });
    return { nodes, index: new Map(nodes.map((n) => [n.id, n])) };
  });

/** Naive chain from the org up to the root, following parentId by hand (org first). */
function naiveChain(org: OrgNode, index: Map<string, OrgNode>): OrgNode[] {
  const out: OrgNode[] = [];
  let cur: OrgNode | undefined = org;
  while (cur) {
    out.push(cur);
    if (out.length > index.size + 1) throw new Error("cycle in generated tree");
    cur = cur.parentId === null ? undefined : index.get(cur.parentId);
  }
  return out;
}

function naiveAuthority(org: OrgNode, index: Map<string, OrgNode>): OrgNode {
  if (org.parentId === null) return org;
  let cur = index.get(org.parentId);
  while (cur) {
    if (cur.kind === "government") return cur;
    cur = cur.parentId === null ? undefined : index.get(cur.parentId);
  }
  throw new Error("no government above a non-root org");
}

function naiveIsWithin(org: OrgNode, anc: OrgNode, index: Map<string, OrgNode>): boolean {
  return naiveChain(org, index).some((o) => o.id === anc.id);
}

describe("generated trees are valid", () => {
  it("every non-root node satisfies placementProblem and the root is a government", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        for (const n of nodes) {
          const parent = n.parentId === null ? null : index.get(n.parentId)!;
          expect(placementProblem(n, parent)).toBeUndefined();
        }
        expect(nodes.filter((n) => n.parentId === null)).toHaveLength(1);
      }),
      RUNS,
    );
  });

  it("the generator actually produces governments below the root, departments and nested departments", () => {
    // Guard against a degenerate arbitrary that would make the properties below vacuous.
    const samples = fc.sample(treeArb, { numRuns: 200, seed: 42 });
    const all = samples.flatMap((t) => t.nodes.map((n) => ({ n, t })));
    expect(all.some(({ n }) => n.kind === "government" && n.parentId !== null)).toBe(true);
    expect(all.some(({ n }) => n.level === "township" && n.kind === "government")).toBe(true);
    expect(all.some(({ n, t }) => n.kind === "department" && t.index.get(n.parentId!)?.kind === "department")).toBe(
      true,
    );
  });
});

describe("filingAuthority", () => {
  it("is a government and matches a naive parent walk", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        for (const org of nodes) {
          const auth = filingAuthority(org, index);
          expect(auth.kind).toBe("government");
          expect(auth.id).toBe(naiveAuthority(org, index).id);
        }
      }),
      RUNS,
    );
  });

  it("department → nearest government ancestor; non-root government → nearest government strictly above; root → itself", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        for (const org of nodes) {
          const auth = filingAuthority(org, index);
          if (org.parentId === null) {
            expect(auth).toBe(org);
          } else if (org.kind === "government") {
            // In a valid tree a government's parent is a government one level up.
            expect(auth.id).toBe(org.parentId);
            expect(levelRank(auth.level)).toBe(levelRank(org.level) - 1);
          } else {
            // Same level as the department, and every org strictly between is a department.
            expect(auth.level).toBe(org.level);
            const chain = naiveChain(org, index);
            const at = chain.findIndex((o) => o.id === auth.id);
            expect(at).toBeGreaterThan(0);
            for (const between of chain.slice(1, at)) expect(between.kind).toBe("department");
          }
        }
      }),
      RUNS,
    );
  });

  it("is a strict ancestor of the org, and equals the org only for the root", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        for (const org of nodes) {
          const auth = filingAuthority(org, index);
          expect(isWithin(org, auth, index)).toBe(true);
          expect(auth.id === org.id).toBe(org.parentId === null);
          if (org.parentId !== null) {
            expect(ancestors(org, index).map((a) => a.id)).toContain(auth.id);
          }
        }
      }),
      RUNS,
    );
  });
});

describe("ancestors / isWithin / orgPath (visibility)", () => {
  it("ancestors is the naive chain without the org itself, ending at the root", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        for (const org of nodes) {
          expect(ancestors(org, index).map((a) => a.id)).toEqual(naiveChain(org, index).slice(1).map((a) => a.id));
        }
      }),
      RUNS,
    );
  });

  it("isWithin(b, a) ⇔ naive ancestor-or-self ⇔ orgPath(b) starts with orgPath(a)", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        const paths = new Map(nodes.map((n) => [n.id, orgPath(n, index)]));
        for (const a of nodes) {
          for (const b of nodes) {
            const within = isWithin(b, a, index);
            expect(within).toBe(naiveIsWithin(b, a, index));
            expect(paths.get(b.id)!.startsWith(paths.get(a.id)!)).toBe(within);
          }
        }
      }),
      RUNS,
    );
  });

  it("orgPath is /root/…/id/ built from the naive chain", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        for (const org of nodes) {
          const expected = "/" + naiveChain(org, index).reverse().map((o) => o.id).join("/") + "/";
          expect(orgPath(org, index)).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it("subtrees of unrelated orgs are disjoint", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        for (const a of nodes) {
          for (const b of nodes) {
            if (isWithin(a, b, index) || isWithin(b, a, index)) continue;
            for (const c of nodes) {
              expect(isWithin(c, a, index) && isWithin(c, b, index)).toBe(false);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("an org path is not a prefix of a sibling whose id extends it (o1 vs o10)", () => {
    const root: OrgNode = { id: "o0", name: "市政府", kind: "government", level: "city", parentId: null };
    const a: OrgNode = { id: "o1", name: "甲局", kind: "department", level: "city", parentId: "o0" };
    const b: OrgNode = { id: "o10", name: "乙局", kind: "department", level: "city", parentId: "o0" };
    const index = new Map([root, a, b].map((n) => [n.id, n]));
    expect(orgPath(b, index).startsWith(orgPath(a, index))).toBe(false);
    expect(isWithin(b, a, index)).toBe(false);
    expect(isWithin(a, root, index)).toBe(true);
  });
});

describe("samplingUnit", () => {
  it("is a county-or-higher government that is the org or one of its ancestors, and the nearest such", () => {
    fc.assert(
      fc.property(treeArb, ({ nodes, index }) => {
        for (const org of nodes) {
          const unit = samplingUnit(org, index);
          expect(unit).toBeDefined();
          expect(unit!.kind).toBe("government");
          expect(levelRank(unit!.level)).toBeLessThanOrEqual(levelRank("county"));
          expect(isWithin(org, unit!, index)).toBe(true);
          const naive = naiveChain(org, index).find(
            (o) => o.kind === "government" && o.level !== "township",
          );
          expect(unit!.id).toBe(naive!.id);
        }
      }),
      RUNS,
    );
  });

  it("a township government and its departments sample under their county", () => {
    const city: OrgNode = { id: "c", name: "市", kind: "government", level: "city", parentId: null };
    const county: OrgNode = { id: "k", name: "县", kind: "government", level: "county", parentId: "c" };
    const town: OrgNode = { id: "t", name: "镇", kind: "government", level: "township", parentId: "k" };
    const office: OrgNode = { id: "td", name: "镇党政办", kind: "department", level: "township", parentId: "t" };
    const index = new Map([city, county, town, office].map((n) => [n.id, n]));
    expect(samplingUnit(town, index)?.id).toBe("k");
    expect(samplingUnit(office, index)?.id).toBe("k");
    expect(samplingUnit(county, index)?.id).toBe("k");
    expect(filingAuthority(office, index).id).toBe("t");
    expect(filingAuthority(town, index).id).toBe("k");
  });
});

describe("placementProblem", () => {
  const gov = (level: OrgLevel) => ({ kind: "government" as const, level });
  const dept = (level: OrgLevel) => ({ kind: "department" as const, level });

  it("rejects a department as root, accepts a government root", () => {
    expect(placementProblem(dept("city"), null)).toMatch(/政府/);
    expect(placementProblem(gov("city"), null)).toBeUndefined();
    expect(placementProblem(gov("province"), null)).toBeUndefined();
  });

  it("rejects a government under a department", () => {
    expect(placementProblem(gov("county"), dept("city"))).toMatch(/部门/);
    expect(placementProblem(gov("city"), dept("city"))).toBeTruthy();
  });

  it("rejects a county directly under a province, and a same-level government", () => {
    expect(placementProblem(gov("county"), gov("province"))).toBeTruthy();
    expect(placementProblem(gov("city"), gov("city"))).toBeTruthy();
    expect(placementProblem(gov("province"), gov("city"))).toBeTruthy();
    expect(placementProblem(gov("city"), gov("province"))).toBeUndefined();
    expect(placementProblem(gov("township"), gov("county"))).toBeUndefined();
  });

  it("rejects a government below a township", () => {
    for (const level of ORG_LEVELS) expect(placementProblem(gov(level), gov("township"))).toBeTruthy();
  });

  it("rejects a department whose level differs from its parent", () => {
    expect(placementProblem(dept("county"), gov("city"))).toBeTruthy();
    expect(placementProblem(dept("city"), dept("county"))).toBeTruthy();
    expect(placementProblem(dept("city"), gov("city"))).toBeUndefined();
    expect(placementProblem(dept("township"), dept("township"))).toBeUndefined();
  });

  it("agrees with the rule for every (kind, level) × (parent kind, level | root) combination", () => {
    const kindArb = fc.constantFrom<OrgKind>(...ORG_KINDS);
    const levelArb = fc.constantFrom<OrgLevel>(...ORG_LEVELS);
    fc.assert(
      fc.property(
        fc.record({ kind: kindArb, level: levelArb }),
        fc.option(fc.record({ kind: kindArb, level: levelArb }), { nil: null }),
        (child, parent) => {
          let ok: boolean;
          if (parent === null) ok = child.kind === "government";
          else if (child.kind === "department") ok = child.level === parent.level;
          // A zone (开发区/管委会) is placed like a government, and holds governments like one.
          else ok = parent.kind !== "department" && levelRank(child.level) === levelRank(parent.level) + 1;
          const problem = placementProblem(child, parent);
          expect(problem === undefined).toBe(ok);
          if (problem !== undefined) expect(problem).toMatch(/[\u4e00-\u9fff]/);
        },
      ),
      RUNS,
    );
  });
});

describe("zones (开发区/管委会)", () => {
  // 市政府 ⊃ {市财政局, 高新区管委会 (zone, county) ⊃ {高新区建设局, 某街道 (township)}, 某县政府}
  const city: OrgNode = { id: "c", name: "市政府", kind: "government", level: "city", parentId: null };
  const finance: OrgNode = { id: "cf", name: "市财政局", kind: "department", level: "city", parentId: "c" };
  const zone: OrgNode = { id: "z", name: "高新区管委会", kind: "zone", level: "county", parentId: "c" };
  const zoneDept: OrgNode = { id: "zd", name: "高新区建设局", kind: "department", level: "county", parentId: "z" };
  const street: OrgNode = { id: "zs", name: "某街道", kind: "government", level: "township", parentId: "z" };
  const county: OrgNode = { id: "k", name: "某县政府", kind: "government", level: "county", parentId: "c" };
  const index = new Map([city, finance, zone, zoneDept, street, county].map((o) => [o.id, o]));

  it("are placed like governments: one level below a government or zone; governments and departments may sit under them", () => {
    expect(placementProblem(zone, city)).toBeUndefined();
    expect(placementProblem({ kind: "zone", level: "city" }, city)).toMatch(/低一级/);
    expect(placementProblem(zone, finance)).toMatch(/部门/);
    expect(placementProblem(zone, null)).toMatch(/根机构/);
    expect(placementProblem(street, zone)).toBeUndefined();
    expect(placementProblem(zoneDept, zone)).toBeUndefined();
    expect(placementProblem({ kind: "department", level: "city" }, zone)).toMatch(/层级/);
  });

  it("a zone's departments and governments file with the zone; the zone files with the government above", () => {
    expect(filingAuthority(zoneDept, index).id).toBe("z");
    expect(filingAuthority(street, index).id).toBe("z");
    expect(filingAuthority(zone, index).id).toBe("c");
    expect(treeGovernment(zoneDept, index)?.id).toBe("z");
  });

  it("a county-level zone is a sampling unit of its own, so its accounts leave the city's population", () => {
    expect(isSamplingUnit(zone)).toBe(true);
    expect(isSamplingUnit({ kind: "zone", level: "township" })).toBe(false);
    expect(isSamplingUnit(finance)).toBe(false);
    expect(samplingUnit(zoneDept, index)?.id).toBe("z");
    expect(samplingUnit(street, index)?.id).toBe("z");
    expect(samplingUnit(finance, index)?.id).toBe("c");
  });
});

describe("designated filing authority (指定备案单位)", () => {
  // 市政府 ⊃ {市公安局, 市数据局, 某县政府 ⊃ {县公安局, 县教育局}}
  const city: OrgNode = { id: "c", name: "市政府", kind: "government", level: "city", parentId: null };
  const cityPolice: OrgNode = { id: "cp", name: "市公安局", kind: "department", level: "city", parentId: "c" };
  const cityData: OrgNode = { id: "cd", name: "市数据局", kind: "department", level: "city", parentId: "c" };
  const county: OrgNode = { id: "k", name: "某县政府", kind: "government", level: "county", parentId: "c" };
  const countyPolice: OrgNode = { id: "kp", name: "县公安局", kind: "department", level: "county", parentId: "k", filingAuthorityId: "cp" };
  const countyEdu: OrgNode = { id: "ke", name: "县教育局", kind: "department", level: "county", parentId: "k" };
  const index = new Map([city, cityPolice, cityData, county, countyPolice, countyEdu].map((o) => [o.id, o]));

  it("routes to the designated org; others keep the tree rule; the tree government stays the unit's own", () => {
    expect(filingAuthority(countyPolice, index).id).toBe("cp");
    expect(hasDesignatedAuthority(countyPolice, index)).toBe(true);
    expect(filingAuthority(countyEdu, index).id).toBe("k");
    expect(hasDesignatedAuthority(countyEdu, index)).toBe(false);
    expect(treeGovernment(countyPolice, index)?.id).toBe("k");
  });

  it("falls back to the tree rule when the designated org no longer exists, or names the org itself", () => {
    expect(filingAuthority({ ...countyPolice, filingAuthorityId: "gone" }, index).id).toBe("k");
    expect(hasDesignatedAuthority({ ...countyPolice, filingAuthorityId: "gone" }, index)).toBe(false);
    expect(filingAuthority({ ...countyPolice, filingAuthorityId: "kp" }, index).id).toBe("k");
  });

  it("a department authority is decided by it and by the government it belongs to; a government by itself only", () => {
    expect(filingDeciders(cityPolice, index)).toEqual(["cp", "c"]);
    expect(filingDeciders(county, index)).toEqual(["k"]);
  });

  it("refuses designating the org itself", () => {
    expect(designationProblem(county, county, index)).toMatch(/自己/);
  });

  it("refuses a cycle: A→B when B already files with A, and a government designated to its own department", () => {
    const a = { ...cityData, filingAuthorityId: "cp" };
    const withA = new Map(index).set(a.id, a);
    expect(designationProblem(cityPolice, cityData, withA)).toMatch(/循环/);
    // 某县政府's own department files with 某县政府 by the tree rule.
    expect(designationProblem(county, countyEdu, index)).toMatch(/循环/);
    // A government designated below itself: the chain climbs back through it.
    expect(designationProblem(city, county, index)).toMatch(/循环/);
  });

  it("accepts a designation that ends at the root or elsewhere", () => {
    expect(designationProblem(countyEdu, cityData, index)).toBeUndefined();
    expect(designationProblem(county, cityData, index)).toBeUndefined();
    expect(designationProblem(countyPolice, cityPolice, index)).toBeUndefined();
  });

  it("over random trees and designations: never loops, and an accepted designation never leads back to the org", () => {
    fc.assert(
      fc.property(treeArb, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }), ({ nodes, index: base }, picks) => {
        const idx = new Map(base);
        for (const [i, j] of picks) {
          const org = idx.get(nodes[i % nodes.length]!.id)!;
          const auth = idx.get(nodes[j % nodes.length]!.id)!;
          const problem = designationProblem(org, auth, idx);
          const next = new Map(idx).set(org.id, { ...org, filingAuthorityId: auth.id });
          // Walk by hand: from the authority, at most |tree| steps until a fixed point.
          let cur = auth;
          let back = auth.id === org.id;
          for (let k = 0; k <= next.size && !back; k++) {
            const up = filingAuthority(cur, next);
            if (up.id === org.id) back = true;
            if (up.id === cur.id) break;
            cur = up;
          }
          expect(problem !== undefined).toBe(back);
          if (!problem) idx.set(org.id, { ...org, filingAuthorityId: auth.id });
        }
      }),
      RUNS,
    );
  });
});
