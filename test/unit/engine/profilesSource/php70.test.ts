import * as assert from 'assert';
import { PHP_7_0, PHP_7_4, PHP_8_1, Zend7Profile } from '../../../../src/engine/profiles';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { cachedChunks, ringChunks } from '../../../../src/engine/zend7/inspect';
import { allocatorFailure as failure } from '../../../support/allocatorFailure';
import { MiB, PAGE, FULL_CHUNK, SIZE_MAX, NEAR_SIZE_MAX, heapOf, ringNums, pageFoundInFourthChunk, sixThirdChunkDeletions, twoChunksThenLimit, hugeReallocToLarge, trackedEmallocOverLimit, TRACKED_LIMIT_ERROR, assertSixthDeletionCached, assertEveryDeletionUnmapped } from './sourceTraces';

// Each switch in which PHP 7.0.12 differs from 7.4.33, shown by a hand-written trace run with
// both profiles. The expected values are derived (in the comments) from the 7.0.12 source,
// pangudashu/php-7.0.12 @ ac7b9fb3e3a99ff33384b42f0c50df4e9c920905 : Zend/zend_alloc.c, and
// from 7.4.33's zend_alloc.c for the other side.


describe('PHP 7.0.12 profile (source: pangudashu/php-7.0.12 @ ac7b9fb3)', () => {
  it('is a source-read profile of release 7.0.12', () => {
    assert.strictEqual(PHP_7_0.release, '7.0.12');
    assert.strictEqual(PHP_7_0.verifiedBy, 'source');
  });

  describe('chunkMoveToFront (zend_mm_alloc_pages)', () => {
    // Trace: fill the main chunk and chunks 1 and 2; chunk 3 keeps one free page; then ask
    // for one page. The walk visits main (full), 1 (step 1), 2 (step 2), 3 (step 3) and finds
    // the page there. 7.4.33: steps (3) > 2 and pages (1) < 8, so chunk 3 is relinked right
    // after the main chunk: ring 0, 3, 1, 2. 7.0.12: its found: label only marks the run —
    // there is no step counter and no relinking — so the ring stays 0, 1, 2, 3.
    const trace = pageFoundInFourthChunk;

    it('7.4 moves the chunk found after 3 steps to the front', () => {
      const h = heapOf(PHP_7_4);
      trace(h);
      assert.deepStrictEqual(ringNums(h), [0, 3, 1, 2]);
    });

    it('7.0 keeps the ring order', () => {
      const h = heapOf(PHP_7_0);
      const p = trace(h);
      assert.deepStrictEqual(ringNums(h), [0, 1, 2, 3]);
      assert.strictEqual(p, ringChunks(h)[3].base + 511 * PAGE, 'the page is still the last one of chunk 3');
    });
  });

  describe('freePagesSparesMainChunk (zend_mm_free_pages_ex)', () => {
    // Trace: alloc(4096) takes page 1 of the main chunk; free it. The main chunk's
    // free_pages is back at 511. 7.4.33 tests `chunk != heap->main_chunk` and keeps it.
    // 7.0.12 tests only free_pages == 511 and calls zend_mm_delete_chunk(main): unlinking a
    // chunk that is alone in the ring changes nothing, chunks_count drops to 0, and since
    // 0 + 0 cached < avg_chunks_count (1.0) + 0.1 the main chunk goes to the cache, its next
    // pointing at the old cache head (NULL).
    it('7.4 keeps the emptied main chunk', () => {
      const h = heapOf(PHP_7_4);
      h.free(h.alloc(PAGE));
      assert.strictEqual(h.chunksCount, 1);
      assert.strictEqual(h.cachedChunksCount, 0);
    });

    it('7.0 sends the emptied main chunk to the cache', () => {
      const h = heapOf(PHP_7_0);
      const p = h.alloc(PAGE);
      h.free(p);
      assert.strictEqual(h.chunksCount, 0);
      assert.strictEqual(h.cachedChunksCount, 1);
      assert.deepStrictEqual(cachedChunks(h), [h.mainChunk]);
      assert.strictEqual(h.mainChunk.next, null);
      // zend_mm_alloc_pages still starts at heap->main_chunk, finds page 1 free and uses it
      assert.strictEqual(h.alloc(PAGE), p);
    });
  });

  describe('chunkDeleteBoundary (zend_mm_delete_chunk)', () => {
    // Trace: fill the main chunk and chunk 1, then 6 times: alloc(4096) (a third chunk) and
    // free it (the chunk empties and is deleted). avg_chunks_count is 1.0, so with 2 chunks
    // left the "chunks + cached < avg + 0.1" test never caches. 7.4.33: the 1st deletion sets
    // boundary = 2, count = 0; deletions 2-5 raise count to 4; the 6th finds
    // chunks_count == boundary and count >= 4 and caches the chunk (real_size stays 6 MiB).
    // 7.0.12 has no boundary fields: all 6 deletions unmap (real_size 4 MiB, cache empty).
    const trace = sixThirdChunkDeletions;

    it('7.4 caches the chunk on the 6th deletion at the same count', () => {
      const h = heapOf(PHP_7_4);
      trace(h);
      assertSixthDeletionCached(h);
    });

    it('7.0 unmaps it every time', () => {
      const h = heapOf(PHP_7_0);
      trace(h);
      assertEveryDeletionUnmapped(h);
    });
  });

  describe('setMemoryLimit always-clamp (zend_set_memory_limit)', () => {
    // 7.0.12: limit = max(memory_limit, ZEND_MM_CHUNK_SIZE); return SUCCESS — no comparison
    // with real_size. 7.4.33 returns FAILURE when the (clamped) limit is below real_size.
    const grow = (h: ZendHeap): void => {
      h.alloc(FULL_CHUNK);
      h.alloc(PAGE); // a second chunk: real_size 4 MiB
    };

    it('7.4 refuses a limit below real_size', () => {
      const h = heapOf(PHP_7_4);
      grow(h);
      assert.strictEqual(h.setMemoryLimit(3 * MiB), false);
      assert.strictEqual(h.limitText(), '9223372036854775807');
    });

    it('7.0 stores it (and still raises a limit below one chunk)', () => {
      const h = heapOf(PHP_7_0);
      grow(h);
      assert.strictEqual(h.setMemoryLimit(3 * MiB), true);
      assert.strictEqual(h.limitText(), String(3 * MiB));
      assert.strictEqual(h.setMemoryLimit(1000), true);
      assert.strictEqual(h.limitText(), String(2 * MiB));
    });
  });

  describe('limitTest sum (zend_mm_alloc_pages / zend_mm_alloc_huge)', () => {
    // Trace A: a request of 2^64 - 2 MiB (already page aligned, so its rounding does not wrap).
    // 7.4.33: new_size > limit - real_size (2^63 - 1 - 2 MiB) → gc (nothing) → "Allowed memory
    // size … exhausted". 7.0.12: real_size + new_size = 2 MiB + 2^64 - 2 MiB wraps to 0, which
    // is not > limit: the test passes, the mmap fails, gc, "Out of memory (allocated 2097152)".
    const size = NEAR_SIZE_MAX;

    it('7.4 stops a near-SIZE_MAX request at the memory limit', () => {
      const e = failure(() => heapOf(PHP_7_4).alloc(size));
      assert.strictEqual(e.message, `Allowed memory size of 9223372036854775807 bytes exhausted (tried to allocate ${size} bytes)`);
    });

    it('7.0 lets the wrapped sum through to mmap', () => {
      const e = failure(() => heapOf(PHP_7_0).alloc(size));
      assert.strictEqual(e.message, `Out of memory (allocated 2097152) (tried to allocate ${size} bytes)`);
    });

    // Trace B (7.0 only: only its setter can put the limit below real_size): real_size 4 MiB,
    // limit set to 2 MiB, then a third chunk is needed. Sum form: 4 MiB + 2 MiB > 2 MiB → gc
    // frees nothing → "Allowed memory size of 2097152 bytes exhausted (tried to allocate 4096
    // bytes)". With the subtraction form, 2 MiB - 4 MiB wraps to ~2^64 and the chunk is mapped.
    const traceB = (h: ZendHeap): number => {
      twoChunksThenLimit(h, 2 * MiB);
      return h.alloc(PAGE);
    };

    it('7.0 refuses a new chunk once real_size is above the limit', () => {
      const e = failure(() => traceB(heapOf(PHP_7_0)));
      assert.strictEqual(e.message, 'Allowed memory size of 2097152 bytes exhausted (tried to allocate 4096 bytes)');
    });

    it('the subtraction form alone would let it through (same trace, only limitTest flipped)', () => {
      const roomForm: Zend7Profile = { ...PHP_7_0, switches: { ...PHP_7_0.switches, limitTest: 'room' } };
      const h = heapOf(roomForm);
      traceB(h);
      assert.strictEqual(h.realSize, 6 * MiB);
    });
  });

  describe('smallRealloc same-bin (zend_mm_realloc_heap)', () => {
    // Trace A: p = alloc(16) (bin 1), realloc(p, 8). 7.4.33: 8 <= 16 and 8 is not below the
    // previous bin's slot (8), so the block stays in place. 7.0.12: bin(8) = 0 != 1, so the
    // naive path allocates an 8-byte slot, copies and frees p.
    it('7.4 keeps realloc(16-byte block, 8) in place', () => {
      const h = heapOf(PHP_7_4);
      const p = h.alloc(16);
      assert.strictEqual(h.realloc(p, 8), p);
    });

    it('7.0 moves it to the 8-byte bin', () => {
      const h = heapOf(PHP_7_0);
      const p = h.alloc(16);
      const q = h.realloc(p, 8);
      assert.notStrictEqual(q, p);
      assert.strictEqual(h.blockSize(q), 8);
      assert.strictEqual(h.size, 8);
    });

    // Trace B: q = alloc(100) (112-byte slot; size = peak = 112), realloc(q, 8). 7.4.33:
    // truncation — alloc the 8-byte slot (size 120, peak 120), copy, free; peak stays 120.
    // 7.0.12: naive path, which saves peak (112) and restores max(112, size 8) = 112.
    it('7.4 truncation keeps the transient peak; 7.0 naive path restores it', () => {
      const h74 = heapOf(PHP_7_4);
      h74.realloc(h74.alloc(100), 8);
      assert.strictEqual(h74.peak, 120);
      const h70 = heapOf(PHP_7_0);
      h70.realloc(h70.alloc(100), 8);
      assert.strictEqual(h70.peak, 112);
      assert.strictEqual(h70.size, 8);
    });

    // Trace C: same bin in both: realloc(alloc(20), 24) stays in place (bin 2 both times).
    it('both keep a same-bin realloc in place', () => {
      for (const profile of [PHP_7_0, PHP_7_4]) {
        const h = heapOf(profile);
        const p = h.alloc(20);
        assert.strictEqual(h.realloc(p, 24), p);
      }
    });
  });

  describe('slowReallocRestoresRealPeak (naive / slow realloc)', () => {
    // Trace: p = alloc(4 MiB) (huge; its list node takes page 1 of the main chunk), fill the
    // rest of the main chunk (510 pages): real_size = real_peak = 6 MiB. realloc(p, 1 MiB):
    // the new size is large, so the copying path allocates 256 pages — a new chunk
    // (real_size 8 MiB, real_peak 8 MiB) — then frees p (real_size 4 MiB). 7.4.33's
    // zend_mm_realloc_slow restores only peak: real_peak stays 8 MiB. 7.0.12's naive path also
    // restores real_peak = max(orig 6 MiB, real_size 4 MiB) = 6 MiB.
    const trace = hugeReallocToLarge;

    it('7.4 keeps the transient real_peak', () => {
      const h = heapOf(PHP_7_4);
      trace(h);
      assert.strictEqual(h.realSize, 4 * MiB);
      assert.strictEqual(h.realPeak, 8 * MiB);
    });

    it('7.0 restores real_peak', () => {
      const h = heapOf(PHP_7_0);
      trace(h);
      assert.strictEqual(h.realSize, 4 * MiB);
      assert.strictEqual(h.realPeak, 6 * MiB);
    });
  });

  describe('hugeRoundingCheck (zend_mm_alloc_huge)', () => {
    // Trace: alloc(SIZE_MAX). Rounding up to 4096 wraps to 0. 7.4.33: new_size < size →
    // E_ERROR "Possible integer overflow in memory allocation (SIZE_MAX + 4096)". 7.0.12 has
    // no such test: real_size + 0 <= limit, mmap of 0 bytes fails, gc, then
    // "Out of memory (allocated 2097152) (tried to allocate SIZE_MAX bytes)".

    it('7.4 reports the overflow', () => {
      const e = failure(() => heapOf(PHP_7_4).alloc(SIZE_MAX));
      assert.strictEqual(e.kind, 'overflow');
      assert.strictEqual(e.message, `Possible integer overflow in memory allocation (${SIZE_MAX} + 4096)`);
    });

    it('7.0 ends in out of memory', () => {
      const e = failure(() => heapOf(PHP_7_0).alloc(SIZE_MAX));
      assert.strictEqual(e.kind, 'bailout');
      assert.strictEqual(e.message, `Out of memory (allocated 2097152) (tried to allocate ${SIZE_MAX} bytes)`);
    });
  });

  describe('trackedAlloc off (alloc_globals_ctor)', () => {
    // Trace: USE_ZEND_ALLOC=0 USE_TRACKED_ALLOC=1, memory_limit 2 MiB, emalloc(3 MiB). 7.0.12's
    // alloc_globals_ctor reads only USE_ZEND_ALLOC (and USE_ZEND_ALLOC_HUGE_PAGES): emalloc is
    // __zend_malloc, which counts nothing and knows no limit, so the 3 MiB are granted. (7.4.33
    // reads the variable but its tracked_malloc only records the pointer: same outcome.) 8.1.28's
    // tracked_malloc tests 3 MiB > limit - size first and raises the limit error.
    const trace = trackedEmallocOverLimit;

    it('7.0 (and 7.4) grant 3 MiB under a 2 MiB limit, uncounted', () => {
      for (const profile of [PHP_7_0, PHP_7_4]) {
        const heap = trace(profile);
        assert.strictEqual(heap.isTracked, false);
        assert.strictEqual(heap.size, 0);
      }
    });

    it('8.1 refuses them', () => {
      assert.strictEqual(failure(() => trace(PHP_8_1)).message, TRACKED_LIMIT_ERROR);
    });
  });
});
