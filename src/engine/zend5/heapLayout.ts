// Where the pointer members of struct _zend_mm_heap sit (LP64, ZEND_MM_CACHE=1,
// ZEND_MM_CACHE_STAT=0), and the fake "free block" sentinels that the small free buckets and
// the rest list build out of them. The allocator links real blocks to these sentinels, so they
// live in simulated memory like everything else; the scalar members are plain fields of
// Zend5Heap instead.
// differs from C: every profile uses the 5.3 layout (5.2 lacks the _malloc/_free/_realloc
// members and 5.4+ adds rest_count at the end); only the relative position of the sentinels
// matters to the algorithms, and it is the same in all of them.

import { OFF_NEXT_FREE, OFF_PREV_FREE, WORD } from './constants';

/** offsetof(zend_mm_heap, segments_list). */
export const HEAP_OFF_SEGMENTS_LIST = 64;
/** offsetof(zend_mm_heap, cache): 64 list heads of the small-block cache. */
export const HEAP_OFF_CACHE = 152;
/** offsetof(zend_mm_heap, free_buckets): 128 pointers, a prev/next pair per small bucket. */
export const HEAP_OFF_FREE_BUCKETS = 664;
/** offsetof(zend_mm_heap, large_free_buckets): 64 trie roots. */
export const HEAP_OFF_LARGE_FREE_BUCKETS = 1688;
/** offsetof(zend_mm_heap, rest_buckets): the rest list's prev/next pair. */
export const HEAP_OFF_REST_BUCKETS = 2200;
/** sizeof(struct _zend_mm_heap) in this model (bytes). */
export const SIZEOF_ZEND_MM_HEAP = 2216;

/** Address of heap->cache[index]. */
export function cacheSlot(heapBase: number, index: number): number {
  return heapBase + HEAP_OFF_CACHE + index * WORD;
}

/** Address of heap->free_buckets[i]. */
export function freeBucketSlot(heapBase: number, i: number): number {
  return heapBase + HEAP_OFF_FREE_BUCKETS + i * WORD;
}

/** Address of heap->large_free_buckets[index]. */
export function largeBucketSlot(heapBase: number, index: number): number {
  return heapBase + HEAP_OFF_LARGE_FREE_BUCKETS + index * WORD;
}

/**
 * ZEND_MM_SMALL_FREE_BUCKET(heap, index): the fake block whose prev_free_block /
 * next_free_block members are free_buckets[2*index] / free_buckets[2*index+1].
 */
export function smallFreeBucket(heapBase: number, index: number): number {
  return freeBucketSlot(heapBase, 2 * index) - OFF_PREV_FREE;
}

/** ZEND_MM_REST_BUCKET(heap): the fake block over rest_buckets[0] / rest_buckets[1]. */
export function restBucket(heapBase: number): number {
  return heapBase + HEAP_OFF_REST_BUCKETS - OFF_PREV_FREE;
}

/** Address of heap->rest_buckets[i] (i = 0: newest entry, 1: oldest entry). */
export function restBucketSlot(heapBase: number, i: 0 | 1): number {
  return restBucket(heapBase) + (i === 0 ? OFF_PREV_FREE : OFF_NEXT_FREE);
}
