// Property: over random org trees, a token sees exactly its own subtree through the API (docs/规则依据.md#可见范围),
// and an account's open filing goes to the authority computed by walking the tree by hand.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ORG_LEVELS, type OrgLevel } from "../src/domain/orgs";
import { makeTestApp, token } from "./helpers";

interface Spec {
  parent: number; // index into the orgs created so far
  department: boolean;
  /** A would-be government becomes a zone (开发区/管委会), placed and filing like a government. */
  zone: boolean;
}

const treeArb = fc.array(fc.record({ parent: fc.nat(), department: fc.boolean(), zone: fc.boolean() }), { minLength: 1, maxLength: 10 });

describe("visibility over random org trees", () => {
  it("GET answers 200 inside the caller's subtree and 404 outside, for orgs, accounts and filings", async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, async (specs: Spec[]) => {
        const t = await makeTestApp();
        try {
          const root = await t.bootstrap("根政府", "province");
          const nodes: { id: string; parent: number; kind: string; level: OrgLevel }[] = [{ id: root.orgId, parent: -1, kind: "government", level: "province" }];
          for (const [i, s] of specs.entries()) {
            const pIdx = s.parent % nodes.length;
            const p = nodes[pIdx]!;
            const lower = ORG_LEVELS[ORG_LEVELS.indexOf(p.level) + 1];
            // A government or zone needs a government or zone parent one level up; otherwise make a department.
            const asGov = !s.department && p.kind !== "department" && lower !== undefined;
            const level = asGov ? lower! : p.level;
            const kind = asGov ? (s.zone ? "zone" : "government") : "department";
            const made = await t.call(root.token, "POST", "/api/orgs", { name: `机构${i}`, kind, level, parentId: p.id });
            expect(made.status, JSON.stringify(made.body)).toBe(201);
            const id = made.body.id as string;
            nodes.push({ id, parent: pIdx, kind, level });
          }
          const within = (b: number, a: number): boolean => b === a || (b > 0 && within(nodes[b]!.parent, a));
          const authority = (i: number): number => {
            let j = nodes[i]!.parent;
            while (j >= 0 && nodes[j]!.kind === "department") j = nodes[j]!.parent;
            return j >= 0 ? j : i;
          };
          const viewers: string[] = [];
          const accounts: string[] = [];
          const filings: string[] = [];
          for (const [i, n] of nodes.entries()) {
            viewers.push(await token(t, root.token, n.id, "viewer"));
            const op = await token(t, root.token, n.id, "operator");
            const acc = await t.call(op, "POST", "/api/accounts", { orgId: n.id, platform: "weibo", name: `账号${i}` });
            expect(acc.status).toBe(201);
            accounts.push(acc.body.id);
            const [f] = (await t.call(op, "GET", `/api/filings?accountId=${acc.body.id}`)).body.items;
            expect(f.authorityOrgId).toBe(nodes[authority(i)]!.id);
            filings.push(f.id);
          }
          for (let a = 0; a < nodes.length; a++) {
            const listed = (await t.call(viewers[a]!, "GET", "/api/orgs")).body.items.map((o: { id: string }) => o.id);
            const expected = nodes.filter((_, b) => within(b, a)).map((n) => n.id);
            expect(new Set(listed)).toEqual(new Set(expected));
            for (let b = 0; b < nodes.length; b++) {
              const want = within(b, a) ? 200 : 404;
              expect((await t.call(viewers[a]!, "GET", `/api/orgs/${nodes[b]!.id}`)).status).toBe(want);
              expect((await t.call(viewers[a]!, "GET", `/api/accounts/${accounts[b]}`)).status).toBe(want);
              expect((await t.call(viewers[a]!, "GET", `/api/filings/${filings[b]}`)).status).toBe(want);
            }
          }
        } finally {
          t.close();
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
