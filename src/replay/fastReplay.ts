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

/** IDs of at most this many digits (below 10^9) are array indexes; longer ones go in a Map. */
const MAX_INDEX_DIGITS = 9;

/**
 * Replays `ops` on `heap`. An ID maps to its block's address while live and to the negated
 * address once freed (a later free of it is the same double free the records path makes);
 * an ID never seen maps to nothing. Trace IDs are unsigned decimals: short ones index an
 * array (a hole = never seen), long ones a Map.
 */
export class FastReplay {
  private readonly byIndex: number[] = [];
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
          const old = this.get(op.id);
          if (old !== undefined && old > 0) this.set(op.id, -old);
          this.set(op.id, this.heap.alloc(op.size));
          break;
        }
        case 'f': {
          const p = this.get(op.id);
          if (p === undefined) {
            this.result.errors++;
          } else {
            this.set(op.id, -Math.abs(p));
            this.heap.free(Math.abs(p));
          }
          break;
        }
        case 'r': {
          const p = this.get(op.id);
          this.set(op.id, this.heap.realloc(p !== undefined && p > 0 ? p : 0, op.size));
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

  /** The address an ID maps to, if it was ever seen. */
  private get(id: string): number | undefined {
    return id.length <= MAX_INDEX_DIGITS ? this.byIndex[Number(id)] : this.byText.get(id);
  }

  /** Maps an ID to an address. */
  private set(id: string, address: number): void {
    if (id.length <= MAX_INDEX_DIGITS) {
      this.byIndex[Number(id)] = address;
    } else {
      this.byText.set(id, address);
    }
  }
}
