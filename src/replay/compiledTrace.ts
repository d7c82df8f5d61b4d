// A raw trace compiled into flat typed arrays, for the fast path: one operation code, ID key
// and size per operation, so that a long replay reads numbers instead of operation objects of
// several shapes. (The native benchmark harness does the same with its trace before timing.)

import type { RawOp } from '../trace/rawTrace';

/** Operation codes. */
export const OP_ALLOC = 0;
export const OP_FREE = 1;
export const OP_REALLOC = 2;
export const OP_GC = 3;
export const OP_LIMIT = 4;
export const OP_DUMP = 5;

/** The operations of a trace as parallel arrays. */
export class CompiledTrace {
  /** Per operation: its code (OP_*). */
  readonly codes: Uint8Array;
  /** Per operation: its ID's key (traceIdKey; -1 = kept by text), 0 when it has no ID. */
  readonly keys: Int32Array;
  /** Per operation: its size or limit in bytes, NaN when it only fits a bigint, 0 when it has none. */
  readonly values: Float64Array;
  /** One more than the largest ID key. */
  readonly keyCapacity: number;
  private readonly idTexts = new Map<number, string>();
  private readonly bigValues = new Map<number, bigint>();

  constructor(ops: readonly RawOp[]) {
    const n = ops.length;
    this.codes = new Uint8Array(n);
    this.keys = new Int32Array(n);
    this.values = new Float64Array(n);
    let maxKey = -1;
    for (let i = 0; i < n; i++) {
      const op = ops[i];
      let value: number | bigint = 0;
      switch (op.op) {
        case 'a':
        case 'r':
        case 'f':
          this.codes[i] = op.op === 'a' ? OP_ALLOC : op.op === 'r' ? OP_REALLOC : OP_FREE;
          this.keys[i] = op.key;
          if (op.key < 0) this.idTexts.set(i, op.id);
          else if (op.key > maxKey) maxKey = op.key;
          if (op.op !== 'f') value = op.size;
          break;
        case 'gc':
          this.codes[i] = OP_GC;
          break;
        case 'l':
          this.codes[i] = OP_LIMIT;
          value = op.limit;
          break;
        case 'd':
          this.codes[i] = OP_DUMP;
          break;
      }
      if (typeof value === 'bigint') {
        this.values[i] = NaN;
        this.bigValues.set(i, value);
      } else {
        this.values[i] = value;
      }
    }
    this.keyCapacity = maxKey + 1;
  }

  /** The ID text of operation `i` (only kept for IDs too long for a key). */
  idText(i: number): string {
    return this.idTexts.get(i) ?? '';
  }

  /** The size or limit of operation `i` when it only fits a bigint. */
  bigValue(i: number): bigint {
    return this.bigValues.get(i) ?? 0n;
  }
}
