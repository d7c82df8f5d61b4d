// zend_mm_free_cache(): empties the small-block cache before a memory error.

import { OFF_PREV_FREE, ZEND_MM_ALIGNED_SEGMENT_SIZE, ZEND_MM_FREE_BLOCK, ZEND_MM_NUM_BUCKETS } from './constants';
import type { Zend5Heap } from './heap';
import { cacheSlot } from './heapLayout';
import { zendMmAddToFreeList, zendMmRemoveFromFreeList } from './freeLists';
import { zendMmDelSegment } from './segments';

/**
 * zend_mm_free_cache(heap): every cached block, bucket by bucket and newest first, is
 * coalesced with a free previous block, then with a free next block (the next block is
 * looked up before the previous one is merged), and becomes a free block or releases its
 * segment. `cached` drops by each block's size; quirk kept from C: heap->size is not reduced.
 */
export function zendMmFreeCache(heap: Zend5Heap): void {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_free_cache', locals: { cached: heap.cached } });
  for (let i = 0; i < ZEND_MM_NUM_BUCKETS; i++) {
    const slot = cacheSlot(heap.base, i);
    let mmBlock = heap.read(slot);
    if (mmBlock === 0) {
      continue;
    }
    while (mmBlock !== 0) {
      let size = heap.trueSizeOf(mmBlock);
      const q = heap.read(mmBlock + OFF_PREV_FREE);
      const nextBlock = mmBlock + size;
      heap.cached = (heap.cached - size) >>> 0;
      if (heap.prevIsFree(mmBlock)) {
        mmBlock = heap.prevBlock(mmBlock);
        size += heap.rawSize(mmBlock);
        zendMmRemoveFromFreeList(heap, mmBlock);
      }
      if (heap.isFree(nextBlock)) {
        size += heap.rawSize(nextBlock);
        zendMmRemoveFromFreeList(heap, nextBlock);
      }
      heap.setBlock(mmBlock, ZEND_MM_FREE_BLOCK, size);
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_free_cache:flush_block',
        note: `a cached block of bucket ${i} becomes a free block of ${size} bytes`,
        locals: { index: i, size, cached: heap.cached },
      });
      if (heap.isFirst(mmBlock) && heap.isGuard(mmBlock + heap.trueSizeOf(mmBlock))) {
        zendMmDelSegment(heap, mmBlock - ZEND_MM_ALIGNED_SEGMENT_SIZE);
      } else {
        zendMmAddToFreeList(heap, mmBlock);
      }
      mmBlock = q;
    }
    heap.write(slot, 0);
  }
  sink?.event({ kind: 'leave', func: 'zend_mm_free_cache' });
}
