import * as assert from 'assert';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { allocatorFailure as failure } from '../../../support/allocatorFailure';
import { chunkRuns, freeList, ringChunks } from '../../../../src/engine/zend7/inspect';

// Expectations follow PHP 8.2.32's Zend/zend_alloc.c (release build, x86-64); the oracle
// tests check the same behaviours against the real binary.

const MiB = 1024 * 1024;
const PAGE = 4096;

/** Chunk offset of an address (`_heap` keeps call sites readable). */
function off(_heap: ZendHeap, p: number): number {
  return p % (2 * MiB);
}


describe('zend7 heap', () => {
  describe('small blocks', () => {
    it('serves a fresh run in ascending slot order starting at slot 0', () => {
      const h = new ZendHeap();
      const a = [h.alloc(24), h.alloc(24), h.alloc(24)];
      assert.deepStrictEqual(a.map((p) => off(h, p)), [PAGE, PAGE + 24, PAGE + 48]);
      assert.strictEqual(h.size, 72);
      assert.strictEqual(h.blockSize(a[0]), 24);
    });

    it('reuses the most recently freed slot of a bin (LIFO)', () => {
      const h = new ZendHeap();
      const a = h.alloc(10);
      const b = h.alloc(10);
      h.free(a);
      h.free(b);
      assert.strictEqual(h.alloc(16), b);
      assert.strictEqual(h.alloc(9), a);
    });

    it('threads slots 1..n-1 of a new run onto the free list, slot n-1 last', () => {
      const h = new ZendHeap();
      h.alloc(3072); // bin 29: 4 slots in 3 pages
      const list = freeList(h, 29).addresses.map((p) => off(h, p));
      assert.deepStrictEqual(list, [PAGE + 3072, PAGE + 6144, PAGE + 9216]);
      assert.deepStrictEqual(chunkRuns(h.mainChunk)[0], { page: 1, kind: 'small', bin: 29 });
    });

    it('follows the worked example: 10, 100, free, 16, 5000, 3 MiB', () => {
      const h = new ZendHeap();
      const a = h.alloc(10);
      const b = h.alloc(100);
      assert.deepStrictEqual([off(h, a), off(h, b)], [0x1000, 0x2000]);
      h.free(a);
      assert.strictEqual(h.alloc(16), a);
      const c = h.alloc(5000);
      assert.strictEqual(off(h, c), 0x3000);
      assert.strictEqual(h.blockSize(c), 8192);
      const before = h.size;
      const d = h.alloc(3 * MiB);
      assert.strictEqual(d % (2 * MiB), 0);
      assert.strictEqual(h.size - before, 3 * MiB + 24, 'huge block plus its 24-byte node');
      assert.strictEqual(h.realSize, 5 * MiB);
      assert.strictEqual(off(h, freeList(h, 2).addresses[0]), 0x5000 + 24, 'node took slot 0 of a bin-2 run at page 5');
    });
  });

  describe('page runs', () => {
    /** Lays out runs of the given page counts from page 1 and frees the ones marked. */
    function holes(h: ZendHeap, runs: [number, boolean][]): number[] {
      const ptrs = runs.map(([pages]) => h.alloc(pages * PAGE));
      runs.forEach(([, free], i) => free && h.free(ptrs[i]));
      return ptrs;
    }

    it('takes the first exact-size hole, else the smallest hole, lowest address first', () => {
      const h = new ZendHeap();
      // holes: pages 1-3 (3), 5-6 (2), 8-12 (5), 14-15 (2); free_tail 17
      holes(h, [[3, true], [1, false], [2, true], [1, false], [5, true], [1, false], [2, true], [1, false]]);
      assert.strictEqual(off(h, h.alloc(2 * PAGE)) / PAGE, 5, 'first exact fit');
      assert.strictEqual(off(h, h.alloc(4 * PAGE)) / PAGE, 8, 'smallest hole that fits beats the tail');
      assert.strictEqual(off(h, h.alloc(PAGE)) / PAGE, 12, 'exact 1-page remainder at page 12');
      assert.strictEqual(off(h, h.alloc(PAGE)) / PAGE, 14, 'then the smaller of the 3- and 2-page holes');
    });

    it('prefers the free tail only when it is strictly shorter than the best hole', () => {
      const h = new ZendHeap();
      const big = h.alloc(300 * PAGE); // pages 1-300
      h.alloc(PAGE); // page 301
      h.free(big); // hole of 300 pages; tail from 302 = 210 pages
      assert.strictEqual(off(h, h.alloc(200 * PAGE)) / PAGE, 302);
    });

    it('maps a new chunk when the ring has no room, numbering it after the tail', () => {
      const h = new ZendHeap();
      h.alloc(255 * PAGE);
      h.alloc(255 * PAGE); // 510 of 511 pages
      const p = h.alloc(2 * PAGE);
      const ring = ringChunks(h);
      assert.deepStrictEqual(ring.map((c) => c.num), [0, 1]);
      assert.strictEqual(p, ring[1].base + PAGE);
      assert.strictEqual(h.realSize, 4 * MiB);
      assert.strictEqual(h.chunksCount, 2);
    });

    it('caches an emptied chunk while the heap is at its average size, and reuses it', () => {
      const h = new ZendHeap();
      h.alloc(510 * PAGE);
      const p = h.alloc(2 * PAGE);
      h.free(p);
      assert.strictEqual(h.chunksCount, 1);
      assert.strictEqual(h.cachedChunksCount, 1);
      assert.strictEqual(h.realSize, 4 * MiB, 'a cached chunk still counts in real_size');
      const q = h.alloc(2 * PAGE);
      assert.strictEqual(q, p, 'the cached chunk comes back');
      assert.strictEqual(h.cachedChunksCount, 0);
    });

    it('unmaps an emptied chunk above the average and records the delete boundary', () => {
      const h = new ZendHeap();
      h.alloc(510 * PAGE);
      h.alloc(510 * PAGE); // chunk 1
      const p = h.alloc(510 * PAGE); // chunk 2
      assert.strictEqual(h.chunksCount, 3);
      h.free(p);
      assert.strictEqual(h.chunksCount, 2);
      assert.strictEqual(h.cachedChunksCount, 0);
      assert.strictEqual(h.realSize, 4 * MiB);
      assert.deepStrictEqual([h.lastChunksDeleteBoundary, h.lastChunksDeleteCount], [2, 0]);
    });

    it('moves a chunk found after more than two steps next to the main chunk (pages < 8)', () => {
      const h = new ZendHeap();
      for (let i = 0; i < 4; i++) h.alloc(510 * PAGE); // chunks 0..3, each with 1 free page
      const p = h.alloc(PAGE); // fits in chunk 0 (page 511)
      assert.strictEqual(off(h, p) / PAGE, 511);
      h.alloc(2 * PAGE); // no chunk has 2 pages: new chunk 4, found after 3 steps -> moved
      assert.deepStrictEqual(ringChunks(h).map((c) => c.num), [0, 4, 1, 2, 3]);
    });

    it('shrinks and grows a large run in place, without touching free_tail', () => {
      const h = new ZendHeap();
      const p = h.alloc(4 * PAGE);
      assert.strictEqual(h.mainChunk.freeTail, 5);
      assert.strictEqual(h.realloc(p, 2 * PAGE), p);
      assert.strictEqual(h.size, 2 * PAGE);
      assert.strictEqual(h.mainChunk.freeTail, 5, 'free_tail is not updated by a shrink');
      assert.strictEqual(h.realloc(p, 6 * PAGE), p);
      assert.strictEqual(h.mainChunk.freeTail, 5, 'nor by a growth');
      assert.strictEqual(h.blockSize(p), 6 * PAGE);
    });

    it('moves a large run whose neighbour is taken (slow path keeps the old peak)', () => {
      const h = new ZendHeap();
      const p = h.alloc(2 * PAGE);
      h.alloc(PAGE);
      const q = h.realloc(p, 3 * PAGE);
      assert.notStrictEqual(q, p);
      assert.strictEqual(h.size, 4 * PAGE);
      assert.strictEqual(h.peak, 4 * PAGE, 'peak does not see both blocks at once');
    });
  });

  describe('small reallocation', () => {
    it('stays in place while the size fits the slot and not the bin below', () => {
      const h = new ZendHeap();
      const p = h.alloc(100); // bin 10 (112)
      assert.strictEqual(h.realloc(p, 112), p);
      assert.strictEqual(h.realloc(p, 97), p);
    });

    it('moves to a smaller bin on truncation, and peak counts both blocks', () => {
      const h = new ZendHeap();
      const p = h.alloc(100);
      const q = h.realloc(p, 8);
      assert.notStrictEqual(q, p);
      assert.strictEqual(h.size, 8);
      assert.strictEqual(h.peak, 120, 'the truncation branch does not protect peak');
      assert.strictEqual(freeList(h, 10).addresses[0], p);
    });

    it('moves a 16-byte slot to the 8-byte bin for a request below 8 bytes', () => {
      const h = new ZendHeap();
      const p = h.alloc(16);
      const q = h.realloc(p, 2);
      assert.notStrictEqual(q, p);
      assert.strictEqual(h.blockSize(q), 8);
    });

    it('moves to a bigger bin with peak protected', () => {
      const h = new ZendHeap();
      const p = h.alloc(100);
      const q = h.realloc(p, 200);
      assert.notStrictEqual(q, p);
      assert.strictEqual(h.size, 224);
      assert.strictEqual(h.peak, 224);
    });
  });

  describe('huge blocks', () => {
    it('rounds to the page size, aligns to 2 MiB and frees node and mapping', () => {
      const h = new ZendHeap();
      const p = h.alloc(2 * MiB + 1);
      assert.strictEqual(p % (2 * MiB), 0);
      assert.strictEqual(h.blockSize(p), 2 * MiB + PAGE);
      h.free(p);
      assert.strictEqual(h.size, 0);
      assert.strictEqual(h.realSize, 2 * MiB);
      assert.strictEqual(h.hugeList, null);
    });

    it('shrinks a huge block in place by unmapping its tail', () => {
      const h = new ZendHeap();
      const p = h.alloc(4 * MiB);
      assert.strictEqual(h.realloc(p, 3 * MiB), p);
      assert.strictEqual(h.realSize, 5 * MiB);
      assert.strictEqual(h.blockSize(p), 3 * MiB);
    });

    it('panics on a pointer at a chunk boundary that is not a huge block', () => {
      const h = new ZendHeap();
      const p = h.alloc(3 * MiB);
      h.free(p);
      const e = failure(() => h.free(p));
      assert.strictEqual(e.message, 'zend_mm_heap corrupted');
      assert.strictEqual(e.kind, 'panic');
    });
  });

  describe('memory limit', () => {
    it("reports PHP's message with the run size when a new chunk would pass the limit", () => {
      const h = new ZendHeap();
      assert.ok(h.setMemoryLimit(3 * MiB));
      h.alloc(510 * PAGE);
      const e = failure(() => h.alloc(5000));
      assert.strictEqual(e.message, 'Allowed memory size of 3145728 bytes exhausted (tried to allocate 8192 bytes)');
      assert.strictEqual(e.kind, 'bailout');
      assert.strictEqual(h.size, 510 * PAGE, 'a failed large allocation is not counted');
    });

    it('counts a failed small allocation in size (it is added before the run is sought)', () => {
      const h = new ZendHeap();
      h.setMemoryLimit(2 * MiB);
      h.alloc(511 * PAGE);
      const e = failure(() => h.alloc(320));
      assert.strictEqual(e.message, 'Allowed memory size of 2097152 bytes exhausted (tried to allocate 20480 bytes)');
      assert.strictEqual(h.size, 511 * PAGE + 320);
    });

    it('reports the unrounded request of a huge allocation', () => {
      const h = new ZendHeap();
      h.setMemoryLimit(4 * MiB);
      const e = failure(() => h.alloc(3 * MiB - 1));
      assert.strictEqual(e.message, 'Allowed memory size of 4194304 bytes exhausted (tried to allocate 3145727 bytes)');
    });

    it('refuses a limit below real_size unless cached chunks cover it, and then keeps the old limit', () => {
      const h = new ZendHeap();
      h.alloc(510 * PAGE);
      h.free(h.alloc(2 * PAGE)); // chunk 1 is cached: real_size 4 MiB
      assert.strictEqual(h.setMemoryLimit(MiB), false);
      assert.strictEqual(h.setMemoryLimit(2 * MiB), true);
      assert.strictEqual(h.realSize, 2 * MiB);
      assert.strictEqual(h.cachedChunksCount, 0);
      assert.strictEqual(h.limitText(), '9223372036854775807', 'the new limit is not stored');
    });
  });

  describe('zend_mm_gc', () => {
    it('gives back a small run whose slots are all free', () => {
      const h = new ZendHeap();
      h.alloc(5000); // keeps the main chunk in use
      const ps = [h.alloc(16), h.alloc(16)];
      ps.forEach((p) => h.free(p));
      assert.strictEqual(h.gc(), PAGE);
      assert.strictEqual(freeList(h, 1).addresses.length, 0);
      assert.strictEqual(h.mainChunk.freePages, 509);
    });

    it('never reclaims a fully free bin-0 run (its 512 count wraps the 9-bit counter)', () => {
      const h = new ZendHeap();
      h.alloc(5000);
      h.free(h.alloc(8));
      assert.strictEqual(h.gc(), 0);
      assert.strictEqual(freeList(h, 0).addresses.length, 512);
    });

    it('deletes the emptied main chunk into the cache, as 8.2 does', () => {
      const h = new ZendHeap();
      h.free(h.alloc(10));
      assert.strictEqual(h.gc(), PAGE);
      assert.strictEqual(h.chunksCount, 0);
      assert.strictEqual(h.cachedChunksCount, 1);
      assert.strictEqual(h.cachedChunks, h.mainChunk);
    });
  });

  describe('bad frees', () => {
    it('hands out a twice-freed small slot twice', () => {
      const h = new ZendHeap();
      const a = h.alloc(24);
      const b = h.alloc(24);
      h.free(a);
      h.free(b);
      h.free(a);
      assert.deepStrictEqual([h.alloc(24), h.alloc(24), h.alloc(24)], [a, b, a]);
    });

    it('treats a second free of a large run as a 0-page run: counters unchanged', () => {
      const h = new ZendHeap();
      const p = h.alloc(2 * PAGE);
      h.alloc(PAGE);
      h.free(p);
      const size = h.size;
      h.free(p);
      assert.strictEqual(h.size, size);
      assert.strictEqual(h.mainChunk.freePages, 510);
    });

    it('crashes on a pointer into unmapped memory', () => {
      const h = new ZendHeap();
      assert.strictEqual(failure(() => h.free(h.mainChunk.base - 2 * MiB + 64)).kind, 'segfault');
    });

    it('panics on a pointer inside a huge block', () => {
      const h = new ZendHeap();
      const p = h.alloc(3 * MiB);
      assert.strictEqual(failure(() => h.free(p + 2 * MiB + 16)).message, 'zend_mm_heap corrupted');
    });
  });
});
