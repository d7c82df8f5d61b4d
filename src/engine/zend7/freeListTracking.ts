// Free-list tracking: the simulator's own record of which slots sit on the bins' free lists,
// kept up to date as the lists change, so that zend_mm_gc on the fast path can skip its first
// walk (counting each run's free slots) and still do exactly what the C code does.
//
// zend_mm_gc's counting walk leaves, for every small run, the number of its slots on the free
// list (modulo 512: the counter field has 9 bits) and flags a bin when some run's count reached
// bin_elements. While the lists are well formed — every entry a distinct slot start of a live
// run of that bin, the list acyclic — those numbers are a function of list membership alone:
// each run's count is kept in chunk.listedCount (at the run's first page) and each bin's number
// of wholly free runs in heap.fullRuns. Pops, pushes and new runs update them; the words of a
// chunk carry a LISTED bit on the slots that are listed.
//
// Anything that could make a list irregular (freeing an offset that does not start a slot,
// freeing a slot already listed — a double free — or a write of a link from outside the
// allocator) turns tracking off for the heap for good: zend_mm_gc then walks the lists as C does.

import { binElements } from './bins';
import type { Chunk } from './chunk';
import { binDataSize } from './bins';
import { LISTED } from './chunkWords';
import { ZEND_MM_NRUN_OFFSET, ZEND_MM_PAGE_SIZE, isLrunBit } from './constants';
import type { ZendHeap } from './heap';

/** The first page of the run holding page `pageNum` of `chunk` (a small run's NRUN pages point back). */
function runPage(chunk: Chunk, pageNum: number): number {
  const info = chunk.map[pageNum];
  return isLrunBit(info) ? pageNum - ZEND_MM_NRUN_OFFSET(info) : pageNum;
}

/**
 * zend_mm_alloc_small_slow made a run of slots of `bin` at page `pageNum` of `chunk` and listed
 * slots 1 .. elements-1: records them and the run's count. (Bits left on the pages by an earlier
 * run matter only at this run's slot starts, which are all set here.)
 */
export function trackNewRun(heap: ZendHeap, chunk: Chunk, pageNum: number, bin: number): void {
  if (!heap.freeListsTracked) return;
  const words = chunk.words;
  const start = pageNum * ZEND_MM_PAGE_SIZE;
  const elements = binElements[bin];
  const slotSize = binDataSize[bin];
  words.unmark(start, LISTED);
  if (elements > 1) words.markEvery(start + slotSize, start + (elements - 1) * slotSize, slotSize, LISTED);
  chunk.listedCount[pageNum] = elements - 1;
}

/** The slot at `offset` in `chunk` left the head of `bin`'s free list (zend_mm_alloc_small). */
export function trackPop(heap: ZendHeap, chunk: Chunk, offset: number, bin: number): void {
  if (!heap.freeListsTracked) return;
  if ((offset & 7) !== 0 || (chunk.words.code(offset) & LISTED) === 0) {
    // a listed slot always pops from a well-formed list
    untrackFreeLists(heap);
    return;
  }
  chunk.words.unmark(offset, LISTED);
  const run = runPage(chunk, offset >>> 12);
  if (chunk.listedCount[run]-- === binElements[bin]) heap.fullRuns[bin]--;
}

/** The slot at `offset` in `chunk` was pushed on `bin`'s free list (zend_mm_free_small). */
export function trackPush(heap: ZendHeap, chunk: Chunk, offset: number, bin: number): void {
  if (!heap.freeListsTracked) return;
  if ((offset & 7) !== 0) {
    untrackFreeLists(heap);
    return;
  }
  const run = runPage(chunk, offset >>> 12);
  if ((offset - run * ZEND_MM_PAGE_SIZE) % binDataSize[bin] !== 0 || (chunk.words.code(offset) & LISTED) !== 0) {
    // not a slot start, or a slot already on the list (a double free)
    untrackFreeLists(heap);
    return;
  }
  chunk.words.mark(offset, LISTED);
  if (++chunk.listedCount[run] === binElements[bin]) heap.fullRuns[bin]++;
}

/**
 * zend_mm_gc gave back every wholly free run of the bins whose runs can be wholly free
 * (bin_elements below 512: a 512-slot run's count reads back 0 and is never collected).
 */
export function trackGcDone(heap: ZendHeap): void {
  for (let bin = 0; bin < heap.fullRuns.length; bin++) {
    if (binElements[bin] < 512) heap.fullRuns[bin] = 0;
  }
}

/** The lists may no longer be well formed: zend_mm_gc walks them from now on. */
export function untrackFreeLists(heap: ZendHeap): void {
  heap.freeListsTracked = false;
}
