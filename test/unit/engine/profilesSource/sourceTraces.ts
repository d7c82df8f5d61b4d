// The hand-written traces the source-derived profile tests share. Each test file states, in its
// own comments, what the release it covers does with a trace and why (citing that release's
// source); the traces themselves are the same calls whichever release runs them.

import * as assert from 'assert';
import { Zend7Profile } from '../../../../src/engine/profiles';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { ringChunks } from '../../../../src/engine/zend7/inspect';
import { CustomStdHeap, ZendAllocator } from '../../../../src/engine/zend7/routing';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const PAGE = 4096;
/** ZEND_MM_MAX_LARGE_SIZE: 511 pages, the most one chunk can hold. */
export const FULL_CHUNK = 511 * PAGE;
export const SIZE_MAX = 2n ** 64n - 1n;
/** 2^64 - 2 MiB: page aligned, so rounding it does not wrap, but real_size + it does. */
export const NEAR_SIZE_MAX = 2n ** 64n - 2n * BigInt(MiB);

export const heapOf = (profile: Zend7Profile): ZendHeap => new ZendHeap({ profile });
export const ringNums = (h: ZendHeap): number[] => ringChunks(h).map((c) => c.num);

/**
 * Fills the main chunk and chunks 1 and 2, leaves one free page in chunk 3, then asks for one
 * page: the walk finds it after 3 steps. Returns the page's address.
 */
export function pageFoundInFourthChunk(h: ZendHeap): number {
  h.alloc(FULL_CHUNK);
  h.alloc(FULL_CHUNK);
  h.alloc(FULL_CHUNK);
  h.alloc(510 * PAGE);
  return h.alloc(PAGE);
}

/** Fills two chunks, then 6 times maps a third chunk for one page and frees it again. */
export function sixThirdChunkDeletions(h: ZendHeap): void {
  h.alloc(FULL_CHUNK);
  h.alloc(FULL_CHUNK);
  for (let i = 0; i < 6; i++) h.free(h.alloc(PAGE));
}

/**
 * After sixThirdChunkDeletions, where zend_mm_delete_chunk has the delete-boundary rule: the
 * 1st deletion sets boundary 2, count 0; the 2nd – 5th raise count to 4; the 6th caches.
 */
export function assertSixthDeletionCached(h: ZendHeap): void {
  assert.strictEqual(h.cachedChunksCount, 1);
  assert.strictEqual(h.realSize, 6 * MiB);
  assert.strictEqual(h.lastChunksDeleteBoundary, 2);
  assert.strictEqual(h.lastChunksDeleteCount, 4);
}

/** After sixThirdChunkDeletions, where there is no such rule: every deletion unmaps. */
export function assertEveryDeletionUnmapped(h: ZendHeap): void {
  assert.strictEqual(h.cachedChunksCount, 0);
  assert.strictEqual(h.realSize, 4 * MiB);
  assert.strictEqual(h.lastChunksDeleteCount, 0);
}

/** Fills two chunks (real_size 4 MiB) and sets the memory limit to `limit`; returns the setter's answer. */
export function twoChunksThenLimit(h: ZendHeap, limit: number): boolean {
  h.alloc(FULL_CHUNK);
  h.alloc(FULL_CHUNK);
  return h.setMemoryLimit(limit);
}

/**
 * p = alloc(4 MiB) (huge), the rest of the main chunk filled (real_size = real_peak = 6 MiB),
 * then realloc(p, 1 MiB): the copy needs a new chunk (8 MiB) before p is unmapped (4 MiB).
 */
export function hugeReallocToLarge(h: ZendHeap): void {
  const p = h.alloc(4 * MiB);
  h.alloc(510 * PAGE);
  h.realloc(p, 1 * MiB);
}

/** USE_ZEND_ALLOC=0 USE_TRACKED_ALLOC=1, memory_limit 2 MiB, then emalloc(3 MiB); returns the heap. */
export function trackedEmallocOverLimit(profile: Zend7Profile): CustomStdHeap {
  const z = new ZendAllocator({ useZendAlloc: false, trackedAlloc: true, profile });
  const heap = z.heap as CustomStdHeap;
  heap.setMemoryLimit(2 * MiB);
  z.emalloc(3 * MiB);
  return heap;
}

/** The limit error of trackedEmallocOverLimit where tracked_malloc enforces the limit. */
export const TRACKED_LIMIT_ERROR = 'Allowed memory size of 2097152 bytes exhausted (tried to allocate 3145728 bytes)';
