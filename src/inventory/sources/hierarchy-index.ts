import type { VbrInventoryObject } from '../../vbr/types.js';
import { IdIndex } from '../id-index.js';
import { growInt, TextColumn } from '../text-column.js';

/** What a urn says once turned into EM refs: every ancestor, root first, and the object itself last. */
export type UrnRefs = { ok: true; refs: string[] } | { ok: false; gap: string };

/** Turns one Inventory Browser object's urn into EM refs (see src/hierarchy). */
export type UrnToRefs = (object: VbrInventoryObject) => UrnRefs;

/** A container (datacenter, folder, cluster, tag, organization…) with its name, for scopes and the containers query. */
export interface PlacedContainer {
  ref: string;
  name: string;
  type: string;
  hostName: string;
  /** The container just above it in the hierarchy it was first listed in; undefined for a host (vCenter, Cloud Director). */
  parentRef?: string;
}

/** Gaps named in full; past this many only counted. */
const MAX_GAPS_NAMED = 100;
const PLACED_TYPES = new Set(['virtualmachine', 'vapp']);
const PLATFORMS = ['VSphere', 'CloudDirector'] as const;
const key = (hostName: string, objectId: string): string => `${hostName.toLowerCase()}\n${objectId}`;

/**
 * The hierarchy of one backup server's vCenters and Cloud Director systems,
 * built from Inventory Browser listings: each VM and vApp with every ancestor
 * ref from every hierarchy it appears in, and each container by ref. Lookups
 * by (host, objectId) are exact; lookups by name may find several objects,
 * which the caller must disambiguate or count as a gap, never guess.
 *
 * Compact, because a sync of 100,000 replicas runs in a worker with a small
 * heap: ancestor refs are interned once, and the ancestors of an object are
 * one interned list of their numbers (objects under the same host, pool,
 * folders and tags share it). What there is one of per placed object (its
 * key, own ref, platform, name group, ancestor list, a vApp's members) lives
 * outside the heap, in typed arrays and byte buffers (IdIndex, TextColumn,
 * RefLists, Chains), as the known-rows tables do: no object per placed VM
 * for the garbage collector to trace.
 */
export class HierarchyIndex {
  /** Ancestor refs, interned. */
  private readonly refTable: string[] = [];
  private readonly refIds = new Map<string, number>();
  /** Interned ancestor lists (numbers into refTable, ascending); list 0 is the empty one. */
  private readonly sets = new RefLists();
  /** Per placed object, by its number. */
  private readonly ownRefs = new TextColumn();
  private platforms = new Uint8Array(1024);
  private ancestors = new Int32Array(1024);
  /** Object number by key (host and objectId). */
  private readonly byKey = new IdIndex();
  /** Object numbers by name key (type and lower-case name). */
  private readonly names = new Chains();
  /** Per placed object: its chain in `members`, -1 when it is no vApp. */
  private vAppOf = new Int32Array(1024);
  /** Member VMs (numbers into memberRefs) by vApp ref: a vApp's VMs may be listed before the vApp itself. */
  private readonly members = new Chains();
  private readonly memberRefs = new TextColumn();
  readonly containers = new Map<string, PlacedContainer>();
  /** Objects whose urn could not be read, with why (the first MAX_GAPS_NAMED). */
  readonly gaps: string[] = [];
  gapCount = 0;
  /** Objects listed, containers and placed objects together. */
  listed = 0;
  /** How often each urn segment token was seen: the grammar this server's urns use (for `doctor`). */
  readonly tokens = new Map<string, number>();

  private sealed = false;

  constructor(private readonly toRefs: UrnToRefs) {}

  /**
   * Ends the build: drops what only adding needs (the interning keys of
   * ancestor lists, vApp refs by text) and the room kept for growth. The
   * index is held through a whole first sync's listings, and most of its
   * size is columns that grew by doubling.
   */
  seal(): void {
    this.sealed = true;
    this.sets.seal();
    this.members.trim(false);
    this.names.trim(true);
    this.byKey.trim();
    this.ownRefs.trim();
    this.memberRefs.trim();
    this.platforms = this.platforms.slice(0, this.placed);
    this.ancestors = this.ancestors.slice(0, this.placed);
    this.vAppOf = this.vAppOf.slice(0, this.placed);
  }

  get placed(): number {
    return this.ownRefs.length;
  }

  /** Object numbers of a name group, in listing order. */
  private ofName(nameKey: string): number[] {
    return this.names.items(this.names.find(nameKey));
  }

  private gap(text: string): void {
    this.gapCount++;
    if (this.gaps.length < MAX_GAPS_NAMED) this.gaps.push(text);
  }

