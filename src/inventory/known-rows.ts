import type { PrismaClient } from '../generated/prisma/client.js';
import { fnv1a32, REF_SEPARATOR } from './hash.js';
import { IdIndex, type IdIndexSnapshot } from './id-index.js';
import { REPLICA_KINDS, type ReplicaKind } from './types.js';

/**
 * What the cache holds before a sync, reduced to what the diff needs, in a
 * compact table: per row a 64-bit digest of each hash (typed arrays), its
 * backup server and kind as small integers, and a `seen` flag the sync sets
 * (mark), so rows left unseen after a complete pass can be deleted (sweep).
 * The ids are kept outside the JavaScript heap too (IdIndex), so there is no
 * object per row at all: about 80 bytes a row, some 30 MB for 100,000
 * replicas and their 300,000 points, and nothing for the garbage collector to
 * trace or to size the heap by.
 *
 * Digests: the stored hashes are already uniformly distributed (SHA-1/MD5
 * prefixes); two independent 32-bit FNV-1a variants over the text give 64
 * bits, so a changed row is mistaken for an unchanged one with odds of about
 * 2^-64.
 */

/** Rows read per query: keeps each answer small while the whole table streams through. */
const CHUNK = 20_000;

/** The second 32 bits of a digest: independent of FNV-1a (other direction, other constants). */
function digestB(s: string): number {
  let h = 0x9e3779b9;
  for (let i = s.length - 1; i >= 0; i--) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

/** Small integer codes of backup server ids (shared by both tables). */
export class ServerCodes {
  private readonly codes = new Map<string, number>();
  private readonly ids: string[] = [];
  code(id: string): number {
    let c = this.codes.get(id);
    if (c === undefined) {
      c = this.ids.length;
      if (c > 0xffff) throw new RangeError('more than 65,536 backup servers');
      this.codes.set(id, c);
      this.ids.push(id);
    }
    return c;
  }
  id(code: number): string {
    return this.ids[code]!;
  }
  /** The ids in code order (see restore). */
  snapshot(): string[] {
    return [...this.ids];
  }
  static restore(ids: readonly string[]): ServerCodes {
    const codes = new ServerCodes();
    for (const id of ids) codes.code(id);
    return codes;
  }
}

/** A known-rows table as plain data whose typed arrays can be transferred to another thread. */
export interface KnownTableSnapshot {
  index: IdIndexSnapshot;
  words: Uint32Array;
  server: Uint16Array;
  flags: Uint8Array;
  kind: Uint8Array;
  length: number;
}

/** Growable columns of one table; `slots` 64-bit digests per row. */
class Columns {
  words: Uint32Array;
  server: Uint16Array;
  /** bit 0: seen; bits 1..: per-table flags. */
  flags: Uint8Array;
  kind: Uint8Array;
  length = 0;
  constructor(private readonly slots: number, capacity = 1024) {
    this.words = new Uint32Array(capacity * slots * 2);
    this.server = new Uint16Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.kind = new Uint8Array(capacity);
  }
  push(): number {
    if (this.length === this.server.length) {
      const cap = this.server.length * 2;
      const grow = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T, n: number): T => {
        const b = new (a.constructor as new (n: number) => T)(n);
        b.set(a);
        return b;
      };
      this.words = grow(this.words, cap * this.slots * 2);
      this.server = grow(this.server, cap);
      this.flags = grow(this.flags, cap);
      this.kind = grow(this.kind, cap);
    }
    return this.length++;
  }
  set(row: number, slot: number, text: string): void {
    const at = (row * this.slots + slot) * 2;
    this.words[at] = fnv1a32(text);
    this.words[at + 1] = digestB(text);
  }
  equals(row: number, slot: number, text: string): boolean {
    const at = (row * this.slots + slot) * 2;
    return this.words[at] === fnv1a32(text) && this.words[at + 1] === digestB(text);
  }
}

const SEEN = 1;
/** Replicas: CDP intervals were stored (cdpHash not null). */
const HAS_CDP = 2;
/** Deleted from the database by a sweep: the row number stays (page records point at rows), the id is gone. */
const DEAD = 4;
const HASH = 0;
const REFS = 1;
const CDP = 2;
/** Replicas: digest of what the row was last built from (see KnownReplicas.inputEquals). */
const INPUT = 3;
const KIND_CODES = new Map<ReplicaKind, number>(REPLICA_KINDS.map((k, i) => [k, i]));

abstract class KnownTable {
  protected index = new IdIndex();
  protected abstract readonly cols: Columns;
  constructor(protected readonly servers: ServerCodes) {}

  /**
   * The table as plain data (the server codes go separately, shared by both
   * tables). Its arrays are this table's own: transfer them and this table is
   * no longer usable.
   */
  snapshot(): KnownTableSnapshot {
    const c = this.cols;
    return { index: this.index.snapshot(), words: c.words, server: c.server, flags: c.flags, kind: c.kind, length: c.length };
  }

  /** Takes over a snapshot's arrays (a new, empty table only). */
  protected restoreFrom(s: KnownTableSnapshot): this {
    this.index = IdIndex.restore(s.index);
    Object.assign(this.cols, { words: s.words, server: s.server, flags: s.flags, kind: s.kind, length: s.length });
    return this;
  }

