import type { PrismaClient } from '../generated/prisma/client.js';
import { REF_SEPARATOR } from './hash.js';
import type { ReplicaKind } from './types.js';

/**
 * What the cache holds before a sync, reduced to what the diff needs: per row
 * its hash and backup server, and a `seen` flag the sync sets (mark), so rows
 * left unseen after a complete pass can be deleted (sweep). About 100 bytes a
 * row: 100,000 replicas and their points fit in a few tens of MB.
 */
export interface KnownReplica {
  kind: ReplicaKind;
  server: string;
  hash: string;
  /** md5 of the stored refs (see hash.ts refsHash). */
  refsHash: string;
  cdpHash: string | null;
  seen: boolean;
}

export interface KnownPoint {
  server: string;
  hash: string;
  seen: boolean;
}

/** Rows read per query: keeps each answer small while the whole table streams through. */
const CHUNK = 20_000;

/** Shares one string per backup server id instead of one copy per row. */
export type Intern = (s: string) => string;

export function interner(): Intern {
  const strings = new Map<string, string>();
  return (s) => {
    const known = strings.get(s);
    if (known !== undefined) return known;
    strings.set(s, s);
    return s;
  };
}

export async function loadKnownReplicas(prisma: PrismaClient, intern: Intern): Promise<Map<string, KnownReplica>> {
  const known = new Map<string, KnownReplica>();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await prisma.$queryRawUnsafe<Array<{ id: string; kind: ReplicaKind; s: string; h: string; rh: string; ch: string | null }>>(
      `SELECT id::text AS id, kind::text AS kind, "backupServerId" AS s, "contentHash" AS h,
              md5(array_to_string(refs, E'${REF_SEPARATOR}')) AS rh, "cdpHash" AS ch
         FROM "Replica" WHERE id > $1::uuid ORDER BY id LIMIT ${CHUNK}`,
      after,
    );
    for (const r of rows) known.set(r.id, { kind: r.kind, server: intern(r.s), hash: r.h, refsHash: r.rh, cdpHash: r.ch, seen: false });
    if (rows.length < CHUNK) return known;
    after = rows[rows.length - 1]!.id;
  }
}

export async function loadKnownPoints(prisma: PrismaClient, intern: Intern): Promise<Map<string, KnownPoint>> {
  const known = new Map<string, KnownPoint>();
  let after = '';
  for (;;) {
    const rows = await prisma.$queryRawUnsafe<Array<{ id: string; s: string; h: string }>>(
      `SELECT p.id, r."backupServerId" AS s, p."contentHash" AS h
         FROM "RestorePoint" p JOIN "Replica" r ON r.id = p."replicaId"
        WHERE p.id > $1 ORDER BY p.id LIMIT ${CHUNK}`,
      after,
    );
    for (const r of rows) known.set(r.id, { server: intern(r.s), hash: r.h, seen: false });
    if (rows.length < CHUNK) return known;
    after = rows[rows.length - 1]!.id;
  }
}
