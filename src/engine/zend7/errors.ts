// How the allocator fails: PHP errors that bail out of the request, and process crashes.

/** Why an allocator call failed. */
export type AllocatorErrorKind =
  /** zend_mm_safe_error(): memory_limit or mmap failure; the request bails out, the process lives. */
  | 'bailout'
  /** zend_error_noreturn(E_ERROR, "Possible integer overflow ..."). */
  | 'overflow'
  /** zend_mm_panic(): message on stderr, then abort(). The process is gone. */
  | 'panic'
  /** The real code dereferences unmapped memory: SIGSEGV. The process is gone. */
  | 'segfault'
  /** The real code never returns (an endless loop over a broken chunk ring). */
  | 'hang';

/** A failed allocator call, carrying PHP's exact message. */
export class AllocatorError extends Error {
  constructor(
    readonly kind: AllocatorErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AllocatorError';
  }

  /** True when the real process would not survive this error. */
  get fatal(): boolean {
    return this.kind === 'panic' || this.kind === 'segfault' || this.kind === 'hang';
  }
}

/** zend_mm_panic("zend_mm_heap corrupted"). */
export class HeapCorrupted extends AllocatorError {
  constructor() {
    super('panic', 'zend_mm_heap corrupted');
  }
}

/** The real code would crash with SIGSEGV; `detail` says where. */
export class SegmentationFault extends AllocatorError {
  constructor(readonly detail: string) {
    super('segfault', 'Segmentation fault');
  }
}

/** The real code would loop forever; `detail` says where. */
export class EndlessLoop extends AllocatorError {
  constructor(readonly detail: string) {
    super('hang', 'Endless loop: ' + detail);
  }
}