  private refId(ref: string): number {
    let id = this.refIds.get(ref);
    if (id === undefined) {
      id = this.refTable.push(ref) - 1;
      this.refIds.set(ref, id);
    }
    return id;
  }

  add(object: VbrInventoryObject): void {
    if (this.sealed) throw new Error('HierarchyIndex: add() after seal()');
    this.listed++;
    if (!object.urn) {
      this.gap(`${object.type} "${object.name}" on ${object.hostName} has no urn`);
      return;
    }
    for (const segment of object.urn.split(';')) {
      const token = segment.slice(0, Math.max(0, segment.indexOf(':'))) || segment;
      this.tokens.set(token, (this.tokens.get(token) ?? 0) + 1);
    }
    const result = this.toRefs(object);
    if (!result.ok) {
      this.gap(`${object.type} "${object.name}" on ${object.hostName}: ${result.gap}`);
      return;
    }
    const refs = result.refs;
    const own = refs[refs.length - 1]!;
    const type = object.type.toLowerCase();
    const platform = PLATFORMS.indexOf(object.platform as (typeof PLATFORMS)[number]);
    if (!PLACED_TYPES.has(type) || object.objectId === undefined || platform < 0) {
      if (!this.containers.has(own)) this.containers.set(own, { ref: own, name: object.name, type: object.type, hostName: object.hostName, parentRef: refs[refs.length - 2] });
      return;
    }
    // A Cloud Director VM belongs to the vApp just above it: it is the vApp's member, and a placed object of its own.
    const parent = refs[refs.length - 2];
    if (object.platform === 'CloudDirector' && type === 'virtualmachine' && parent !== undefined) this.addMember(parent, own);
    const k = key(object.hostName, object.objectId);
    let n = this.byKey.get(k);
    if (n < 0) {
      n = this.ownRefs.push(own);
      if (n >= this.ancestors.length) {
        this.ancestors = growInt(this.ancestors, this.ancestors.length * 2);
        this.platforms = growInt(this.platforms, this.ancestors.length);
        this.vAppOf = growInt(this.vAppOf, this.ancestors.length);
      }
      this.platforms[n] = platform;
      this.ancestors[n] = 0;
      this.byKey.add(k, n);
      this.names.append(this.names.chain(`${type}\n${object.name.toLowerCase()}`), n);
      this.vAppOf[n] = type === 'vapp' ? this.members.chain(own) : -1;
    }
    // Every hierarchy adds its ancestors (folders, tags) to the object's list.
    const known = this.sets.list(this.ancestors[n]!);
    const merged = new Set(known);
    for (let i = 0; i < refs.length - 1; i++) merged.add(this.refId(refs[i]!));
    if (merged.size !== known.length) this.ancestors[n] = this.sets.intern([...merged].sort((a, b) => a - b));
  }

  private addMember(vAppRef: string, vmRef: string): void {
    const chain = this.members.chain(vAppRef);
    if (this.members.items(chain).some((m) => this.memberRefs.get(m) === vmRef)) return;
    this.members.append(chain, this.memberRefs.push(vmRef));
  }

  /** The object with this id on this host (vSphere moref, Cloud Director URN id). */
  find(hostName: string, objectId: string): number | undefined {
    const n = this.byKey.get(key(hostName, objectId));
    return n < 0 ? undefined : n;
  }

  /** Every VM (`virtualmachine`) or vApp (`vapp`) with this name, on any host of the server. */
  named(type: 'virtualmachine' | 'vapp', name: string, platform: 'VSphere' | 'CloudDirector'): number[] {
    const p = PLATFORMS.indexOf(platform);
    return this.ofName(`${type}\n${name.toLowerCase()}`).filter((n) => this.platforms[n] === p);
  }

  /** VM names (lower case) that several vSphere VMs of the server share. */
  ambiguousVmNames(): string[] {
    const p = PLATFORMS.indexOf('VSphere');
    const names: string[] = [];
    for (const k of this.names.keys()) {
      if (!k.startsWith('virtualmachine\n')) continue;
      if (this.ofName(k).filter((n) => this.platforms[n] === p).length > 1) names.push(k.slice('virtualmachine\n'.length));
    }
    return names;
  }

  ownRef(n: number): string {
    return this.ownRefs.get(n);
  }

  /** Every ancestor ref, then the object's own. */
  refsOf(n: number): string[] {
    const refs: string[] = [];
    for (const id of this.sets.list(this.ancestors[n]!)) refs.push(this.refTable[id]!);
    refs.push(this.ownRefs.get(n));
    return refs;
  }

  /** A vApp's member VMs. */
  membersOf(n: number): string[] {
    return this.members.items(this.vAppOf[n]!).map((m) => this.memberRefs.get(m));
  }

