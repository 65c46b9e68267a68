import { describe, expect, it } from "vitest";
import { originalShare, pooledOriginalShare } from "./reposts";

describe("originalShare", () => {
  it("originals / all posts of the period", () => {
    expect(originalShare({ posts: 4, reposts: 1 })).toBe(0.75);
    expect(originalShare({ posts: 3, reposts: 0 })).toBe(1);
    expect(originalShare({ posts: 2, reposts: 2 })).toBe(0);
  });
  it("no posts: no share (null), never a division by zero", () => {
    expect(originalShare({ posts: 0, reposts: 0 })).toBeNull();
  });
  it("a unit's share is the ratio of the sums, not the mean of the shares", () => {
    // 1/1 and 1/4: mean 0.625, pooled 2/5.
    expect(pooledOriginalShare([{ posts: 1, reposts: 0 }, { posts: 4, reposts: 3 }])).toBeCloseTo(0.4);
    expect(pooledOriginalShare([])).toBeNull();
  });
});
