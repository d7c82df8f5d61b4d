// The routing in front of the heap (zend_alloc.h / alloc_globals_ctor): pemalloc(size, 1)
// goes to the C library; with USE_ZEND_ALLOC=0 the heap is a "custom" one whose emalloc is
// malloc — with USE_TRACKED_ALLOC=1, a malloc that counts bytes and checks memory_limit.

import { DEFAULT_PROFILE } from '../profiles';
import { ZEND_MM_DEFAULT_LIMIT, ZEND_MM_DEFAULT_LIMIT_TEXT } from './constants';
import { AllocatorError } from './errors';
import { ZendHeap, ZendHeapOptions } from './heap';
import { SystemAllocator } from './systemAllocator';

/** The environment switches PHP reads at startup. */
export interface RoutingOptions extends ZendHeapOptions {
  /** USE_ZEND_ALLOC (default true). false: every emalloc is the C library's malloc. */
  useZendAlloc?: boolean;
  /**
   * USE_TRACKED_ALLOC=1 together with USE_ZEND_ALLOC=0: count and limit malloc'ed bytes, where
   * the profile's release does (switch trackedAlloc).
   */
  trackedAlloc?: boolean;
}

/** "Out of memory" of zend_out_of_memory(): printed on stderr, then exit(1). */
export class OutOfMemoryExit extends AllocatorError {
  constructor() {
    super('panic', 'Out of memory');
  }
}

/**
 * zend_mm_heap with use_custom_heap = ZEND_MM_CUSTOM_HEAP_STD (USE_ZEND_ALLOC=0): the
 * counters of the struct (all 0 unless tracked) and malloc-backed calls.
 */
export class CustomStdHeap {
  size = 0;
  peak = 0;
  realSize = 0;
  realPeak = 0;
  limit = ZEND_MM_DEFAULT_LIMIT;
  overflow = 0;
  /** Sizes of tracked blocks (USE_TRACKED_ALLOC=1), by address. */
  private readonly tracked: Map<number, number> | null;

  constructor(
    private readonly system: SystemAllocator,
    trackedAlloc: boolean,
    /** real_size follows the tracked count (8.2+); 8.1 leaves it at 0. */
    private readonly trackedRealSize = true,
  ) {
    this.tracked = trackedAlloc ? new Map() : null;
  }

  /** True when USE_TRACKED_ALLOC=1 is in force. */
  get isTracked(): boolean {
    return this.tracked !== null;
  }

  /** _malloc_custom: __zend_malloc or tracked_malloc. */
  alloc(size: number): number {
    if (this.tracked !== null) {
      this.checkLimit(size);
      const ptr = this.system.malloc(size);
      this.tracked.set(ptr, size);
      this.size += size;
      if (this.trackedRealSize) this.realSize = this.size;
      return ptr;
    }
    return this.system.malloc(size);
  }

  /** _efree_custom: free or tracked_free. */
  free(ptr: number): void {
    if (ptr === 0) return;
    if (this.tracked !== null) {
      const size = this.tracked.get(ptr);
      if (size === undefined) {
        // release builds skip the assertion and read a missing hash entry: the process crashes
        throw new AllocatorError('segfault', 'Segmentation fault');
      }
      this.size -= size;
      if (this.trackedRealSize) this.realSize = this.size;
      this.tracked.delete(ptr);
    }
    if (!this.system.free(ptr)) {
      throw new AllocatorError('panic', 'free(): invalid pointer');
    }
  }

  /** _realloc_custom: __zend_realloc or tracked_realloc. */
  realloc(ptr: number, size: number): number {
    if (this.tracked !== null) {
      let oldSize = 0;
      if (ptr !== 0) {
        const s = this.tracked.get(ptr);
        if (s === undefined) throw new AllocatorError('segfault', 'Segmentation fault');
        oldSize = s;
      }
      if (size > oldSize) this.checkLimit(size - oldSize);
      this.tracked.delete(ptr);
      const ret = this.system.realloc(ptr, size);
      this.tracked.set(ret, size);
      this.size += size - oldSize;
      if (this.trackedRealSize) this.realSize = this.size;
      return ret;
    }
    return this.system.realloc(ptr, size);
  }

  /** _zend_mem_block_size() of a custom heap: always 0. */
  blockSize(_ptr: number): number {
    return 0;
  }

  /** zend_mm_gc() of a custom heap: nothing to do. */
  gc(): number {
    return 0;
  }

  /** zend_set_memory_limit(): real_size is the tracked total (0 when untracked). */
  setMemoryLimit(limit: number): boolean {
    if (limit < this.realSize) {
      return false; // no cached chunks to give back
    }
    this.limit = limit;
    return true;
  }

  /** tracked_check_limit(): only the tracked allocator enforces memory_limit. */
  private checkLimit(addSize: number): void {
    const room = this.limit >= this.size ? this.limit - this.size : this.limit - this.size + 2 ** 64;
    if (addSize > room && this.overflow === 0) {
      const limitText = this.limit === ZEND_MM_DEFAULT_LIMIT ? ZEND_MM_DEFAULT_LIMIT_TEXT : String(this.limit);
      throw new AllocatorError('bailout', `Allowed memory size of ${limitText} bytes exhausted (tried to allocate ${addSize} bytes)`);
    }
  }
}

/**
 * The allocation API of zend_alloc.h over one process: emalloc & co. on the request heap
 * (the Zend MM, or the custom malloc heap under USE_ZEND_ALLOC=0), pemalloc(…, 1) & co. on
 * the C library.
 */
export class ZendAllocator {
  readonly system = new SystemAllocator();
  /** The request heap: AG(mm_heap). */
  readonly heap: ZendHeap | CustomStdHeap;

  constructor(options: RoutingOptions = {}) {
    const tracking = (options.profile ?? DEFAULT_PROFILE).switches.trackedAlloc;
    this.heap = options.useZendAlloc === false
      ? new CustomStdHeap(
        this.system,
        options.trackedAlloc === true && tracking !== 'off',
        tracking === 'size-and-real',
      )
      : new ZendHeap(options);
  }

  /** True when emalloc goes through the Zend MM (USE_ZEND_ALLOC not 0). */
  get usesZendMm(): boolean {
    return this.heap instanceof ZendHeap;
  }

  emalloc(size: number): number {
    return this.heap.alloc(size);
  }

  efree(ptr: number): void {
    this.heap.free(ptr);
  }

  erealloc(ptr: number, size: number): number {
    return this.heap.realloc(ptr, size);
  }

  /** pemalloc(size, persistent): __zend_malloc when persistent, else emalloc. */
  pemalloc(size: number, persistent: boolean): number {
    if (!persistent) return this.emalloc(size);
    return this.systemMalloc(size);
  }

  /** pefree(ptr, persistent): free when persistent, else efree. */
  pefree(ptr: number, persistent: boolean): void {
    if (!persistent) return this.efree(ptr);
    if (!this.system.free(ptr)) {
      throw new AllocatorError('panic', 'free(): invalid pointer');
    }
  }

  /** perealloc(ptr, size, persistent): __zend_realloc when persistent, else erealloc. */
  perealloc(ptr: number, size: number, persistent: boolean): number {
    if (!persistent) return this.erealloc(ptr, size);
    return this.system.realloc(ptr, size);
  }

  /** __zend_malloc: malloc, or "Out of memory" and exit(1) when it fails. */
  private systemMalloc(size: number): number {
    const ptr = this.system.malloc(size);
    if (ptr === 0 && size !== 0) throw new OutOfMemoryExit();
    return ptr;
  }
}
