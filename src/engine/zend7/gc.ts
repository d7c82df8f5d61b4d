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
import { trackGcDone } from './freeListTracking';

/** The width of the free-slot counter zend_mm_gc keeps in a map entry (9 bits). */
const COUNTER_BITS = 0x1ff;

/** Why zend_mm_gc never returns when a bin's free list is circular. */
export const FREE_LIST_LOOP = 'zend_mm_gc walks a free list that comes back to a slot it has already visited';
/** Why zend_mm_gc never returns when the main chunk has left the ring. */
export const RING_LOST_MAIN_CHUNK = 'zend_mm_gc walks a chunk ring that no longer contains the main chunk';

/**
 * What countFreeList changed, so that a walk found to loop can be undone: per slot, the page
 * whose map entry it rewrote and the entry before (page -1 - k marks a switch to the map of
 * journalMaps[k]). Grown as needed and reused between calls.
 */
let journalPage = new Int32Array(4096);
let journalOld = new Uint32Array(4096);
const journalMaps: Uint32Array[] = [];

/** Makes the journal hold at least `n` + 1 entries. */
function growJournal(n: number): void {
  const size = Math.max(n + 1, journalPage.length * 2);
  const page = new Int32Array(size);
  const old = new Uint32Array(size);
  page.set(journalPage);
  old.set(journalOld);
  journalPage = page;
  journalOld = old;
}

/**
 * The counting walk of zend_mm_gc over bin `bin`'s free list, in C's order for each slot:
 * the slot's chunk must be ours, its run's map entry counts one more free slot (9 bits: 512
 * wraps to 0), then the link is read (with heap protection, checked against its shadow).
 * Returns whether some run became wholly free, or null when the walk took more steps than
 * the mapped chunks have bytes, so some slot repeats and the C loop would never end: the
 * counts are then put back as they were, for the caller to follow the list slot by slot.
 * Errors of the C walk (a chunk that is not ours, an unmapped link, a shadow mismatch) are
 * thrown where C raises them, with the slots before counted.
 */
function countFreeList(heap: ZendHeap, bin: number): boolean | null {
  const head = heap.freeSlot[bin];
  if (head === 0) return false;
  const bound = heap.chunksByBase.size * ZEND_MM_CHUNK_SIZE;
  const shadowed = heap.profile.switches.shadowPointers;
  const shadowOffset = binDataSize[bin] - 8;
  const elements = binElements[bin];
  let hasFreePages = false;
  let lastBase = -1;
  let chunk = heap.mainChunk;
  let map = chunk.map;
  let j = 0;
  let steps = 0;
  journalMaps.length = 0;
  // the slot is base + offset
  let offset = chunkOffset(head);
  let base = head - offset;
  for (;;) {
    if (steps++ >= bound) {
      undoCounts(j);
      return null;
    }
    if (base !== lastBase) {
      chunk = heap.chunkOf(base + offset);
      if (chunk.heap !== heap) {
        throw new HeapCorrupted();
      }
      map = chunk.map;
      lastBase = base;
      if (j + 1 >= journalPage.length) growJournal(j + 1);
      journalPage[j++] = -1 - journalMaps.length;
      journalMaps.push(map);
    }
    let pageNum = offset >>> 12;
    const pageInfo = map[pageNum];
    if (isLrunBit(pageInfo)) {
      pageNum -= ZEND_MM_NRUN_OFFSET(pageInfo);
    }
    const info = map[pageNum];
    const freeCounter = ZEND_MM_SRUN_FREE_COUNTER(info) + 1;
    if (j >= journalPage.length) growJournal(j);
    journalPage[j] = pageNum;
    journalOld[j++] = info;
    map[pageNum] = ZEND_MM_SRUN_EX(bin, freeCounter);
    if (freeCounter === elements) hasFreePages = true;
    const next = chunk.readWord(offset);
    if (next !== 0 && shadowed && next !== decodeFreeSlot(heap.shadowKey, chunk.readShadow(offset + shadowOffset))) {
      throw new HeapCorrupted();
    }
    if (next === 0) return hasFreePages;
    offset = chunkOffset(next);
    base = next - offset;
  }
}

