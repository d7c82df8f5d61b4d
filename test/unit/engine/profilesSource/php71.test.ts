import * as assert from 'assert';
import { PHP_7_0, PHP_7_1, PHP_7_4, PHP_8_1 } from '../../../../src/engine/profiles';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { cachedChunks, ringChunks } from '../../../../src/engine/zend7/inspect';
import { allocatorFailure as failure } from '../../../support/allocatorFailure';
import { MiB, PAGE, FULL_CHUNK, SIZE_MAX, heapOf, ringNums, pageFoundInFourthChunk, sixThirdChunkDeletions, twoChunksThenLimit, hugeReallocToLarge, trackedEmallocOverLimit, TRACKED_LIMIT_ERROR, assertSixthDeletionCached, assertEveryDeletionUnmapped } from './sourceTraces';

// PHP 7.1.26 against its neighbours 7.0.12 and 7.4.33, each behaviour shown by a hand-written
// trace. The expected values are derived (in the comments) from the 7.1.26 source,
// BackendStudy/php-src @ 9ad0f830e9a7f518f639b1c65eba7581353eba96 : src/Zend/zend_alloc.c, and
// from the 7.0.12 and 7.4.33 files for the other side.


describe('PHP 7.1.26 profile (source: BackendStudy/php-src @ 9ad0f830)', () => {
  it('is a source-read profile of release 7.1.26', () => {
    assert.strictEqual(PHP_7_1.release, '7.1.26');
    assert.strictEqual(PHP_7_1.verifiedBy, 'source');
    // zend_mm_panic of 7.1.26 ends with exit(1); its out-of-memory format is "(allocated %zu)"
    assert.strictEqual(PHP_7_1.switches.panicEnds, 'exit(1)');
    assert.strictEqual(PHP_7_1.switches.oomSaysBytes, false);
  });

  describe('new since 7.0.12', () => {
    describe('chunkMoveToFront (zend_mm_alloc_pages)', () => {
      // Trace: fill the main chunk and chunks 1 and 2, leave one free page in chunk 3, then ask
      // for one page. The walk passes main, 1 (steps 1), 2 (steps 2) and finds the page in 3
      // (steps 3). 7.1.26's found: label relinks the chunk after the main chunk when
      // steps > 2 and pages_count < 8: ring 0, 3, 1, 2. 7.0.12 keeps no step count: 0, 1, 2, 3.
      const trace = pageFoundInFourthChunk;

      it('7.1 moves the chunk found after 3 steps to the front', () => {
        const h = heapOf(PHP_7_1);
        const p = trace(h);
        assert.deepStrictEqual(ringNums(h), [0, 3, 1, 2]);
        assert.strictEqual(p, ringChunks(h)[1].base + 511 * PAGE, 'the last page of chunk 3');
      });

      it('7.0 keeps the ring order', () => {
        const h = heapOf(PHP_7_0);
        trace(h);
        assert.deepStrictEqual(ringNums(h), [0, 1, 2, 3]);
      });

      // Trace: the same walk, but the last request is 8 pages. pages_count < 8 fails, so even
      // 7.1.26 leaves the ring alone.
      it('7.1 does not move it for a run of 8 pages', () => {
        const h = heapOf(PHP_7_1);
        h.alloc(FULL_CHUNK);
        h.alloc(FULL_CHUNK);
        h.alloc(FULL_CHUNK);
        h.alloc(503 * PAGE);
        h.alloc(8 * PAGE);
        assert.deepStrictEqual(ringNums(h), [0, 1, 2, 3]);
      });
    });

    describe('chunkDeleteBoundary (zend_mm_delete_chunk)', () => {
      // Trace: fill the main chunk and chunk 1, then 6 times alloc(4096) (a third chunk) and
      // free it. avg_chunks_count is 1.0, so with 2 chunks left "chunks + cached < avg + 0.1"
      // never caches. 7.1.26's heap has last_chunks_delete_boundary / _count: deletion 1 sets
      // boundary = 2, count = 0; deletions 2 – 5 raise count to 4; deletion 6 finds
      // chunks_count == boundary and count >= 4 and caches the chunk: real_size stays 6 MiB.
      // 7.0.12 unmaps every time (real_size 4 MiB, empty cache).
      const trace = sixThirdChunkDeletions;

      it('7.1 caches the chunk on the 6th deletion at the same count', () => {
        const h = heapOf(PHP_7_1);
        trace(h);
        assertSixthDeletionCached(h);
      });

      it('7.0 unmaps it every time', () => {
        const h = heapOf(PHP_7_0);
        trace(h);
        assertEveryDeletionUnmapped(h);
      });
    });
  });

  describe('still as in 7.0.12 (unlike 7.4.33 or, for trackedAlloc, 8.1.28)', () => {
    // zend_mm_free_pages_ex of 7.1.26 tests only free_chunk && free_pages == 511, so freeing
    // page 1 of a fresh heap sends the main chunk to zend_mm_delete_chunk: chunks_count 0, and
    // 0 + 0 cached < 1.0 + 0.1 caches it. 7.4.33 adds chunk != heap->main_chunk.
    it('freePagesSparesMainChunk: the emptied main chunk goes to the cache', () => {
      const h71 = heapOf(PHP_7_1);
      h71.free(h71.alloc(PAGE));
      assert.strictEqual(h71.chunksCount, 0);
      assert.deepStrictEqual(cachedChunks(h71), [h71.mainChunk]);
      const h74 = heapOf(PHP_7_4);
      h74.free(h74.alloc(PAGE));
      assert.strictEqual(h74.chunksCount, 1);
      assert.strictEqual(h74.cachedChunksCount, 0);
    });

    // zend_set_memory_limit of 7.1.26 stores MAX(memory_limit, 2 MiB) and returns SUCCESS.
    // Then a third chunk is needed: zend_mm_alloc_pages tests real_size + 2 MiB > limit
    // (4 MiB + 2 MiB > 3 MiB), gc frees nothing, and the limit error names the one page asked.
    // 7.4.33 refuses the 3 MiB limit (below real_size), so the chunk is mapped.
    it('setMemoryLimit always-clamp and limitTest sum: a limit below real_size is stored and enforced', () => {
      const trace = (h: ZendHeap): boolean => twoChunksThenLimit(h, 3 * MiB);
      const h71 = heapOf(PHP_7_1);
      assert.strictEqual(trace(h71), true);
      assert.strictEqual(h71.limitText(), String(3 * MiB));
      assert.strictEqual(failure(() => h71.alloc(PAGE)).message, 'Allowed memory size of 3145728 bytes exhausted (tried to allocate 4096 bytes)');
      const h74 = heapOf(PHP_7_4);
      assert.strictEqual(trace(h74), false);
      h74.alloc(PAGE);
      assert.strictEqual(h74.realSize, 6 * MiB);
    });

    // zend_mm_alloc_huge of 7.1.26: the size is rounded to 4096 with no overflow test
    // (SIZE_MAX rounds to 0), real_size + 0 is not above the limit, mmap of it fails, gc,
    // "Out of memory (allocated 2097152) …". 7.4.33 reports the overflow instead.
    it('hugeRoundingCheck: SIZE_MAX ends in out of memory', () => {
      const e = failure(() => heapOf(PHP_7_1).alloc(SIZE_MAX));
      assert.strictEqual(e.kind, 'bailout');
      assert.strictEqual(e.message, `Out of memory (allocated 2097152) (tried to allocate ${SIZE_MAX} bytes)`);
      assert.strictEqual(failure(() => heapOf(PHP_7_4).alloc(SIZE_MAX)).kind, 'overflow');
    });

    // zend_mm_realloc_heap of 7.1.26, small block: in place only if
    // ZEND_MM_SMALL_SIZE_TO_BIN(size) == old bin. realloc(16-byte block, 8): bin 0 != bin 1, so
    // the naive path allocates an 8-byte slot, copies and frees. 7.4.33 keeps it in place.
    it('smallRealloc same-bin: realloc(16-byte block, 8) moves', () => {
      const h71 = heapOf(PHP_7_1);
      const p = h71.alloc(16);
      const q = h71.realloc(p, 8);
      assert.notStrictEqual(q, p);
      assert.strictEqual(h71.blockSize(q), 8);
      const h74 = heapOf(PHP_7_4);
      const r = h74.alloc(16);
      assert.strictEqual(h74.realloc(r, 8), r);
    });

    // The naive path of 7.1.26 saves orig_peak and orig_real_peak and restores both. Trace:
    // p = alloc(4 MiB) (huge), fill the rest of the main chunk (real_size = real_peak = 6 MiB),
    // realloc(p, 1 MiB): 256 pages need a new chunk (real_peak 8 MiB), then p is unmapped
    // (real_size 4 MiB); real_peak = MAX(6 MiB, 4 MiB). 7.4.33's zend_mm_realloc_slow keeps 8 MiB.
    it('slowReallocRestoresRealPeak: the transient chunk leaves no real_peak', () => {
      const trace = hugeReallocToLarge;
      const h71 = heapOf(PHP_7_1);
      trace(h71);
      assert.strictEqual(h71.realSize, 4 * MiB);
      assert.strictEqual(h71.realPeak, 6 * MiB);
      const h74 = heapOf(PHP_7_4);
      trace(h74);
      assert.strictEqual(h74.realPeak, 8 * MiB);
    });

    // alloc_globals_ctor of 7.1.26 reads only USE_ZEND_ALLOC and USE_ZEND_ALLOC_HUGE_PAGES, so with
    // USE_ZEND_ALLOC=0 USE_TRACKED_ALLOC=1 emalloc is plain __zend_malloc: uncounted, no limit,
    // and 3 MiB under a 2 MiB limit are granted. 8.1.28's tracked_malloc refuses them.
    it('trackedAlloc off: USE_TRACKED_ALLOC=1 changes nothing', () => {
      const trace = trackedEmallocOverLimit;
      const heap71 = trace(PHP_7_1);
      assert.strictEqual(heap71.isTracked, false);
      assert.strictEqual(heap71.size, 0);
      assert.strictEqual(failure(() => trace(PHP_8_1)).message, TRACKED_LIMIT_ERROR);
    });
  });
});
