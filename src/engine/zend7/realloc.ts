// zend_mm_realloc_heap and its paths: small in place / truncation / small extension, large
// shrink and grow in place, huge shrink and grow in place, and the copying slow path.

import { binDataSize, smallSizeToBin } from './bins';
import {
  REAL_PAGE_SIZE,
  ZEND_MM_LRUN,
  ZEND_MM_LRUN_PAGES,
  ZEND_MM_MAX_LARGE_SIZE,
  ZEND_MM_MAX_SMALL_SIZE,
  ZEND_MM_MIN_SMALL_SIZE,
  ZEND_MM_PAGES,
  ZEND_MM_PAGE_SIZE,
  ZEND_MM_SRUN_BIN_NUM,
  chunkOffset,
  isSrun,
  pageOf,
} from './constants';
import { HeapCorrupted } from './errors';
import { zendMmGc } from './gc';
import type { ZendHeap } from './heap';
import { alignedSize, changeHugeBlockSize, exceedsLimit, hugeBlockSize } from './huge';
import { allocSmallBin, freeSmall } from './small';

/**
 * zend_mm_realloc_heap(heap, ptr, size, use_copy_size, copy_size). Returns the new address.
 * Block contents are not modelled, so `copySize` only shows in the steps.
 */
export function reallocHeap(heap: ZendHeap, ptr: number, size: number, copySize: number): number {
  const sink = heap.sink;
  const pageOffset = chunkOffset(ptr);
  if (pageOffset === 0) {
    if (ptr === 0) {
      sink?.event({ kind: 'stmt', anchor: 'zend_mm_realloc_heap:null', note: 'realloc(NULL) is an allocation' });
      return heap.allocHeap(size);
    }
    return reallocHuge(heap, ptr, size, copySize);
  }
  const chunk = heap.chunkOf(ptr);
  const pageNum = pageOf(ptr);
  const info = chunk.map[pageNum];
  const min = heap.profile.switches.minSmallSize;
  if (min > ZEND_MM_MIN_SMALL_SIZE && size < min) {
    // heap protection: no slot smaller than two pointers (without it, sizes are not raised)
    size = min;
  }
  if (chunk.heap !== heap) {
    throw new HeapCorrupted();
  }
  let oldSize: number;
  if (isSrun(info)) {
    const oldBinNum = ZEND_MM_SRUN_BIN_NUM(info);
    oldSize = binDataSize[oldBinNum];
    if (heap.profile.switches.smallRealloc === 'same-bin') {
      // 7.0: in place only when the new size maps to the same bin; any other size takes
      // the naive alloc + copy + free path below
      if (size <= ZEND_MM_MAX_SMALL_SIZE && smallSizeToBin(size) === oldBinNum) {
        sink?.event({
          kind: 'stmt',
          anchor: 'zend_mm_realloc_heap:small_in_place',
          note: `${size} bytes maps to the same bin ${oldBinNum}`,
          locals: { old_bin_num: oldBinNum, old_size: oldSize },
        });
        return ptr;
      }
    } else if (size <= oldSize) {
      // a size below the next smaller bin's slot moves to that smaller bin
      if (oldBinNum > 0 && size < binDataSize[oldBinNum - 1]) {
        sink?.event({
          kind: 'stmt',
          anchor: 'zend_mm_realloc_heap:small_truncate',
          note: `${size} bytes fits a smaller bin than ${oldBinNum}: move to a new slot`,
          locals: { old_bin_num: oldBinNum, old_size: oldSize },
        });
        const ret = allocSmallBin(heap, smallSizeToBin(size));
        freeSmall(heap, ptr, oldBinNum);
        return ret;
      }
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_realloc_heap:small_in_place',
        note: `${size} bytes still fits the ${oldSize}-byte slot`,
        locals: { old_bin_num: oldBinNum, old_size: oldSize },
      });
      return ptr;
    } else if (size <= ZEND_MM_MAX_SMALL_SIZE) {
      // growth into a bigger bin: peak ignores the moment both slots exist
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_realloc_heap:small_extension',
        note: `${size} bytes needs a bigger slot`,
        locals: { old_bin_num: oldBinNum, old_size: oldSize },
      });
      const origPeak = heap.peak;
      const ret = allocSmallBin(heap, smallSizeToBin(size));
      freeSmall(heap, ptr, oldBinNum);
      heap.peak = Math.max(origPeak, heap.size);
      return ret;
    }
    // otherwise: the copying path
  } else {
    if (pageOffset % ZEND_MM_PAGE_SIZE !== 0) {
      throw new HeapCorrupted();
    }
    oldSize = ZEND_MM_LRUN_PAGES(info) * ZEND_MM_PAGE_SIZE;
    if (size > ZEND_MM_MAX_SMALL_SIZE && size <= ZEND_MM_MAX_LARGE_SIZE) {
      const newSize = alignedSize(size, ZEND_MM_PAGE_SIZE);
      if (newSize === oldSize) {
        sink?.event({
          kind: 'stmt',
          anchor: 'zend_mm_realloc_heap:large_same_size',
          note: `still ${newSize / ZEND_MM_PAGE_SIZE} pages`,
          locals: { old_size: oldSize, new_size: newSize },
        });
        return ptr;
      } else if (newSize < oldSize) {
        // give back the pages past the new end (free_tail is not updated)
        const newPagesCount = newSize / ZEND_MM_PAGE_SIZE;
        const restPagesCount = (oldSize - newSize) / ZEND_MM_PAGE_SIZE;
        heap.size -= restPagesCount * ZEND_MM_PAGE_SIZE;
        chunk.map[pageNum] = ZEND_MM_LRUN(newPagesCount);
        chunk.freePages += restPagesCount;
        chunk.resetRange(pageNum + newPagesCount, restPagesCount);
        sink?.event({
          kind: 'stmt',
          anchor: 'zend_mm_realloc_heap:large_shrink',
          note: `the run shrinks in place to ${newPagesCount} pages`,
          locals: { old_size: oldSize, new_size: newSize },
          touched: [{ kind: 'page', chunk: chunk.num, page: pageNum, pages: newPagesCount + restPagesCount }],
        });
        return ptr;
      } else {
        const newPagesCount = newSize / ZEND_MM_PAGE_SIZE;
        const oldPagesCount = oldSize / ZEND_MM_PAGE_SIZE;
        // grow in place only if the pages right after the run are free
        if (
          pageNum + newPagesCount <= ZEND_MM_PAGES &&
          chunk.isFreeRange(pageNum + oldPagesCount, newPagesCount - oldPagesCount)
        ) {
          heap.size += newSize - oldSize;
          heap.peak = Math.max(heap.peak, heap.size);
          chunk.freePages -= newPagesCount - oldPagesCount;
          chunk.setRange(pageNum + oldPagesCount, newPagesCount - oldPagesCount);
          chunk.map[pageNum] = ZEND_MM_LRUN(newPagesCount);
          sink?.event({
            kind: 'stmt',
            anchor: 'zend_mm_realloc_heap:large_grow',
            note: `the run grows in place to ${newPagesCount} pages`,
            locals: { old_size: oldSize, new_size: newSize },
            touched: [{ kind: 'page', chunk: chunk.num, page: pageNum, pages: newPagesCount }],
          });
          return ptr;
        }
      }
    }
  }
  return reallocSlow(heap, ptr, size, Math.min(oldSize, copySize));
}

