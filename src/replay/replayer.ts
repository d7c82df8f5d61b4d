// Replays raw trace operations on a simulated heap: keeps the trace's IDs, numbers huge
// blocks, turns allocator failures into records, and stops where the real process would die.

import { AddressSpace } from '../engine/addressSpace';
import { Zend7Profile } from '../engine/profiles';
import { StepSink } from '../engine/step';
import { ZEND_MM_CHUNK_SIZE } from '../engine/zend7/constants';
import { AllocatorError } from '../engine/zend7/errors';
import { ZendHeap } from '../engine/zend7/heap';
import { cachedChunks, chunkNumOf, chunkRuns, freeLists, ringChunks } from '../engine/zend7/inspect';
import type { ByteCount, RawOp } from '../trace/rawTrace';
import { FatalKind, FreeListEntry, HeapCounters, OpRecord, Place, StateRecord } from './records';

/** What a trace ID refers to: the block it last held, where that was, and whether it is live. */
interface IdEntry {
  address: number;
  place: Place;
  live: boolean;
}

/** Options of a replay. */
export interface ReplayerOptions {
  sink?: StepSink | null;
  addressSpace?: AddressSpace;
  profile?: Zend7Profile;
}

/**
 * The E_WARNING of ini_set('memory_limit') when zend_set_memory_limit() fails (main.c prints
 * both numbers with %zd, so a limit of 2^63 or more shows as negative).
 */
export function memoryLimitWarning(limit: ByteCount, usage: number): string {
  const signed = BigInt(limit) >= 2n ** 63n ? BigInt(limit) - 2n ** 64n : BigInt(limit);
  return `Failed to set memory limit to ${signed} bytes (Current memory usage is ${usage} bytes)`;
}

/** Replays one trace on one fresh heap. */
export class TraceReplayer {
  readonly heap: ZendHeap;
  private readonly ids = new Map<string, IdEntry>();
  private readonly hugeOrdinal = new Map<number, number>();
  private nextHuge = 0;
  /** The fatal error that ended the replay (the real process is gone), if any. */
  halted: AllocatorError | null = null;

  constructor(options: ReplayerOptions = {}) {
    this.heap = new ZendHeap({ sink: options.sink ?? null, addressSpace: options.addressSpace, profile: options.profile });
  }

  /** Applies one operation (not `d`) and returns its record. After a fatal error, refuses. */
  apply(op: Exclude<RawOp, { op: 'd' }>): OpRecord {
    if (this.halted !== null) {
      throw new Error(`the replay ended at a fatal error (${this.halted.message}); no operation can follow`);
    }
    switch (op.op) {
      case 'a':
        return this.alloc(op.id, op.size);
      case 'f':
        return this.free(op.id);
      case 'r':
        return this.realloc(op.id, op.size);
      case 'gc':
        return this.guard({ op: 'gc' }, (rec) => {
          rec.freed = this.heap.gc();
        });
      case 'l':
        return this.guard({ op: 'l', limit: op.limit }, (rec) => {
          if (!this.heap.setMemoryLimit(op.limit)) {
            rec.error = memoryLimitWarning(op.limit, this.heap.memoryUsage(true));
          }
        });
    }
  }

  private alloc(id: string, size: ByteCount): OpRecord {
    const entry = this.ids.get(id);
    if (entry !== undefined) {
      // a failed allocation leaves the ID not live, still naming the block it last held
      entry.live = false;
    }
    return this.guard({ op: 'a', id, size }, (rec) => {
      const ptr = this.heap.alloc(size);
      const place = this.placeOfNew(ptr);
      this.ids.set(id, { address: ptr, place, live: true });
      rec.at = place;
      rec.blockSize = this.heap.blockSize(ptr);
    });
  }

