// struct _zend_mm_heap of PHP 5.2 – 5.6 and the public calls on it: _zend_mm_alloc,
// _zend_mm_free, _zend_mm_realloc, _zend_mm_block_size and zend_set_memory_limit. The
// algorithms live in the files beside this one; this file holds the heap's members, the
// block-header accessors every path shares, and zend_mm_startup_ex.

import { StepSink } from '../step';
import {
  OFF_PREV,
  OFF_SEG_SIZE,
  OFF_SIZE,
  OVERSIZED_REQUEST,
  ZEND_MM_ALIGNED_HEADER_SIZE,
  ZEND_MM_DEFAULT_LIMIT,
  ZEND_MM_GUARD_BLOCK,
} from './constants';
import { zendMmAllocInt } from './alloc';
import { zendMmFreeInt } from './free';
import { zendMmReallocInt } from './realloc';
import { oversizedAlloc, oversizedRealloc } from './oversized';
import { HEAP_OFF_SEGMENTS_LIST, SIZEOF_ZEND_MM_HEAP } from './heapLayout';
import { zendMmInit } from './freeLists';
import { PHP53, Zend5Profile } from './profiles';
import { Zend5Storage } from './storage';
import { WordMemory } from './wordMemory';
import { Zend5SegmentationFault } from './errors';

/** What zend_mm_startup_ex() is given. */
export interface Zend5HeapOptions {
  /** The version to follow (default 5.3). */
  profile?: Zend5Profile;
  /** The process memory (a fresh one by default). */
  memory?: WordMemory;
  /** The storage the segments come from (default: "malloc" over `memory`). */
  storage?: Zend5Storage;
  /** heap->block_size: segment size in bytes, a power of two (default ZEND_MM_SEG_SIZE). */
  blockSize?: number;
  /** heap->reserve_size in bytes (default ZEND_MM_RESERVE_SIZE). */
  reserveSize?: number;
  /** heap->compact_size in bytes (only used at shutdown). */
  compactSize?: number;
  /** Receives step events; null or absent for the fast path. */
  sink?: StepSink | null;
}

/**
 * A simulated zend_mm_heap. Counters are bytes. Pointer members that blocks link to (cache
 * heads, free buckets, trie roots, rest list, segments_list) live in `memory` at `base`.
 */
export class Zend5Heap {
  /** The version whose behaviour this heap follows. */
  readonly profile: Zend5Profile;
  /** Simulated process memory: the heap struct and every segment. */
  readonly memory: WordMemory;
  /** heap->storage. */
  readonly storage: Zend5Storage;
  /** Address of the heap struct. */
  readonly base: number;
  /** Step receiver, or null on the fast path. */
  sink: StepSink | null;

  /** heap->free_bitmap: bit i set = small bucket i believed non-empty (64-bit). */
  freeBitmap = 0n;
  /** heap->large_free_bitmap: bit i set = trie i non-empty (64-bit). */
  largeFreeBitmap = 0n;
  /** heap->block_size: the segment size (bytes). */
  readonly blockSize: number;
  /** heap->compact_size (bytes). */
  compactSize = 0;
  /** heap->real_size: bytes of all segments. */
  realSize = 0;
  /** heap->real_peak. */
  realPeak = 0;
  /** heap->limit (size_t, exact). */
  limit: bigint = ZEND_MM_DEFAULT_LIMIT;
  /** heap->size: true sizes of used blocks (cached blocks and the reserve included). */
  size = 0;
  /** heap->peak. */
  peak = 0;
  /** heap->reserve_size. */
  readonly reserveSize: number;
  /** heap->reserve: payload address of the reserve block, 0 once freed. */
  reserve = 0;
  /** heap->overflow: 0, 1 after the first memory error, 2 after a later one. */
  overflow = 0;
  /** heap->internal. */
  readonly internal = 0;
  /** heap->cached: bytes in the small-block cache (an unsigned int in C). */
  cached = 0;
  /** heap->rest_count (5.4+ only): large blocks in the rest list. */
  restCount = 0;
  /** heap->use_zend_alloc. */
  useZendAlloc = 1;

  /**
   * Segment ordinals by segment address, in creation order (simulation bookkeeping, not in
   * C): kept when a segment is resized, even when it moves.
   */
  readonly segmentOrdinals = new Map<number, number>();
  private nextOrdinal = 0;

  /** zend_mm_startup_ex(handlers, block_size, reserve_size, internal = 0, params). */
  constructor(options: Zend5HeapOptions = {}) {
    this.profile = options.profile ?? PHP53;
    this.memory = options.memory ?? new WordMemory();
    // a given storage must work over the same memory
    this.storage = options.storage ?? new Zend5Storage('malloc', this.memory);
    this.sink = options.sink ?? null;
    this.blockSize = options.blockSize ?? 256 * 1024;
    this.reserveSize = options.reserveSize ?? 8 * 1024;
    this.base = this.memory.map(SIZEOF_ZEND_MM_HEAP);
    if (this.base === 0) {
      throw new Error('Cannot allocate heap for zend_mm storage');
    }
    this.memory.write(this.base + HEAP_OFF_SEGMENTS_LIST, 0);
    zendMmInit(this);
    this.compactSize = options.compactSize ?? 0;
    if (this.reserveSize > 0) {
      this.reserve = zendMmAllocInt(this, this.reserveSize);
    }
  }

  // ---- public calls --------------------------------------------------------------------

