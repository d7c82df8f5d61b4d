// _zend_mm_free_int(): efree's path through the segment heap.

import {
  OFF_PREV_FREE,
  ZEND_MM_ALIGNED_HEADER_SIZE,
  ZEND_MM_ALIGNED_SEGMENT_SIZE,
  ZEND_MM_BUCKET_INDEX,
  ZEND_MM_FREE_BLOCK,
  ZEND_MM_SMALL_SIZE,
} from './constants';
import type { Zend5Heap } from './heap';
import { cacheSlot } from './heapLayout';
import { zendMmAddToFreeList, zendMmRemoveFromFreeList } from './freeLists';
import { zendMmDelSegment } from './segments';

/**
 * _zend_mm_free_int(heap, p): NULL is ignored. A small block goes on top of its cache bucket
 * while `cached` is below the profile's ZEND_MM_CACHE_SIZE (heap->size is not reduced:
 * the block still counts as used). Otherwise size shrinks by the block, which is merged
 * with a free next block, then a free previous block; a merged block spanning its whole
 * segment releases the segment, else it goes to the free lists.
 */
export function zendMmFreeInt(heap: Zend5Heap, p: number): void {
  if (p === 0) {
    return;
  }
  const sink = heap.sink;
  let mmBlock = p - ZEND_MM_ALIGNED_HEADER_SIZE;
  let size = heap.trueSizeOf(mmBlock);
  sink?.event({ kind: 'enter', func: '_zend_mm_free_int', locals: { p, size } });

  if (ZEND_MM_SMALL_SIZE(size) && heap.cached < heap.profile.cacheSize) {
    const index = ZEND_MM_BUCKET_INDEX(size);
    const slot = cacheSlot(heap.base, index);
    heap.write(mmBlock + OFF_PREV_FREE, heap.read(slot));
    heap.write(slot, mmBlock);
    heap.cached = (heap.cached + size) >>> 0;
    sink?.event({
      kind: 'stmt',
      anchor: '_zend_mm_free_int:cache_push',
      note: `the ${size}-byte block goes on top of cache bucket ${index}; size is not reduced`,
      locals: { index, cached: heap.cached },
      touched: [{ kind: 'counters' }],
    });
    sink?.event({ kind: 'leave', func: '_zend_mm_free_int' });
    return;
  }

  heap.size -= size;
  const nextBlock = mmBlock + size;
  if (heap.isFree(nextBlock)) {
    zendMmRemoveFromFreeList(heap, nextBlock);
    size += heap.rawSize(nextBlock);
    sink?.event({ kind: 'stmt', anchor: '_zend_mm_free_int:coalesce_next', note: `merged with the free block after it: ${size} bytes`, locals: { size } });
  }
  if (heap.prevIsFree(mmBlock)) {
    mmBlock = heap.prevBlock(mmBlock);
    zendMmRemoveFromFreeList(heap, mmBlock);
    size += heap.rawSize(mmBlock);
    sink?.event({ kind: 'stmt', anchor: '_zend_mm_free_int:coalesce_prev', note: `merged with the free block before it: ${size} bytes`, locals: { size } });
  }
  if (heap.isFirst(mmBlock) && heap.isGuard(mmBlock + size)) {
    sink?.event({ kind: 'stmt', anchor: '_zend_mm_free_int:segment_empty', note: 'the segment is now entirely free', locals: { size } });
    zendMmDelSegment(heap, mmBlock - ZEND_MM_ALIGNED_SEGMENT_SIZE);
  } else {
    heap.setBlock(mmBlock, ZEND_MM_FREE_BLOCK, size);
    sink?.event({ kind: 'stmt', anchor: '_zend_mm_free_int:to_free_list', note: `a free block of ${size} bytes goes to the free lists`, locals: { size }, touched: [{ kind: 'counters' }] });
    zendMmAddToFreeList(heap, mmBlock);
  }
  sink?.event({ kind: 'leave', func: '_zend_mm_free_int' });
}
