// zend_mm_heap of PHP 7.0 – 8.x: its fields, and the public calls (_zend_mm_alloc, _zend_mm_free,
// _zend_mm_realloc, _zend_mm_block_size, zend_mm_gc, zend_set_memory_limit) that dispatch to the
// small / large / huge paths in the files beside this one.

import { AddressSpace } from '../addressSpace';
import { DEFAULT_PROFILE, Zend7Profile } from '../profiles';
import { StepSink } from '../step';
import { Chunk } from './chunk';
import {
  ZEND_MM_BINS,
  ZEND_MM_CHUNK_SIZE,
  ZEND_MM_DEFAULT_LIMIT,
  ZEND_MM_DEFAULT_LIMIT_EXACT,
  ZEND_MM_LRUN_PAGES,
  ZEND_MM_MAX_LARGE_SIZE,
  ZEND_MM_MAX_SMALL_SIZE,
  ZEND_MM_MIN_SMALL_SIZE,
  ZEND_MM_PAGE_SIZE,
  ZEND_MM_SRUN_BIN_NUM,
  chunkOffset,
  isSrun,
  pageOf,
} from './constants';
import { binDataSize } from './bins';
import { AllocatorError, HeapCorrupted, SegmentationFault } from './errors';
import { allocSmall, freeSmall } from './small';
import { allocLarge, freeLarge } from './pages';
import { allocHuge, freeHuge, hugeBlockSize } from './huge';
import { reallocHeap } from './realloc';
import { zendMmGc } from './gc';
import { untrackFreeLists } from './freeListTracking';
import { setMemoryLimit } from './limit';
import { allocOversized, reallocOversized } from './oversized';
import { LEAVE_ALLOC_HEAP, LEAVE_FREE_HEAP, LEAVE_REALLOC_HEAP } from './sharedStepParts';

/** One node of heap->huge_list (a zend_mm_huge_list, itself a 24-byte small block). */
export interface HugeListNode {
  /** Address of the node block (bin 2). */
  readonly node: number;
  /** list->ptr: address of the huge block (2 MiB aligned). */
  readonly ptr: number;
  /** list->size: mapped size in bytes (rounded to the OS page size). */
  size: number;
  /** list->next. */
  next: HugeListNode | null;
}

/** Options of a simulated heap. */
export interface ZendHeapOptions {
  /** Where chunks and huge blocks are mapped; a fresh one by default. */
  addressSpace?: AddressSpace;
  /** Receives step events of every call; null for the fast path. */
  sink?: StepSink | null;
  /** The PHP version to follow (default: 8.2). */
  profile?: Zend7Profile;
  /** The shadow key of a protected heap (8.4+); a fixed value by default. */
  shadowKey?: bigint;
}

/** The real allocator's failure to set up a heap (mmap of the first chunk failed). */
export class HeapInitError extends Error {}

/**
 * A simulated zend_mm_heap, started as zend_mm_init() starts one. Counters are in bytes.
 * Sizes must be integers below 2^53.
 */
export class ZendHeap {
  readonly space: AddressSpace;
  /** The PHP version this heap follows. */
  readonly profile: Zend7Profile;
  /** Step receiver, or null on the fast path. */
  sink: StepSink | null;
  /**
   * heap->shadow_key (8.4+): XORed into free-slot shadows.
   * differs from zend_alloc.c: the real key is random per process and per request.
   */
  readonly shadowKey: bigint;

  /** heap->size: bytes of live blocks (slot / page / huge sizes, not request sizes). */
  size = 0;
  /** heap->peak: maximum of size. */
  peak = 0;
  /** heap->free_slot[bin]: head address of each bin's free list (0 = NULL). */
  readonly freeSlot = new Float64Array(ZEND_MM_BINS);
  /** heap->real_size: bytes mapped for chunks (cached ones included) and huge blocks. */
  realSize = ZEND_MM_CHUNK_SIZE;
  /** heap->real_peak. */
  realPeak = ZEND_MM_CHUNK_SIZE;
  /** heap->limit in bytes, as the nearest double (used for comparisons). */
  limit = ZEND_MM_DEFAULT_LIMIT;
  /** heap->limit exactly (size_t). */
  limitExact: bigint = ZEND_MM_DEFAULT_LIMIT_EXACT;
  /** heap->overflow: 1 only while a memory-limit error is being reported. */
  overflow = 0;
  /** heap->huge_list, newest first. */
  hugeList: HugeListNode | null = null;
  /** heap->main_chunk: the chunk the heap lives in. */
  readonly mainChunk: Chunk;
  /** heap->cached_chunks: empty chunks kept for reuse, linked through next. */
  cachedChunks: Chunk | null = null;
  /** heap->chunks_count: chunks in the ring. */
  chunksCount = 1;
  /** heap->peak_chunks_count. */
  peakChunksCount = 1;
  /** heap->cached_chunks_count. */
  cachedChunksCount = 0;
  /** heap->avg_chunks_count (a double). */
  avgChunksCount = 1.0;
  /** heap->last_chunks_delete_boundary. */
  lastChunksDeleteBoundary = 0;
  /** heap->last_chunks_delete_count. */
  lastChunksDeleteCount = 0;
  /**
   * Whether the free lists are known to be well formed, so that listed slots are counted as
   * they change (freeListTracking.ts); false for good after a double free or a stray write.
   */
  freeListsTracked = true;
  /** Per bin: runs whose every slot is on the free list (while freeListsTracked). */
  readonly fullRuns = new Int32Array(ZEND_MM_BINS);

