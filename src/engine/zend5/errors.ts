// How a PHP 5.x allocator call fails: memory errors that bail out of the request, and the
// failures the real process does not survive.

import { AllocatorError, FatalKind } from '../allocatorError';

/** Why a 5.x allocator call failed. */
export type Zend5ErrorKind =
  /** zend_mm_safe_error() with "Allowed memory size …" (first error: PHP prints it). */
  | 'limit'
  /** zend_mm_safe_error() with "Out of memory …" (first error: PHP prints it). */
  | 'oom'
  /** zend_mm_safe_error() while heap->overflow was already set: bails out, prints nothing. */
  | 'silent'
  /** zend_mm_panic (exit(1) in 5.x), SIGSEGV, or an endless loop: the process is gone. */
  | FatalKind;

/** A 5.x memory error with PHP's message (the fatal ones are the shared classes below). */
export class Zend5Error extends AllocatorError<'limit' | 'oom' | 'silent'> {
  constructor(kind: Zend5ErrorKind, message: string) {
    super(kind, message);
    this.name = 'Zend5Error';
  }
}

export {
  HeapCorrupted as Zend5HeapCorrupted,
  SegmentationFault as Zend5SegmentationFault,
  EndlessLoop as Zend5EndlessLoop,
} from '../allocatorError';

/**
 * zend_mm_startup() gave up before the heap existed: it printed `stderr` and called exit(255)
 * (bad ZEND_MM_MEM_TYPE or ZEND_MM_SEG_SIZE, storage that cannot start).
 */
export class Zend5StartupExit extends Error {
  constructor(
    readonly stderr: string,
    readonly status: number,
  ) {
    super(stderr.trimEnd());
    this.name = 'Zend5StartupExit';
  }
}
