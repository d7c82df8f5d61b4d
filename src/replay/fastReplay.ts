// The fast path for long traces: replays operations on a heap with no step recording and
// no per-operation records, keeping only what the final summary needs.

import { AllocatorError } from '../engine/zend7/errors';
import { ZendHeap } from '../engine/zend7/heap';
import type { RawOp } from '../trace/rawTrace';

/** What a fast replay found. */
export interface FastReplayResult {
  /** Operations applied (state dumps not counted). */
  ops: number;
  /** Calls that failed with a PHP error (the trace went on). */
  errors: number;
  /** The fatal error that stopped the replay, if any. */
  fatal: AllocatorError | null;
}

/** IDs of at most this many digits (below 10^9) are numbers; longer ones go in a Map by text. */
const MAX_INDEX_DIGITS = 9;
/** Numeric IDs below this index a flat table; larger ones go in a Map by number. */
const TABLE_LIMIT = 1 << 22;

/**
 * Replays `ops` on `heap`. An ID maps to its block's address while live and to the negated
 * address once freed (a later free of it is the same double free the records path makes);
 * an ID never seen maps to nothing. Trace IDs are unsigned decimals: short ones are numbers
 * (a flat table for small ones, where NaN = never seen; a Map above), long ones a Map by text.
 */
export class FastReplay {
  private table = new Float64Array(0);
  private readonly byNumber = new Map<number, number>();
  private readonly byText = new Map<string, number>();
  readonly result: FastReplayResult = { ops: 0, errors: 0, fatal: null };

  constructor(readonly heap: ZendHeap = new ZendHeap()) {}

  /** Applies one operation; returns false once a fatal error has ended the replay. */
  apply(op: RawOp): boolean {
    if (this.result.fatal !== null) return false;
    if (op.op === 'd') return true;
    this.result.ops++;
    try {
      switch (op.op) {
        case 'a': {
          // a failed allocation leaves the ID not live, still naming the block it last held
          const key = keyOf(op.id);
          const old = this.get(key, op.id);
          if (old > 0) this.set(key, op.id, -old);
          this.set(key, op.id, this.heap.alloc(op.size));
          break;
        }
        case 'f': {
          const key = keyOf(op.id);
          const p = this.get(key, op.id);
          if (p !== p) {
            this.result.errors++; // NaN: never seen
          } else {
            this.set(key, op.id, -Math.abs(p));
            this.heap.free(Math.abs(p));
          }
          break;
        }
        case 'r': {
          const key = keyOf(op.id);
          const p = this.get(key, op.id);
          this.set(key, op.id, this.heap.realloc(p > 0 ? p : 0, op.size));
          break;
        }
        case 'gc':
          this.heap.gc();
          break;
        case 'l':
          if (!this.heap.setMemoryLimit(op.limit)) this.result.errors++;
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

  /** The address an ID maps to (its key from keyOf), or NaN if it was never seen. */
  private get(key: number, id: string): number {
    if (key < 0) return this.byText.get(id) ?? NaN;
    if (key < this.table.length) return this.table[key];
    return key < TABLE_LIMIT ? NaN : this.byNumber.get(key) ?? NaN;
  }

  /** Maps an ID (its key from keyOf) to an address. */
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

/** An ID's key: its number when it has at most MAX_INDEX_DIGITS digits, else -1 (kept by text). */
function keyOf(id: string): number {
  return id.length <= MAX_INDEX_DIGITS ? Number(id) : -1;
}
