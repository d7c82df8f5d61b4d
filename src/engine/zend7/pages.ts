// Page runs: zend_mm_alloc_pages (best-fit search over the chunk ring, new chunks from the
// cache or the OS), zend_mm_free_pages_ex, zend_mm_delete_chunk, and the large-block paths.

import { Chunk } from './chunk';
import {
  ZEND_MM_BITSET_LEN,
  ZEND_MM_CHUNK_SIZE,
  ZEND_MM_FIRST_PAGE,
  ZEND_MM_LRUN,
  ZEND_MM_PAGES,
  ZEND_MM_PAGE_SIZE,
} from './constants';
import { HeapCorrupted, SegmentationFault } from './errors';
import { zendMmGc } from './gc';
import type { ZendHeap } from './heap';
import { exceedsLimit } from './huge';
import { LEAVE_ALLOC_LARGE, LEAVE_ALLOC_PAGES, LEAVE_FREE_LARGE, TOUCHED_COUNTERS } from './sharedStepParts';

const ALL_ONES = 0xffffffff;

/** Count of trailing zero bits of a non-zero uint32. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Address of page `page` of `chunk` (ZEND_MM_PAGE_ADDR). */
export function pageAddress(chunk: Chunk, page: number): number {
  return chunk.base + page * ZEND_MM_PAGE_SIZE;
}

/**
 * zend_mm_alloc_pages(heap, pages_count): finds `pagesCount` contiguous free pages.
 * Walks the ring from the main chunk; in each chunk with enough free pages runs the
 * best-fit scan of free_map (an exact-size hole wins at once, else the smallest hole,
 * lowest first; the untouched tail only if strictly smaller); past the last chunk takes a
 * cached chunk or maps a new one (memory_limit checked here). Returns the run's address.
 * Does not touch size/peak.
 */
export function allocPages(heap: ZendHeap, pagesCount: number): number {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_alloc_pages', locals: { pages_count: pagesCount } });
  let chunk: Chunk = heap.mainChunk;
  let pageNum = 0;
  let steps = 0;

  search: for (;;) {
    if (chunk.freePages < pagesCount) {
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_alloc_pages:not_enough_free_pages',
        note: `chunk ${chunk.num} has only ${chunk.freePages} free pages`,
        locals: { chunk: chunk.num, steps },
      });
    } else {
      const found = bestFitScan(chunk, pagesCount, sink);
      if (found > 0) {
        pageNum = found;
        break search;
      }
    }

    // not_found:
    if (chunk.next === heap.mainChunk) {
      // steps keeps counting the hops made before the last chunk failed
      chunk = getChunk(heap, pagesCount);
      pageNum = ZEND_MM_FIRST_PAGE;
      break search;
    }
    if (chunk.next === null) {
      throw new SegmentationFault('zend_mm_alloc_pages: chunk->next is NULL (the main chunk left the ring)');
    }
    chunk = chunk.next;
    steps++;
  }

  // found: (7.0 keeps no step count and never relinks the chunk)
  if (heap.profile.switches.chunkMoveToFront && steps > 2 && pagesCount < 8) {
    checkRingLinks(heap, chunk);
    // relink the chunk right after the main chunk
    unlink(chunk);
    const main = heap.mainChunk;
    chunk.next = main.next;
    chunk.prev = main;
    main.next = chunk;
    (chunk.next as Chunk).prev = chunk;
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_alloc_pages:move_to_head',
      note: `chunk ${chunk.num} moves right after the main chunk (found after ${steps} steps)`,
      locals: { steps },
      touched: [{ kind: 'chunk', chunk: chunk.num }],
    });
  }
  // claim the pages: bitmap, first map entry, counters
  chunk.freePages -= pagesCount;
  chunk.setRange(pageNum, pagesCount);
  chunk.map[pageNum] = ZEND_MM_LRUN(pagesCount);
  if (pageNum === chunk.freeTail) {
    chunk.freeTail = pageNum + pagesCount;
  }
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_pages:mark_run',
    note: `pages ${pageNum}..${pageNum + pagesCount - 1} of chunk ${chunk.num} marked used`,
    locals: { page_num: pageNum, pages_count: pagesCount, free_pages: chunk.freePages, free_tail: chunk.freeTail },
    touched: [{ kind: 'page', chunk: chunk.num, page: pageNum, pages: pagesCount }],
  });
  sink?.event(LEAVE_ALLOC_PAGES);
  return pageAddress(chunk, pageNum);
}

