// zend_mm_gc: gives back small runs whose slots are all free, then deletes empty chunks.

import { binDataSize, binElements, binPages } from './bins';
import { Chunk } from './chunk';
import {
  ZEND_MM_BINS,
  ZEND_MM_CHUNK_SIZE,
  ZEND_MM_FIRST_PAGE,
  ZEND_MM_LRUN_PAGES,
  ZEND_MM_NRUN_OFFSET,
  ZEND_MM_PAGES,
  ZEND_MM_PAGE_SIZE,
  ZEND_MM_SRUN,
  ZEND_MM_SRUN_BIN_NUM,
  ZEND_MM_SRUN_EX,
  ZEND_MM_SRUN_FREE_COUNTER,
  chunkOffset,
  isLrunBit,
  isSrun,
  pageOf,
} from './constants';
import { EndlessLoop, HeapCorrupted, SegmentationFault } from './errors';
import type { ZendHeap } from './heap';
import { decodeFreeSlot, getNextFreeSlot, setNextFreeSlot } from './freeSlot';
import { deleteChunk, freePagesEx } from './pages';
import { touchedBin } from './sharedStepParts';

/** Why zend_mm_gc never returns when a bin's free list is circular. */
export const FREE_LIST_LOOP = 'zend_mm_gc walks a free list that comes back to a slot it has already visited';
/** Why zend_mm_gc never returns when the main chunk has left the ring. */
export const RING_LOST_MAIN_CHUNK = 'zend_mm_gc walks a chunk ring that no longer contains the main chunk';

/** The slots of a free list, collected by `collectFreeList` (reused between calls). */
const scratch: number[] = [];

/**
 * Collects bin `bin`'s free list into `scratch` without side effects and returns its length,
 * or -1 when the walk does not reach NULL: it took more steps than the mapped chunks have
 * bytes (so some slot repeats: the list loops), or reading a link failed. The counting walk
 * of zend_mm_gc then follows the links itself, keeping the slots it has seen, to stop where
 * the C loop would spin or fault. Reads the links as getNextFreeSlot does, keeping the last
 * chunk found.
 */
function collectFreeList(heap: ZendHeap, bin: number): number {
  const bound = heap.chunksByBase.size * ZEND_MM_CHUNK_SIZE;
  const shadowed = heap.profile.switches.shadowPointers;
  const shadowOffset = binDataSize[bin] - 8;
  let lastBase = -1;
  let chunk: Chunk | undefined;
  let n = 0;
  let p = heap.freeSlot[bin];
  while (p !== 0) {
    if (n >= bound) return -1;
    scratch[n++] = p;
    const offset = chunkOffset(p);
    const base = p - offset;
    if (base !== lastBase) {
      chunk = heap.chunkAt(base);
      if (chunk === undefined) return -1; // reading the link would fault
      lastBase = base;
    }
    const next = (chunk as Chunk).readWord(offset);
    if (next !== 0 && shadowed && next !== decodeFreeSlot(heap.shadowKey, (chunk as Chunk).readShadow(offset + shadowOffset))) {
      return -1; // the link and its shadow disagree: zend_mm_panic
    }
    p = next;
  }
  return n;
}

/**
 * Counts the `length` collected slots of bin `bin` in their runs' map entries, in list
 * order, as countFreeSlot would one by one; true when some run became wholly free.
 */
function countCollected(heap: ZendHeap, bin: number, length: number): boolean {
  const elements = binElements[bin];
  let hasFreePages = false;
  let lastBase = -1;
  let map: Uint32Array | null = null;
  for (let k = 0; k < length; k++) {
    const p = scratch[k];
    const base = p - chunkOffset(p);
    if (base !== lastBase) {
      // the walk read this slot's link, so its chunk is mapped; its header may not be ours
      const chunk = heap.chunkOf(p);
      if (chunk.heap !== heap) {
        throw new HeapCorrupted();
      }
      map = chunk.map;
      lastBase = base;
    }
    const m = map as Uint32Array;
    let pageNum = pageOf(p);
    const pageInfo = m[pageNum];
    if (isLrunBit(pageInfo)) {
      pageNum -= ZEND_MM_NRUN_OFFSET(pageInfo);
    }
    // the counter field is 9 bits wide: 512 wraps to 0
    const freeCounter = ZEND_MM_SRUN_FREE_COUNTER(m[pageNum]) + 1;
    m[pageNum] = ZEND_MM_SRUN_EX(bin, freeCounter);
    if (freeCounter === elements) hasFreePages = true;
  }
  return hasFreePages;
}

/** Counts free slot `p` in its run's map entry; true when that makes the whole run free. */
function countFreeSlot(heap: ZendHeap, bin: number, p: number): boolean {
  const chunk = heap.chunkOf(p);
  if (chunk.heap !== heap) {
    throw new HeapCorrupted();
  }
  let pageNum = pageOf(p);
  const pageInfo = chunk.map[pageNum];
  if (isLrunBit(pageInfo)) {
    pageNum -= ZEND_MM_NRUN_OFFSET(pageInfo);
  }
  const info = chunk.map[pageNum];
  // the counter field is 9 bits wide: 512 wraps to 0
  const freeCounter = ZEND_MM_SRUN_FREE_COUNTER(info) + 1;
  chunk.map[pageNum] = ZEND_MM_SRUN_EX(bin, freeCounter);
  return freeCounter === binElements[bin];
}

/**
 * The second walk of zend_mm_gc over bin `bin`'s free list: drops every slot whose run is
 * wholly free (its counter equals bin_elements), reading each run's map entry and each link
 * as runInfoOfSlot and getNextFreeSlot do, keeping the last chunk found.
 */
