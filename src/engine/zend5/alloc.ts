// _zend_mm_alloc_int(): emalloc's path through the segment heap, for requests below
// OVERSIZED_REQUEST (larger ones: oversized.ts).

import {
  OFF_PREV_FREE,
  OFF_SEG_NEXT,
  OFF_SEG_SIZE,
  OFF_SIZE,
  OFF_PREV,
  ZEND_MM_ALIGNED_HEADER_SIZE,
  ZEND_MM_ALIGNED_MIN_HEADER_SIZE,
  ZEND_MM_ALIGNED_SEGMENT_SIZE,
  ZEND_MM_BUCKET_INDEX,
  ZEND_MM_FREE_BLOCK,
  ZEND_MM_SMALL_SIZE,
  ZEND_MM_TRUE_SIZE,
  ZEND_MM_USED_BLOCK,
  alignUp,
  zendMmLowBit,
} from './constants';
import { Zend5HeapCorrupted } from './errors';
import type { Zend5Heap } from './heap';
import { cacheSlot, freeBucketSlot, restBucket, restBucketSlot } from './heapLayout';
import { zendMmAddToFreeList, zendMmAddToRestList, zendMmRemoveFromFreeList } from './freeLists';
import { zendMmFreeCache } from './freeCache';
import { limitMessage, oomMessage, zendMmSafeError } from './safeError';
import { zendMmSearchLargeBlock } from './searchLargeBlock';

/**
 * ZEND_MM_CHECK_BLOCK_LINKAGE(block) (ZEND_MM_SAFE_UNLINKING=1): the block's size must match
 * the next block's _prev, and (unless first) the previous block's _size its _prev.
 */
export function checkBlockLinkage(heap: Zend5Heap, block: number): void {
  const size = heap.rawSize(block);
  if (size !== heap.read(block + size + OFF_PREV)) {
    throw new Zend5HeapCorrupted(`block 0x${block.toString(16)}: _size does not match the next block's _prev`);
  }
  if (!heap.isFirst(block) && heap.read(heap.prevBlock(block) + OFF_SIZE) !== heap.read(block + OFF_PREV)) {
    throw new Zend5HeapCorrupted(`block 0x${block.toString(16)}: _prev does not match the previous block's _size`);
  }
}

/**
 * The segment size for a block of `trueSize` bytes (shared with the realloc path): a whole
 * block_size, or, when the block and the segment header and guard do not fit in one,
 * trueSize + 32 rounded up to a multiple of block_size.
 */
export function segmentSizeFor(heap: Zend5Heap, trueSize: number): { segmentSize: number; dedicated: boolean } {
  if (trueSize > heap.blockSize - (ZEND_MM_ALIGNED_SEGMENT_SIZE + ZEND_MM_ALIGNED_HEADER_SIZE)) {
    return { segmentSize: alignUp(trueSize + ZEND_MM_ALIGNED_SEGMENT_SIZE + ZEND_MM_ALIGNED_HEADER_SIZE, heap.blockSize), dedicated: true };
  }
  return { segmentSize: heap.blockSize, dedicated: false };
}

/**
 * _zend_mm_alloc_int(heap, size): a small request pops the cache of its bucket (LIFO), else
 * takes the oldest block of the first non-empty bucket at or above its own (free_bitmap);
 * otherwise zend_mm_search_large_block; near the limit (real_size >= limit - block_size) the
 * rest list, newest first (exact fit wins, else the smallest larger); otherwise a new
 * segment, whose remainder goes to the rest list when it is a dedicated (oversized)
 * segment. The chosen block is split when at least ZEND_MM_ALIGNED_MIN_HEADER_SIZE is left.
 * Returns the payload address; throws Zend5Error when the request bails out.
 */
