// A seeded random source for the demo generator: the same seed gives the same jurisdiction. Built on
// the draw's own generator (cyrb128 + sfc32, src/domain/sampling.ts), never Math.random.
import { cyrb128, sfc32 } from "../domain/sampling";

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [lo, hi], both included. */
  between(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An item chosen with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Log-normal with the given median: most values near it, a long tail above (posting rates are skewed). */
  logNormal(median: number, sigma: number): number;
  /** Poisson-distributed count with mean `mean` (small means only). */
  poisson(mean: number): number;
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream for a sub-part (an account's posts), so parts never shift each other. */
  fork(key: string): Random;
  /** n pseudo-random bytes (the round seeds' entropy, deterministic here). */
  bytes(n: number): Uint8Array;
}

export function createRandom(seed: string): Random {
  const next32 = sfc32(...cyrb128(seed));
  const next = () => next32() / 4_294_967_296;
  const r: Random = {
    next,
    int: (n) => Math.floor(next() * n),
    between: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (items) => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [item, w] of items) {
        x -= w;
        if (x < 0) return item;
      }
      return items.at(-1)![0];
    },
    logNormal: (median, sigma) => {
      // Box–Muller on two uniforms; 1 - u keeps log() away from 0.
      const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * z);
    },
    poisson: (mean) => {
      const limit = Math.exp(-mean);
      let k = 0;
      for (let p = next(); p > limit; p *= next()) k++;
      return k;
    },
    shuffle: (items) => {
      const a = [...items];
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      return a;
    },
    fork: (key) => createRandom(`${seed}/${key}`),
    bytes: (n) => Uint8Array.from({ length: n }, () => next32() & 0xff),
  };
  return r;
}
