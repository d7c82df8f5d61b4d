// The fast path for long traces: replays operations on a heap with no step recording and
// no per-operation records, keeping only what the final summary needs.

import { AllocatorError } from '../engine/zend7/errors';
import { ZendHeap } from '../engine/zend7/heap';
import type { RawOp } from '../trace/rawTrace';
import { CompiledTrace, OP_ALLOC, OP_DUMP, OP_FREE, OP_GC, OP_LIMIT, OP_REALLOC } from './compiledTrace';

/** What a fast replay found. */
export interface FastReplayResult {
  /** Operations applied (state dumps not counted). */
  ops: number;
  /** Calls that failed with a PHP error (the trace went on). */
  errors: number;
  /** The fatal error that stopped the replay, if any. */
  fatal: AllocatorError | null;
}

/** Numeric IDs below this index a flat table; larger ones go in a Map by number. */
const TABLE_LIMIT = 1 << 22;

/**
 * Replays `ops` on `heap`. An ID maps to its block's address while live and to the negated
 * address once freed (a later free of it is the same double free the records path makes);
 * an ID never seen maps to nothing. IDs are found by their numeric key from the parser
 * (traceIdKey): a flat table for small keys, where NaN = never seen; a Map above; IDs too long
 * for a key (key -1) by their text.
 */
export class FastReplay {
  private table = new Float64Array(0);
  private readonly byNumber = new Map<number, number>();
  private readonly byText = new Map<string, number>();
  readonly result: FastReplayResult = { ops: 0, errors: 0, fatal: null };

  /**
   * `keyCapacity`: the largest ID key the replay will see plus one, when known (a compiled
   * trace's keyCapacity), so that the ID table is made once at its full size.
   */
  constructor(
    readonly heap: ZendHeap = new ZendHeap(),
    keyCapacity = 0,
  ) {
    if (keyCapacity > 0) this.grow(Math.min(keyCapacity, TABLE_LIMIT) - 1);
  }

  /** Applies one operation; returns false once a fatal error has ended the replay. */
  apply(op: RawOp): boolean {
    switch (op.op) {
      case 'a':
        return this.step(OP_ALLOC, op.key, op.id, op.size);
      case 'f':
        return this.step(OP_FREE, op.key, op.id, 0);
      case 'r':
        return this.step(OP_REALLOC, op.key, op.id, op.size);
      case 'gc':
        return this.step(OP_GC, 0, '', 0);
      case 'l':
        return this.step(OP_LIMIT, 0, '', op.limit);
      case 'd':
        return this.step(OP_DUMP, 0, '', 0);
    }
  }

  /**
   * Applies every operation of a compiled trace, in order, until a fatal error ends the
   * replay; returns false when one did. The same as `apply` on each of its operations.
   */
  replay(trace: CompiledTrace): boolean {
    const { codes, keys, values } = trace;
    for (let i = 0; i < codes.length; i++) {
      const key = keys[i];
      const value = values[i];
      if (!this.step(codes[i], key, key < 0 ? trace.idText(i) : '', value === value ? value : trace.bigValue(i))) {
        return false;
      }
    }
    return true;
  }

  /** One operation: its code, its ID's key (and text when the key is -1), its size or limit. */
  private step(code: number, key: number, id: string, size: number | bigint): boolean {
    if (this.result.fatal !== null) return false;
    if (code === OP_DUMP) return true;
    this.result.ops++;
    try {
      switch (code) {
        case OP_ALLOC: {
          // a failed allocation leaves the ID not live, still naming the block it last held
          const old = this.get(key, id);
          if (old > 0) this.set(key, id, -old);
          this.set(key, id, this.heap.alloc(size));
          break;
        }
        case OP_FREE: {
          const p = this.get(key, id);
          if (p !== p) {
            this.result.errors++; // NaN: never seen
          } else {
            this.set(key, id, -Math.abs(p));
            this.heap.free(Math.abs(p));
          }
          break;
        }
        case OP_REALLOC: {
          const p = this.get(key, id);
          this.set(key, id, this.heap.realloc(p > 0 ? p : 0, size));
          break;
        }
        case OP_GC:
          this.heap.gc();
          break;
        case OP_LIMIT:
          if (!this.heap.setMemoryLimit(size)) this.result.errors++;
          break;
      }
    } catch (e) {
      if (!(e instanceof AllocatorError)) throw e;
      this.result.errors++;
      if (e.fatal) {
        this.result.fatal = e;
        return false;
      }
    }
    return true;
  }

  /** The address an ID maps to (by its key), or NaN if it was never seen. */
  private get(key: number, id: string): number {
    if (key < 0) return this.byText.get(id) ?? NaN;
    if (key < this.table.length) return this.table[key];
    return key < TABLE_LIMIT ? NaN : this.byNumber.get(key) ?? NaN;
  }

  /** Maps an ID (by its key) to an address. */
  private set(key: number, id: string, address: number): void {
    if (key < 0) {
      this.byText.set(id, address);
    } else if (key < this.table.length) {
      this.table[key] = address;
    } else if (key < TABLE_LIMIT) {
      this.grow(key);
      this.table[key] = address;
    } else {
      this.byNumber.set(key, address);
    }
  }

  /** Makes the table hold index `key` (< TABLE_LIMIT), new entries never seen. */
  private grow(key: number): void {
    const old = this.table;
    const table = new Float64Array(Math.min(TABLE_LIMIT, Math.max(key + 1, old.length * 2, 1024)));
    table.set(old);
    table.fill(NaN, old.length);
    this.table = table;
  }
}
