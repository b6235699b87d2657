/**
 * The objects of one kind that belong to one backup server, in index order,
 * by arithmetic: objects come in units (jobs, policies) of `perUnit`, and the
 * server of a unit depends only on (unit + offset) mod 8 (see
 * Inventory.serverOf), so the k-th object of a server is found without
 * scanning or storing anything.
 */
export class ServerSlice {
  readonly count: number;

  constructor(
    /** Residues r (0..7, ascending) of the units that belong to the server. */
    private readonly residues: readonly number[],
    private readonly units: number,
    private readonly perUnit: number,
    private readonly total: number,
  ) {
    let unitsHere = 0;
    for (const r of residues) if (r < units) unitsHere += Math.floor((units - 1 - r) / 8) + 1;
    // Only the last unit overall can be short, and it is the last of its server.
    const lastHere = units > 0 && residues.includes((units - 1) % 8);
    this.count = unitsHere * perUnit - (lastHere ? units * perUnit - total : 0);
  }

  /** Index of the server's unit number `k`. */
  unitAt(k: number): number {
    return Math.floor(k / this.residues.length) * 8 + this.residues[k % this.residues.length]!;
  }

  /** Number of units of the server. */
  get unitCount(): number {
    return Math.ceil(this.count / this.perUnit);
  }

  /** Object index of the server's object number `k` (0 ≤ k < count), or undefined. */
  at(k: number): number | undefined {
    if (!Number.isInteger(k) || k < 0 || k >= this.count) return undefined;
    return this.unitAt(Math.floor(k / this.perUnit)) * this.perUnit + (k % this.perUnit);
  }
}
