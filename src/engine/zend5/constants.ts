// Sizes and block-header encodings of the PHP 5.2 – 5.6 segment allocator, for an x86-64 (LP64)
// release build: ZEND_DEBUG=0, ZEND_MM_HEAP_PROTECTION=0, ZEND_MM_COOKIES=0, no Suhosin patch.
// Names keep their C spelling so a reader can find them in Zend/zend_alloc.c.
// All sizes are in bytes. Arithmetic on sizes never uses JS bitwise operators (they are 32-bit).

/** ZEND_MM_ALIGNMENT: configure's alignment test on x86-64. */
export const ZEND_MM_ALIGNMENT = 8;
/** ZEND_MM_ALIGNMENT_LOG2. */
export const ZEND_MM_ALIGNMENT_LOG2 = 3;
/** ZEND_MM_NUM_BUCKETS: bits in a size_t. */
export const ZEND_MM_NUM_BUCKETS = 64;
/** ZEND_MM_ALIGNED_HEADER_SIZE: a used block's header (_size, _prev). */
export const ZEND_MM_ALIGNED_HEADER_SIZE = 16;
/** ZEND_MM_ALIGNED_FREE_HEADER_SIZE: a small free block (header + prev/next links). */
export const ZEND_MM_ALIGNED_FREE_HEADER_SIZE = 32;
/** ZEND_MM_ALIGNED_MIN_HEADER_SIZE: the smallest block and the smallest split remainder. */
export const ZEND_MM_ALIGNED_MIN_HEADER_SIZE = 32;
/** ZEND_MM_ALIGNED_SEGMENT_SIZE: a segment's header (size, next_segment). */
export const ZEND_MM_ALIGNED_SEGMENT_SIZE = 16;
/** ZEND_MM_MIN_SIZE: requests below it get the smallest block. */
export const ZEND_MM_MIN_SIZE = ZEND_MM_ALIGNED_MIN_HEADER_SIZE - ZEND_MM_ALIGNED_HEADER_SIZE;
/** ZEND_MM_MAX_SMALL_SIZE: a block is "small" when its true size is below this. */
export const ZEND_MM_MAX_SMALL_SIZE = ZEND_MM_NUM_BUCKETS * ZEND_MM_ALIGNMENT + ZEND_MM_ALIGNED_MIN_HEADER_SIZE;
/** ZEND_MM_SEG_SIZE: default segment size (heap->block_size). */
export const ZEND_MM_SEG_SIZE = 256 * 1024;
/** ZEND_MM_RESERVE_SIZE: the block allocated at startup and freed on the first memory error. */
export const ZEND_MM_RESERVE_SIZE = 8 * 1024;
/** Default heap->limit: 1 << (ZEND_MM_NUM_BUCKETS - 2). */
export const ZEND_MM_DEFAULT_LIMIT = 2n ** 62n;
/** Default compact_size (ZEND_MM_COMPACT unset): 2 MiB. Only used at request shutdown. */
export const ZEND_MM_DEFAULT_COMPACT_SIZE = 2 * 1024 * 1024;

/** ZEND_MM_TYPE_MASK: the two low bits of _size / _prev. */
export const ZEND_MM_TYPE_MASK = 3;
/** ZEND_MM_FREE_BLOCK type bits. */
export const ZEND_MM_FREE_BLOCK = 0;
/** ZEND_MM_USED_BLOCK type bits. */
export const ZEND_MM_USED_BLOCK = 1;
/** ZEND_MM_GUARD_BLOCK type bits (also the _prev marker of a segment's first block). */
export const ZEND_MM_GUARD_BLOCK = 3;

