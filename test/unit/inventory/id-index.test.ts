import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../../src/inventory/id-index.js';

/** A deterministic pseudo-random sequence (xorshift32), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('IdIndex', () => {
  it('agrees with a Map through adds, lookups and deletes, across growth and rehashing', () => {
    const next = random(7);
    const index = new IdIndex();
    const oracle = new Map<string, number>();
    const ids: string[] = [];
    const alphabet = ['a', 'b', '-', '7', 'é', '€', '😀', ':'];
    const makeId = (): string => {
      const length = 1 + Math.floor(next() * 40);
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    };
    let rows = 0;
    for (let step = 0; step < 60_000; step++) {
      const r = next();
      if (r < 0.6) {
        const id = makeId();
        if (oracle.has(id)) continue;
        index.add(id, rows);
        oracle.set(id, rows);
        ids.push(id);
        rows++;
      } else if (r < 0.8 && ids.length > 0) {
        const id = ids[Math.floor(next() * ids.length)]!;
        expect(index.delete(id)).toBe(oracle.get(id) ?? -1);
        oracle.delete(id);
      } else {
        const id = next() < 0.5 && ids.length > 0 ? ids[Math.floor(next() * ids.length)]! : makeId();
        expect(index.get(id)).toBe(oracle.get(id) ?? -1);
      }
    }
    expect(rows).toBeGreaterThan(20_000);
    expect(index.size).toBe(oracle.size);
    for (const id of ids) expect(index.get(id)).toBe(oracle.get(id) ?? -1);
    expect([...index.entries()]).toEqual([...oracle.entries()].sort((a, b) => a[1] - b[1]));
  });

  it('gives back each row\'s id exactly, deleted rows included', () => {
    const index = new IdIndex();
    const ids = ['', 'x', 'urn:veeam:Replica:6fd39dcc-0e91-456e-8509-000000000001', 'ünïcødé', '𝔸𝔹', 'a'.repeat(5_000)];
    ids.forEach((id, row) => index.add(id, row));
    expect(index.delete('x')).toBe(1);
    expect(index.delete('x')).toBe(-1);
    ids.forEach((id, row) => expect(index.idOf(row)).toBe(id));
    expect(index.get('x')).toBe(-1);
    expect(index.get('a'.repeat(5_000))).toBe(5);
    expect(index.get('a'.repeat(4_999))).toBe(-1);
  });

  it('refuses a duplicate id and rows out of order', () => {
    const index = new IdIndex();
    index.add('a', 0);
    expect(() => index.add('a', 1)).toThrow(/already present/);
    expect(() => index.add('b', 5)).toThrow(/in order/);
    // A deleted id can come back as a new row.
    index.delete('a');
    index.add('a', 1);
    expect(index.get('a')).toBe(1);
  });
});

describe('IdIndex snapshot', () => {
  it('crosses to another thread by transfer and answers as before, growing on from there', () => {
    const index = new IdIndex();
    const ids = Array.from({ length: 5_000 }, (_, i) => `urn:veeam:Replica:${i.toString(36)}-ü`);
    ids.forEach((id, row) => index.add(id, row));
    for (let i = 0; i < ids.length; i += 7) index.delete(ids[i]!);
    const snapshot = index.snapshot();
    const transfer = [snapshot.bytes.buffer, snapshot.start.buffer, snapshot.hashes.buffer, snapshot.slots.buffer] as ArrayBuffer[];
    const moved = structuredClone(snapshot, { transfer });
    // Moved, not copied: the original's buffers are gone.
    expect(snapshot.slots.byteLength).toBe(0);
    const restored = IdIndex.restore(moved);
    expect(restored.size).toBe(ids.length - Math.ceil(ids.length / 7));
    ids.forEach((id, row) => {
      expect(restored.get(id)).toBe(row % 7 === 0 ? -1 : row);
      expect(restored.idOf(row)).toBe(id);
    });
    restored.add('new', ids.length);
    expect(restored.get('new')).toBe(ids.length);
  });
});
