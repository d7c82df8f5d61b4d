import * as assert from 'assert';
import { AllocatorError } from '../../../../src/engine/zend7/errors';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { CustomStdHeap, ZendAllocator } from '../../../../src/engine/zend7/routing';

// Follows alloc_globals_ctor(), tracked_malloc/free/realloc and the pemalloc macros of 8.2.32.

describe('zend7 routing', () => {
  it('sends pemalloc(size, 1) to the C library and leaves the heap untouched', () => {
    const z = new ZendAllocator();
    const p = z.pemalloc(100, true);
    const heap = z.heap as ZendHeap;
    assert.strictEqual(heap.size, 0);
    assert.strictEqual(z.system.sizeOf(p), 100);
    assert.notStrictEqual(p % (2 * 1024 * 1024), 4096, 'not a heap slot');
    z.pefree(p, true);
    assert.strictEqual(z.system.count, 0);
  });

  it('sends pemalloc(size, 0) to emalloc', () => {
    const z = new ZendAllocator();
    z.pemalloc(100, false);
    assert.strictEqual((z.heap as ZendHeap).size, 112);
  });

  it('makes every emalloc a malloc under USE_ZEND_ALLOC=0, with no counters', () => {
    const z = new ZendAllocator({ useZendAlloc: false });
    assert.ok(!z.usesZendMm);
    const p = z.emalloc(100);
    const heap = z.heap as CustomStdHeap;
    assert.deepStrictEqual([heap.size, heap.realSize, heap.blockSize(p), heap.gc()], [0, 0, 0, 0]);
    z.efree(p);
    assert.strictEqual(z.system.count, 0);
  });

  it('counts bytes and enforces memory_limit with USE_TRACKED_ALLOC=1', () => {
    const z = new ZendAllocator({ useZendAlloc: false, trackedAlloc: true });
    const heap = z.heap as CustomStdHeap;
    assert.ok(heap.setMemoryLimit(1000));
    const p = z.emalloc(600);
    assert.deepStrictEqual([heap.size, heap.realSize], [600, 600]);
    assert.throws(() => z.emalloc(401), (e: AllocatorError) => e.message === 'Allowed memory size of 1000 bytes exhausted (tried to allocate 401 bytes)');
    const q = z.erealloc(p, 900);
    assert.strictEqual(heap.size, 900);
    assert.throws(() => z.erealloc(q, 1001), /tried to allocate 101 bytes/);
    z.efree(q);
    assert.strictEqual(heap.size, 0);
    assert.strictEqual(heap.setMemoryLimit(0), true);
  });

  it('refuses a limit below the tracked total', () => {
    const z = new ZendAllocator({ useZendAlloc: false, trackedAlloc: true });
    z.emalloc(5000);
    assert.strictEqual((z.heap as CustomStdHeap).setMemoryLimit(4999), false);
  });
});
