// The allocator calls a .zmm script lowers to.

import { ByteCount } from '../rawTrace';

/** Functions that allocate from the Zend heap. */
export type ZmmAllocFunction = 'emalloc' | 'ecalloc' | 'safe_emalloc' | 'estrdup' | 'estrndup' | 'pemalloc';

/**
 * One allocator call with its byte count computed. Request-memory calls (including
 * pemalloc/perealloc/pefree with persistent 0) are `emalloc`/`erealloc`/`efree`; persistent
 * ones, which PHP hands to the system allocator, are `pemalloc`/`perealloc`/`pefree`. `fn` is
 * the function the script called; `line` its 1-based line.
 */
export type ZmmCall =
  | { readonly kind: 'php'; readonly version: string; readonly line: number }
  /** `bytes` is SIZE_MAX for `limit -1` (`unlimited`). */
  | { readonly kind: 'limit'; readonly bytes: ByteCount; readonly unlimited: boolean; readonly line: number }
  /** `target` is null for an allocation whose result is not kept. */
  | { readonly kind: 'emalloc'; readonly target: string | null; readonly size: ByteCount; readonly fn: ZmmAllocFunction; readonly line: number }
  | { readonly kind: 'pemalloc'; readonly target: string | null; readonly size: ByteCount; readonly persistent: true; readonly line: number }
  /** Reallocates `name`'s block; the result is stored in `target` (often the same name). */
  | { readonly kind: 'erealloc'; readonly target: string; readonly name: string; readonly size: ByteCount; readonly fn: 'erealloc' | 'perealloc'; readonly line: number }
  | { readonly kind: 'perealloc'; readonly target: string; readonly name: string; readonly size: ByteCount; readonly persistent: true; readonly line: number }
  | { readonly kind: 'efree'; readonly name: string; readonly fn: 'efree' | 'pefree'; readonly line: number }
  | { readonly kind: 'pefree'; readonly name: string; readonly persistent: true; readonly line: number }
  | { readonly kind: 'gc'; readonly line: number }
  | { readonly kind: 'dump'; readonly line: number }
  /**
   * A call PHP ends the request with (E_ERROR), e.g. ecalloc's size overflow; `message` is
   * PHP's text. Calls after it never run.
   */
  | { readonly kind: 'fatal'; readonly fn: ZmmAllocFunction; readonly target: string | null; readonly message: string; readonly line: number };
