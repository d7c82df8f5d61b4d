// Reads a heap's state the way a debugger reads the real struct: the chunk ring, each
// chunk's runs (from free_map and map), the bins' free lists, the chunk cache, huge_list.

import { binPages } from './bins';
import { Chunk } from './chunk';
import {
  ZEND_MM_BINS,
  ZEND_MM_CHUNK_SIZE,
  ZEND_MM_FIRST_PAGE,
  ZEND_MM_IS_LRUN,
  ZEND_MM_IS_SRUN,
  ZEND_MM_LRUN_PAGES,
  ZEND_MM_PAGES,
  ZEND_MM_SRUN_BIN_NUM,
} from './constants';
import type { ZendHeap } from './heap';

/** A run of pages of one chunk. `page` is the first page; free runs are maximal. */
export type RunState =
  | { readonly page: number; readonly kind: 'small'; readonly bin: number }
  | { readonly page: number; readonly kind: 'large'; readonly pages: number }
  | { readonly page: number; readonly kind: 'free'; readonly pages: number }
  | { readonly page: number; readonly kind: 'other'; readonly map: number };

/** One chunk of the ring. */
export interface ChunkState {
  readonly num: number;
  readonly freePages: number;
  readonly freeTail: number;
  readonly runs: RunState[];
}

/** Most chunks a ring walk follows before it stops (a broken ring can cycle). */
const RING_WALK_LIMIT = 100000;
/** Most entries a free-list walk follows (a double free can make a list cycle). */
export const FREE_LIST_WALK_LIMIT = 100000;

/** The runs of pages 1..511 of `chunk`, in page order. */
export function chunkRuns(chunk: Chunk): RunState[] {
  const runs: RunState[] = [];
  let p = ZEND_MM_FIRST_PAGE;
  while (p < ZEND_MM_PAGES) {
    if (!chunk.isPageUsed(p)) {
      const start = p;
      while (p < ZEND_MM_PAGES && !chunk.isPageUsed(p)) p++;
      runs.push({ page: start, kind: 'free', pages: p - start });
      continue;
    }
    const info = chunk.map[p];
    const kind = (info & (ZEND_MM_IS_SRUN | ZEND_MM_IS_LRUN)) >>> 0;
    if (kind === ZEND_MM_IS_SRUN) {
      const bin = ZEND_MM_SRUN_BIN_NUM(info);
      runs.push({ page: p, kind: 'small', bin });
      p += binPages[bin];
    } else if (kind === ZEND_MM_IS_LRUN && ZEND_MM_LRUN_PAGES(info) > 0) {
      runs.push({ page: p, kind: 'large', pages: ZEND_MM_LRUN_PAGES(info) });
      p += ZEND_MM_LRUN_PAGES(info);
    } else {
      runs.push({ page: p, kind: 'other', map: info });
      p++;
    }
  }
  return runs;
}

/** The chunk ring from the main chunk, following next until main, NULL, or a repeat. */
export function ringChunks(heap: ZendHeap): Chunk[] {
  const out: Chunk[] = [];
  const seen = new Set<Chunk>();
  let c: Chunk | null = heap.mainChunk;
  while (c !== null && !seen.has(c) && out.length < RING_WALK_LIMIT) {
    out.push(c);
    seen.add(c);
    c = c.next;
    if (c === heap.mainChunk) break;
  }
  return out;
}

/** The cached chunks from the head. */
export function cachedChunks(heap: ZendHeap): Chunk[] {
  const out: Chunk[] = [];
  const seen = new Set<Chunk>();
  for (let c = heap.cachedChunks; c !== null && !seen.has(c) && out.length < RING_WALK_LIMIT; c = c.next) {
    out.push(c);
    seen.add(c);
  }
  return out;
}

/** Addresses on bin `bin`'s free list from the head; stops after a repeated address. */
export function freeList(heap: ZendHeap, bin: number): { addresses: number[]; loops: boolean } {
  const addresses: number[] = [];
  const seen = new Set<number>();
  let p = heap.freeSlot[bin];
  while (p !== 0 && addresses.length < FREE_LIST_WALK_LIMIT) {
    addresses.push(p);
    if (seen.has(p)) {
      return { addresses, loops: true };
    }
    seen.add(p);
    if (heap.chunksByBase.get(p - (p % ZEND_MM_CHUNK_SIZE)) === undefined) {
      break; // the link lies in unmapped memory (only after a crash): nothing more to read
    }
    p = heap.readWord(p);
  }
  return { addresses, loops: false };
}

/** Every bin's free list (non-empty ones only). */
export function freeLists(heap: ZendHeap): Map<number, { addresses: number[]; loops: boolean }> {
  const out = new Map<number, { addresses: number[]; loops: boolean }>();
  for (let bin = 0; bin < ZEND_MM_BINS; bin++) {
    if (heap.freeSlot[bin] !== 0) {
      out.set(bin, freeList(heap, bin));
    }
  }
  return out;
}

/** The chunk `num` of the chunk holding `address`, or undefined for huge/unmapped memory. */
export function chunkNumOf(heap: ZendHeap, address: number): number | undefined {
  const offset = address % ZEND_MM_CHUNK_SIZE;
  return heap.chunksByBase.get(address - offset)?.num;
}
