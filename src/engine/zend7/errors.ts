// How a PHP 7/8 allocator call fails: PHP errors that bail out of the request, and the
// process-ending failures shared with the PHP 5 family (../allocatorError.ts).

import type { FatalKind } from '../allocatorError';

export { AllocatorError, EndlessLoop, HeapCorrupted, SegmentationFault } from '../allocatorError';

/** Why a 7/8 allocator call failed. */
export type AllocatorErrorKind =
  /** zend_mm_safe_error(): memory_limit or mmap failure; the request bails out, the process lives. */
  | 'bailout'
  /** zend_error_noreturn(E_ERROR, "Possible integer overflow ..."). */
  | 'overflow'
  /** zend_mm_panic (abort() or exit(1)), SIGSEGV, or an endless loop: the process is gone. */
  | FatalKind;