/** The end of a best-fit scan without a tail fit: the best hole (`best`, `bestLen` pages), if any, else -1. */
function bestOrNone(chunk: Chunk, pagesCount: number, best: number, bestLen: number, where: 'end' | 'tail', sink: ZendHeap['sink']): number {
  if (best > 0) {
    sink?.event({
      kind: 'stmt',
      anchor: `zend_mm_alloc_pages:best_fit_${where}`,
      note: `best fit in chunk ${chunk.num}: page ${best} (hole of ${bestLen} pages)`,
      locals: { chunk: chunk.num, best, best_len: bestLen },
    });
    return best;
  }
  sink?.event({
    kind: 'stmt',
    anchor: `zend_mm_alloc_pages:not_found_${where}`,
    note: `no run of ${pagesCount} free pages in chunk ${chunk.num}`,
    locals: { chunk: chunk.num },
  });
  return -1;
}

/**
 * The best-fit search of zend_mm_alloc_pages over one chunk's free_map, word by word as the
 * C code walks it (64-bit words held as lo/hi uint32 halves). Returns the first page of the
 * run to use, or -1. Updates free_tail as the C code does when it reaches the tail.
 */
function bestFitScan(chunk: Chunk, pagesCount: number, sink: ZendHeap['sink']): number {
  let best = -1;
  let bestLen = ZEND_MM_PAGES;
  const freeTail = chunk.freeTail;
  const map = chunk.freeMap;
  let w = 0;
  let lo = map[0];
  let hi = map[1];
  let i = 0;
  for (;;) {
    // words with every page used hold no hole
    while (lo === ALL_ONES && hi === ALL_ONES) {
      i += ZEND_MM_BITSET_LEN;
      if (i === ZEND_MM_PAGES) {
        return bestOrNone(chunk, pagesCount, best, bestLen, 'end', sink);
      }
      w++;
      lo = map[2 * w];
      hi = map[2 * w + 1];
    }
    // first free page of this word
    const pageNum = i + (lo !== ALL_ONES ? ctz32(~lo >>> 0) : 32 + ctz32(~hi >>> 0));
    // clear the trailing ones (tmp &= tmp + 1)
    if (lo === ALL_ONES) {
      lo = 0;
      hi = (hi & (hi + 1)) >>> 0;
    } else {
      lo = (lo & (lo + 1)) >>> 0;
    }
    // a run of free pages may continue into the next words
    while (lo === 0 && hi === 0) {
      i += ZEND_MM_BITSET_LEN;
      if (i >= freeTail || i === ZEND_MM_PAGES) {
        const len = ZEND_MM_PAGES - pageNum;
        if (len >= pagesCount && len < bestLen) {
          chunk.freeTail = pageNum + pagesCount;
          sink?.event({
            kind: 'stmt',
            anchor: 'zend_mm_alloc_pages:tail_fit',
            note: `free tail of chunk ${chunk.num} from page ${pageNum}`,
            locals: { chunk: chunk.num, page_num: pageNum, len },
          });
          return pageNum;
        }
        // the run reaches the end of the chunk: free_tail becomes exact
        chunk.freeTail = pageNum;
        return bestOrNone(chunk, pagesCount, best, bestLen, 'tail', sink);
      }
      w++;
      lo = map[2 * w];
      hi = map[2 * w + 1];
    }
    // the hole ends at the next used page
    const len = i + (lo !== 0 ? ctz32(lo) : 32 + ctz32(hi)) - pageNum;
    if (len >= pagesCount) {
      if (len === pagesCount) {
        sink?.event({
          kind: 'stmt',
          anchor: 'zend_mm_alloc_pages:exact_fit',
          note: `exact fit in chunk ${chunk.num}: ${len} free pages at page ${pageNum}`,
          locals: { chunk: chunk.num, page_num: pageNum, len },
        });
        return pageNum;
      } else if (len < bestLen) {
        bestLen = len;
        best = pageNum;
      }
    }
    // fill the trailing zeros (tmp |= tmp - 1) to look past this hole
    if (lo === 0) {
      lo = ALL_ONES;
      hi = (hi | (hi - 1)) >>> 0;
    } else {
      lo = (lo | (lo - 1)) >>> 0;
    }
  }
}

/** 8.4+: ZEND_MM_CHECK that the neighbours point back at `chunk` before it is unlinked. */
function checkRingLinks(heap: ZendHeap, chunk: Chunk): void {
  if (!heap.profile.switches.chunkRingChecks) return;
  if (chunk.next === null || chunk.prev === null) {
    throw new SegmentationFault('checking the chunk ring: a link is NULL');
  }
  if (chunk.next.prev !== chunk || chunk.prev.next !== chunk) {
    throw new HeapCorrupted();
  }
}

