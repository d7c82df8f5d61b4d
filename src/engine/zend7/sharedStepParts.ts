// Parts of step events that never change (touched lists, leave events), shared and frozen,
// so recording the common steps allocates less.

import type { StepEvent, Touched } from '../step';
import { ZEND_MM_BINS } from './constants';

/** [the heap counters]. */
export const TOUCHED_COUNTERS: readonly Touched[] = Object.freeze([Object.freeze({ kind: 'counters' as const })]);

/** touchedBin[bin] = [bin `bin`'s free list]. */
export const touchedBin: readonly (readonly Touched[])[] = Array.from({ length: ZEND_MM_BINS }, (_, bin) =>
  Object.freeze([Object.freeze({ kind: 'bin' as const, bin })]),
);

/** touchedBinAndCounters[bin] = [bin `bin`'s free list, the heap counters]. */
export const touchedBinAndCounters: readonly (readonly Touched[])[] = Array.from({ length: ZEND_MM_BINS }, (_, bin) =>
  Object.freeze([Object.freeze({ kind: 'bin' as const, bin }), Object.freeze({ kind: 'counters' as const })]),
);

/** The leave event of C function `func`, frozen. */
function leave(func: string): StepEvent {
  return Object.freeze({ kind: 'leave' as const, func });
}

export const LEAVE_ALLOC_HEAP = leave('zend_mm_alloc_heap');
export const LEAVE_FREE_HEAP = leave('zend_mm_free_heap');
export const LEAVE_REALLOC_HEAP = leave('zend_mm_realloc_heap');
export const LEAVE_ALLOC_SMALL = leave('zend_mm_alloc_small');
export const LEAVE_ALLOC_SMALL_SLOW = leave('zend_mm_alloc_small_slow');
export const LEAVE_ALLOC_PAGES = leave('zend_mm_alloc_pages');
export const LEAVE_ALLOC_LARGE = leave('zend_mm_alloc_large');
export const LEAVE_FREE_LARGE = leave('zend_mm_free_large');