function unlinkFreeRuns(heap: ZendHeap, bin: number): void {
  const elements = binElements[bin];
  const shadowed = heap.profile.switches.shadowPointers;
  const shadowOffset = binDataSize[bin] - 8;
  let lastBase = -1;
  let chunk: Chunk | undefined;
  let prev = 0; // 0 = the list head heap->free_slot[bin]
  let p = heap.freeSlot[bin];
  while (p !== 0) {
    const offset = chunkOffset(p);
    const base = p - offset;
    if (base !== lastBase) {
      chunk = heap.chunkOf(p);
      if (chunk.heap !== heap) {
        throw new HeapCorrupted();
      }
      lastBase = base;
    }
    const c = chunk as Chunk;
    let pageNum = offset >>> 12;
    const pageInfo = c.map[pageNum];
    if (isLrunBit(pageInfo)) {
      pageNum -= ZEND_MM_NRUN_OFFSET(pageInfo);
    }
    const info = c.map[pageNum];
    const next = c.readWord(offset);
    if (next !== 0 && shadowed && next !== decodeFreeSlot(heap.shadowKey, c.readShadow(offset + shadowOffset))) {
      throw new HeapCorrupted();
    }
    if (ZEND_MM_SRUN_FREE_COUNTER(info) === elements) {
      // every slot of this run is free: drop the slot from the list
      if (prev === 0) {
        heap.freeSlot[bin] = next;
      } else {
        setNextFreeSlot(heap, bin, prev, next);
      }
    } else {
      prev = p;
    }
    p = next;
  }
}

/**
 * zend_mm_gc(heap): (1) counts the free slots of every run through the bins' free lists,
 * keeping the count in the run's map entry (9 bits, so a fully free 512-slot bin-0 run
 * reads back 0 and is never collected); (2) unlinks the slots of fully free runs; (3) walks
 * every chunk's pages below free_tail, frees those runs, resets the other counters, and
 * deletes chunks that became empty — the main chunk included, as 8.2 does.
 * Returns the bytes of pages collected.
 */
export function zendMmGc(heap: ZendHeap): number {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_gc', locals: {} });
  let collected = 0;

  for (let i = 0; i < ZEND_MM_BINS; i++) {
    let hasFreePages = false;
    const length = collectFreeList(heap, i);
    if (length >= 0) {
      hasFreePages = countCollected(heap, i, length);
    } else {
      // the list loops back (a double free made it circular) or a link cannot be read:
      // follow it as C does, keeping the slots seen, to stop where the C loop would spin
      const visited = new Set<number>();
      for (let p = heap.freeSlot[i]; p !== 0; p = getNextFreeSlot(heap, i, p)) {
        if (visited.has(p)) {
          // the C loop never reaches NULL
          throw new EndlessLoop(FREE_LIST_LOOP);
        }
        visited.add(p);
        if (countFreeSlot(heap, i, p)) hasFreePages = true;
      }
    }
    if (!hasFreePages) {
      continue;
    }
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_gc:unlink_free_runs',
      note: `bin ${i} has runs whose slots are all free: their slots leave the free list`,
      locals: { i },
      touched: touchedBin[i],
    });
    unlinkFreeRuns(heap, i);
  }

  let chunk: Chunk = heap.mainChunk;
  const visited = new Set<Chunk>();
  do {
    if (visited.has(chunk)) {
      throw new EndlessLoop(RING_LOST_MAIN_CHUNK);
    }
    visited.add(chunk);
    let i = ZEND_MM_FIRST_PAGE;
    while (i < chunk.freeTail) {
      if (chunk.isPageUsed(i)) {
        const info = chunk.map[i];
        if (isSrun(info)) {
          const binNum = ZEND_MM_SRUN_BIN_NUM(info);
          const pagesCount = binPages[binNum];
          if (ZEND_MM_SRUN_FREE_COUNTER(info) === binElements[binNum]) {
            // no live slot left: give the run's pages back
            freePagesEx(heap, chunk, i, pagesCount, false);
            collected += pagesCount;
          } else {
            // run still in use: clear the count kept in the map entry
            chunk.map[i] = ZEND_MM_SRUN(binNum);
          }
          i += binPages[binNum];
        } else {
          i += ZEND_MM_LRUN_PAGES(info);
          if (ZEND_MM_LRUN_PAGES(info) === 0) {
            throw new EndlessLoop(`zend_mm_gc: page ${i} of chunk ${chunk.num} is used but its map entry is a 0-page run`);
          }
        }
      } else {
        i++;
      }
    }
    if (
      chunk.freePages === ZEND_MM_PAGES - ZEND_MM_FIRST_PAGE &&
      !(heap.profile.switches.gcSparesMainChunk && chunk === heap.mainChunk)
    ) {
      const nextChunk = chunk.next;
      deleteChunk(heap, chunk);
      if (nextChunk === null) {
        throw new SegmentationFault('zend_mm_gc: chunk->next is NULL');
      }
      chunk = nextChunk;
    } else {
      if (chunk.next === null) {
        throw new SegmentationFault('zend_mm_gc: chunk->next is NULL');
      }
      chunk = chunk.next;
    }
  } while (chunk !== heap.mainChunk && heap.deadReason === null);

  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_gc:return',
    note: `collected ${collected} pages`,
    locals: { collected: collected * ZEND_MM_PAGE_SIZE },
  });
  sink?.event({ kind: 'leave', func: 'zend_mm_gc' });
  return collected * ZEND_MM_PAGE_SIZE;
}