/** Unlinks `chunk` from the ring (prev/next stay as they were in the chunk itself). */
function unlink(chunk: Chunk): void {
  (chunk.prev as Chunk).next = chunk.next;
  (chunk.next as Chunk).prev = chunk.prev;
}

/**
 * The get_chunk label of zend_mm_alloc_pages: pop a cached chunk, or check the memory limit
 * (running zend_mm_gc once per attempt) and map a new chunk; then link it at the ring's tail.
 */
function getChunk(heap: ZendHeap, pagesCount: number): Chunk {
  const sink = heap.sink;
  let chunk: Chunk | null;
  for (;;) {
    if (heap.cachedChunks !== null) {
      heap.cachedChunksCount--;
      chunk = heap.cachedChunks;
      heap.cachedChunks = chunk.next;
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_alloc_pages:reuse_cached_chunk',
        note: 'takes a chunk from the cache',
        locals: { cached_chunks_count: heap.cachedChunksCount },
      });
      break;
    }
    if (exceedsLimit(heap, ZEND_MM_CHUNK_SIZE)) {
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_alloc_pages:limit_reached',
        note: `a new chunk would pass memory_limit (${heap.limitText()} bytes): zend_mm_gc first`,
        locals: { real_size: heap.realSize },
      });
      if (zendMmGc(heap) !== 0) {
        continue; // goto get_chunk
      } else if (heap.overflow === 0) {
        heap.safeError(
          `Allowed memory size of ${heap.limitText()} bytes exhausted (tried to allocate ${ZEND_MM_PAGE_SIZE * pagesCount} bytes)`,
        );
      }
    }
    chunk = heap.mapChunk();
    if (chunk === null) {
      // mmap failed: run gc and try once more
      if (!(zendMmGc(heap) !== 0 && (chunk = heap.mapChunk()) !== null)) {
        heap.safeError(heap.outOfMemoryMessage(ZEND_MM_PAGE_SIZE * pagesCount));
      }
    }
    heap.realSize += ZEND_MM_CHUNK_SIZE;
    heap.realPeak = Math.max(heap.realPeak, heap.realSize);
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_alloc_pages:map_new_chunk',
      note: 'maps a new 2 MiB chunk',
      locals: { real_size: heap.realSize },
      touched: TOUCHED_COUNTERS,
    });
    break;
  }
  heap.chunksCount++;
  if (heap.chunksCount > heap.peakChunksCount) {
    heap.peakChunksCount = heap.chunksCount;
  }
  chunkInit(heap, chunk as Chunk);
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_chunk_init:link',
    note: `chunk ${(chunk as Chunk).num} linked at the tail of the ring`,
    locals: { num: (chunk as Chunk).num, chunks_count: heap.chunksCount },
    touched: [{ kind: 'chunk', chunk: (chunk as Chunk).num }],
  });
  return chunk as Chunk;
}

/** zend_mm_chunk_init(): links `chunk` before the main chunk and resets its header. */
export function chunkInit(heap: ZendHeap, chunk: Chunk): void {
  const main = heap.mainChunk;
  chunk.heap = heap;
  chunk.next = main;
  chunk.prev = main.prev;
  if (chunk.prev === null) {
    throw new SegmentationFault('zend_mm_chunk_init: main_chunk->prev is NULL');
  }
  chunk.prev.next = chunk;
  chunk.next.prev = chunk;
  chunk.initHeader(heap);
  // a newly linked chunk numbers one past its predecessor
  chunk.num = (chunk.prev.num + 1) >>> 0;
}

/** zend_mm_alloc_large_ex(): a run of ceil(size / 4096) pages; size/peak grow by the run. */
export function allocLarge(heap: ZendHeap, size: number): number {
  const pagesCount = Math.ceil(size / ZEND_MM_PAGE_SIZE);
  heap.sink?.event({ kind: 'enter', func: 'zend_mm_alloc_large', locals: { size, pages_count: pagesCount } });
  const ptr = allocPages(heap, pagesCount);
  heap.size += pagesCount * ZEND_MM_PAGE_SIZE;
  heap.peak = Math.max(heap.peak, heap.size);
  heap.sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_large:stat',
    note: `size += ${pagesCount * ZEND_MM_PAGE_SIZE}`,
    locals: { size: heap.size, peak: heap.peak },
    touched: TOUCHED_COUNTERS,
  });
  heap.sink?.event(LEAVE_ALLOC_LARGE);
  return ptr;
}

