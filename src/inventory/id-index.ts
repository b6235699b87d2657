/**
 * Row numbers by id, for the known-rows tables, held outside the JavaScript
 * heap: the ids' UTF-8 bytes back to back in one buffer, and an
 * open-addressing hash table of row numbers in a typed array.
 *
 * Why not a `Map<string, number>`: with 100,000 replicas and their 300,000
 * restore points, the map's id strings and hash table were about 57 MB of
 * the sync's 80 MB live heap. V8 lets the heap grow to a multiple of what
 * survives each full collection, so every live megabyte cost about four of
 * peak memory. Bytes in buffers are not traced and do not set that limit;
 * here they take about 50 bytes a row.
 *
 * Lookups are exact: a matching 32-bit hash only selects the candidate, whose
 * stored bytes are then compared with the id's.
 */

import { fnv1a32 } from './hash.js';
import { growInt, TextColumn } from './text-column.js';

/** Slot values: 0 empty, -1 deleted, else row + 1. */
const EMPTY = 0;
const DELETED = -1;

/** FNV-1a of the id, mixed again so that ids differing only at the end still spread over the low bits used for slots. */
function hashOf(id: string): number {
  let h = fnv1a32(id);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** An IdIndex as plain data whose typed arrays can be transferred to another thread (see IdIndex.snapshot). */
export interface IdIndexSnapshot {
  bytes: Uint8Array;
  start: Uint32Array;
  hashes: Uint32Array;
  slots: Int32Array;
  rows: number;
  live: number;
  deleted: number;
}

export class IdIndex {
  /** The ids' UTF-8 bytes, by row (deleted ones too). */
  private ids = new TextColumn();
  private hashes: Uint32Array = new Uint32Array(1024);
  private slots: Int32Array = new Int32Array(2048);
  /** Slots holding a row (not empty, not deleted). */
  private live = 0;
  /** Slots marked deleted: they lengthen probes until the next rehash. */
  private deleted = 0;
  /** Reused to encode the id being looked up. */
  private scratch = Buffer.alloc(256);

  /** Ids present (deleted ones not counted). */
  get size(): number {
    return this.live;
  }

  /** Row of `id`, or -1. */
  get(id: string): number {
    const slot = this.slotOf(id, hashOf(id));
    return slot < 0 ? -1 : this.slots[slot]! - 1;
  }

  /**
   * Stores `id` as row `row`. Rows are numbered in order: `row` must be the
   * number of rows stored so far (the known-rows tables append only). An id
   * already present is a caller's bug and throws.
   */
  add(id: string, row: number): void {
    if (row !== this.ids.length) throw new RangeError(`IdIndex rows are appended in order: expected row ${this.ids.length}, got ${row}`);
    const hash = hashOf(id);
    if (this.slotOf(id, hash) >= 0) throw new Error(`IdIndex: id already present: ${id}`);
    this.append(id, hash);
    if ((this.live + this.deleted + 1) * 2 > this.slots.length) this.rehash();
    this.place(row, hash);
    this.live++;
  }

  /** Removes `id`; returns its row, or -1 when absent. Its bytes stay (the row number stays taken). */
  delete(id: string): number {
    const slot = this.slotOf(id, hashOf(id));
    if (slot < 0) return -1;
    const row = this.slots[slot]! - 1;
    this.slots[slot] = DELETED;
    this.live--;
    this.deleted++;
    return row;
  }

  /** The id stored as `row` (present or deleted). */
  idOf(row: number): string {
    return this.ids.get(row);
  }

  /** Rows present, in row order. */
  *entries(): IterableIterator<[id: string, row: number]> {
    const present = new Uint8Array(this.ids.length);
    for (const v of this.slots) if (v > 0) present[v - 1] = 1;
    for (let row = 0; row < this.ids.length; row++) if (present[row] === 1) yield [this.idOf(row), row];
  }

  /** Gives back the room kept for growth in the ids and their hashes (the slot table keeps its load). */
  trim(): void {
    this.ids.trim();
    this.hashes = this.hashes.slice(0, this.ids.length);
  }

  /**
   * The index as plain data. Its arrays are this index's own: transfer them
   * (structured clone with a transfer list) and this index is no longer usable.
   */
  snapshot(): IdIndexSnapshot {
    const { bytes, start, rows } = this.ids.snapshot();
    return { bytes, start, hashes: this.hashes, slots: this.slots, rows, live: this.live, deleted: this.deleted };
  }

  /** An index from a snapshot (the arrays are taken over, not copied). */
  static restore(s: IdIndexSnapshot): IdIndex {
    const index = new IdIndex();
    index.ids = TextColumn.restore({ bytes: s.bytes, start: s.start, rows: s.rows });
    index.hashes = s.hashes;
    index.slots = s.slots;
    index.live = s.live;
    index.deleted = s.deleted;
    return index;
  }

  private append(id: string, hash: number): void {
    const row = this.ids.push(id);
    if (row === this.hashes.length) this.hashes = growInt(this.hashes, Math.max(1024, this.hashes.length * 2));
    this.hashes[row] = hash;
  }

  /** Slot holding `id`, or -1. */
  private slotOf(id: string, hash: number): number {
    const mask = this.slots.length - 1;
    let encoded = -1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i]!;
      if (v === EMPTY) return -1;
      if (v === DELETED || this.hashes[v - 1] !== hash) continue;
      if (encoded < 0) encoded = this.encode(id);
      if (this.ids.matches(v - 1, this.scratch, encoded)) return i;
    }
  }

  private encode(id: string): number {
    if (id.length * 3 > this.scratch.length) this.scratch = Buffer.alloc(id.length * 3);
    return this.scratch.write(id, 0, 'utf8');
  }

  private place(row: number, hash: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i]! > 0) i = (i + 1) & mask;
    if (this.slots[i] === DELETED) this.deleted--;
    this.slots[i] = row + 1;
  }

  /** Rebuilds the table without deleted slots, doubled when more than a quarter full of live rows. */
  private rehash(): void {
    const old = this.slots;
    let capacity = old.length;
    while ((this.live + 1) * 4 > capacity) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.deleted = 0;
    for (const v of old) if (v > 0) this.place(v - 1, this.hashes[v - 1]!);
  }
}
