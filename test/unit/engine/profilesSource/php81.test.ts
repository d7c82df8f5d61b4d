import * as assert from 'assert';
import { AddressSpace } from '../../../../src/engine/addressSpace';
import { PHP_8_1, PHP_8_2, Zend7Profile } from '../../../../src/engine/profiles';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { CustomStdHeap, ZendAllocator } from '../../../../src/engine/zend7/routing';
import { allocatorFailure as failure } from '../../../support/allocatorFailure';

// PHP 8.1.28 against 8.2.32, from psmedley/php-7-os2 @ 788144b56067e57268881f74a9a864fda653f4bd :
// Zend/zend_alloc.c. The trace-visible differences are the out-of-memory wording and the tracked
// allocator's real_size; zend_mm_panic ends with exit(1) (a process-level difference the engine
// reports through panicEnds).

const MiB = 1024 * 1024;

describe('PHP 8.1.28 profile (source: psmedley/php-7-os2 @ 788144b5)', () => {
  it('is a source-read profile of release 8.1.28 that panics with exit(1)', () => {
    assert.strictEqual(PHP_8_1.release, '8.1.28');
    assert.strictEqual(PHP_8_1.verifiedBy, 'source');
    // 8.1.28 zend_mm_panic: fprintf(stderr, …) then exit(1); 8.2.32: abort()
    assert.strictEqual(PHP_8_1.switches.panicEnds, 'exit(1)');
    assert.strictEqual(PHP_8_2.switches.panicEnds, 'abort()');
  });

  describe('oomSaysBytes (zend_mm_alloc_huge)', () => {
    // Trace: alloc(5 MiB) where no mapping above 4 MiB can be had. mmap fails, gc frees
    // nothing, and zend_mm_safe_error reports real_size (2 MiB). 8.1.28's format is
    // "Out of memory (allocated %zu) (tried to allocate %zu bytes)"; 8.2.32 adds " bytes"
    // after the allocated size.
    const trace = (h: ZendHeap): string => failure(() => h.alloc(5 * MiB)).message;
    const small = (): AddressSpace => new AddressSpace({ maxMappingSize: 4 * MiB });

    it('8.2 says "(allocated 2097152 bytes)"', () => {
      assert.strictEqual(trace(new ZendHeap({ profile: PHP_8_2, addressSpace: small() })), 'Out of memory (allocated 2097152 bytes) (tried to allocate 5242880 bytes)');
    });

    it('8.1 says "(allocated 2097152)"', () => {
      assert.strictEqual(trace(new ZendHeap({ profile: PHP_8_1, addressSpace: small() })), 'Out of memory (allocated 2097152) (tried to allocate 5242880 bytes)');
    });
  });

  describe('trackedAlloc size (tracked_malloc, zend_set_memory_limit)', () => {
    // Trace: USE_ZEND_ALLOC=0 USE_TRACKED_ALLOC=1, emalloc(5000), then memory_limit 4999.
    // 8.1.28's tracked_malloc adds 5000 to heap->size only; real_size stays 0, so
    // zend_set_memory_limit (4999 < real_size? no) stores the limit and returns SUCCESS.
    // 8.2.32's tracked_malloc also sets real_size = size (5000), and 4999 < 5000 is refused
    // (no cached chunks to give back).
    const trace = (profile: Zend7Profile): { heap: CustomStdHeap; ok: boolean } => {
      const z = new ZendAllocator({ useZendAlloc: false, trackedAlloc: true, profile });
      const heap = z.heap as CustomStdHeap;
      z.emalloc(5000);
      return { heap, ok: heap.setMemoryLimit(4999) };
    };

    it('8.1 counts size but leaves real_size at 0, and takes the lower limit', () => {
      const { heap, ok } = trace(PHP_8_1);
      assert.strictEqual(heap.size, 5000);
      assert.strictEqual(heap.realSize, 0);
      assert.strictEqual(ok, true);
      assert.strictEqual(heap.limit, 4999);
    });

    it('8.2 mirrors size into real_size and refuses it', () => {
      const { heap, ok } = trace(PHP_8_2);
      assert.strictEqual(heap.realSize, 5000);
      assert.strictEqual(ok, false);
    });
  });

  describe('shared with 8.2 (same code in both files)', () => {
    // zend_set_memory_limit of 8.1.28 already frees cached chunks and returns SUCCESS without
    // storing the limit on that path; a limit below real_size - cached fails.
    it('frees cached chunks to fit a lower limit and does not store it', () => {
      const h = new ZendHeap({ profile: PHP_8_1 });
      h.alloc(510 * 4096);
      h.free(h.alloc(8192)); // a cached chunk: real_size 4 MiB
      assert.strictEqual(h.setMemoryLimit(3 * MiB), true);
      assert.strictEqual(h.cachedChunksCount, 0);
      assert.strictEqual(h.realSize, 2 * MiB);
      assert.strictEqual(h.limitText(), '9223372036854775807');
    });

    // zend_mm_gc of 8.1.28 deletes any chunk whose free_pages is 511, the main chunk included.
    it('gc sends an emptied main chunk to the cache', () => {
      const h = new ZendHeap({ profile: PHP_8_1 });
      h.free(h.alloc(10));
      assert.strictEqual(h.gc(), 4096);
      assert.strictEqual(h.chunksCount, 0);
      assert.strictEqual(h.cachedChunksCount, 1);
    });
  });
});
