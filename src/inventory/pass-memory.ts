import { KnownPoints, KnownReplicas, ServerCodes, type KnownTableSnapshot } from './known-rows.js';
import type { HierarchyRecord } from './sources/hierarchy-read.js';

/**
 * What a successful pass leaves for the next one in the same process: the
 * known-rows tables (then exactly what the database holds, so the next pass
 * need not read 300,000 rows back), and per restore point listing page its
 * fingerprint and the rows it gave. A page whose bytes are unchanged gives the
 * same rows, so the next pass marks them seen without parsing or hashing it.
 *
 * Valid only while this process is the last to have synced: the pass checks
 * `InventorySyncState.lastStartedAt` against `startedAt` and reloads the tables
 * from the database otherwise (another process synced; the tables may be stale).
 */
export interface PassMemory {
  /** Start of the pass that left it. */
  startedAt: Date;
  servers: ServerCodes;
  replicas: KnownReplicas;
  points: KnownPoints;
  pages: PageRecords;
  /** Per backup server, what the pass's read of its hierarchy was: an unchanged listing is then not parsed again. */
  sources: Map<string, HierarchyRecord>;
}

/** What one page gave: the rows of its points and of the replicas they belong to. */
export interface PageRecord {
  fingerprint: string;
  /** KnownPoints rows of the page's points. */
  points: Int32Array;
  /** KnownReplicas rows of the replicas those points belong to. */
  replicas: Int32Array;
  /** 1 where this page offered the replica's row (the replica's first point in that pass was here). */
  owned: Uint8Array;
  /** Points ignored because EM listed them under no known backup server. */
  skipped: number;
}

/**
 * Page records of one pass, keyed by listing and page number. `context` is a
 * digest of everything else a page's rows are built from (the job-level
 * replicas, the listed backup servers): records of another context are never
 * used.
 */
export class PageRecords {
  private readonly pages: Map<string, PageRecord>;
  constructor(
    readonly context: string,
    pages: Iterable<[string, PageRecord]> = [],
  ) {
    this.pages = new Map(pages);
  }
  entries(): IterableIterator<[string, PageRecord]> {
    return this.pages.entries();
  }
  get(key: string): PageRecord | undefined {
    return this.pages.get(key);
  }
  set(key: string, record: PageRecord): void {
    this.pages.set(key, record);
  }
}

/** Collects a PageRecord while a page is parsed. */
export class PageRecorder {
  private readonly points: number[] = [];
  private readonly replicas: number[] = [];
  private readonly owned: number[] = [];
  private readonly at = new Map<number, number>();
  skipped = 0;

  point(row: number): void {
    this.points.push(row);
  }

  replica(row: number, owned: boolean): void {
    let i = this.at.get(row);
    if (i === undefined) {
      i = this.replicas.length;
      this.at.set(row, i);
      this.replicas.push(row);
      this.owned.push(0);
    }
    if (owned) this.owned[i] = 1;
  }

  finish(fingerprint: string): PageRecord {
    return {
      fingerprint,
      points: Int32Array.from(this.points),
      replicas: Int32Array.from(this.replicas),
      owned: Uint8Array.from(this.owned),
      skipped: this.skipped,
    };
  }
}

/**
 * Whether a recorded page's rows can be taken as seen and unchanged: every row
 * still exists, and each replica is either seen already in this pass or was
 * first offered by this very page (so its row, built from its first point, is
 * built from the same bytes). A replica first offered by an earlier page last
 * time and not seen yet means that page changed: this page must be parsed.
 */
export function recordApplies(record: PageRecord, replicas: KnownReplicas, points: KnownPoints): boolean {
  for (const row of record.points) if (!points.alive(row)) return false;
  for (let i = 0; i < record.replicas.length; i++) {
    const row = record.replicas[i]!;
    if (!replicas.alive(row)) return false;
    if (record.owned[i] === 0 && !replicas.seen(row)) return false;
  }
  return true;
}

/** PassMemory as plain data, to hand it to another thread (the sync worker) and back. */
export interface PassMemorySnapshot {
  startedAt: Date;
  servers: string[];
  replicas: KnownTableSnapshot;
  points: KnownTableSnapshot;
  pages: { context: string; records: Array<[string, PageRecord]> };
  sources: Array<[string, HierarchyRecord]>;
}

/**
 * The memory as plain data, with the buffers to transfer (not copy) when it
 * is posted to another thread. After the transfer the memory is unusable here.
 */
export function snapshotPassMemory(memory: PassMemory): PassMemorySnapshot {
  return {
    startedAt: memory.startedAt,
    servers: memory.servers.snapshot(),
    replicas: memory.replicas.snapshot(),
    points: memory.points.snapshot(),
    pages: { context: memory.pages.context, records: [...memory.pages.entries()] },
    sources: [...memory.sources],
  };
}

/**
 * The buffers of a snapshot, to transfer (not copy) when it is posted to
 * another thread; after that they are unusable on this side.
 */
export function transferListOf(s: PassMemorySnapshot): ArrayBuffer[] {
  const views: ArrayBufferView[] = [s.replicas, s.points].flatMap((t) => [t.words, t.server, t.flags, t.kind, t.index.bytes, t.index.start, t.index.hashes, t.index.slots]);
  for (const [, record] of s.pages.records) views.push(record.points, record.replicas, record.owned);
  // Each buffer once; a view that does not own its whole buffer (none here) is copied instead.
  return [...new Set(views.filter((v) => v.byteOffset === 0 && v.byteLength === v.buffer.byteLength).map((v) => v.buffer as ArrayBuffer))];
}

export function restorePassMemory(s: PassMemorySnapshot): PassMemory {
  const servers = ServerCodes.restore(s.servers);
  return {
    startedAt: s.startedAt,
    servers,
    replicas: KnownReplicas.restore(s.replicas, servers),
    points: KnownPoints.restore(s.points, servers),
    pages: new PageRecords(s.pages.context, s.pages.records),
    sources: new Map(s.sources),
  };
}
