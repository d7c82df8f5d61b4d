// _zend_mm_realloc_int(): erealloc's paths through the segment heap, for sizes below
// OVERSIZED_REQUEST (larger ones: oversized.ts).

import {
  OFF_PREV_FREE,
  OFF_SEG_NEXT,
  OFF_SEG_SIZE,
  ZEND_MM_ALIGNED_HEADER_SIZE,
  ZEND_MM_ALIGNED_MIN_HEADER_SIZE,
  ZEND_MM_ALIGNED_SEGMENT_SIZE,
  ZEND_MM_BUCKET_INDEX,
  ZEND_MM_FREE_BLOCK,
  ZEND_MM_SMALL_SIZE,
  ZEND_MM_TRUE_SIZE,
  ZEND_MM_USED_BLOCK,
} from './constants';
import type { Zend5Heap } from './heap';
import { cacheSlot } from './heapLayout';
import { checkBlockLinkage, segmentSizeFor, zendMmAllocInt } from './alloc';
import { zendMmFreeInt } from './free';
import { zendMmFreeCache } from './freeCache';
import { zendMmAddToFreeList, zendMmAddToRestList, zendMmRemoveFromFreeList } from './freeLists';
import { limitMessage, oomMessage, zendMmSafeError } from './safeError';

/**
 * _zend_mm_realloc_int(heap, p, size), in the C order of its paths:
 * 1. shrink or same size in place (a remainder of 32+ bytes, merged with a free next block,
 *    goes to the free lists; peak is not updated);
 * 2. small new size with a cached block of that bucket: swap — the cached block is used, the
 *    old one goes on its own cache bucket (no cache-size check), `cached` changes by
 *    -(new - old) and size is unchanged;
 * 3. grow into a free next block (a remainder next to the guard of a segment whose first
 *    block this is goes to the rest list);
 * 4. first block of its segment with only free space (or nothing) before the guard: the
 *    segment is resized by the storage (may move; keeps its ordinal), tail to the rest list;
 * 5. otherwise _zend_mm_alloc_int + copy + _zend_mm_free_int.
 * Returns the payload address; throws Zend5Error when the request bails out.
 */
