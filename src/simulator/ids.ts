import { hash, hex } from './hash.js';

/**
 * Generated objects get GUIDs that encode their kind and index, so a lookup by
 * id is arithmetic instead of a 100,000-entry map: the last group is the
 * index, the second the kind tag; the rest is seeded noise, and decoding checks
 * it so a GUID from another seed is "not found" rather than silently aliased.
 */
export const Tag = {
  BackupServer: 0x0b51,
  Replica: 0x0e91,
  VmReplicaPoint: 0x0a91,
  CdpReplica: 0x0cd9,
  CdpReplicaVm: 0x0cd1,
  VAppReplicaPoint: 0x0aa9,
  VAppCdpReplica: 0x0ac9,
  Repository: 0x0e90,
  Policy: 0x0901,
  Job: 0x0b0b,
  VcenterRoot: 0x0ce0,
  VcdRoot: 0x0cd0,
  VcdObject: 0x0c0b,
  VsphereTag: 0x0ea9,
  VsphereCategory: 0x0ea8,
  VcenterInstance: 0x0ce1,
  VcdInstance: 0x0cd2,
  LongTermPoint: 0x0e79,
  VmBios: 0x0b10,
} as const;
export type Tag = (typeof Tag)[keyof typeof Tag];

export function guid(seed: number, tag: Tag, index: number, salt = 0): string {
  const a = hash(seed, tag, index, salt);
  const b = hash(a, seed, index, 7);
  return `${hex(a, 8)}-${hex(tag, 4)}-4${hex(b >>> 20, 3)}-${hex(0x8000 | ((b >>> 4) & 0x3fff), 4)}-${index
    .toString(16)
    .padStart(12, '0')}`;
}

const GUID = /^([0-9a-f]{8})-([0-9a-f]{4})-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12})$/i;

/** The index a GUID encodes for `tag`, or undefined if it is not one of ours. */
export function indexOf(seed: number, tag: Tag, id: string): number | undefined {
  const m = GUID.exec(id);
  if (!m || Number.parseInt(m[2]!, 16) !== tag) return undefined;
  const index = Number.parseInt(m[3]!, 16);
  return guid(seed, tag, index).toLowerCase() === id.toLowerCase() ? index : undefined;
}

export function uid(type: string, id: string): string {
  return `urn:veeam:${type}:${id}`;
}

/** The bare GUID at the end of a `urn:veeam:<Type>:<guid>` UID (or the input if it is bare). */
export function bareId(uidOrId: string): string {
  const at = uidOrId.lastIndexOf(':');
  return at === -1 ? uidOrId : uidOrId.slice(at + 1);
}
