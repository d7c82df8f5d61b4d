// The 30 small-size bins (ZEND_MM_BINS_INFO in zend_alloc_sizes.h) and the size -> bin mapping.

import { ZEND_MM_BINS, ZEND_MM_PAGE_SIZE } from './constants';

/** One bin: slot size in bytes, slots per run, pages per run. */
export interface BinInfo {
  readonly bin: number;
  /** Slot size in bytes (bin_data_size). */
  readonly size: number;
  /** Slots in one run (bin_elements) = floor(pages * 4096 / size). */
  readonly elements: number;
  /** Pages in one run (bin_pages). */
  readonly pages: number;
}

// Slot size and pages per run of each bin, as zend_alloc_sizes.h lists them for every 7.x/8.x release.
const SLOT_SIZE_AND_PAGES: ReadonlyArray<readonly [number, number]> = [
  [8, 1], [16, 1], [24, 1], [32, 1], [40, 1], [48, 1], [56, 1], [64, 1], [80, 1], [96, 1],
  [112, 1], [128, 1], [160, 1], [192, 1], [224, 1], [256, 1], [320, 5], [384, 3], [448, 1], [512, 1],
  [640, 5], [768, 3], [896, 2], [1024, 2], [1280, 5], [1536, 3], [1792, 7], [2048, 4], [2560, 5], [3072, 3],
];

/** The bin table, index = bin number. */
export const BINS: readonly BinInfo[] = SLOT_SIZE_AND_PAGES.map(([size, pages], bin) => ({
  bin,
  size,
  pages,
  elements: Math.floor((pages * ZEND_MM_PAGE_SIZE) / size),
}));

/** bin_data_size[]: slot size (bytes) per bin. */
export const binDataSize: Uint32Array = Uint32Array.from(BINS, (b) => b.size);
/** bin_elements[]: slots per run per bin. */
export const binElements: Uint32Array = Uint32Array.from(BINS, (b) => b.elements);
/** bin_pages[]: pages per run per bin. */
export const binPages: Uint32Array = Uint32Array.from(BINS, (b) => b.pages);

if (BINS.length !== ZEND_MM_BINS) {
  throw new Error('bin table must have ZEND_MM_BINS entries');
}

/** Number of significant bits of `n` (n >= 1): zend_mm_small_size_to_bit. */
function bitLength(n: number): number {
  return 32 - Math.clz32(n);
}

/**
 * zend_mm_small_size_to_bin(): the bin serving a request of `size` bytes (0..3072).
 * Sizes up to 64 map by eighths (0 and 1..8 both go to bin 0); above that, four bins per
 * power of two.
 */
export function smallSizeToBin(size: number): number {
  if (size <= 64) {
    return (size - (size !== 0 ? 1 : 0)) >> 3;
  }
  let t1 = size - 1;
  let t2 = bitLength(t1) - 3;
  t1 = t1 >>> t2;
  t2 = t2 - 3;
  t2 = t2 << 2;
  return t1 + t2;
}
