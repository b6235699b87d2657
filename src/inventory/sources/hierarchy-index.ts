import { createHash } from 'node:crypto';
import type { VbrInventoryObject } from '../../vbr/types.js';

/** What a urn says once turned into EM refs: every ancestor, root first, and the object itself last. */
export type UrnRefs = { ok: true; refs: string[] } | { ok: false; gap: string };

/** Turns one Inventory Browser object's urn into EM refs (see src/hierarchy). */
export type UrnToRefs = (object: VbrInventoryObject) => UrnRefs;

/** A VM or vApp of one backup server's hosts, as the Inventory Browser placed it. */
export interface PlacedObject {
  platform: string;
  hostName: string;
  objectId: string;
  name: string;
  /** Its own EM ref. */
  ref: string;
  /** Every ancestor ref met in any hierarchy, and its own ref last. */
  refs: string[];
  /** Every urn the object was listed under (one per hierarchy, one per tag). */
  urns: string[];
  /** vApps: the EM refs of their member VMs. */
  memberRefs: string[];
}

/** A container (datacenter, folder, cluster, tag, organization…) with its name, for scopes and the containers query. */
export interface PlacedContainer {
  ref: string;
  name: string;
  type: string;
  hostName: string;
}

const PLACED_TYPES = new Set(['virtualmachine', 'vapp']);
const key = (hostName: string, objectId: string): string => `${hostName.toLowerCase()}\n${objectId}`;

/**
 * The hierarchy of one backup server's vCenters and Cloud Director systems,
 * built from Inventory Browser listings: each VM and vApp with every ancestor
 * ref from every hierarchy it appears in, and each container by ref. Lookups
 * by (host, objectId) are exact; lookups by name may find several objects,
 * which the caller must disambiguate or count as a gap, never guess.
 */
export class HierarchyIndex {
  private readonly objects = new Map<string, PlacedObject>();
  private readonly byName = new Map<string, PlacedObject[]>();
  private readonly pendingMembers = new Map<string, string[]>();
  private readonly vAppsByRef = new Map<string, PlacedObject>();
  readonly containers = new Map<string, PlacedContainer>();
  /** Objects whose urn could not be read, with why (named in the sync summary). */
  readonly gaps: string[] = [];
  /** Objects listed, containers and placed objects together. */
  listed = 0;
  /** How often each urn segment token was seen: the grammar this server's urns use (for `doctor`). */
  readonly tokens = new Map<string, number>();

  private readonly hash = createHash('sha1');

  constructor(private readonly toRefs: UrnToRefs) {}

  /** Digest of every object listed, in listing order. */
  get digest(): string {
    return this.hash.copy().digest('base64');
  }

  add(object: VbrInventoryObject): void {
    this.listed++;
    this.hash.update(`${object.platform}\n${object.hostName}\n${object.type}\n${object.objectId ?? ''}\n${object.name}\n${object.urn ?? ''}\n`);
    if (!object.urn) {
      this.gaps.push(`${object.type} "${object.name}" on ${object.hostName} has no urn`);
      return;
    }
    for (const segment of object.urn.split(';')) {
      const token = segment.slice(0, Math.max(0, segment.indexOf(':'))) || segment;
      this.tokens.set(token, (this.tokens.get(token) ?? 0) + 1);
    }
    const result = this.toRefs(object);
    if (!result.ok) {
      this.gaps.push(`${object.type} "${object.name}" on ${object.hostName}: ${result.gap}`);
      return;
    }
    const own = result.refs[result.refs.length - 1]!;
    const type = object.type.toLowerCase();
    if (!PLACED_TYPES.has(type) || object.objectId === undefined) {
      if (!this.containers.has(own)) this.containers.set(own, { ref: own, name: object.name, type: object.type, hostName: object.hostName });
      return;
    }
    // A Cloud Director VM belongs to the vApp just above it: it is the vApp's member, and a placed object of its own.
    const parent = result.refs[result.refs.length - 2];
    if (object.platform === 'CloudDirector' && type === 'virtualmachine' && parent !== undefined) this.addMember(parent, own);
    const k = key(object.hostName, object.objectId);
    let placed = this.objects.get(k);
    if (placed === undefined) {
      placed = { platform: object.platform, hostName: object.hostName, objectId: object.objectId, name: object.name, ref: own, refs: [], urns: [], memberRefs: this.pendingMembers.get(own) ?? [] };
      this.pendingMembers.delete(own);
      this.objects.set(k, placed);
      if (type === 'vapp') this.vAppsByRef.set(own, placed);
      const nameKey = `${type}\n${object.name.toLowerCase()}`;
      const same = this.byName.get(nameKey);
      if (same) same.push(placed);
      else this.byName.set(nameKey, [placed]);
    }
    placed.urns.push(object.urn);
    for (const ref of result.refs.slice(0, -1)) if (!placed.refs.includes(ref)) placed.refs.push(ref);
    // Keep the object's own ref last.
    placed.refs = [...placed.refs.filter((r) => r !== own), own];
  }

  private addMember(vAppRef: string, vmRef: string): void {
    const vApp = this.vAppsByRef.get(vAppRef);
    if (vApp !== undefined) {
      if (!vApp.memberRefs.includes(vmRef)) vApp.memberRefs.push(vmRef);
      return;
    }
    const pending = this.pendingMembers.get(vAppRef) ?? [];
    if (!pending.includes(vmRef)) pending.push(vmRef);
    this.pendingMembers.set(vAppRef, pending);
  }

  /** The object with this id on this host (vSphere moref, Cloud Director URN id). */
  find(hostName: string, objectId: string): PlacedObject | undefined {
    return this.objects.get(key(hostName, objectId));
  }

  /** Every VM (`virtualmachine`) or vApp (`vapp`) with this name, on any host of the server. */
  named(type: 'virtualmachine' | 'vapp', name: string, platform: 'VSphere' | 'CloudDirector'): PlacedObject[] {
    return (this.byName.get(`${type}\n${name.toLowerCase()}`) ?? []).filter((o) => o.platform === platform);
  }

  get placed(): number {
    return this.objects.size;
  }
}
