// Requests of OVERSIZED_REQUEST bytes and more (up to SIZE_MAX), in exact size_t (mod 2^64)
// arithmetic. None of them can succeed: the true size either wraps below the request (the
// "Out of memory" exit, without a cache flush) or needs a segment the storage cannot give.
// These functions follow _zend_mm_alloc_int / _zend_mm_realloc_int through exactly the
// statements such a request reaches.

import {
  ZEND_MM_ALIGNED_HEADER_SIZE,
  ZEND_MM_ALIGNED_MIN_HEADER_SIZE,
  ZEND_MM_ALIGNED_SEGMENT_SIZE,
  ZEND_MM_MAX_SMALL_SIZE,
  ZEND_MM_MIN_SIZE,
  ZEND_MM_ALIGNMENT,
  ZEND_MM_NUM_BUCKETS,
} from './constants';
import type { Zend5Heap } from './heap';
import { checkBlockLinkage } from './alloc';
import { zendMmFreeCache } from './freeCache';
import { zendMmAddToFreeList, zendMmRemoveFromFreeList } from './freeLists';
import { limitMessage, oomMessage, SizeFormat, zendMmSafeError } from './safeError';
import { MAX_STORAGE_REQUEST } from './storage';

const MASK64 = 2n ** 64n - 1n;

/** ZEND_MM_TRUE_SIZE(size) in size_t arithmetic (wraps for sizes near SIZE_MAX). */
export function trueSize64(size: bigint): bigint {
  if (size < BigInt(ZEND_MM_MIN_SIZE)) {
    return BigInt(ZEND_MM_ALIGNED_MIN_HEADER_SIZE);
  }
  const a = BigInt(ZEND_MM_ALIGNMENT - 1);
  return ((size + BigInt(ZEND_MM_ALIGNED_HEADER_SIZE) + a) & MASK64) & ~a;
}

/** The segment size for a dedicated segment, in size_t arithmetic (may wrap to a small value). */
function segmentSize64(heap: Zend5Heap, trueSize: bigint): bigint {
  const bs = BigInt(heap.blockSize);
  if (trueSize > bs - BigInt(ZEND_MM_ALIGNED_SEGMENT_SIZE + ZEND_MM_ALIGNED_HEADER_SIZE)) {
    const s = (trueSize + BigInt(ZEND_MM_ALIGNED_SEGMENT_SIZE + ZEND_MM_ALIGNED_HEADER_SIZE)) & MASK64;
    return ((s + (bs - 1n)) & MASK64) & ~(bs - 1n);
  }
  return bs;
}

/** Storage requests this large always fail in the model (MAX_STORAGE_REQUEST). */
function storageFails(size: bigint): boolean {
  return size > BigInt(MAX_STORAGE_REQUEST) || size === 0n;
}

/** The "new segment" exit of _zend_mm_alloc_int for a request no free block can hold. */
function newSegmentFails(heap: Zend5Heap, size: bigint, trueSize: bigint, fmt: SizeFormat): never {
  const segmentSize = segmentSize64(heap, trueSize);
  if (segmentSize < trueSize || ((BigInt(heap.realSize) + segmentSize) & MASK64) > heap.limit) {
    heap.sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:limit_exceeded', note: `a ${segmentSize}-byte segment would pass the limit`, locals: { segment_size: segmentSize.toString() } });
    zendMmFreeCache(heap);
    zendMmSafeError(heap, 'limit', limitMessage(heap.limit, size, fmt));
  }
  if (!storageFails(segmentSize)) {
    throw new Error(`not modelled: a ${segmentSize}-byte segment for a request of ${size} bytes`);
  }
  heap.sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:storage_failed', note: `the storage cannot provide ${segmentSize} bytes`, locals: { segment_size: segmentSize.toString() } });
  zendMmFreeCache(heap);
  zendMmSafeError(heap, 'oom', oomMessage(heap.realSize, size, fmt));
}

/**
 * _zend_mm_alloc_int(heap, size) for size >= OVERSIZED_REQUEST: a true size that wrapped
 * below the request goes straight to out_of_memory (past the cache flush); otherwise no
 * free block, trie or rest entry can be large enough, so the new-segment exits are taken.
 */
