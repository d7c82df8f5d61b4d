// The counters of a heap that has just started, before any call: 7.x/8.x map their first chunk
// and have allocated nothing; 5.x map their first segment and allocate the 8 KiB reserve block
// in it. Small and free of the allocator code, so the status bar can show a fresh heap before
// the window's heap session is loaded (test/unit/engine/freshHeap.test.ts holds these figures
// equal to a started heap of every supported version).

import { PROFILES } from './profiles';
import { ZEND_MM_RESERVE_SIZE, ZEND_MM_SEG_SIZE, ZEND_MM_TRUE_SIZE } from './zend5/constants';
import { ZEND_MM_CHUNK_SIZE } from './zend7/constants';

/** heap->size and heap->real_size with their peaks, in bytes. */
export interface HeapCounters {
  readonly size: number;
  readonly realSize: number;
  readonly peak: number;
  readonly realPeak: number;
}

/** The counters of a fresh heap of `version` ("MAJOR.MINOR", one of SUPPORTED_PHP_VERSIONS). */
export function freshHeapCounters(version: string): HeapCounters {
  const [size, realSize] = PROFILES.has(version) ? [0, ZEND_MM_CHUNK_SIZE] : [ZEND_MM_TRUE_SIZE(ZEND_MM_RESERVE_SIZE), ZEND_MM_SEG_SIZE];
  return { size, realSize, peak: size, realPeak: realSize };
}