  /** Chunks currently mapped (ring and cache), by base address. */
  readonly chunksByBase = new Map<number, Chunk>();
  /** The chunk chunkAt() found last, and its base (-1: none). */
  private lastBase = -1;
  private lastChunk: Chunk | undefined = undefined;
  /** Set when the real process could not go on (the heap's own memory is gone). */
  deadReason: string | null = null;

  /** zend_mm_init(): maps the main chunk and sets every field to its starting value. */
  constructor(options: ZendHeapOptions = {}) {
    this.space = options.addressSpace ?? new AddressSpace();
    this.profile = options.profile ?? DEFAULT_PROFILE;
    this.shadowKey = options.shadowKey ?? 0x5a17c0de5eed1e55n;
    this.sink = options.sink ?? null;
    const base = this.space.map(ZEND_MM_CHUNK_SIZE, ZEND_MM_CHUNK_SIZE);
    if (base === 0) {
      throw new HeapInitError("Can't initialize heap");
    }
    const chunk = new Chunk(base);
    this.chunksByBase.set(base, chunk);
    chunk.initHeader(this);
    chunk.next = chunk;
    chunk.prev = chunk;
    chunk.num = 0;
    this.mainChunk = chunk;
  }

  // ---- public calls -------------------------------------------------------------------------

  /**
   * _zend_mm_alloc(heap, size) → zend_mm_alloc_heap(). Returns the block address. A bigint
   * size (2^53 and above) can only end in one of the huge path's errors.
   */
  alloc(size: number | bigint): number {
    this.checkAlive();
    this.sink?.event({ kind: 'enter', func: 'zend_mm_alloc_heap', locals: { size: String(size) } });
    const ptr = typeof size === 'bigint' ? allocOversized(this, size) : this.allocHeap(size);
    this.sink?.event(LEAVE_ALLOC_HEAP);
    return ptr;
  }

  /** _zend_mm_free(heap, ptr) → zend_mm_free_heap(). */
  free(ptr: number): void {
    this.checkAlive();
    this.sink?.event({ kind: 'enter', func: 'zend_mm_free_heap', locals: { ptr } });
    this.freeHeap(ptr);
    this.sink?.event(LEAVE_FREE_HEAP);
  }

  /** _zend_mm_realloc(heap, ptr, size) → zend_mm_realloc_heap(heap, ptr, size, 0, size). */
  realloc(ptr: number, size: number | bigint): number {
    this.checkAlive();
    this.sink?.event({ kind: 'enter', func: 'zend_mm_realloc_heap', locals: { ptr, size: String(size) } });
    const ret = typeof size === 'bigint' ? reallocOversized(this, ptr, size) : reallocHeap(this, ptr, size, size);
    this.sink?.event(LEAVE_REALLOC_HEAP);
    return ret;
  }

  /** _zend_mm_block_size() → zend_mm_size(): slot size, run bytes or huge size of a live block. */
  blockSize(ptr: number): number {
    this.checkAlive();
    if (ptr % ZEND_MM_CHUNK_SIZE === 0) {
      return hugeBlockSize(this, ptr);
    }
    const chunk = this.chunkOf(ptr);
    const page = pageOf(ptr);
    const info = chunk.map[page];
    if (chunk.heap !== this) {
      throw new HeapCorrupted();
    }
    return isSrun(info) ? binDataSize[ZEND_MM_SRUN_BIN_NUM(info)] : ZEND_MM_LRUN_PAGES(info) * ZEND_MM_PAGE_SIZE;
  }

  /** zend_mm_gc(): returns the bytes of small-run pages given back. */
  gc(): number {
    this.checkAlive();
    return zendMmGc(this);
  }

  /** zend_set_memory_limit() on this heap: true = SUCCESS. */
  setMemoryLimit(limit: number | bigint): boolean {
    this.checkAlive();
    return setMemoryLimit(this, limit);
  }

  /** memory_get_usage(real_usage). */
  memoryUsage(realUsage: boolean): number {
    return realUsage ? this.realSize : this.size;
  }

  /** heap->limit as exact decimal text (the default 2^63 - 1 is not exact in a double). */
  limitText(): string {
    return this.limitExact.toString();
  }

  // ---- shared by the path files ---------------------------------------------------------------

  /** zend_mm_alloc_heap(): small, large or huge by request size. */
  allocHeap(size: number): number {
    const min = this.profile.switches.minSmallSize;
    if (min > ZEND_MM_MIN_SMALL_SIZE && size < min) {
      // heap protection: no slot smaller than two pointers (without it, sizes are not raised)
      size = min;
    }
    if (size <= ZEND_MM_MAX_SMALL_SIZE) {
      return allocSmall(this, size);
    } else if (size <= ZEND_MM_MAX_LARGE_SIZE) {
      return allocLarge(this, size);
    }
    return allocHuge(this, size);
  }

