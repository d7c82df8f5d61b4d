// How a PHP 5.x allocator call fails: memory errors that bail out of the request, and the
// failures the real process does not survive.

/** Why a 5.x allocator call failed. */
export type Zend5ErrorKind =
  /** zend_mm_safe_error() with "Allowed memory size …" (first error: PHP prints it). */
  | 'limit'
  /** zend_mm_safe_error() with "Out of memory …" (first error: PHP prints it). */
  | 'oom'
  /** zend_mm_safe_error() while heap->overflow was already set: bails out, prints nothing. */
  | 'silent'
  /** zend_mm_panic("zend_mm_heap corrupted"): message on stderr, exit(1). */
  | 'panic'
  /** The C code dereferences unmapped memory or NULL: SIGSEGV. */
  | 'segfault'
  /** The C code would loop forever. */
  | 'hang';

/** A failed allocator call with PHP's message. */
export class Zend5Error extends Error {
  constructor(
    readonly kind: Zend5ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'Zend5Error';
  }

  /** True when the real process is gone after this error. */
  get fatal(): boolean {
    return this.kind === 'panic' || this.kind === 'segfault' || this.kind === 'hang';
  }
}

/** zend_mm_panic("zend_mm_heap corrupted"). */
export class Zend5HeapCorrupted extends Zend5Error {
  constructor(readonly detail: string) {
    super('panic', 'zend_mm_heap corrupted');
  }
}

/** A read or write of memory the simulated process has not mapped; `detail` says where. */
export class Zend5SegmentationFault extends Zend5Error {
  constructor(readonly detail: string) {
    super('segfault', 'Segmentation fault');
  }
}

/** The C code would never return; `detail` says where. */
export class Zend5EndlessLoop extends Zend5Error {
  constructor(readonly detail: string) {
    super('hang', `Endless loop: ${detail}`);
  }
}

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
