/**
 * Strings by row number, held outside the JavaScript heap: their UTF-8 bytes
 * back to back in one buffer. For columns of hundreds of thousands of short
 * strings (a hierarchy's own refs) that would otherwise each be a heap object
 * the garbage collector traces and sizes the heap by (see id-index.ts).
 */
export class TextColumn {
  private bytes: Buffer = Buffer.alloc(64 * 1024);
  /** Row r is bytes[start[r], start[r + 1]). */
  private start: Uint32Array = new Uint32Array(1025);
  private rows = 0;

  get length(): number {
    return this.rows;
  }

  /** Appends `text`; returns its row. */
  push(text: string): number {
    const at = this.start[this.rows]!;
    const need = at + Buffer.byteLength(text, 'utf8');
    if (need > this.bytes.length) {
      const grown = Buffer.alloc(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, at);
      this.bytes = grown;
    }
    if (this.rows + 1 === this.start.length) this.start = growInt(this.start, this.start.length * 2);
    this.start[this.rows + 1] = at + this.bytes.write(text, at, 'utf8');
    return this.rows++;
  }

  get(row: number): string {
    return this.bytes.toString('utf8', this.start[row]!, this.start[row + 1]!);
  }

  /** Whether row `row` is exactly the first `length` bytes of `encoded`. */
  matches(row: number, encoded: Buffer, length: number): boolean {
    const from = this.start[row]!;
    return this.start[row + 1]! - from === length && this.bytes.compare(encoded, 0, length, from, from + length) === 0;
  }

  /** Gives back the room kept for growth (appending after this grows it again). */
  trim(): void {
    this.bytes = Buffer.from(this.bytes.subarray(0, this.start[this.rows]!));
    this.start = this.start.slice(0, this.rows + 1);
  }

  /** The column as plain data; its arrays are this column's own (transfer them and it is no longer usable). */
  snapshot(): TextColumnSnapshot {
    return { bytes: this.bytes, start: this.start, rows: this.rows };
  }

  /** A column from a snapshot (the arrays are taken over, not copied). */
  static restore(s: TextColumnSnapshot): TextColumn {
    const column = new TextColumn();
    // A transferred Buffer arrives as a plain Uint8Array: wrapped again, without a copy.
    column.bytes = Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
    column.start = s.start;
    column.rows = s.rows;
    return column;
  }
}

export interface TextColumnSnapshot {
  bytes: Uint8Array;
  start: Uint32Array;
  rows: number;
}

/** A copy of `a` with room for `length` elements. */
export function growInt<T extends Int32Array | Uint32Array | Uint8Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
