/**
 * Stateless integer hashing. The inventory is never stored: every attribute of
 * object #i is recomputed from (seed, kind, i, field), which is what keeps a
 * 100,000-replica inventory at a few kilobytes and makes it deterministic.
 */

/** Murmur3's 32-bit finalizer: cheap and well mixed. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Unsigned 32-bit hash of up to four integers. */
export function hash(a: number, b = 0, c = 0, d = 0): number {
  let h = fmix(a ^ 0x9e3779b9);
  h = fmix(h ^ Math.imul(b + 0x632be5ab, 0x27d4eb2f));
  h = fmix(h ^ Math.imul(c + 0x85157af5, 0x165667b1));
  return fmix(h ^ Math.imul(d + 0x1b873593, 0xcc9e2d51));
}

/** A value in [0, n) derived from the hash inputs. */
export function pick(n: number, a: number, b = 0, c = 0, d = 0): number {
  return n <= 1 ? 0 : hash(a, b, c, d) % n;
}

/** A float in [0, 1) derived from the hash inputs. */
export function unit(a: number, b = 0, c = 0, d = 0): number {
  return hash(a, b, c, d) / 0x1_0000_0000;
}

export function hex(value: number, width: number): string {
  return (value >>> 0).toString(16).padStart(width, '0').slice(-width);
}
