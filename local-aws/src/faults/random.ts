import { randomBytes } from "node:crypto";

/** A number in [0, 1). */
export type Random = () => number;

/** Unpredictable rolls, for runs without --fault-seed. */
export const cryptoRandom: Random = () => randomBytes(4).readUInt32BE(0) / 2 ** 32;

/**
 * mulberry32: a small PRNG whose sequence depends on the seed alone, so that a test with --fault-seed sees the same
 * faults on the same requests every run. Not for anything secret.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