export function zendMmReallocInt(heap: Zend5Heap, p: number, size: number): number {
  if (p === 0) {
    return zendMmAllocInt(heap, size);
  }
  const sink = heap.sink;
  let mmBlock = p - ZEND_MM_ALIGNED_HEADER_SIZE;
  let trueSize = ZEND_MM_TRUE_SIZE(size);
  const origSize = heap.trueSizeOf(mmBlock);
  sink?.event({ kind: 'enter', func: '_zend_mm_realloc_int', locals: { p, size, true_size: trueSize, orig_size: origSize } });
  const leave = (ret: number): number => {
    sink?.event({ kind: 'leave', func: '_zend_mm_realloc_int' });
    return ret;
  };

  if (trueSize <= origSize) {
    let remainingSize = origSize - trueSize;
    if (remainingSize >= ZEND_MM_ALIGNED_MIN_HEADER_SIZE) {
      const nextBlock = mmBlock + origSize;
      if (heap.isFree(nextBlock)) {
        remainingSize += heap.rawSize(nextBlock);
        zendMmRemoveFromFreeList(heap, nextBlock);
      }
      heap.setBlock(mmBlock, ZEND_MM_USED_BLOCK, trueSize);
      const newFreeBlock = mmBlock + trueSize;
      heap.setBlock(newFreeBlock, ZEND_MM_FREE_BLOCK, remainingSize);
      zendMmAddToFreeList(heap, newFreeBlock);
      heap.size += trueSize - origSize;
      sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:shrink_in_place', note: `shrunk in place to ${trueSize} bytes; ${remainingSize} bytes freed`, locals: { true_size: trueSize, remaining_size: remainingSize }, touched: [{ kind: 'counters' }] });
    } else {
      sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:same_block', note: `the ${origSize}-byte block already fits`, locals: { remaining_size: remainingSize } });
    }
    return leave(p);
  }

  if (ZEND_MM_SMALL_SIZE(trueSize)) {
    const index = ZEND_MM_BUCKET_INDEX(trueSize);
    const bestFit = heap.read(cacheSlot(heap.base, index));
    if (bestFit !== 0) {
      heap.write(cacheSlot(heap.base, index), heap.read(bestFit + OFF_PREV_FREE));
      const ptr = bestFit + ZEND_MM_ALIGNED_HEADER_SIZE;
      // the payload copy (memcpy) is not modelled: block contents are not simulated
      heap.cached = (heap.cached - (trueSize - origSize)) >>> 0;
      const oldSlot = cacheSlot(heap.base, ZEND_MM_BUCKET_INDEX(origSize));
      heap.write(mmBlock + OFF_PREV_FREE, heap.read(oldSlot));
      heap.write(oldSlot, mmBlock);
      sink?.event({
        kind: 'stmt',
        anchor: '_zend_mm_realloc_int:cache_swap',
        note: `a cached ${trueSize}-byte block is used; the old ${origSize}-byte block goes to the cache`,
        locals: { index, cached: heap.cached },
        touched: [{ kind: 'counters' }],
      });
      return leave(ptr);
    }
  }

  const nextBlock = mmBlock + origSize;
  let toSegment = false;
  if (heap.isFree(nextBlock)) {
    checkBlockLinkage(heap, nextBlock);
    const nextSize = heap.rawSize(nextBlock);
    if (origSize + nextSize >= trueSize) {
      const blockSize = origSize + nextSize;
      const remainingSize = blockSize - trueSize;
      zendMmRemoveFromFreeList(heap, nextBlock);
      const newFreeBlock = takeBlock(heap, mmBlock, trueSize, blockSize);
      if (newFreeBlock === 0) {
        trueSize = blockSize;
      } else if (heap.isFirst(mmBlock) && heap.isGuard(newFreeBlock + remainingSize)) {
        zendMmAddToRestList(heap, newFreeBlock);
      } else {
        zendMmAddToFreeList(heap, newFreeBlock);
      }
      heap.size = heap.size + trueSize - origSize;
      if (heap.peak < heap.size) {
        heap.peak = heap.size;
      }
      sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:grow_into_next', note: `grown in place to ${trueSize} bytes using the free block after it`, locals: { true_size: trueSize, remaining_size: remainingSize }, touched: [{ kind: 'counters' }] });
      return leave(p);
    } else if (heap.isFirst(mmBlock) && heap.isGuard(nextBlock + nextSize)) {
      zendMmRemoveFromFreeList(heap, nextBlock);
      toSegment = true;
    }
  } else if (heap.isFirst(mmBlock) && heap.isGuard(nextBlock)) {
    toSegment = true;
  }

  if (toSegment) {
    // realloc_segment:
    const { segmentSize } = segmentSizeFor(heap, trueSize);
    const segmentCopy = mmBlock - ZEND_MM_ALIGNED_SEGMENT_SIZE;
    const oldSegmentSize = heap.read(segmentCopy + OFF_SEG_SIZE);
    sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:realloc_segment', note: `the block is alone in its segment: the segment is resized to ${segmentSize} bytes`, locals: { segment_size: segmentSize, old_segment_size: oldSegmentSize } });
    if (segmentSize < trueSize || BigInt(heap.realSize + segmentSize - oldSegmentSize) > heap.limit) {
      if (heap.isFree(nextBlock)) {
        zendMmAddToFreeList(heap, nextBlock);
      }
      sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:limit_exceeded', note: `resizing the segment would pass the limit ${heap.limit}`, locals: { segment_size: segmentSize } });
      zendMmFreeCache(heap);
      zendMmSafeError(heap, 'limit', limitMessage(heap.limit, size, 'realloc'));
    }
    const segment = heap.storage.realloc(segmentCopy, segmentSize);
    if (segment === 0) {
      // quirk kept from C: a free next block removed above is not put back
      sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:storage_failed', note: `the storage could not resize the segment to ${segmentSize} bytes`, locals: { segment_size: segmentSize } });
      zendMmFreeCache(heap);
      zendMmSafeError(heap, 'oom', oomMessage(heap.realSize, size, 'realloc'));
    }
    if (segment !== segmentCopy) {
      heap.moveSegment(segmentCopy, segment);
    }
    heap.realSize += segmentSize - heap.read(segment + OFF_SEG_SIZE);
    if (heap.realSize > heap.realPeak) {
      heap.realPeak = heap.realSize;
    }
    heap.write(segment + OFF_SEG_SIZE, segmentSize);
    if (segment !== segmentCopy) {
      let slot = heap.segmentsListSlot;
      while (heap.read(slot) !== segmentCopy) {
        slot = heap.read(slot) + OFF_SEG_NEXT;
      }
      heap.write(slot, segment);
      mmBlock = segment + ZEND_MM_ALIGNED_SEGMENT_SIZE;
      heap.markFirst(mmBlock);
      sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:segment_moved', note: 'the storage moved the segment; segments_list is repointed', locals: {} });
    }
    const blockSize = segmentSize - ZEND_MM_ALIGNED_SEGMENT_SIZE - ZEND_MM_ALIGNED_HEADER_SIZE;
    heap.markLast(mmBlock + blockSize);
    const newFreeBlock = takeBlock(heap, mmBlock, trueSize, blockSize);
    if (newFreeBlock === 0) {
      trueSize = blockSize;
    } else {
      zendMmAddToRestList(heap, newFreeBlock);
    }
    heap.size = heap.size + trueSize - origSize;
    if (heap.peak < heap.size) {
      heap.peak = heap.size;
    }
    sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:segment_resized', note: `the block is now ${trueSize} bytes in a ${segmentSize}-byte segment`, locals: { true_size: trueSize, real_size: heap.realSize }, touched: [{ kind: 'counters' }] });
    return leave(mmBlock + ZEND_MM_ALIGNED_HEADER_SIZE);
  }

  sink?.event({ kind: 'stmt', anchor: '_zend_mm_realloc_int:move', note: 'no room in place: allocate, copy, free', locals: {} });
  const ptr = zendMmAllocInt(heap, size);
  // the payload copy (memcpy) is not modelled: block contents are not simulated
  zendMmFreeInt(heap, p);
  return leave(ptr);
}

/**
 * Marks `mmBlock` used for `trueSize` of its `blockSize` bytes. The rest becomes a free block
 * when it can hold a block header, and is returned (the caller files it); when it cannot, the
 * block keeps every byte (set used with blockSize) and 0 is returned.
 */
function takeBlock(heap: Zend5Heap, mmBlock: number, trueSize: number, blockSize: number): number {
  const remainingSize = blockSize - trueSize;
  if (remainingSize < ZEND_MM_ALIGNED_MIN_HEADER_SIZE) {
    heap.setBlock(mmBlock, ZEND_MM_USED_BLOCK, blockSize);
    return 0;
  }
  heap.setBlock(mmBlock, ZEND_MM_USED_BLOCK, trueSize);
  const newFreeBlock = mmBlock + trueSize;
  heap.setBlock(newFreeBlock, ZEND_MM_FREE_BLOCK, remainingSize);
  return newFreeBlock;
}
