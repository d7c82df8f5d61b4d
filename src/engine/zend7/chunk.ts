// A 2 MiB chunk: its header fields (ring links, free_pages, free_tail, num), the free_map
// bitset and the page map, plus the words the allocator itself stores in free slots.

import { ChunkWords } from './chunkWords';
import { ZEND_MM_FIRST_PAGE, ZEND_MM_LRUN, ZEND_MM_PAGES } from './constants';
import { SegmentationFault } from './errors';

/** Number of 32-bit halves in free_map (8 words of 64 bits). */
const FREE_MAP_HALVES = ZEND_MM_PAGES / 32;

/** A mask of bits [from, to) of a 32-bit half, 0 <= from < to <= 32. */
function bitMask(from: number, to: number): number {
  return to - from === 32 ? -1 : ((1 << (to - from)) - 1) << from;
}

/** zend_mm_chunk, plus the memory the allocator writes inside the chunk. */
export class Chunk {
  /** Address of the chunk (2 MiB aligned). */
  readonly base: number;
  /** chunk->heap: the owning heap (an opaque identity). */
  heap: object | null = null;
  /** chunk->next: ring successor, or the next cached chunk while cached. */
  next: Chunk | null = null;
  /** chunk->prev: ring predecessor (stale while cached). */
  prev: Chunk | null = null;
  /** chunk->free_pages: free pages in this chunk. */
  freePages = 0;
  /** chunk->free_tail: every page at or above it is free (pages below may be free too). */
  freeTail = 0;
  /** chunk->num: ordinal assigned when the chunk is linked into the ring. */
  num = 0;
  /**
   * chunk->free_map: 512 bits, bit set = page used. Stored as 16 uint32 halves:
   * word w (64 bits) = halves[2w] (low) | halves[2w + 1] (high).
   */
  readonly freeMap = new Uint32Array(FREE_MAP_HALVES);
  /** chunk->map[512]: one 32-bit entry per page (FRUN/LRUN/SRUN/NRUN). */
  readonly map = new Uint32Array(ZEND_MM_PAGES);
  /** Per small run, at its first page: its slots on the free list (see freeListTracking.ts). */
  readonly listedCount = new Uint16Array(ZEND_MM_PAGES);
  /** The words the allocator stored in this chunk's pages (free-slot links). */
  readonly words: ChunkWords;
  /** Shadow words of free-slot links (8.4+ heap protection), by offset; 64-bit values. */
  private shadows: Map<number, bigint> | null = null;

  constructor(base: number) {
    this.base = base;
    this.words = new ChunkWords(base);
  }

  /** Reads the 8-byte word at chunk offset `offset` (0 if never written: fresh mmap memory). */
  readWord(offset: number): number {
    return this.words.read(offset);
  }

  /** Writes the 8-byte word at chunk offset `offset`. */
  writeWord(offset: number, value: number): void {
    this.words.write(offset, value);
  }

  /** A copy of the shadow words, for a copy of this chunk. */
  copyShadows(): Map<number, bigint> | null {
    return this.shadows === null ? null : new Map(this.shadows);
  }

  /** Adopts shadow words from copyShadows. */
  adoptShadows(shadows: Map<number, bigint> | null): void {
    this.shadows = shadows;
  }

  /** Number of shadow words held. */
  get shadowCount(): number {
    return this.shadows?.size ?? 0;
  }

  /** Reads a shadow word (0 if never written). */
  readShadow(offset: number): bigint {
    return this.shadows?.get(offset) ?? 0n;
  }

  /** Writes a shadow word. */
  writeShadow(offset: number, value: bigint): void {
    (this.shadows ??= new Map()).set(offset, value);
  }

  /** zend_mm_bitset_is_set(free_map, page). */
  isPageUsed(page: number): boolean {
    return ((this.freeMap[page >>> 5] >>> (page & 31)) & 1) !== 0;
  }

  /** The first used page at or after `from` (ZEND_MM_PAGES when there is none). */
  nextUsedPage(from: number): number {
    if (from >= ZEND_MM_PAGES) return ZEND_MM_PAGES;
    let h = from >>> 5;
    let bits = this.freeMap[h] & (-1 << (from & 31));
    while (bits === 0) {
      if (++h === FREE_MAP_HALVES) return ZEND_MM_PAGES;
      bits = this.freeMap[h];
    }
    return (h << 5) + 31 - Math.clz32(bits & -bits);
  }

  /** zend_mm_bitset_set_range(free_map, start, len) for len >= 1. */
  setRange(start: number, len: number): void {
    const map = this.freeMap;
    const end = start + len;
    for (let h = start >>> 5; h << 5 < end; h++) {
      map[h] |= bitMask(Math.max(start - (h << 5), 0), Math.min(end - (h << 5), 32));
    }
  }

  /**
   * zend_mm_bitset_reset_range(free_map, start, len). For len = 0 (a 0-page run, reached
   * only by freeing a page whose map entry is already 0) the C code clears nothing when
   * start is not a multiple of 64, and otherwise clears words until it runs off the end of
   * the mapping: the process crashes.
   */
  resetRange(start: number, len: number): void {
    if (len === 0) {
      if (start % 64 !== 0) {
        return;
      }
      // differs from zend_alloc.c: the real loop first zeroes the rest of the chunk; we stop at the crash
      throw new SegmentationFault('zend_mm_bitset_reset_range ran past the end of free_map (0-page run)');
    }
    const map = this.freeMap;
    const end = start + len;
    for (let h = start >>> 5; h << 5 < end; h++) {
      map[h] &= ~bitMask(Math.max(start - (h << 5), 0), Math.min(end - (h << 5), 32));
    }
  }

  /** zend_mm_bitset_is_free_range(free_map, start, len) for len >= 1. */
  isFreeRange(start: number, len: number): boolean {
    const map = this.freeMap;
    const end = start + len;
    for (let h = start >>> 5; h << 5 < end; h++) {
      if ((map[h] & bitMask(Math.max(start - (h << 5), 0), Math.min(end - (h << 5), 32))) !== 0) {
        return false;
      }
    }
    return true;
  }

  /** The header fields zend_mm_chunk_init() / zend_mm_init() write (not the ring links or num). */
  initHeader(heap: object): void {
    this.heap = heap;
    this.freePages = ZEND_MM_PAGES - ZEND_MM_FIRST_PAGE;
    this.freeTail = ZEND_MM_FIRST_PAGE;
    // only word 0 is rewritten: (1 << ZEND_MM_FIRST_PAGE) - 1
    this.freeMap[0] = 1;
    this.freeMap[1] = 0;
    this.map[0] = ZEND_MM_LRUN(ZEND_MM_FIRST_PAGE);
  }
}