export function oversizedAlloc(heap: Zend5Heap, size: bigint): never {
  const ts = trueSize64(size);
  heap.sink?.event({ kind: 'enter', func: '_zend_mm_alloc_int', locals: { size: size.toString(), true_size: ts.toString() } });
  if (ts < BigInt(ZEND_MM_MAX_SMALL_SIZE) && ts < size) {
    heap.sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:size_overflow', note: `the true size wrapped to ${ts}`, locals: {} });
    zendMmSafeError(heap, 'oom', oomMessage(heap.realSize, size, 'alloc'));
  }
  // zend_mm_search_large_block: no trie holds a block this large (bitmap >> index is 0)
  if ((heap.largeFreeBitmap >> BigInt(highBit64(ts))) !== 0n) {
    throw new Error('not modelled: a free block of 2^50 bytes or more');
  }
  // the rest-list search, when it runs, finds nothing this large either
  return newSegmentFails(heap, size, ts, 'alloc');
}

/** zend_mm_high_bit of a non-zero 64-bit value. */
function highBit64(v: bigint): number {
  return Math.min(v.toString(2).length - 1, ZEND_MM_NUM_BUCKETS - 1);
}

/**
 * _zend_mm_realloc_int(heap, p, size) for size >= OVERSIZED_REQUEST: a wrapped true size
 * exits at out_of_memory; the first block of a segment with only free space after it goes
 * down the segment-realloc path (the limit check re-links the next block; a failed storage
 * realloc does not); any other block falls back to _zend_mm_alloc_int, which fails before
 * the old block is freed.
 */
export function oversizedRealloc(heap: Zend5Heap, p: number, size: bigint): never {
  if (p === 0) {
    return oversizedAlloc(heap, size);
  }
  const mmBlock = p - ZEND_MM_ALIGNED_HEADER_SIZE;
  const ts = trueSize64(size);
  const origSize = heap.trueSizeOf(mmBlock);
  heap.sink?.event({ kind: 'enter', func: '_zend_mm_realloc_int', locals: { p, size: size.toString(), true_size: ts.toString(), orig_size: origSize } });
  if (ts < size) {
    heap.sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:size_overflow', note: `the true size wrapped to ${ts}`, locals: {} });
    zendMmSafeError(heap, 'oom', oomMessage(heap.realSize, size, 'realloc'));
  }
  const nextBlock = mmBlock + origSize;
  let toSegment = false;
  if (heap.isFree(nextBlock)) {
    checkBlockLinkage(heap, nextBlock);
    const nextSize = heap.rawSize(nextBlock);
    // origSize + nextSize < 2^47 can never reach the true size
    if (heap.isFirst(mmBlock) && heap.isGuard(nextBlock + nextSize)) {
      zendMmRemoveFromFreeList(heap, nextBlock);
      toSegment = true;
    }
  } else if (heap.isFirst(mmBlock) && heap.isGuard(nextBlock)) {
    toSegment = true;
  }
  if (!toSegment) {
    heap.sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:move', note: 'no room in place: allocate, copy, free', locals: {} });
    return oversizedAlloc(heap, size);
  }
  const segmentSize = segmentSize64(heap, ts);
  const oldSegmentSize = BigInt(heap.read(mmBlock - ZEND_MM_ALIGNED_SEGMENT_SIZE));
  heap.sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:realloc_segment', note: `the segment would be resized to ${segmentSize} bytes`, locals: { segment_size: segmentSize.toString() } });
  if (segmentSize < ts || ((BigInt(heap.realSize) + segmentSize - oldSegmentSize) & MASK64) > heap.limit) {
    if (heap.isFree(nextBlock)) {
      zendMmAddToFreeList(heap, nextBlock);
    }
    zendMmFreeCache(heap);
    zendMmSafeError(heap, 'limit', limitMessage(heap.limit, size, 'realloc'));
  }
  if (!storageFails(segmentSize)) {
    throw new Error(`not modelled: resizing a segment to ${segmentSize} bytes`);
  }
  // quirk kept from C: a free next block removed above is not put back
  zendMmFreeCache(heap);
  zendMmSafeError(heap, 'oom', oomMessage(heap.realSize, size, 'realloc'));
}