  /** _zend_mm_alloc(heap, size): payload address of the new block. Throws Zend5Error. */
  alloc(size: number | bigint): number {
    if (typeof size === 'bigint' || size >= OVERSIZED_REQUEST) {
      return oversizedAlloc(this, BigInt(size));
    }
    return zendMmAllocInt(this, size);
  }

  /** _zend_mm_free(heap, p). */
  free(p: number): void {
    zendMmFreeInt(this, p);
  }

  /** _zend_mm_realloc(heap, p, size): the (possibly new) payload address. Throws Zend5Error. */
  realloc(p: number, size: number | bigint): number {
    if (typeof size === 'bigint' || size >= OVERSIZED_REQUEST) {
      return oversizedRealloc(this, p, BigInt(size));
    }
    return zendMmReallocInt(this, p, size);
  }

  /** _zend_mm_block_size(heap, p): the block's true size (ZEND_DEBUG=0), 0 for NULL. */
  blockSizeOf(p: number): number {
    return p === 0 ? 0 : this.trueSizeOf(p - ZEND_MM_ALIGNED_HEADER_SIZE);
  }

  /** zend_set_memory_limit(memory_limit): heap->limit, clamped to at least block_size. */
  setMemoryLimit(memoryLimit: number | bigint): bigint {
    const l = BigInt(memoryLimit);
    this.limit = l >= BigInt(this.blockSize) ? l : BigInt(this.blockSize);
    return this.limit;
  }

  /** zend_memory_usage(real_usage): real_size, or size - cached. */
  memoryUsage(realUsage: boolean): number {
    return realUsage ? this.realSize : this.size - this.cached;
  }

  // ---- memory and block headers (shared by the path files) -----------------------------

  /** A word of simulated memory. */
  read(addr: number): number {
    return this.memory.read(addr);
  }

  /** Writes a word of simulated memory. */
  write(addr: number, value: number): void {
    this.memory.write(addr, value);
  }

  /** ZEND_MM_FREE_BLOCK_SIZE(b): the raw _size word (type bits included). */
  rawSize(b: number): number {
    return this.memory.read(b + OFF_SIZE);
  }

  /** ZEND_MM_BLOCK_SIZE(b): _size without the type bits (bytes). */
  trueSizeOf(b: number): number {
    const w = this.memory.read(b + OFF_SIZE);
    return w - (w % 4);
  }

  /** ZEND_MM_IS_FREE_BLOCK(b). */
  isFree(b: number): boolean {
    return this.memory.read(b + OFF_SIZE) % 2 === 0;
  }

  /** ZEND_MM_IS_GUARD_BLOCK(b). */
  isGuard(b: number): boolean {
    return this.memory.read(b + OFF_SIZE) % 4 === ZEND_MM_GUARD_BLOCK;
  }

  /** ZEND_MM_IS_FIRST_BLOCK(b): _prev is exactly ZEND_MM_GUARD_BLOCK. */
  isFirst(b: number): boolean {
    return this.memory.read(b + OFF_PREV) === ZEND_MM_GUARD_BLOCK;
  }

  /** ZEND_MM_PREV_BLOCK_IS_FREE(b). */
  prevIsFree(b: number): boolean {
    return this.memory.read(b + OFF_PREV) % 2 === 0;
  }

  /** ZEND_MM_PREV_BLOCK(b). */
  prevBlock(b: number): number {
    const w = this.memory.read(b + OFF_PREV);
    return b - (w - (w % 4));
  }

  /** ZEND_MM_BLOCK(b, type, size): writes b's _size and the next block's _prev. */
  setBlock(b: number, type: number, size: number): void {
    const word = size + type;
    this.memory.write(b + OFF_SIZE, word);
    this.memory.write(b + size + OFF_PREV, word);
  }

  /** ZEND_MM_MARK_FIRST_BLOCK(b). */
  markFirst(b: number): void {
    this.memory.write(b + OFF_PREV, ZEND_MM_GUARD_BLOCK);
  }

  /** ZEND_MM_LAST_BLOCK(b): a guard block header (size 16). */
  markLast(b: number): void {
    this.memory.write(b + OFF_SIZE, ZEND_MM_GUARD_BLOCK + ZEND_MM_ALIGNED_HEADER_SIZE);
  }

  /** heap->segments_list slot address (the segment list is walked through slot addresses). */
  get segmentsListSlot(): number {
    return this.base + HEAP_OFF_SEGMENTS_LIST;
  }

  /** Records a segment just created by the storage (creation order). */
  registerSegment(segment: number): void {
    this.segmentOrdinals.set(segment, this.nextOrdinal++);
  }

  /** Moves a segment's ordinal to its new address after a storage realloc. */
  moveSegment(from: number, to: number): void {
    const ord = this.segmentOrdinals.get(from);
    if (ord === undefined) {
      throw new Zend5SegmentationFault(`segment 0x${from.toString(16)} is not known`);
    }
    this.segmentOrdinals.delete(from);
    this.segmentOrdinals.set(to, ord);
  }

  /** Forgets a released segment. */
  forgetSegment(segment: number): void {
    this.segmentOrdinals.delete(segment);
  }

  /** The segment (address, size, ordinal) holding `addr`, walking segments_list; undefined if none. */
  segmentOf(addr: number): { base: number; size: number; ordinal: number } | undefined {
    for (let s = this.read(this.segmentsListSlot), n = 0; s !== 0 && n < 1 << 20; s = this.read(s + 8), n++) {
      const size = this.read(s + OFF_SEG_SIZE);
      if (addr >= s && addr < s + size) {
        return { base: s, size, ordinal: this.segmentOrdinals.get(s) ?? -1 };
      }
    }
    return undefined;
  }
}
