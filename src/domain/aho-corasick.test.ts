import { describe, expect, it } from "vitest";
import { AhoCorasick } from "./aho-corasick";

/** Every occurrence by brute force, in the automaton's order (by end, then longest first). */
function naive(keys: readonly string[], text: string) {
  const out: { key: number; start: number; end: number }[] = [];
  const first = new Map<string, number>();
  keys.forEach((k, i) => k && !first.has(k) && first.set(k, i));
  for (let end = 1; end <= text.length; end++) {
    for (const [k, i] of first) if (end >= k.length && text.slice(end - k.length, end) === k) out.push({ key: i, start: end - k.length, end });
  }
  return out.sort((a, b) => a.end - b.end || a.start - b.start);
}

const sorted = (m: { key: number; start: number; end: number }[]) => [...m].sort((a, b) => a.end - b.end || a.start - b.start);

describe("AhoCorasick", () => {
  it("finds overlapping keys (the classic he/she/his/hers)", () => {
    const ac = new AhoCorasick(["he", "she", "his", "hers"]);
    expect(sorted(ac.search("ushers"))).toEqual([
      { key: 1, start: 1, end: 4 },
      { key: 0, start: 2, end: 4 },
      { key: 3, start: 2, end: 6 },
    ]);
  });

  it("agrees with a brute-force scan on random CJK text and keys", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const ch = () => String.fromCharCode(0x4e00 + Math.floor(rnd() * 6));
    for (let round = 0; round < 50; round++) {
      const keys = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => Array.from({ length: 1 + Math.floor(rnd() * 4) }, ch).join(""));
      const text = Array.from({ length: Math.floor(rnd() * 60) }, ch).join("");
      expect(sorted(new AhoCorasick(keys).search(text)), `${keys.join("|")} in ${text}`).toEqual(naive(keys, text));
    }
  });

  it("treats every character literally, surrogate pairs included, and ignores empty keys", () => {
    const ac = new AhoCorasick(["", "a.*b", "𠮷布"]);
    expect(ac.search("axb a.*b 𠮷布署")).toEqual([
      { key: 1, start: 4, end: 8 },
      { key: 2, start: 9, end: 12 },
    ]);
    expect(new AhoCorasick([]).search("任何文字")).toEqual([]);
  });
});
