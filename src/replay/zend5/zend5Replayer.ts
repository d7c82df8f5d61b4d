// Replays raw trace operations on a simulated PHP 5.x heap: keeps the trace's IDs, turns
// bail-outs into error records (the heap goes on, as in the reference data), and stops at
// errors the real process does not survive.

import { StepSink } from '../../engine/step';
import { ZEND_MM_ALIGNED_HEADER_SIZE } from '../../engine/zend5/constants';
import { AllocatorError } from '../../engine/allocatorError';
import type { Zend5ErrorKind } from '../../engine/zend5/errors';
import { Zend5Heap } from '../../engine/zend5/heap';
import { cacheLists, freeBuckets, largeTries, placeOf, restList, segmentBlocks, segments } from '../../engine/zend5/inspect';
import { PHP53, Zend5Profile } from '../../engine/zend5/profiles';
import { Zend5Env, zendMmStartup } from '../../engine/zend5/startup';
import type { ByteCount, RawOp } from '../../trace/rawTrace';
import { Zend5BlockRef, Zend5Counters, Zend5DumpBlock, Zend5OpRecord, Zend5Place, Zend5StateRecord } from './zend5Records';

/** What a trace ID refers to: its payload address, and whether it is live. */
interface IdEntry {
  ptr: number;
  live: boolean;
}

/** Options of a 5.x replay. */
export interface Zend5ReplayerOptions {
  /** Version to follow (default 5.3). */
  profile?: Zend5Profile;
  /** Environment of zend_mm_startup (ZEND_MM_SEG_SIZE, ZEND_MM_MEM_TYPE, ZEND_MM_COMPACT). */
  env?: Zend5Env;
  /** Receives step events of every call. */
  sink?: StepSink | null;
}

/** The gc op's message: 5.x has no zend_mm_gc. */
export const GC_UNSUPPORTED = 'PHP 5.x has no zend_mm_gc(): the segment allocator cannot be asked to give memory back';

/** Replays one trace on one fresh heap (zend_mm_startup, reserve included). */
export class Zend5Replayer {
  readonly heap: Zend5Heap;
  private readonly ids = new Map<string, IdEntry>();
  /** The error that ended the replay (the real process is gone), if any. */
  halted: AllocatorError<Zend5ErrorKind> | null = null;

  /** Starts the heap; throws Zend5StartupExit when zend_mm_startup would exit. */
  constructor(options: Zend5ReplayerOptions = {}) {
    this.heap = zendMmStartup({ profile: options.profile ?? PHP53, env: options.env ?? {}, sink: options.sink ?? null });
  }

  /** Applies one operation (not `d`) and returns its record. Refuses after a fatal error. */
  apply(op: Exclude<RawOp, { op: 'd' }>): Zend5OpRecord {
    if (this.halted !== null) {
      throw new Error(`the replay ended at a fatal error (${this.halted.message})`);
    }
    switch (op.op) {
      case 'a':
        return this.alloc(op.id, op.size);
      case 'f':
        return this.free(op.id);
      case 'r':
        return this.realloc(op.id, op.size);
      case 'l': {
        const limit = this.heap.setMemoryLimit(op.limit);
        return { op: 'l', bytes: op.limit, limit, heap: this.counters() };
      }
      case 'gc':
        return { op: 'gc', error: 'unsupported', message: GC_UNSUPPORTED, heap: this.counters() };
    }
  }

  /** The heap counters now. */
  counters(): Zend5Counters {
    const h = this.heap;
    return { size: h.size, peak: h.peak, realSize: h.realSize, realPeak: h.realPeak, cached: h.cached };
  }

  /** The segment and payload offset of a payload address. */
  placeOfPayload(ptr: number): Zend5Place {
    const place = placeOf(this.heap, ptr - ZEND_MM_ALIGNED_HEADER_SIZE);
    if (place === undefined) {
      throw new Error(`payload 0x${ptr.toString(16)} lies in no segment`);
    }
    return place;
  }

  private alloc(id: string, size: ByteCount): Zend5OpRecord {
    const rec = { op: 'a', id, size } as Zend5OpRecord;
    // a new allocation for an ID drops what it named before (C overwrites p[ID])
    this.ids.delete(id);
    try {
      const ptr = this.heap.alloc(size);
      this.ids.set(id, { ptr, live: true });
      rec.at = this.placeOfPayload(ptr);
      rec.blockSize = this.heap.blockSizeOf(ptr);
    } catch (e) {
      this.fail(rec, e);
    }
    rec.heap = this.counters();
    return rec;
  }