  /** Whether the object is this ref or lies below it in some hierarchy. */
  isUnder(n: number, ref: string): boolean {
    if (this.ownRefs.get(n) === ref) return true;
    const id = this.refIds.get(ref);
    return id !== undefined && this.sets.list(this.ancestors[n]!).includes(id);
  }

  /** The EM ref of an object named by its urn (a job include), or undefined when the urn cannot be read. */
  refOfUrn(object: VbrInventoryObject): string | undefined {
    const result = this.toRefs(object);
    return result.ok ? result.refs[result.refs.length - 1] : undefined;
  }
}

/**
 * Interned lists of numbers outside the heap: every list's numbers back to
 * back in one typed array, each list found again by its text in an IdIndex.
 * An object's ancestor list is interned again as each hierarchy adds to it,
 * so a server's index holds about as many lists as placed objects: as arrays
 * with their text keys in a Map they were most of the index's heap.
 */
class RefLists {
  private data = new Int32Array(4096);
  /** List i is data[start[i], start[i + 1]). */
  private start = new Uint32Array(1025);
  private count = 0;
  /** Undefined once sealed. */
  private byText: IdIndex | undefined = new IdIndex();

  constructor() {
    this.intern([]);
  }

  /** The number of the list holding exactly `ids` (in that order), added if new. */
  intern(ids: readonly number[]): number {
    if (this.byText === undefined) throw new Error('RefLists: intern() after seal()');
    const text = ids.join(',');
    const found = this.byText.get(text);
    if (found >= 0) return found;
    const at = this.start[this.count]!;
    if (at + ids.length > this.data.length) this.data = growInt(this.data, Math.max(at + ids.length, this.data.length * 2));
    if (this.count + 1 === this.start.length) this.start = growInt(this.start, this.start.length * 2);
    this.data.set(ids, at);
    this.start[this.count + 1] = at + ids.length;
    this.byText.add(text, this.count);
    return this.count++;
  }

  /** Drops the interning keys and the room kept for growth: no list can be added after this. */
  seal(): void {
    this.byText = undefined;
    this.data = this.data.slice(0, this.start[this.count]!);
    this.start = this.start.slice(0, this.count + 1);
  }

  /** List `i`, as a view on the shared array: read it, do not keep or change it. */
  list(i: number): Int32Array {
    return this.data.subarray(this.start[i]!, this.start[i + 1]!);
  }
}

/**
 * Lists of item numbers under text keys, outside the heap: each key has a
 * chain number (IdIndex) and its items are linked through typed arrays, in
 * the order appended. An item is in one chain at most.
 */
class Chains {
  /** Undefined once trimmed without its keys. */
  private byKey: IdIndex | undefined = new IdIndex();
  private first = new Int32Array(1024);
  private last = new Int32Array(1024);
  private next = new Int32Array(1024);
  private chains = 0;
  /** Highest item appended, plus one. */
  private items_ = 0;

  /** The chain of `key`, or -1. */
  find(key: string): number {
    return this.keyed().get(key);
  }

  /** The chain of `key`, added (empty) if new. */
  chain(key: string): number {
    const byKey = this.keyed();
    let c = byKey.get(key);
    if (c < 0) {
      c = this.chains++;
      byKey.add(key, c);
      if (c >= this.first.length) {
        this.first = growInt(this.first, Math.max(1024, this.first.length * 2));
        this.last = growInt(this.last, this.first.length);
      }
      this.first[c] = -1;
    }
    return c;
  }

  append(chain: number, item: number): void {
    if (item >= this.next.length) this.next = growInt(this.next, Math.max(item + 1, this.next.length * 2));
    this.next[item] = -1;
    this.items_ = Math.max(this.items_, item + 1);
    if (this.first[chain]! < 0) this.first[chain] = item;
    else this.next[this.last[chain]!] = item;
    this.last[chain] = item;
  }

  /** The items of a chain in the order appended; none for chain -1. */
  items(chain: number): number[] {
    const items: number[] = [];
    if (chain < 0) return items;
    for (let i = this.first[chain]!; i >= 0; i = this.next[i]!) items.push(i);
    return items;
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.keyed().entries()) yield key;
  }

  /** Gives back the room kept for growth; without `keepKeys`, chains are then found by number only. */
  trim(keepKeys: boolean): void {
    if (keepKeys) this.byKey?.trim();
    else this.byKey = undefined;
    this.first = this.first.slice(0, this.chains);
    this.last = this.last.slice(0, this.chains);
    this.next = this.next.slice(0, this.items_);
  }

  private keyed(): IdIndex {
    if (this.byKey === undefined) throw new Error('Chains: keys dropped by trim()');
    return this.byKey;
  }
}
