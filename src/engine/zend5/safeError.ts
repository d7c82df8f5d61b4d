// zend_mm_safe_error() and the texts of the memory errors it reports.

import { Zend5Error } from './errors';
import type { Zend5Heap } from './heap';
import { zendMmFreeInt } from './free';

const TWO_64 = 2n ** 64n;

/** printf("%ld") of a size_t value (bytes): values of 2^63 and more print negative. */
export function formatLd(v: number | bigint): string {
  const b = BigInt(v);
  const u = ((b % TWO_64) + TWO_64) % TWO_64;
  return (u >= 2n ** 63n ? u - TWO_64 : u).toString();
}

/** printf("%lu") of a size_t value. */
export function formatLu(v: number | bigint): string {
  const b = BigInt(v);
  return (((b % TWO_64) + TWO_64) % TWO_64).toString();
}

/** Which caller's format: _zend_mm_alloc_int prints the size with %lu, _zend_mm_realloc_int with %ld. */
export type SizeFormat = 'alloc' | 'realloc';

/** "Allowed memory size of %ld bytes exhausted (tried to allocate %lu|%ld bytes)". */
export function limitMessage(limit: bigint, size: number | bigint, fmt: SizeFormat): string {
  return `Allowed memory size of ${formatLd(limit)} bytes exhausted (tried to allocate ${fmt === 'alloc' ? formatLu(size) : formatLd(size)} bytes)`;
}

/** "Out of memory (allocated %ld) (tried to allocate %lu|%ld bytes)". */
export function oomMessage(realSize: number, size: number | bigint, fmt: SizeFormat): string {
  return `Out of memory (allocated ${formatLd(realSize)}) (tried to allocate ${fmt === 'alloc' ? formatLu(size) : formatLd(size)} bytes)`;
}

/**
 * zend_mm_safe_error(heap, format, limit, size): frees the reserve block (if still there),
 * then reports the error only if heap->overflow was 0 (setting it to 1; a later error sets
 * it to 2 and says nothing), then bails out of the request. The bail-out is the thrown
 * Zend5Error; the heap stays as the C code leaves it.
 */
export function zendMmSafeError(heap: Zend5Heap, kind: 'limit' | 'oom', message: string): never {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_safe_error', locals: { overflow: heap.overflow } });
  if (heap.reserve !== 0) {
    sink?.event({ kind: 'stmt', anchor: 'zend_mm_safe_error:free_reserve', note: 'the reserve block is freed so the error can be reported' });
    zendMmFreeInt(heap, heap.reserve);
    heap.reserve = 0;
  }
  if (heap.overflow === 0) {
    heap.overflow = 1;
    sink?.event({ kind: 'stmt', anchor: 'zend_mm_safe_error:report', note: message, locals: { overflow: 1 } });
    sink?.event({ kind: 'leave', func: 'zend_mm_safe_error' });
    throw new Zend5Error(kind, message);
  }
  heap.overflow = 2;
  sink?.event({ kind: 'stmt', anchor: 'zend_mm_safe_error:silent', note: 'overflow was already set: bail out without a message', locals: { overflow: 2 } });
  sink?.event({ kind: 'leave', func: 'zend_mm_safe_error' });
  throw new Zend5Error('silent', message);
}
