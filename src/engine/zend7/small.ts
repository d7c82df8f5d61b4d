// Small blocks (0 – 3072 bytes): zend_mm_alloc_small, zend_mm_alloc_small_slow, zend_mm_free_small.

import { binDataSize, binElements, binPages, smallSizeToBin } from './bins';
import { ZEND_MM_NRUN, ZEND_MM_PAGE_SIZE, ZEND_MM_SRUN, chunkOffset } from './constants';
import type { ZendHeap } from './heap';
import { chunkOfSlot, getNextFreeSlotIn, setNextFreeSlot, setNextFreeSlotIn } from './freeSlot';
import { allocPages } from './pages';
import { trackNewRun, trackPop, trackPush } from './freeListTracking';
import { LEAVE_ALLOC_SMALL, LEAVE_ALLOC_SMALL_SLOW, TOUCHED_COUNTERS, touchedBin, touchedBinAndCounters } from './sharedStepParts';

/** zend_mm_alloc_heap's small branch: the bin for `size`, then zend_mm_alloc_small. */
export function allocSmall(heap: ZendHeap, size: number): number {
  const binNum = smallSizeToBin(size);
  heap.sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_heap:small',
    note: `${size} bytes is small: bin ${binNum} (${binDataSize[binNum]}-byte slots)`,
    locals: { size, bin_num: binNum },
  });
  return allocSmallBin(heap, binNum);
}

/**
 * zend_mm_alloc_small(heap, bin_num): counts the slot first (size/peak), then pops the bin's
 * free list, or creates a new run when it is empty.
 */
export function allocSmallBin(heap: ZendHeap, binNum: number): number {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_alloc_small', locals: { bin_num: binNum } });
  heap.size += binDataSize[binNum];
  heap.peak = Math.max(heap.peak, heap.size);
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_small:stat',
    note: `size += ${binDataSize[binNum]}`,
    locals: { size: heap.size, peak: heap.peak },
    touched: TOUCHED_COUNTERS,
  });
  const p = heap.freeSlot[binNum];
  let ret: number;
  if (p !== 0) {
    const chunk = chunkOfSlot(heap, p, 'reading');
    const offset = chunkOffset(p);
    heap.freeSlot[binNum] = getNextFreeSlotIn(heap, chunk, binNum, offset);
    trackPop(heap, chunk, offset, binNum);
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_alloc_small:free_list_hit',
      note: `pops the head of bin ${binNum}'s free list`,
      locals: { p, next: heap.freeSlot[binNum] },
      touched: touchedBin[binNum],
    });
    ret = p;
  } else {
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_alloc_small:free_list_empty',
      note: `bin ${binNum}'s free list is empty: a new run is needed`,
      locals: { bin_num: binNum },
    });
    ret = allocSmallSlow(heap, binNum);
  }
  sink?.event(LEAVE_ALLOC_SMALL);
  return ret;
}

/**
 * zend_mm_alloc_small_slow(): takes bin_pages[bin] pages, marks them SRUN/NRUN, threads slots
 * 1 .. elements-1 onto the free list in address order and returns slot 0.
 */
function allocSmallSlow(heap: ZendHeap, binNum: number): number {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_alloc_small_slow', locals: { bin_num: binNum } });
  const bin = allocPages(heap, binPages[binNum]);
  const pageOffset = chunkOffset(bin);
  const chunk = heap.chunkOf(bin);
  const pageNum = pageOffset / ZEND_MM_PAGE_SIZE;
  chunk.map[pageNum] = ZEND_MM_SRUN(binNum);
  for (let i = 1; i < binPages[binNum]; i++) {
    chunk.map[pageNum + i] = ZEND_MM_NRUN(binNum, i);
  }
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_small_slow:mark_srun',
    note: `page ${pageNum} of chunk ${chunk.num} becomes a run of bin ${binNum}`,
    locals: { page_num: pageNum },
    touched: [{ kind: 'page', chunk: chunk.num, page: pageNum, pages: binPages[binNum] }],
  });
  // chain slots 1 .. n-1 in address order; slot 0 is the one returned
  const slot = binDataSize[binNum];
  const firstOffset = pageOffset + slot;
  const lastOffset = pageOffset + slot * (binElements[binNum] - 1);
  heap.freeSlot[binNum] = bin + slot;
  if (heap.profile.switches.shadowPointers) {
    for (let off = firstOffset; off < lastOffset; off += slot) {
      setNextFreeSlotIn(heap, chunk, binNum, off, chunk.base + off + slot);
    }
  } else {
    chunk.words.writeChain(firstOffset, lastOffset, slot);
  }
  // the last slot ends the chain with NULL (a plain store: no shadow)
  chunk.writeWord(lastOffset, 0);
  trackNewRun(heap, chunk, pageNum, binNum);
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_small_slow:thread_free_list',
    note: `slots 1..${binElements[binNum] - 1} are threaded onto bin ${binNum}'s free list; slot 0 is returned`,
    locals: { elements: binElements[binNum] },
    touched: touchedBin[binNum],
  });
  sink?.event(LEAVE_ALLOC_SMALL_SLOW);
  return bin;
}

/** zend_mm_free_small(): size shrinks by the slot; the slot is pushed on its bin's free list. */
export function freeSmall(heap: ZendHeap, ptr: number, binNum: number): void {
  heap.size -= binDataSize[binNum];
  const chunk = setNextFreeSlot(heap, binNum, ptr, heap.freeSlot[binNum]);
  heap.freeSlot[binNum] = ptr;
  trackPush(heap, chunk, chunkOffset(ptr), binNum);
  heap.sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_free_small:push',
    note: `slot pushed on the head of bin ${binNum}'s free list`,
    locals: { bin_num: binNum, p: ptr },
    touched: touchedBinAndCounters[binNum],
  });
}