/** Puts back the map entries the first `length` journal entries rewrote, newest first. */
function undoCounts(length: number): void {
  // the map of each entry is the last switch before it: find them walking forwards
  const mapOf: (Uint32Array | null)[] = new Array<Uint32Array | null>(length).fill(null);
  let current: Uint32Array | null = null;
  for (let k = 0; k < length; k++) {
    const page = journalPage[k];
    if (page < 0) current = journalMaps[-1 - page];
    else mapOf[k] = current;
  }
  for (let k = length - 1; k >= 0; k--) {
    const map = mapOf[k];
    if (map !== null) map[journalPage[k]] = journalOld[k];
  }
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
 * as runInfoOfSlot and getNextFreeSlot do, keeping the last chunk found. With `tracked`, a
 * run's counter is its tracked count of listed slots (which the counting walk would have left
 * in the map entry, 9 bits wide) instead of the map entry's counter field, and the walk stops
 * once every slot of the wholly free runs is dropped: the rest of the list stays as it is, as
 * the C loop, which goes on to the end, leaves it.
 */
function unlinkFreeRuns(heap: ZendHeap, bin: number, tracked: boolean): void {
  const head = heap.freeSlot[bin];
  if (head === 0) return;
  const elements = binElements[bin];
  const shadowed = heap.profile.switches.shadowPointers;
  const shadowOffset = binDataSize[bin] - 8;
  let lastBase = -1;
  let chunk = heap.mainChunk;
  let prev = 0; // 0 = the list head heap->free_slot[bin]
  // slots still to drop when tracked (-1: not known, walk to the end); a 512-slot run is
  // counted in fullRuns but never dropped (its 9-bit counter reads 0), so then it never ends early
  let toDrop = tracked ? heap.fullRuns[bin] * elements : -1;
  // the slot is base + offset
  let offset = chunkOffset(head);
  let base = head - offset;
  for (;;) {
    if (base !== lastBase) {
      chunk = heap.chunkOf(base + offset);
      if (chunk.heap !== heap) {
        throw new HeapCorrupted();
      }
      lastBase = base;
    }
    let pageNum = offset >>> 12;
    const pageInfo = chunk.map[pageNum];
    if (isLrunBit(pageInfo)) {
      pageNum -= ZEND_MM_NRUN_OFFSET(pageInfo);
    }
    const counter = tracked ? chunk.listedCount[pageNum] & COUNTER_BITS : ZEND_MM_SRUN_FREE_COUNTER(chunk.map[pageNum]);
    const next = chunk.readWord(offset);
    if (next !== 0 && shadowed && next !== decodeFreeSlot(heap.shadowKey, chunk.readShadow(offset + shadowOffset))) {
      throw new HeapCorrupted();
    }
    if (counter === elements) {
      // every slot of this run is free: drop the slot from the list
      if (prev === 0) {
        heap.freeSlot[bin] = next;
      } else {
        setNextFreeSlot(heap, bin, prev, next);
      }
      if (--toDrop === 0) return;
    } else {
      prev = base + offset;
    }
    if (next === 0) return;
    offset = chunkOffset(next);
    base = next - offset;
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
  // with tracked lists and no one watching the steps, the counting walk's outcome is known
  // without walking (freeListTracking.ts); a step view needs the counters it writes
  const tracked = heap.freeListsTracked && sink === null;

  for (let i = 0; i < ZEND_MM_BINS; i++) {
    let hasFreePages = tracked ? heap.fullRuns[i] > 0 : countFreeList(heap, i);
    if (hasFreePages === null) {
      // the list loops back (a double free made it circular): follow it as C does, keeping
      // the slots seen, to stop where the C loop would spin
      hasFreePages = false;
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
    unlinkFreeRuns(heap, i, tracked);
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
          const counter = tracked ? chunk.listedCount[i] & COUNTER_BITS : ZEND_MM_SRUN_FREE_COUNTER(info);
          if (counter === binElements[binNum]) {
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
        // free pages do nothing in the C loop: go straight to the next used one
        i = chunk.nextUsedPage(i + 1);
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
  if (heap.freeListsTracked) trackGcDone(heap);

  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_gc:return',
    note: `collected ${collected} pages`,
    locals: { collected: collected * ZEND_MM_PAGE_SIZE },
  });
  sink?.event({ kind: 'leave', func: 'zend_mm_gc' });
  return collected * ZEND_MM_PAGE_SIZE;
}