export function zendMmAllocInt(heap: Zend5Heap, size: number): number {
  const sink = heap.sink;
  let trueSize = ZEND_MM_TRUE_SIZE(size);
  sink?.event({ kind: 'enter', func: '_zend_mm_alloc_int', locals: { size, true_size: trueSize } });
  let keepRest = false;
  let bestFit = 0;
  let blockSize: number;
  let found = false;

  if (ZEND_MM_SMALL_SIZE(trueSize)) {
    let index = ZEND_MM_BUCKET_INDEX(trueSize);
    const cached = heap.read(cacheSlot(heap.base, index));
    if (cached !== 0) {
      heap.write(cacheSlot(heap.base, index), heap.read(cached + OFF_PREV_FREE));
      heap.cached = (heap.cached - trueSize) >>> 0;
      sink?.event({
        kind: 'stmt',
        anchor: '_zend_mm_alloc_int:cache_hit',
        note: `cache bucket ${index} gives back its newest block (${trueSize} bytes); size is not counted again`,
        locals: { index, cached: heap.cached },
        touched: [{ kind: 'counters' }],
      });
      sink?.event({ kind: 'leave', func: '_zend_mm_alloc_int' });
      return cached + ZEND_MM_ALIGNED_HEADER_SIZE;
    }
    const bitmap = heap.freeBitmap >> BigInt(index);
    if (bitmap !== 0n) {
      index += zendMmLowBit(bitmap);
      bestFit = heap.read(freeBucketSlot(heap.base, index * 2));
      found = true;
      sink?.event({
        kind: 'stmt',
        anchor: '_zend_mm_alloc_int:small_bucket',
        note: `free_bitmap points at small bucket ${index}: its oldest block is taken`,
        locals: { index, best_fit: bestFit },
      });
    }
  }

  if (!found) {
    bestFit = zendMmSearchLargeBlock(heap, trueSize);
    if (bestFit === 0 && BigInt(heap.realSize) >= heap.limit - BigInt(heap.blockSize)) {
      sink?.event({
        kind: 'stmt',
        anchor: '_zend_mm_alloc_int:rest_search',
        note: `real_size ${heap.realSize} is within block_size of the limit: the rest list is searched`,
        locals: { real_size: heap.realSize },
      });
      const sentinel = restBucket(heap.base);
      let bestSize = Infinity;
      let exact = false;
      for (let p = heap.read(restBucketSlot(heap.base, 0)); p !== sentinel; p = heap.read(p + OFF_PREV_FREE)) {
        const sz = heap.rawSize(p);
        if (sz === trueSize) {
          bestFit = p;
          exact = true;
          sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:rest_exact', note: `exact fit in the rest list`, locals: { best_fit: p } });
          break;
        } else if (sz > trueSize && sz < bestSize) {
          bestSize = sz;
          bestFit = p;
        }
      }
      if (bestFit !== 0 && !exact) {
        sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:rest_best_fit', note: `rest-list block of ${heap.rawSize(bestFit)} bytes chosen`, locals: { best_fit: bestFit } });
      }
    }
  }

  if (bestFit === 0) {
    const seg = segmentSizeFor(heap, trueSize);
    const segmentSize = seg.segmentSize;
    keepRest = seg.dedicated;
    if (segmentSize < trueSize || BigInt(heap.realSize + segmentSize) > heap.limit) {
      sink?.event({
        kind: 'stmt',
        anchor: '_zend_mm_alloc_int:limit_exceeded',
        note: `a new ${segmentSize}-byte segment would pass the limit ${heap.limit}`,
        locals: { segment_size: segmentSize, real_size: heap.realSize },
      });
      zendMmFreeCache(heap);
      zendMmSafeError(heap, 'limit', limitMessage(heap.limit, size, 'alloc'));
    }
    const segment = heap.storage.alloc(segmentSize);
    if (segment === 0) {
      sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:storage_failed', note: `the storage could not provide ${segmentSize} bytes`, locals: { segment_size: segmentSize } });
      zendMmFreeCache(heap);
      zendMmSafeError(heap, 'oom', oomMessage(heap.realSize, size, 'alloc'));
    }
    heap.registerSegment(segment);
    heap.realSize += segmentSize;
    if (heap.realSize > heap.realPeak) {
      heap.realPeak = heap.realSize;
    }
    heap.write(segment + OFF_SEG_SIZE, segmentSize);
    heap.write(segment + OFF_SEG_NEXT, heap.read(heap.segmentsListSlot));
    heap.write(heap.segmentsListSlot, segment);
    bestFit = segment + ZEND_MM_ALIGNED_SEGMENT_SIZE;
    heap.markFirst(bestFit);
    blockSize = segmentSize - ZEND_MM_ALIGNED_SEGMENT_SIZE - ZEND_MM_ALIGNED_HEADER_SIZE;
    heap.markLast(bestFit + blockSize);
    sink?.event({
      kind: 'stmt',
      anchor: '_zend_mm_alloc_int:new_segment',
      note: `new segment ${heap.segmentOrdinals.get(segment)} of ${segmentSize} bytes${keepRest ? ' (dedicated: its tail goes to the rest list)' : ''}`,
      locals: { segment_size: segmentSize, real_size: heap.realSize, keep_rest: keepRest },
      touched: [{ kind: 'counters' }],
    });
  } else {
    checkBlockLinkage(heap, bestFit);
    zendMmRemoveFromFreeList(heap, bestFit);
    blockSize = heap.rawSize(bestFit);
  }

  const remainingSize = blockSize - trueSize;
  if (remainingSize < ZEND_MM_ALIGNED_MIN_HEADER_SIZE) {
    trueSize = blockSize;
    heap.setBlock(bestFit, ZEND_MM_USED_BLOCK, trueSize);
    sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:whole_block', note: `the whole ${blockSize}-byte block is used (${remainingSize} bytes left is too few to split)`, locals: { true_size: trueSize } });
  } else {
    heap.setBlock(bestFit, ZEND_MM_USED_BLOCK, trueSize);
    const newFreeBlock = bestFit + trueSize;
    heap.setBlock(newFreeBlock, ZEND_MM_FREE_BLOCK, remainingSize);
    sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:split', note: `split: ${trueSize} bytes used, ${remainingSize} bytes stay free`, locals: { true_size: trueSize, remaining_size: remainingSize } });
    if (!keepRest) {
      zendMmAddToFreeList(heap, newFreeBlock);
    } else {
      zendMmAddToRestList(heap, newFreeBlock);
    }
  }
  heap.size += trueSize;
  if (heap.peak < heap.size) {
    heap.peak = heap.size;
  }
  sink?.event({ kind: 'stmt', anchor: '_zend_mm_alloc_int:stat', note: `size += ${trueSize}`, locals: { size: heap.size, peak: heap.peak }, touched: [{ kind: 'counters' }] });
  sink?.event({ kind: 'leave', func: '_zend_mm_alloc_int' });
  return bestFit + ZEND_MM_ALIGNED_HEADER_SIZE;
}