  /** zend_mm_free_heap(). */
  freeHeap(ptr: number): void {
    if (chunkOffset(ptr) === 0) {
      if (ptr !== 0) {
        freeHuge(this, ptr);
      }
      return;
    }
    const chunk = this.chunkOf(ptr);
    const pageOffset = chunkOffset(ptr);
    const page = pageOf(ptr);
    const info = chunk.map[page];
    if (chunk.heap !== this) {
      throw new HeapCorrupted();
    }
    if (isSrun(info)) {
      freeSmall(this, ptr, ZEND_MM_SRUN_BIN_NUM(info));
    } else {
      const pagesCount = ZEND_MM_LRUN_PAGES(info);
      if (pageOffset % ZEND_MM_PAGE_SIZE !== 0) {
        throw new HeapCorrupted();
      }
      freeLarge(this, chunk, page, pagesCount);
    }
  }

  /**
   * The chunk a non-huge pointer belongs to (ZEND_MM_ALIGNED_BASE), as C reads it: a mapped
   * chunk; memory of a huge block reads as a header whose heap is not ours (panic);
   * unmapped memory crashes. The page is ZEND_MM_PAGE_OF(ptr) (pageOf).
   */
  chunkOf(ptr: number): Chunk {
    const base = ptr - chunkOffset(ptr);
    const chunk = this.chunkAt(base);
    if (chunk === undefined) {
      if (this.space.find(base) !== undefined) {
        throw new HeapCorrupted();
      }
      throw new SegmentationFault(`reading the chunk header at 0x${base.toString(16)}: not mapped`);
    }
    return chunk;
  }

  /** The mapped chunk at `base` (a 2 MiB-aligned address), remembering the last one found. */
  chunkAt(base: number): Chunk | undefined {
    if (base === this.lastBase) {
      return this.lastChunk;
    }
    const chunk = this.chunksByBase.get(base);
    if (chunk !== undefined) {
      this.lastBase = base;
      this.lastChunk = chunk;
    }
    return chunk;
  }

  /** The chunk holding `ptr` for reads of allocator words (free-slot links). */
  readWord(ptr: number): number {
    const offset = chunkOffset(ptr);
    const chunk = this.chunkAt(ptr - offset);
    if (chunk === undefined) {
      throw new SegmentationFault(`reading 0x${ptr.toString(16)}: not mapped`);
    }
    return chunk.readWord(offset);
  }

  /** Writes a word at `ptr` from outside the allocator (a free-slot link overwritten). */
  writeWord(ptr: number, value: number): void {
    untrackFreeLists(this);
    const offset = chunkOffset(ptr);
    const chunk = this.chunkAt(ptr - offset);
    if (chunk === undefined) {
      throw new SegmentationFault(`writing 0x${ptr.toString(16)}: not mapped`);
    }
    chunk.writeWord(offset, value);
  }

  /** zend_mm_chunk_alloc(heap, CHUNK, CHUNK): a fresh zero-filled chunk, or null. */
  mapChunk(): Chunk | null {
    const base = this.space.map(ZEND_MM_CHUNK_SIZE, ZEND_MM_CHUNK_SIZE);
    if (base === 0) {
      return null;
    }
    const chunk = new Chunk(base);
    this.chunksByBase.set(base, chunk);
    return chunk;
  }

  /**
   * zend_mm_chunk_free(heap, chunk, CHUNK): unmaps a chunk. Unmapping the main chunk (which
   * 8.2's zend_mm_gc can send to the cache) unmaps the heap struct itself: every caller
   * touches the heap right after, so the process crashes there.
   */
  unmapChunk(chunk: Chunk): void {
    this.space.unmap(chunk.base, ZEND_MM_CHUNK_SIZE);
    this.chunksByBase.delete(chunk.base);
    if (this.lastBase === chunk.base) {
      this.lastBase = -1;
      this.lastChunk = undefined;
    }
    if (chunk === this.mainChunk) {
      this.deadReason = 'the main chunk, which holds the heap itself, was unmapped';
      throw new SegmentationFault(this.deadReason);
    }
  }

  /** The out-of-memory message of this version, after a failed mmap. */
  outOfMemoryMessage(tried: number | bigint): string {
    const unit = this.profile.switches.oomSaysBytes ? ' bytes' : '';
    return `Out of memory (allocated ${this.realSize}${unit}) (tried to allocate ${tried} bytes)`;
  }

  /** zend_mm_safe_error(): raise a memory error (the caller's request bails out). */
  safeError(message: string): never {
    this.overflow = 1;
    // reporting the error allocates nothing here, then the request bails out
    this.overflow = 0;
    throw new AllocatorError('bailout', message);
  }

  private checkAlive(): void {
    if (this.deadReason !== null) {
      throw new SegmentationFault(this.deadReason);
    }
  }
}