/** zend_mm_realloc_slow(): allocate, copy, free; peak ignores the moment both blocks existed. */
function reallocSlow(heap: ZendHeap, ptr: number, size: number, copySize: number): number {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_realloc_slow', locals: { ptr, size, copy_size: copySize } });
  const origPeak = heap.peak;
  const origRealPeak = heap.realPeak;
  const ret = heap.allocHeap(size);
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_realloc_slow:copy',
    note: `copies ${copySize} bytes to the new block`,
    locals: { ret, copy_size: copySize },
  });
  heap.freeHeap(ptr);
  heap.peak = Math.max(origPeak, heap.size);
  if (heap.profile.switches.slowReallocRestoresRealPeak) {
    // 7.0: the naive path also forgets the real_peak of the transient double allocation
    heap.realPeak = Math.max(origRealPeak, heap.realSize);
  }
  sink?.event({ kind: 'leave', func: 'zend_mm_realloc_slow' });
  return ret;
}

/**
 * zend_mm_realloc_huge(): same rounded size → no-op; smaller → unmap the tail; bigger →
 * memory_limit check on the growth, then extend the mapping in place if the address space
 * above it is free; otherwise (or when the new size is not huge) the slow path.
 */
function reallocHuge(heap: ZendHeap, ptr: number, size: number, copySize: number): number {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_realloc_huge', locals: { ptr, size } });
  const oldSize = hugeBlockSize(heap, ptr);
  if (size > ZEND_MM_MAX_LARGE_SIZE) {
    const newSize = alignedSize(size, REAL_PAGE_SIZE);
    if (newSize === oldSize) {
      changeHugeBlockSize(heap, ptr, newSize);
      sink?.event({ kind: 'stmt', anchor: 'zend_mm_realloc_huge:same_size', note: 'same rounded size' });
      sink?.event({ kind: 'leave', func: 'zend_mm_realloc_huge' });
      return ptr;
    } else if (newSize < oldSize) {
      // return the mapping's tail to the OS
      heap.space.unmap(ptr + newSize, oldSize - newSize);
      heap.realSize -= oldSize - newSize;
      heap.size -= oldSize - newSize;
      changeHugeBlockSize(heap, ptr, newSize);
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_realloc_huge:truncate',
        note: `unmaps the last ${oldSize - newSize} bytes`,
        locals: { old_size: oldSize, new_size: newSize },
        touched: [{ kind: 'huge', address: ptr }, { kind: 'counters' }],
      });
      sink?.event({ kind: 'leave', func: 'zend_mm_realloc_huge' });
      return ptr;
    } else {
      if (exceedsLimit(heap, newSize - oldSize)) {
        if (zendMmGc(heap) !== 0 && !exceedsLimit(heap, newSize - oldSize)) {
          // pass
        } else if (heap.overflow === 0) {
          heap.safeError(`Allowed memory size of ${heap.limitText()} bytes exhausted (tried to allocate ${size} bytes)`);
        }
      }
      // try to extend the mapping in place
      if (heap.space.extend(ptr, oldSize, newSize)) {
        heap.realSize += newSize - oldSize;
        heap.realPeak = Math.max(heap.realPeak, heap.realSize);
        heap.size += newSize - oldSize;
        heap.peak = Math.max(heap.peak, heap.size);
        changeHugeBlockSize(heap, ptr, newSize);
        sink?.event({
          kind: 'stmt',
          anchor: 'zend_mm_realloc_huge:extend',
          note: `the mapping grows in place to ${newSize} bytes`,
          locals: { old_size: oldSize, new_size: newSize },
          touched: [{ kind: 'huge', address: ptr }, { kind: 'counters' }],
        });
        sink?.event({ kind: 'leave', func: 'zend_mm_realloc_huge' });
        return ptr;
      }
    }
  }
  const ret = reallocSlow(heap, ptr, size, Math.min(oldSize, copySize));
  sink?.event({ kind: 'leave', func: 'zend_mm_realloc_huge' });
  return ret;
}
