// The state a program's run is in between (or inside) operations: the simulated heap, how
// many operations it has applied, and the fatal error that ended the process. Which block a
// trace ID names is resolved by the caller (see Timeline), so a copy is only the heap.

import { AllocatorError } from '../engine/allocatorError';
import { StepSink } from '../engine/step';
import { ZendHeap } from '../engine/zend7/heap';
import { GC_UNSUPPORTED } from '../replay/zend5/zend5Replayer';
import type { RawOp } from '../trace/rawTrace';
import { AnyHeap, AnyProfile, copyAnyHeap, freshHeap } from './heapFamily';

/** What a trace ID refers to: the block it last held, and whether that block is live. */
export interface IdBlock {
  readonly address: number;
  readonly live: boolean;
}

/** What one operation did. */
export interface CallOutcome {
  /** The block an allocation or reallocation returned. */
  readonly address?: number;
  /** The block a free or reallocation released (its address before the call). */
  readonly released?: number;
  /** PHP's message for a failed call. */
  readonly error?: string;
  /** True when the process would not survive the error. */
  readonly fatal?: boolean;
}

/** A heap and how far the program has run on it. */
export class TraceMachine {
  /** Operations applied so far (the index of the next one). */
  next = 0;
  /** The fatal error that ended the run, if any. */
  halted: AllocatorError | null = null;

  constructor(readonly heap: AnyHeap) {}

  /** A fresh heap of `profile`. */
  static fresh(profile: AnyProfile): TraceMachine {
    return new TraceMachine(freshHeap(profile));
  }

  /** An independent copy; `shareWith` (a frozen copy) lets unchanged pages be shared. */
  copy(shareWith?: TraceMachine): TraceMachine {
    const m = new TraceMachine(copyAnyHeap(this.heap, shareWith?.heap));
    m.next = this.next;
    m.halted = this.halted;
    return m;
  }

  /**
   * Applies `op` (the operation at index `next`) with `sink` receiving its steps. `arg` is
   * the block the operation acts on: for `f` the ID's block (NaN: never allocated, or on 5.x
   * not live), for `r` the ID's live block or 0 (5.x: NaN when not live). A thrown
   * AllocatorError becomes the outcome's error; anything else (a sink stopping the run
   * mid-call) propagates and leaves the machine inside the call.
   */
  apply(op: RawOp, arg: number, sink: StepSink | null): CallOutcome {
    const heap = this.heap;
    heap.sink = sink;
    this.next++;
    try {
      switch (op.op) {
        case 'a':
          return { address: heap.alloc(op.size) };
        case 'f':
          if (Number.isNaN(arg)) return { error: this.notAllocated(op.id) };
          heap.free(arg);
          return { released: arg };
        case 'r':
          if (Number.isNaN(arg)) return { error: this.notAllocated(op.id) };
          return { address: heap.realloc(arg, op.size), released: arg };
        case 'gc':
          if (!(heap instanceof ZendHeap)) return { error: GC_UNSUPPORTED };
          heap.gc();
          return {};
        case 'l':
          if (!(heap instanceof ZendHeap)) {
            heap.setMemoryLimit(op.limit);
            return {};
          }
          return heap.setMemoryLimit(op.limit) ? {} : { error: `memory limit ${op.limit} not set (current real usage ${heap.realSize} bytes)` };
        case 'd':
          return {};
      }
    } catch (e) {
      if (!(e instanceof AllocatorError)) throw e;
      if (e.fatal) this.halted = e;
      return { error: e.message, fatal: e.fatal };
    } finally {
      heap.sink = null;
    }
  }

  private notAllocated(id: string): string {
    return this.heap instanceof ZendHeap ? `unknown id ${id}: it was never allocated in this trace` : `id ${id} is not live: no allocator call is made (as the PHP 5 reference harness does)`;
  }
}
