// Sizes, limits and page-map encodings of the PHP 7.0 – 8.x allocator (x86-64, release build).
// Names keep their C spelling so a reader can find them in zend_alloc.c / zend_alloc_sizes.h.

/** Bytes in one chunk; chunks and huge blocks are aligned to it. */
export const ZEND_MM_CHUNK_SIZE = 2 * 1024 * 1024;
/** Bytes in one page, the unit of large runs. */
export const ZEND_MM_PAGE_SIZE = 4096;
/** Pages in one chunk. */
export const ZEND_MM_PAGES = ZEND_MM_CHUNK_SIZE / ZEND_MM_PAGE_SIZE;
/** Pages taken by the chunk header (page 0). */
export const ZEND_MM_FIRST_PAGE = 1;
/** Smallest slot size (bytes) of the bin table (ZEND_MM_MIN_SMALL_SIZE). */
export const ZEND_MM_MIN_SMALL_SIZE = 8;
/** Largest request (bytes) served from a bin. */
export const ZEND_MM_MAX_SMALL_SIZE = 3072;
/** Largest request (bytes) served from a page run; above it a request is huge. */
export const ZEND_MM_MAX_LARGE_SIZE = ZEND_MM_CHUNK_SIZE - ZEND_MM_PAGE_SIZE * ZEND_MM_FIRST_PAGE;
/** Number of small-size bins. */
export const ZEND_MM_BINS = 30;
/** Bits in one word of a chunk's free_map (zend_mm_bitset is a 64-bit word on x86-64). */
export const ZEND_MM_BITSET_LEN = 64;
/** Bytes of a zend_mm_huge_list node (ptr, size, next): itself a small allocation. */
export const ZEND_MM_HUGE_LIST_NODE_SIZE = 24;
/** The OS page size that huge blocks are rounded to (sysconf(_SC_PAGESIZE) on x86-64 Linux). */
export const REAL_PAGE_SIZE = 4096;
/** SIZE_MAX of a 64-bit build, as the nearest double (only used for comparisons). */
export const SIZE_MAX = 2 ** 64 - 1;
/** The limit a fresh heap starts with: (size_t)-1 >> 1. Exactly 9223372036854775807 in C. */
export const ZEND_MM_DEFAULT_LIMIT = 2 ** 63 - 1;
/** ZEND_MM_DEFAULT_LIMIT exactly. */
export const ZEND_MM_DEFAULT_LIMIT_EXACT = 2n ** 63n - 1n;
/** Decimal text of ZEND_MM_DEFAULT_LIMIT, which a double cannot hold exactly. */
export const ZEND_MM_DEFAULT_LIMIT_TEXT = ZEND_MM_DEFAULT_LIMIT_EXACT.toString();

/**
 * ptr % ZEND_MM_CHUNK_SIZE (ZEND_MM_ALIGNED_OFFSET) of an address: addresses are
 * non-negative integers below 2^53, whose low 32 bits `& ` reads exactly.
 */
export function chunkOffset(ptr: number): number {
  return ptr & (ZEND_MM_CHUNK_SIZE - 1);
}

/** ZEND_MM_ALIGNED_OFFSET(ptr, CHUNK) / ZEND_MM_PAGE_SIZE: the page of `ptr` in its chunk. */
export function pageOf(ptr: number): number {
  return (ptr & (ZEND_MM_CHUNK_SIZE - 1)) >>> 12;
}

// Page map entries (chunk->map[page], 32 bits).
/** Free page (first page of a freed run). */
export const ZEND_MM_IS_FRUN = 0x00000000;
/** First page of a large run; low 10 bits hold the page count. */
export const ZEND_MM_IS_LRUN = 0x40000000;
/** First page of a small run; low 5 bits hold the bin. */
export const ZEND_MM_IS_SRUN = 0x80000000;
export const ZEND_MM_LRUN_PAGES_MASK = 0x000003ff;
export const ZEND_MM_SRUN_BIN_NUM_MASK = 0x0000001f;
export const ZEND_MM_SRUN_FREE_COUNTER_MASK = 0x01ff0000;
export const ZEND_MM_SRUN_FREE_COUNTER_OFFSET = 16;
export const ZEND_MM_NRUN_OFFSET_MASK = 0x01ff0000;
export const ZEND_MM_NRUN_OFFSET_OFFSET = 16;

/** ZEND_MM_LRUN(count): map entry of the first page of a large run of `count` pages. */
export function ZEND_MM_LRUN(count: number): number {
  return (ZEND_MM_IS_LRUN | count) >>> 0;
}
/** ZEND_MM_SRUN(bin): map entry of the first page of a small run of `bin`. */
export function ZEND_MM_SRUN(bin: number): number {
  return (ZEND_MM_IS_SRUN | bin) >>> 0;
}
/** ZEND_MM_SRUN_EX(bin, count): SRUN entry carrying zend_mm_gc's free-slot counter. */
export function ZEND_MM_SRUN_EX(bin: number, count: number): number {
  return (ZEND_MM_IS_SRUN | bin | (count << ZEND_MM_SRUN_FREE_COUNTER_OFFSET)) >>> 0;
}
/** ZEND_MM_NRUN(bin, offset): map entry of page `offset` (>= 1) of a multi-page small run. */
export function ZEND_MM_NRUN(bin: number, offset: number): number {
  return (ZEND_MM_IS_SRUN | ZEND_MM_IS_LRUN | bin | (offset << ZEND_MM_NRUN_OFFSET_OFFSET)) >>> 0;
}
export function ZEND_MM_LRUN_PAGES(info: number): number {
  return info & ZEND_MM_LRUN_PAGES_MASK;
}
export function ZEND_MM_SRUN_BIN_NUM(info: number): number {
  return info & ZEND_MM_SRUN_BIN_NUM_MASK;
}
export function ZEND_MM_SRUN_FREE_COUNTER(info: number): number {
  return (info & ZEND_MM_SRUN_FREE_COUNTER_MASK) >>> ZEND_MM_SRUN_FREE_COUNTER_OFFSET;
}
export function ZEND_MM_NRUN_OFFSET(info: number): number {
  return (info & ZEND_MM_NRUN_OFFSET_MASK) >>> ZEND_MM_NRUN_OFFSET_OFFSET;
}
export function isSrun(info: number): boolean {
  return (info & ZEND_MM_IS_SRUN) !== 0;
}
export function isLrunBit(info: number): boolean {
  return (info & ZEND_MM_IS_LRUN) !== 0;
}
