// How an allocator call fails, in either family (PHP 5 segments, PHP 7/8 chunks): an error
// PHP reports before bailing out of the request, or a failure the process does not survive.

/** The failures the real process does not survive: abort/exit in zend_mm_panic, SIGSEGV, a hang. */
export type FatalKind = 'panic' | 'segfault' | 'hang';

/**
 * A failed allocator call carrying PHP's exact message. `K` is the family's own non-fatal
 * kinds (7/8: 'bailout' | 'overflow'; 5.x: 'limit' | 'oom' | 'silent').
 */
export class AllocatorError<K extends string = string> extends Error {
  constructor(
    readonly kind: K | FatalKind,
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

/** zend_mm_panic("zend_mm_heap corrupted"); `detail` says which check failed. */
export class HeapCorrupted extends AllocatorError<never> {
  constructor(readonly detail: string = '') {
    super('panic', 'zend_mm_heap corrupted');
  }
}

/** The real code would crash with SIGSEGV; `detail` says where. */
export class SegmentationFault extends AllocatorError<never> {
  constructor(readonly detail: string) {
    super('segfault', 'Segmentation fault');
  }
}

/** The real code would loop forever; `detail` says where. */
export class EndlessLoop extends AllocatorError<never> {
  constructor(readonly detail: string) {
    super('hang', `Endless loop: ${detail}`);
  }
}
