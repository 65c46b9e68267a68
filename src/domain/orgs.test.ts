import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ancestors,
  filingAuthority,
  isWithin,
  levelRank,
  ORG_KINDS,
  ORG_LEVELS,
  orgPath,
  placementProblem,
  samplingUnit,
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
          else ok = parent.kind === "government" && levelRank(child.level) === levelRank(parent.level) + 1;
          const problem = placementProblem(child, parent);
          expect(problem === undefined).toBe(ok);
          if (problem !== undefined) expect(problem).toMatch(/[\u4e00-\u9fff]/);
        },
      ),
      RUNS,
    );
  });
});