// Field offsets (bytes) inside the C structs, LP64.
/** zend_mm_block_info._size. */
export const OFF_SIZE = 0;
/** zend_mm_block_info._prev. */
export const OFF_PREV = 8;
/** zend_mm_free_block.prev_free_block (also the cache link of a cached block). */
export const OFF_PREV_FREE = 16;
/** zend_mm_free_block.next_free_block. */
export const OFF_NEXT_FREE = 24;
/** zend_mm_free_block.parent (address of the slot that points at a trie node). */
export const OFF_PARENT = 32;
/** zend_mm_free_block.child[0]. */
export const OFF_CHILD0 = 40;
/** zend_mm_free_block.child[1]. */
export const OFF_CHILD1 = 48;
/** zend_mm_segment.size. */
export const OFF_SEG_SIZE = 0;
/** zend_mm_segment.next_segment. */
export const OFF_SEG_NEXT = 8;
/** Bytes in a pointer / size_t. */
export const WORD = 8;

/** ZEND_MM_REST_BLOCK (5.4+): the marker stored in `parent` of a large block in the rest list. */
export const ZEND_MM_REST_BLOCK = 1;
/** ZEND_MM_MAX_REST_BLOCKS (5.4+): how many large blocks the rest list keeps. */
export const ZEND_MM_MAX_REST_BLOCKS = 16;

/**
 * Requests at or above this many bytes take the exact (bigint) path. Below it every size the
 * allocator computes stays under 2^52, so doubles hold it exactly.
 */
export const OVERSIZED_REQUEST = 2 ** 50;

/** ZEND_MM_TRUE_SIZE(size): the block size (header included) for a request of `size` bytes. */
export function ZEND_MM_TRUE_SIZE(size: number): number {
  return size < ZEND_MM_MIN_SIZE ? ZEND_MM_ALIGNED_MIN_HEADER_SIZE : alignUp(size + ZEND_MM_ALIGNED_HEADER_SIZE, ZEND_MM_ALIGNMENT);
}

/** ZEND_MM_BUCKET_INDEX(true_size): small bucket of a true size (0..63 for small sizes). */
export function ZEND_MM_BUCKET_INDEX(trueSize: number): number {
  return Math.floor(trueSize / ZEND_MM_ALIGNMENT) - ZEND_MM_ALIGNED_MIN_HEADER_SIZE / ZEND_MM_ALIGNMENT;
}

/** ZEND_MM_SMALL_SIZE(true_size). */
export function ZEND_MM_SMALL_SIZE(trueSize: number): boolean {
  return trueSize < ZEND_MM_MAX_SMALL_SIZE;
}

/** ZEND_MM_LARGE_BUCKET_INDEX(size) = zend_mm_high_bit(size). */
export function ZEND_MM_LARGE_BUCKET_INDEX(size: number): number {
  return zendMmHighBit(size);
}

/**
 * zend_mm_high_bit(size): index of the highest set bit (bsr). `size` must be a positive
 * integer below 2^53.
 */
export function zendMmHighBit(size: number): number {
  if (size < 2 ** 32) {
    return 31 - Math.clz32(size);
  }
  return 63 - Math.clz32(Math.floor(size / 2 ** 32));
}

/** zend_mm_low_bit(bits) of a non-zero 64-bit value: index of the lowest set bit (bsf). */
export function zendMmLowBit(bits: bigint): number {
  let n = 0;
  let b = bits;
  while ((b & 0xffffffffn) === 0n) {
    b >>= 32n;
    n += 32;
  }
  const lo = Number(b & 0xffffffffn);
  return n + 31 - Math.clz32(lo & -lo);
}

/** Bit `pos` of a non-negative integer below 2^53 (0 for negative positions). */
export function bitOf(value: number, pos: number): number {
  if (pos < 0) {
    return 0;
  }
  return Math.floor(value / 2 ** pos) % 2;
}

/** `value` rounded up to a multiple of `alignment` (a power of two). */
export function alignUp(value: number, alignment: number): number {
  const r = value % alignment;
  return r === 0 ? value : value + alignment - r;
}

/** The size part of a _size/_prev word: word & ~ZEND_MM_TYPE_MASK. */
export function sizeOfWord(word: number): number {
  return word - (word % 4);
}

/** The type bits of a _size/_prev word: word & ZEND_MM_TYPE_MASK. */
export function typeOfWord(word: number): number {
  return word % 4;
}

/** (type) | size, as ZEND_MM_BLOCK writes it. */
export function withType(size: number, type: number): number {
  const low = size % 4;
  return size - low + (low | type);
}
