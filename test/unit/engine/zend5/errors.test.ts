// Memory errors: the reserve, the cache flush, silent repeats, oversized requests.

import { AllocatorError } from '../../../../src/engine/allocatorError';
import * as assert from 'node:assert/strict';
import { zendMmStartup } from '../../../../src/engine/zend5/startup';
import { formatLd } from '../../../../src/engine/zend5/safeError';
import { restList } from '../../../../src/engine/zend5/inspect';
import { checkZend5Heap } from './zend5Invariants';

function error(f: () => unknown): AllocatorError {
  try {
    f();
  } catch (e) {
    if (e instanceof AllocatorError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('engine/zend5 errors', () => {
  it('the first limit error frees the reserve after flushing the cache; size keeps the flushed blocks', () => {
    const heap = zendMmStartup();
    const a = heap.alloc(100);
    heap.free(a);
    assert.equal(heap.cached, 120);
    heap.setMemoryLimit(262144);
    const e = error(() => heap.alloc(300000));
    assert.equal(e.kind, 'limit');
    assert.equal(e.message, 'Allowed memory size of 262144 bytes exhausted (tried to allocate 300000 bytes)');
    assert.equal(heap.reserve, 0);
    assert.equal(heap.overflow, 1);
    assert.equal(heap.cached, 0);
    // the reserve's 8208 bytes leave size, the flushed 120 do not
    assert.equal(heap.size, 120);
    checkZend5Heap(heap, false);
    const again = error(() => heap.alloc(300000));
    assert.equal(again.kind, 'silent');
    assert.equal(heap.overflow, 2);
  });

  it('a request whose true size wraps exits at out_of_memory without flushing the cache', () => {
    const heap = zendMmStartup();
    heap.free(heap.alloc(10));
    const size = 2n ** 64n - 1n;
    const e = error(() => heap.alloc(size));
    assert.equal(e.kind, 'oom');
    assert.equal(e.message, `Out of memory (allocated 262144) (tried to allocate ${size} bytes)`);
    assert.equal(heap.cached, 32, 'the cache is not flushed on this path');
    assert.equal(heap.reserve, 0);
  });

  it('a huge request the storage cannot give flushes the cache and reports out of memory', () => {
    const heap = zendMmStartup();
    const e = error(() => heap.alloc(2 ** 52));
    assert.equal(e.kind, 'oom');
    assert.equal(e.message, `Out of memory (allocated 262144) (tried to allocate ${2 ** 52} bytes)`);
  });

  it('the segment-realloc limit error prints the size with %ld and puts the next block back, in the free lists', () => {
    const heap = zendMmStartup();
    const p = heap.alloc(300000);
    assert.equal(restList(heap).length, 1);
    const size = 2n ** 63n;
    const e = error(() => heap.realloc(p, size));
    assert.equal(e.kind, 'limit');
    assert.equal(e.message, `Allowed memory size of ${2n ** 62n} bytes exhausted (tried to allocate ${formatLd(size)} bytes)`);
    assert.ok(formatLd(size).startsWith('-'));
    assert.equal(restList(heap).length, 0, 'the tail moved from the rest list to the free lists');
    checkZend5Heap(heap, true);
  });
});