  get size(): number {
    return this.index.size;
  }
  /** Rows ever added, dead ones included: row numbers are below this. */
  get length(): number {
    return this.cols.length;
  }
  /** Rows removed by sweeps and still taking a row number. */
  get dead(): number {
    return this.cols.length - this.index.size;
  }
  alive(row: number): boolean {
    return row >= 0 && row < this.cols.length && (this.cols.flags[row]! & DEAD) === 0;
  }
  /** Clears every `seen` flag, so a table kept from the last pass can serve the next one. */
  resetSeen(): void {
    const flags = this.cols.flags;
    for (let i = 0; i < this.cols.length; i++) flags[i]! &= ~SEEN;
  }
  /** Forgets rows the sweep deleted. */
  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const row = this.index.delete(id);
      if (row >= 0) this.cols.flags[row]! |= DEAD;
    }
  }
  /** Row number of an id, or -1. */
  find(id: string): number {
    return this.index.get(id);
  }
  seen(row: number): boolean {
    return (this.cols.flags[row]! & SEEN) !== 0;
  }
  markSeen(row: number): void {
    this.cols.flags[row]! |= SEEN;
  }
  hashEquals(row: number, hash: string): boolean {
    return this.cols.equals(row, HASH, hash);
  }
  setHash(row: number, hash: string): void {
    this.cols.set(row, HASH, hash);
  }
  server(row: number): string {
    return this.servers.id(this.cols.server[row]!);
  }
  setServer(row: number, server: string): void {
    this.cols.server[row] = this.servers.code(server);
  }
  protected addRow(id: string, server: string, hash: string, seen: boolean): number {
    const row = this.cols.push();
    this.index.add(id, row);
    this.cols.server[row] = this.servers.code(server);
    this.cols.flags[row] = seen ? SEEN : 0;
    this.cols.set(row, HASH, hash);
    return row;
  }
  /** Ids of rows not seen whose server is in `complete`; `count` is called with each one's row. */
  unseen(complete: Set<string>, count: (row: number) => void): string[] {
    const ids: string[] = [];
    for (const [id, row] of this.index.entries()) {
      if (this.seen(row) || !complete.has(this.server(row))) continue;
      ids.push(id);
      count(row);
    }
    return ids;
  }
}

export class KnownReplicas extends KnownTable {
  protected readonly cols = new Columns(4);
  static restore(s: KnownTableSnapshot, servers: ServerCodes): KnownReplicas {
    return new KnownReplicas(servers).restoreFrom(s);
  }
  add(id: string, kind: ReplicaKind, server: string, hash: string, refsHash: string | null, cdpHash: string | null, seen: boolean): number {
    const row = this.addRow(id, server, hash, seen);
    this.cols.kind[row] = KIND_CODES.get(kind)!;
    // A new row's refs are written with it; no stored refs hash matches nothing.
    this.cols.set(row, REFS, refsHash ?? '');
    if (cdpHash !== null) this.setCdp(row, cdpHash);
    return row;
  }
  kind(row: number): ReplicaKind {
    return REPLICA_KINDS[this.cols.kind[row]!]!;
  }
  setKind(row: number, kind: ReplicaKind): void {
    this.cols.kind[row] = KIND_CODES.get(kind)!;
  }
  refsEquals(row: number, refsHash: string): boolean {
    return this.cols.equals(row, REFS, refsHash);
  }
  setRefs(row: number, refsHash: string): void {
    this.cols.set(row, REFS, refsHash);
  }
  hasCdp(row: number): boolean {
    return (this.cols.flags[row]! & HAS_CDP) !== 0;
  }
  cdpEquals(row: number, cdpHash: string): boolean {
    return this.hasCdp(row) && this.cols.equals(row, CDP, cdpHash);
  }
  setCdp(row: number, cdpHash: string): void {
    this.cols.flags[row]! |= HAS_CDP;
    this.cols.set(row, CDP, cdpHash);
  }
  /**
   * Whether the row was last built, in a pass of this process, from inputs of
   * this digest: then building it again gives the same row. Rows read from
   * the database have no input digest and never match.
   */
  inputEquals(row: number, input: string): boolean {
    return this.cols.equals(row, INPUT, input);
  }
  setInput(row: number, input: string): void {
    this.cols.set(row, INPUT, input);
  }
}

export class KnownPoints extends KnownTable {
  protected readonly cols = new Columns(1);
  static restore(s: KnownTableSnapshot, servers: ServerCodes): KnownPoints {
    return new KnownPoints(servers).restoreFrom(s);
  }
  add(id: string, server: string, hash: string, seen: boolean): number {
    return this.addRow(id, server, hash, seen);
  }
}

export async function loadKnownReplicas(prisma: PrismaClient, servers: ServerCodes): Promise<KnownReplicas> {
  const known = new KnownReplicas(servers);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await prisma.$queryRawUnsafe<Array<{ id: string; kind: ReplicaKind; s: string; h: string; rh: string; ch: string | null }>>(
      `SELECT id::text AS id, kind::text AS kind, "backupServerId" AS s, "contentHash" AS h,
              md5(array_to_string(refs, E'${REF_SEPARATOR}')) AS rh, "cdpHash" AS ch
         FROM "Replica" WHERE id > $1::uuid ORDER BY id LIMIT ${CHUNK}`,
      after,
    );
    for (const r of rows) known.add(r.id, r.kind, r.s, r.h, r.rh, r.ch, false);
    if (rows.length < CHUNK) return known;
    after = rows[rows.length - 1]!.id;
  }
}

export async function loadKnownPoints(prisma: PrismaClient, servers: ServerCodes): Promise<KnownPoints> {
  const known = new KnownPoints(servers);
  let after = '';
  for (;;) {
    const rows = await prisma.$queryRawUnsafe<Array<{ id: string; s: string; h: string }>>(
      `SELECT p.id, r."backupServerId" AS s, p."contentHash" AS h
         FROM "RestorePoint" p JOIN "Replica" r ON r.id = p."replicaId"
        WHERE p.id > $1 ORDER BY p.id LIMIT ${CHUNK}`,
      after,
    );
    for (const r of rows) known.add(r.id, r.s, r.h, false);
    if (rows.length < CHUNK) return known;
    after = rows[rows.length - 1]!.id;
  }
}
