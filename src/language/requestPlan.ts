// What a request of N bytes turns into for one allocator profile, computed from the engine's
// own tables: a bin and its runs, a page run or a huge mapping (7.0 – 8.x), or a true size
// and its bucket (5.2 – 5.6). Static: it does not depend on the heap's state.

import { BINS, smallSizeToBin } from '../engine/zend7/bins';
import {
  REAL_PAGE_SIZE,
  ZEND_MM_CHUNK_SIZE,
  ZEND_MM_MAX_LARGE_SIZE,
  ZEND_MM_MAX_SMALL_SIZE,
  ZEND_MM_MIN_SMALL_SIZE,
  ZEND_MM_PAGE_SIZE,
} from '../engine/zend7/constants';
import { alignedSize } from '../engine/zend7/huge';
import {
  ZEND_MM_BUCKET_INDEX,
  ZEND_MM_LARGE_BUCKET_INDEX,
  ZEND_MM_MAX_SMALL_SIZE as ZEND5_MAX_SMALL_SIZE,
  ZEND_MM_SEG_SIZE,
  ZEND_MM_SMALL_SIZE,
  ZEND_MM_TRUE_SIZE,
} from '../engine/zend5/constants';
import { ActiveProfile } from './activeProfile';

/** How a 7.0 – 8.x heap serves a request (sizes in bytes). */
export type Zend7Plan =
  | {
      readonly kind: 'small';
      readonly size: number;
      /** The size the bin is chosen for (raised to the minimum slot on 8.4+). */
      readonly binnedSize: number;
      readonly bin: number;
      readonly slotSize: number;
      readonly slotsPerRun: number;
      readonly pagesPerRun: number;
    }
  | { readonly kind: 'large'; readonly size: number; readonly pages: number; readonly bytes: number }
  | { readonly kind: 'huge'; readonly size: number; readonly mappedBytes: number };

/** How a 5.2 – 5.6 heap serves a request (sizes in bytes). */
export type Zend5Plan =
  | { readonly kind: 'small'; readonly size: number; readonly trueSize: number; readonly bucket: number }
  | {
      readonly kind: 'large';
      readonly size: number;
      readonly trueSize: number;
      readonly largeBucket: number;
      /** True when the block does not fit a default segment (ZEND_MM_SEG_SIZE) with its headers. */
      readonly ownSegment: boolean;
    };

/** Largest request this module plans for (beyond it the engine takes its overflow paths). */
export const MAX_PLANNED_SIZE = 2 ** 50;

/** zend_mm_alloc_heap's choice for `size` bytes on a 7.0 – 8.x heap. */
export function planZend7(size: number, minSmallSize: number): Zend7Plan {
  if (size <= ZEND_MM_MAX_SMALL_SIZE) {
    const binnedSize = minSmallSize > ZEND_MM_MIN_SMALL_SIZE && size < minSmallSize ? minSmallSize : size;
    const bin = smallSizeToBin(binnedSize);
    const b = BINS[bin];
    return { kind: 'small', size, binnedSize, bin, slotSize: b.size, slotsPerRun: b.elements, pagesPerRun: b.pages };
  }
  if (size <= ZEND_MM_MAX_LARGE_SIZE) {
    const pages = Math.ceil(size / ZEND_MM_PAGE_SIZE);
    return { kind: 'large', size, pages, bytes: pages * ZEND_MM_PAGE_SIZE };
  }
  return { kind: 'huge', size, mappedBytes: alignedSize(size, REAL_PAGE_SIZE) };
}

/** _zend_mm_alloc_int's block size and bucket for `size` bytes on a 5.2 – 5.6 heap. */
export function planZend5(size: number): Zend5Plan {
  const trueSize = ZEND_MM_TRUE_SIZE(size);
  if (ZEND_MM_SMALL_SIZE(trueSize)) {
    return { kind: 'small', size, trueSize, bucket: ZEND_MM_BUCKET_INDEX(trueSize) };
  }
  // a segment holds its 16-byte header and a 16-byte guard block besides the block
  return { kind: 'large', size, trueSize, largeBucket: ZEND_MM_LARGE_BUCKET_INDEX(trueSize), ownSegment: trueSize > ZEND_MM_SEG_SIZE - 32 };
}

/** One line, in words, of what `size` bytes becomes under `p`. */
export function describeRequest(size: number, p: ActiveProfile): string {
  if (size > MAX_PLANNED_SIZE) {
    return `${size} bytes: beyond any real heap; the allocator fails with an out-of-memory or overflow error`;
  }
  if (p.family === 'zend7') {
    const plan = planZend7(size, p.profile.switches.minSmallSize);
    switch (plan.kind) {
      case 'small': {
        const raised = plan.binnedSize !== size ? ` (raised to ${plan.binnedSize}: PHP ${p.version} has no slot below ${plan.binnedSize} bytes)` : '';
        const pages = plan.pagesPerRun === 1 ? '1-page run' : `${plan.pagesPerRun}-page run`;
        return `${size} bytes${raised} → small: bin ${plan.bin}, ${plan.slotSize}-byte slots, ${plan.slotsPerRun} per ${pages}`;
      }
      case 'large':
        return `${size} bytes → large (above ${ZEND_MM_MAX_SMALL_SIZE}): a run of ${plan.pages} page${plan.pages === 1 ? '' : 's'} (${plan.bytes} bytes) inside a 2 MiB chunk`;
      case 'huge':
        return `${size} bytes → huge (above ${ZEND_MM_MAX_LARGE_SIZE}): its own mapping of ${plan.mappedBytes} bytes, ${ZEND_MM_CHUNK_SIZE}-byte aligned, outside every chunk`;
    }
  }
  const plan = planZend5(size);
  if (plan.kind === 'small') {
    return `${size} bytes → block of ${plan.trueSize} bytes (header included): small (below ${ZEND5_MAX_SMALL_SIZE}), bucket ${plan.bucket} of the cache and free_buckets`;
  }
  const seg = plan.ownSegment ? '; too big for a default segment, so it gets a segment of its own' : '';
  return `${size} bytes → block of ${plan.trueSize} bytes (header included): large, large_free_buckets[${plan.largeBucket}]${seg}`;
}