  private free(id: string): Zend5OpRecord {
    const rec = { op: 'f', id } as Zend5OpRecord;
    const entry = this.liveEntry(id, rec);
    if (entry === undefined) return rec;
    rec.at = this.placeOfPayload(entry.ptr);
    rec.blockSize = this.heap.blockSizeOf(entry.ptr);
    entry.live = false;
    try {
      this.heap.free(entry.ptr);
    } catch (e) {
      delete rec.at;
      delete rec.blockSize;
      this.fail(rec, e);
    }
    rec.heap = this.counters();
    return rec;
  }

  private realloc(id: string, size: ByteCount): Zend5OpRecord {
    const rec = { op: 'r', id, size } as Zend5OpRecord;
    const entry = this.liveEntry(id, rec);
    if (entry === undefined) return rec;
    rec.from = this.placeOfPayload(entry.ptr);
    rec.fromBlockSize = this.heap.blockSizeOf(entry.ptr);
    try {
      const ptr = this.heap.realloc(entry.ptr, size);
      entry.ptr = ptr;
      rec.at = this.placeOfPayload(ptr);
      rec.blockSize = this.heap.blockSizeOf(ptr);
    } catch (e) {
      this.fail(rec, e);
    }
    rec.heap = this.counters();
    return rec;
  }

  /**
   * The live block of `id`; for an ID that is not live, marks `rec` as "notlive" (no
   * allocator call is made, as in the reference data) and returns undefined.
   */
  private liveEntry(id: string, rec: Zend5OpRecord): IdEntry | undefined {
    const entry = this.ids.get(id);
    if (entry === undefined || !entry.live) {
      rec.error = 'notlive';
      rec.heap = this.counters();
      return undefined;
    }
    return entry;
  }

  // records are built key by key (heap last) so the JSON keys come in the documented order

  /** Turns an allocator failure into the record's error; a fatal one halts the replay. */
  private fail(rec: Zend5OpRecord, e: unknown): void {
    if (!(e instanceof AllocatorError)) {
      throw e;
    }
    rec.error = e.kind;
    rec.message = e.message;
    if (e.fatal) {
      this.halted = e;
    }
  }

  /** A state dump: counters, bitmaps, every segment's blocks and every free structure. */
  state(op: 'd' | 'end'): Zend5StateRecord {
    const h = this.heap;
    const liveByPtr = new Map<number, string>();
    for (const [id, e] of this.ids) {
      if (e.live) liveByPtr.set(e.ptr, id);
    }
    const cache = cacheLists(h);
    const inCache = new Set<number>();
    for (const list of cache.values()) for (const b of list) inCache.add(b);
    const ref = (b: number): Zend5BlockRef => {
      const p = placeOf(h, b);
      return { segment: p?.segment ?? -1, offset: p?.offset ?? b, size: h.trueSizeOf(b) };
    };
    const segs = segments(h).map((s) => ({
      segment: s.ordinal,
      size: s.size,
      blocks: segmentBlocks(h, s).map((b): Zend5DumpBlock => {
        const offset = b.address - s.address + ZEND_MM_ALIGNED_HEADER_SIZE;
        if (b.kind === 'guard') return { offset, size: b.size, type: 'G' };
        if (b.kind === 'free') return { offset, size: b.size, type: 'F' };
        const payload = b.address + ZEND_MM_ALIGNED_HEADER_SIZE;
        const tag = h.reserve === payload ? 'R' : inCache.has(b.address) ? 'C' : liveByPtr.get(payload);
        return tag === undefined ? { offset, size: b.size, type: 'U' } : { offset, size: b.size, type: 'U', tag };
      }),
    }));
    const large: Zend5StateRecord['large'] = [];
    for (const [index, nodes] of largeTries(h)) {
      for (const n of nodes) large.push({ index, path: n.path === '' ? '-' : n.path, blocks: n.blocks.map(ref) });
    }
    return {
      op,
      heap: {
        ...this.counters(),
        limit: h.limit,
        blockSize: h.blockSize,
        overflow: h.overflow,
        reserve: h.reserve === 0 ? null : this.placeOfPayload(h.reserve),
      },
      bitmaps: { free: hex64(h.freeBitmap), large: hex64(h.largeFreeBitmap) },
      segments: segs,
      cache: [...cache].map(([index, list]) => ({ index, blocks: list.map(ref) })),
      free: [...freeBuckets(h)].map(([index, list]) => ({ index, blocks: list.map(ref) })),
      large,
      rest: restList(h).map(ref),
    };
  }
}

/** A 64-bit bitmap as 0x + 16 lower-case hex digits. */
export function hex64(v: bigint): string {
  return '0x' + BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}
