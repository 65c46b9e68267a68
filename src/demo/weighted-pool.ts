// Weighted draws from a set that shrinks as items are taken (a Fenwick tree of the weights), for the
// generator's "a unit that has no account on this platform yet" draws: rebuilding the list for every
// draw made a 50,000-account plan quadratic (minutes). The draw is the one Random.weighted makes over
// the remaining items in their order: one `next()`, the first item whose running sum passes it.
import type { Random } from "./random";

export class WeightedPool<T> {
  private readonly tree: Float64Array;
  private readonly weights: Float64Array;
  private live = 0;

  constructor(private readonly items: readonly T[], weight: (item: T) => number) {
    this.tree = new Float64Array(items.length + 1);
    this.weights = new Float64Array(items.length);
    items.forEach((item, i) => this.set(i, weight(item)));
  }

  /** Sets item i's weight (0 takes it out of the draw). */
  set(i: number, w: number): void {
    const delta = w - this.weights[i]!;
    if (delta === 0) return;
    if (this.weights[i] === 0) this.live++;
    if (w === 0) this.live--;
    this.weights[i] = w;
    for (let j = i + 1; j < this.tree.length; j += j & -j) this.tree[j]! += delta;
  }

  total(): number {
    let s = 0;
    for (let j = this.tree.length - 1; j > 0; j -= j & -j) s += this.tree[j]!;
    return s;
  }

  /** An item with probability proportional to its weight, or undefined when none is left. */
  draw(rng: Random): T | undefined {
    if (this.live === 0) return undefined;
    let x = rng.next() * this.total();
    // The last position whose prefix sum is ≤ x; the item after it is the one drawn.
    let pos = 0;
    for (let step = 1 << Math.floor(Math.log2(this.tree.length)); step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.tree.length && this.tree[next]! <= x) {
        pos = next;
        x -= this.tree[next]!;
      }
    }
    // Item `pos` is the one drawn; rounding can leave pos on a zero weight or past the end: take the
    // next live item, else the last live one.
    for (let i = pos; i < this.items.length; i++) if (this.weights[i]! > 0) return this.items[i];
    for (let i = this.items.length - 1; i >= 0; i--) if (this.weights[i]! > 0) return this.items[i];
    return undefined;
  }
}
