// A raw trace compiled into flat typed arrays: one operation code, ID key, size and line per
// operation, so that a long replay reads numbers instead of operation objects of several
// shapes, and a program of millions of operations takes 17 bytes an operation instead of an
// object graph the garbage collector has to walk. (The native benchmark harness reads its
// trace into an array the same way before timing.)

import type { ByteCount, RawOp } from '../trace/rawTrace';

/** Operation codes. */
export const OP_ALLOC = 0;
export const OP_FREE = 1;
export const OP_REALLOC = 2;
export const OP_GC = 3;
export const OP_LIMIT = 4;
export const OP_DUMP = 5;

/** The parallel arrays of a compiled trace, each exactly as long as the trace. */
export interface Columns {
  readonly codes: Uint8Array;
  readonly keys: Int32Array;
  readonly values: Float64Array;
  readonly lines: Int32Array;
}

/** The operations of a trace as parallel arrays. */
export class CompiledTrace {
  /** Per operation: its code (OP_*). */
  readonly codes: Uint8Array;
  /** Per operation: its ID's key (traceIdKey; -1 = kept by text), 0 when it has no ID. */
  readonly keys: Int32Array;
  /** Per operation: its size or limit in bytes, NaN when it only fits a bigint, 0 when it has none. */
  readonly values: Float64Array;
  /** Per operation: its 1-based line in the trace. */
  readonly lines: Int32Array;

  /** Use CompiledTrace.from or a CompiledTraceBuilder. */
  constructor(
    columns: Columns,
    /** One more than the largest ID key. */
    readonly keyCapacity: number,
    private readonly idTexts: ReadonlyMap<number, string>,
    private readonly bigValues: ReadonlyMap<number, bigint>,
  ) {
    this.codes = columns.codes;
    this.keys = columns.keys;
    this.values = columns.values;
    this.lines = columns.lines;
  }

  /** Compiles `ops` in order. */
  static from(ops: Iterable<RawOp>): CompiledTrace {
    const builder = new CompiledTraceBuilder();
    for (const op of ops) builder.push(op);
    return builder.finish();
  }

  /** Number of operations. */
  get length(): number {
    return this.codes.length;
  }

  /** The ID text of operation `i` (only kept for IDs too long for a key). */
  idText(i: number): string {
    return this.idTexts.get(i) ?? '';
  }

  /** The size or limit of operation `i` when it only fits a bigint. */
  bigValue(i: number): bigint {
    return this.bigValues.get(i) ?? 0n;
  }

  /** The ID of operation `i` as the trace writes it ('' for an operation without one). */
  id(i: number): string {
    const code = this.codes[i];
    if (code !== OP_ALLOC && code !== OP_FREE && code !== OP_REALLOC) return '';
    const key = this.keys[i];
    // keys are the decimal value of IDs written without leading zeros, so the text is the key's
    return key < 0 ? this.idText(i) : String(key);
  }

  /** Operation `i` as a RawOp object, as parsing its line gives it. */
  rawOp(i: number): RawOp {
    const line = this.lines[i];
    switch (this.codes[i]) {
      case OP_ALLOC:
        return { op: 'a', id: this.id(i), key: this.keys[i], size: this.byteCount(i), line };
      case OP_FREE:
        return { op: 'f', id: this.id(i), key: this.keys[i], line };
      case OP_REALLOC:
        return { op: 'r', id: this.id(i), key: this.keys[i], size: this.byteCount(i), line };
      case OP_GC:
        return { op: 'gc', line };
      case OP_LIMIT:
        return { op: 'l', limit: this.byteCount(i), line };
      default:
        return { op: 'd', line };
    }
  }

  private byteCount(i: number): ByteCount {
    const value = this.values[i];
    return value === value ? value : this.bigValue(i);
  }
}

/** Compiles a trace one operation at a time (a file read line by line). */
export class CompiledTraceBuilder {
  private n = 0;
  private codes = new Uint8Array(1024);
  private keys = new Int32Array(1024);
  private values = new Float64Array(1024);
  private lines = new Int32Array(1024);
  private maxKey = -1;
  private readonly idTexts = new Map<number, string>();
  private readonly bigValues = new Map<number, bigint>();

  /** Appends `op`. */
  push(op: RawOp): void {
    const i = this.n++;
    if (i === this.codes.length) this.grow();
    let value: ByteCount = 0;
    switch (op.op) {
      case 'a':
      case 'r':
      case 'f':
        this.codes[i] = op.op === 'a' ? OP_ALLOC : op.op === 'r' ? OP_REALLOC : OP_FREE;
        this.keys[i] = op.key;
        if (op.key < 0) this.idTexts.set(i, op.id);
        else if (op.key > this.maxKey) this.maxKey = op.key;
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
    this.lines[i] = op.line;
  }

  /** The compiled trace of everything pushed (the builder is spent). */
  finish(): CompiledTrace {
    const n = this.n;
    const columns = { codes: this.codes.slice(0, n), keys: this.keys.slice(0, n), values: this.values.slice(0, n), lines: this.lines.slice(0, n) };
    return new CompiledTrace(columns, this.maxKey + 1, this.idTexts, this.bigValues);
  }

  private grow(): void {
    const size = this.codes.length * 2;
    const codes = new Uint8Array(size);
    codes.set(this.codes);
    const keys = new Int32Array(size);
    keys.set(this.keys);
    const values = new Float64Array(size);
    values.set(this.values);
    const lines = new Int32Array(size);
    lines.set(this.lines);
    this.codes = codes;
    this.keys = keys;
    this.values = values;
    this.lines = lines;
  }
}