  private free(id: string): OpRecord {
    const entry = this.ids.get(id);
    if (entry === undefined) {
      return { op: 'f', id, error: `unknown id ${id}: it was never allocated in this trace` };
    }
    const rec: OpRecord = { op: 'f', id, at: entry.place };
    if (!entry.live) {
      rec.warning = 'double free';
    }
    return this.guard(rec, () => {
      entry.live = false;
      this.forgetHuge(entry.address);
      this.heap.free(entry.address);
    });
  }

  private realloc(id: string, size: ByteCount): OpRecord {
    const entry = this.ids.get(id);
    const old = entry !== undefined && entry.live ? entry.address : 0;
    const rec: OpRecord = { op: 'r', id, size, from: old === 0 ? null : (entry as IdEntry).place };
    return this.guard(rec, () => {
      const ptr = this.heap.realloc(old, size);
      if (ptr !== old) {
        this.forgetHuge(old);
      }
      const place = this.placeOfNew(ptr);
      this.ids.set(id, { address: ptr, place, live: true });
      rec.at = place;
      rec.blockSize = this.heap.blockSize(ptr);
    });
  }

  /** Runs an allocator call, turning its failure into the record's error. */
  private guard(rec: OpRecord, call: (rec: OpRecord) => void): OpRecord {
    try {
      call(rec);
    } catch (e) {
      if (!(e instanceof AllocatorError)) {
        throw e;
      }
      rec.error = e.message;
      if (e.fatal) {
        rec.fatal = e.kind as FatalKind;
        this.halted = e;
      }
    }
    rec.heap = this.counters();
    return rec;
  }

  /** The heap counters of a record. */
  counters(): HeapCounters {
    const h = this.heap;
    return {
      size: h.size,
      peak: h.peak,
      realSize: h.realSize,
      realPeak: h.realPeak,
      chunks: h.chunksCount,
      cachedChunks: h.cachedChunksCount,
    };
  }

  /** The place of a block that an operation just returned (a huge block gets its ordinal). */
  private placeOfNew(ptr: number): Place {
    if (ptr % ZEND_MM_CHUNK_SIZE === 0 && !this.hugeOrdinal.has(ptr)) {
      this.hugeOrdinal.set(ptr, this.nextHuge++);
    }
    return this.place(ptr);
  }

  private forgetHuge(ptr: number): void {
    if (ptr !== 0 && ptr % ZEND_MM_CHUNK_SIZE === 0) {
      this.hugeOrdinal.delete(ptr);
    }
  }

  /** The place of an address: chunk num + offset, or huge ordinal. */
  place(ptr: number): Place {
    const offset = ptr % ZEND_MM_CHUNK_SIZE;
    if (offset === 0) {
      return { huge: this.hugeOrdinal.get(ptr) ?? -1 };
    }
    return { chunk: chunkNumOf(this.heap, ptr) ?? -1, offset };
  }

  /** The state dump (`d` mid-trace, `end` at the end). */
  state(op: 'd' | 'end'): StateRecord {
    const h = this.heap;
    const lists: Record<string, FreeListEntry[]> = {};
    for (const [bin, list] of freeLists(h)) {
      const entries: FreeListEntry[] = list.addresses.map((a) => this.place(a));
      if (list.loops) {
        entries[entries.length - 1] = { ...entries[entries.length - 1], loop: true };
      }
      lists[String(bin)] = entries;
    }
    const huge: { huge: number; size: number }[] = [];
    for (let n = h.hugeList; n !== null; n = n.next) {
      huge.push({ huge: this.hugeOrdinal.get(n.ptr) ?? -1, size: n.size });
    }
    return {
      op,
      heap: {
        ...this.counters(),
        peakChunks: h.peakChunksCount,
        avgChunks: h.avgChunksCount,
        deleteBoundary: h.lastChunksDeleteBoundary,
        deleteCount: h.lastChunksDeleteCount,
      },
      freeLists: lists,
      chunks: ringChunks(h).map((c) => ({ num: c.num, freePages: c.freePages, freeTail: c.freeTail, runs: chunkRuns(c) })),
      cache: cachedChunks(h).map((c) => c.num),
      huge,
    };
  }
}