/** zend_mm_free_large(): size shrinks by the run, then the pages are freed (may delete the chunk). */
export function freeLarge(heap: ZendHeap, chunk: Chunk, pageNum: number, pagesCount: number): void {
  heap.sink?.event({ kind: 'enter', func: 'zend_mm_free_large', locals: { page_num: pageNum, pages_count: pagesCount } });
  heap.size -= pagesCount * ZEND_MM_PAGE_SIZE;
  freePagesEx(heap, chunk, pageNum, pagesCount, true);
  heap.sink?.event(LEAVE_FREE_LARGE);
}

/**
 * zend_mm_free_pages_ex(): clears the run in free_map, map[first] = 0, pulls free_tail down
 * when the run ended at it, and (if `freeChunk`) deletes a non-main chunk that became empty.
 */
export function freePagesEx(heap: ZendHeap, chunk: Chunk, pageNum: number, pagesCount: number, freeChunk: boolean): void {
  chunk.freePages += pagesCount;
  chunk.resetRange(pageNum, pagesCount);
  chunk.map[pageNum] = 0;
  if (chunk.freeTail === pageNum + pagesCount) {
    // free_tail may now point below other free pages (C accepts that)
    chunk.freeTail = pageNum;
  }
  heap.sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_free_pages_ex:release_run',
    note: `pages ${pageNum}..${pageNum + pagesCount - 1} of chunk ${chunk.num} are free again`,
    locals: { page_num: pageNum, pages_count: pagesCount, free_pages: chunk.freePages, free_tail: chunk.freeTail },
    touched: [{ kind: 'page', chunk: chunk.num, page: pageNum, pages: pagesCount }],
  });
  if (
    freeChunk &&
    (chunk !== heap.mainChunk || !heap.profile.switches.freePagesSparesMainChunk) &&
    chunk.freePages === ZEND_MM_PAGES - ZEND_MM_FIRST_PAGE
  ) {
    // 7.0 has no main-chunk test here: an emptied main chunk goes to zend_mm_delete_chunk
    deleteChunk(heap, chunk);
  }
}

/**
 * zend_mm_delete_chunk(): unlinks an empty chunk; caches it while the heap holds fewer
 * chunks than its average (+0.1) or after 4 deletions at the same count, else unmaps one
 * chunk (this one, or the cached head if that is younger).
 */
export function deleteChunk(heap: ZendHeap, chunk: Chunk): void {
  const sink = heap.sink;
  checkRingLinks(heap, chunk);
  if (chunk.next === null || chunk.prev === null) {
    throw new SegmentationFault('zend_mm_delete_chunk: chunk links are NULL');
  }
  chunk.next.prev = chunk.prev;
  chunk.prev.next = chunk.next;
  heap.chunksCount--;
  const boundary = heap.profile.switches.chunkDeleteBoundary;
  if (
    heap.chunksCount + heap.cachedChunksCount < heap.avgChunksCount + 0.1 ||
    (boundary && heap.chunksCount === heap.lastChunksDeleteBoundary && heap.lastChunksDeleteCount >= 4)
  ) {
    // keep the empty chunk for reuse instead of unmapping it
    heap.cachedChunksCount++;
    chunk.next = heap.cachedChunks;
    heap.cachedChunks = chunk;
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_delete_chunk:cache',
      note: `empty chunk ${chunk.num} goes to the cache`,
      locals: { chunks_count: heap.chunksCount, cached_chunks_count: heap.cachedChunksCount },
      touched: [{ kind: 'chunk', chunk: chunk.num }],
    });
    return;
  }
  heap.realSize -= ZEND_MM_CHUNK_SIZE;
  if (boundary && heap.cachedChunks === null) {
    if (heap.chunksCount !== heap.lastChunksDeleteBoundary) {
      heap.lastChunksDeleteBoundary = heap.chunksCount;
      heap.lastChunksDeleteCount = 0;
    } else {
      heap.lastChunksDeleteCount++;
    }
  }
  if (heap.cachedChunks === null || chunk.num > heap.cachedChunks.num) {
    heap.unmapChunk(chunk);
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_delete_chunk:free',
      note: `empty chunk ${chunk.num} is unmapped`,
      locals: { chunks_count: heap.chunksCount, real_size: heap.realSize },
      touched: [{ kind: 'chunk', chunk: chunk.num }, { kind: 'counters' }],
    });
  } else {
    const old = heap.cachedChunks;
    chunk.next = old.next;
    heap.unmapChunk(old);
    heap.cachedChunks = chunk;
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_delete_chunk:replace_cached',
      note: `empty chunk ${chunk.num} replaces cached chunk ${old.num}, which is unmapped`,
      locals: { chunks_count: heap.chunksCount, real_size: heap.realSize },
      touched: [{ kind: 'chunk', chunk: chunk.num }, { kind: 'counters' }],
    });
  }
}
