import * as assert from 'assert';
import { PHP_7_1, PHP_7_2, PHP_7_4, PHP_8_1 } from '../../../../src/engine/profiles';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { cachedChunks } from '../../../../src/engine/zend7/inspect';
import { allocatorFailure as failure } from '../../../support/allocatorFailure';
import { MiB, PAGE, FULL_CHUNK, SIZE_MAX, NEAR_SIZE_MAX, heapOf, twoChunksThenLimit, hugeReallocToLarge, trackedEmallocOverLimit, TRACKED_LIMIT_ERROR } from './sourceTraces';

// PHP 7.2.32 against its neighbours 7.1.26 and 7.4.33, each behaviour shown by a hand-written
// trace. The expected values are derived (in the comments) from the 7.2.32 source,
// ethreads/php7 @ 510b6f8889553a096382b260de4235738915ef19 : Zend/zend_alloc.c, and from the
// 7.1.26 and 7.4.33 files for the other side.


describe('PHP 7.2.32 profile (source: ethreads/php7 @ 510b6f88)', () => {
  it('is a source-read profile of release 7.2.32', () => {
    assert.strictEqual(PHP_7_2.release, '7.2.32');
    assert.strictEqual(PHP_7_2.verifiedBy, 'source');
    // zend_mm_panic of 7.2.32 ends with exit(1); its out-of-memory format is "(allocated %zu)"
    assert.strictEqual(PHP_7_2.switches.panicEnds, 'exit(1)');
    assert.strictEqual(PHP_7_2.switches.oomSaysBytes, false);
  });

  describe('new since 7.1.26', () => {
    describe('limitTest room (zend_mm_alloc_pages, zend_mm_alloc_huge, zend_mm_realloc_heap)', () => {
      // Trace A: alloc(2^64 - 2 MiB), already a multiple of 4096 so its rounding does not wrap.
      // 7.2.32's zend_mm_alloc_huge: new_size > limit - real_size (2^63 - 1 - 2 MiB), gc frees
      // nothing → "Allowed memory size of 9223372036854775807 bytes exhausted". 7.1.26 adds:
      // 2 MiB + (2^64 - 2 MiB) wraps to 0, not above the limit, mmap fails → "Out of memory".
      const size = NEAR_SIZE_MAX;

      it('7.2 stops a near-SIZE_MAX request at the memory limit', () => {
        const e = failure(() => heapOf(PHP_7_2).alloc(size));
        assert.strictEqual(e.message, `Allowed memory size of 9223372036854775807 bytes exhausted (tried to allocate ${size} bytes)`);
      });

      it('7.1 lets the wrapped sum through to mmap', () => {
        const e = failure(() => heapOf(PHP_7_1).alloc(size));
        assert.strictEqual(e.message, `Out of memory (allocated 2097152) (tried to allocate ${size} bytes)`);
      });

      // Trace B (bug #81070): fill two chunks (real_size 4 MiB), set the limit to 2 MiB — 7.2.32's
      // zend_set_memory_limit still stores it and returns SUCCESS — then ask for one more page.
      // zend_mm_alloc_pages of 7.2.32 tests 2 MiB > limit - real_size: 2 MiB - 4 MiB wraps to
      // about 2^64, so the test never fires and a third chunk is mapped (real_size 6 MiB).
      // 7.1.26 tests 4 MiB + 2 MiB > 2 MiB and raises the limit error for the one page.
      const traceB = (h: ZendHeap): boolean => {
        const ok = twoChunksThenLimit(h, 2 * MiB);
        h.alloc(PAGE);
        return ok;
      };

      it('7.2 maps a new chunk once real_size is above the stored limit', () => {
        const h = heapOf(PHP_7_2);
        assert.strictEqual(traceB(h), true);
        assert.strictEqual(h.limitText(), String(2 * MiB));
        assert.strictEqual(h.realSize, 6 * MiB);
        assert.strictEqual(h.chunksCount, 3);
      });

      it('7.1 refuses it', () => {
        const e = failure(() => traceB(heapOf(PHP_7_1)));
        assert.strictEqual(e.message, 'Allowed memory size of 2097152 bytes exhausted (tried to allocate 4096 bytes)');
      });

      // Trace C, the huge-growth test in zend_mm_realloc_heap: p = alloc(3 MiB) (huge: real_size
      // 5 MiB), limit 4 MiB (stored), realloc(p, 4 MiB). 7.2.32: 1 MiB > 4 MiB - 5 MiB wraps and
      // does not fire; the block grows in place or moves, either way real_size ends at 6 MiB.
      // 7.1.26: 5 MiB + 1 MiB > 4 MiB, gc frees nothing → the limit error for the 4 MiB asked.
      const traceC = (h: ZendHeap): void => {
        const p = h.alloc(3 * MiB);
        h.setMemoryLimit(4 * MiB);
        h.realloc(p, 4 * MiB);
      };

      it('7.2 lets a huge block grow past the stored limit', () => {
        const h = heapOf(PHP_7_2);
        traceC(h);
        assert.strictEqual(h.realSize, 6 * MiB);
      });

      it('7.1 stops the growth at the limit', () => {
        const e = failure(() => traceC(heapOf(PHP_7_1)));
        assert.strictEqual(e.message, 'Allowed memory size of 4194304 bytes exhausted (tried to allocate 4194304 bytes)');
      });
    });

    describe('hugeRoundingCheck (zend_mm_alloc_huge)', () => {
      // Trace: alloc(SIZE_MAX). Rounding up to 4096 wraps to 0. 7.2.32 tests new_size < size and
      // raises "Possible integer overflow in memory allocation (SIZE_MAX + 4096)". 7.1.26 has no
      // such test: 0 passes the limit test, mmap fails, gc, "Out of memory (allocated 2097152)".
      it('7.2 reports the overflow', () => {
        const e = failure(() => heapOf(PHP_7_2).alloc(SIZE_MAX));
        assert.strictEqual(e.kind, 'overflow');
        assert.strictEqual(e.message, `Possible integer overflow in memory allocation (${SIZE_MAX} + 4096)`);
      });

      it('7.1 ends in out of memory', () => {
        const e = failure(() => heapOf(PHP_7_1).alloc(SIZE_MAX));
        assert.strictEqual(e.kind, 'bailout');
        assert.strictEqual(e.message, `Out of memory (allocated 2097152) (tried to allocate ${SIZE_MAX} bytes)`);
      });
    });
  });

  describe('still as in 7.1.26 (unlike 7.4.33 or, for trackedAlloc, 8.1.28)', () => {
    // zend_set_memory_limit of 7.2.32 stores MAX(memory_limit, 2 MiB) and returns SUCCESS, even
    // below real_size (4 MiB here) and below one chunk; 7.4.33 refuses a limit below real_size.
    it('setMemoryLimit always-clamp', () => {
      const grow = (h: ZendHeap): void => {
        h.alloc(FULL_CHUNK);
        h.alloc(PAGE);
      };
      const h72 = heapOf(PHP_7_2);
      grow(h72);
      assert.strictEqual(h72.setMemoryLimit(3 * MiB), true);
      assert.strictEqual(h72.limitText(), String(3 * MiB));
      assert.strictEqual(h72.setMemoryLimit(1000), true);
      assert.strictEqual(h72.limitText(), String(2 * MiB));
      const h74 = heapOf(PHP_7_4);
      grow(h74);
      assert.strictEqual(h74.setMemoryLimit(3 * MiB), false);
    });

    // zend_mm_free_pages_ex of 7.2.32 tests only free_chunk && free_pages == 511: freeing page 1
    // of a fresh heap sends the main chunk to zend_mm_delete_chunk, which caches it
    // (0 + 0 < 1.0 + 0.1). zend_mm_alloc_pages still starts at heap->main_chunk and reuses page 1.
    it('freePagesSparesMainChunk: the emptied main chunk goes to the cache', () => {
      const h = heapOf(PHP_7_2);
      const p = h.alloc(PAGE);
      h.free(p);
      assert.strictEqual(h.chunksCount, 0);
      assert.deepStrictEqual(cachedChunks(h), [h.mainChunk]);
      assert.strictEqual(h.alloc(PAGE), p);
    });

    // zend_mm_realloc_heap of 7.2.32, small block: in place only within the same bin, else the
    // naive path, which restores peak to MAX(orig_peak, size). q = alloc(100) (112-byte slot,
    // peak 112), realloc(q, 8): bin 0 != bin 10 → new 8-byte slot (size 120), copy, free
    // (size 8); peak back to 112. 7.4.33's "truncation" path keeps the transient peak 120.
    it('smallRealloc same-bin, and the naive path restores peak', () => {
      const h72 = heapOf(PHP_7_2);
      const q = h72.alloc(100);
      const r = h72.realloc(q, 8);
      assert.notStrictEqual(r, q);
      assert.strictEqual(h72.size, 8);
      assert.strictEqual(h72.peak, 112);
      const h74 = heapOf(PHP_7_4);
      h74.realloc(h74.alloc(100), 8);
      assert.strictEqual(h74.peak, 120);
    });

    // The naive path of 7.2.32 restores real_peak too: p = alloc(4 MiB), fill the main chunk
    // (real_peak 6 MiB), realloc(p, 1 MiB) maps a chunk (8 MiB) and unmaps p (4 MiB); real_peak
    // = MAX(6 MiB, 4 MiB). 7.4.33's zend_mm_realloc_slow restores only peak: 8 MiB.
    it('slowReallocRestoresRealPeak', () => {
      const trace = hugeReallocToLarge;
      const h72 = heapOf(PHP_7_2);
      trace(h72);
      assert.strictEqual(h72.realPeak, 6 * MiB);
      const h74 = heapOf(PHP_7_4);
      trace(h74);
      assert.strictEqual(h74.realPeak, 8 * MiB);
    });

    // alloc_globals_ctor of 7.2.32 reads only USE_ZEND_ALLOC and USE_ZEND_ALLOC_HUGE_PAGES, so with
    // USE_ZEND_ALLOC=0 USE_TRACKED_ALLOC=1 emalloc is plain __zend_malloc: uncounted, no limit,
    // and 3 MiB under a 2 MiB limit are granted. 8.1.28's tracked_malloc refuses them.
    it('trackedAlloc off: USE_TRACKED_ALLOC=1 changes nothing', () => {
      const trace = trackedEmallocOverLimit;
      const heap72 = trace(PHP_7_2);
      assert.strictEqual(heap72.isTracked, false);
      assert.strictEqual(heap72.size, 0);
      assert.strictEqual(failure(() => trace(PHP_8_1)).message, TRACKED_LIMIT_ERROR);
    });
  });
});
