// What a request of N bytes will use, in words, for the Allocate… input box: the bin and its
// run for small sizes, the page run for large ones, a mapping of its own for huge ones.

import { binPages, BINS, smallSizeToBin } from '../engine/zend7/bins';
import { REAL_PAGE_SIZE, ZEND_MM_MAX_LARGE_SIZE, ZEND_MM_MAX_SMALL_SIZE, ZEND_MM_PAGE_SIZE } from '../engine/zend7/constants';
import { ZEND_MM_BUCKET_INDEX, ZEND_MM_MAX_SMALL_SIZE as ZEND5_MAX_SMALL_SIZE, ZEND_MM_TRUE_SIZE } from '../engine/zend5/constants';
import { parseZmmNumber } from '../trace/zmm/parseZmmNumber';
import { formatBytes } from './formatBytes';

/** Largest size the session accepts from a person (bytes): what a double holds exactly. */
export const MAX_REQUEST = Number.MAX_SAFE_INTEGER;

/** A size typed by a person ("100", "0x64", "3M"), or the reason it is not one. */
export function parseRequestSize(text: string): { value: number } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'type a size in bytes, e.g. 100, 0x64 or 3M' };
  const r = parseZmmNumber(t);
  if ('error' in r) return r;
  if (typeof r.value !== 'number') return { error: `${t} is more than this session simulates (at most ${MAX_REQUEST} bytes)` };
  return { value: r.value };
}

/** What `size` bytes will use on a 7.x/8.x heap. */
export function zend7AllocationHint(size: number): string {
  if (size <= ZEND_MM_MAX_SMALL_SIZE) {
    const bin = smallSizeToBin(size);
    const b = BINS[bin];
    return `small: bin ${bin}, ${b.size}-byte slot; a run of ${binPages[bin]} page${binPages[bin] > 1 ? 's' : ''} holds ${b.elements} slots`;
  }
  if (size <= ZEND_MM_MAX_LARGE_SIZE) {
    const pages = Math.ceil(size / ZEND_MM_PAGE_SIZE);
    return `large: a run of ${pages} page${pages > 1 ? 's' : ''} (${formatBytes(pages * ZEND_MM_PAGE_SIZE)}) in a chunk`;
  }
  const mapped = Math.ceil(size / REAL_PAGE_SIZE) * REAL_PAGE_SIZE;
  return `huge: a mapping of its own, ${formatBytes(mapped)} (rounded to the OS page), 2 MiB-aligned`;
}

/** What `size` bytes will use on a 5.x segment heap. */
export function zend5AllocationHint(size: number): string {
  const trueSize = ZEND_MM_TRUE_SIZE(size);
  const from = trueSize < ZEND5_MAX_SMALL_SIZE ? `small bucket ${ZEND_MM_BUCKET_INDEX(trueSize)}` : 'the large free trees';
  return `a ${trueSize}-byte block (header included), from ${from}, the rest list or a segment`;
}

/** The hint for `size` on a heap of `family`. */
export function allocationHint(family: 'zend7' | 'zend5', size: number): string {
  return family === 'zend7' ? zend7AllocationHint(size) : zend5AllocationHint(size);
}
