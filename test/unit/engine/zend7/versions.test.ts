import * as assert from 'assert';
import { AddressSpace } from '../../../../src/engine/addressSpace';
import { PHP_7_4, PHP_8_4 } from '../../../../src/engine/profiles';
import { decodeFreeSlot, encodeFreeSlot } from '../../../../src/engine/zend7/freeSlot';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { allocatorFailure as failure } from '../../../support/allocatorFailure';
import { freeList } from '../../../../src/engine/zend7/inspect';

// Behaviours where 7.4.33 and 8.4.24 differ from 8.2.32, read from each release's zend_alloc.c.

const MiB = 1024 * 1024;


describe('zend7 heap, PHP 8.4 profile', () => {
  it('never hands out an 8-byte slot: requests below 16 bytes use bin 1', () => {
    const h = new ZendHeap({ profile: PHP_8_4 });
    const p = h.alloc(0);
    assert.strictEqual(h.blockSize(p), 16);
    assert.strictEqual(h.blockSize(h.alloc(8)), 16);
    assert.strictEqual(h.realloc(p, 1), p, 'a realloc below 16 bytes stays in its 16-byte slot');
  });

  it('stores a shadow of each link that decodes to the link', () => {
    const h = new ZendHeap({ profile: PHP_8_4, shadowKey: 0x1122334455667788n });
    const p = h.alloc(24);
    const next = freeList(h, 2).addresses[0];
    const chunk = h.mainChunk;
    const shadow = chunk.readShadow((next % (2 * MiB)) + 24 - 8);
    assert.strictEqual(decodeFreeSlot(h.shadowKey, shadow), next + 24, 'slot 1 links to slot 2');
    assert.strictEqual(encodeFreeSlot(h.shadowKey, next + 24), shadow);
    h.free(p);
    assert.strictEqual(h.alloc(24), p);
  });

  it('panics when a free slot\'s link was overwritten (a write after free)', () => {
    const h = new ZendHeap({ profile: PHP_8_4 });
    const a = h.alloc(32);
    const b = h.alloc(32);
    h.free(a);
    h.free(b); // list: b -> a
    h.writeWord(b, a + 8); // corrupt b's link
    const e = failure(() => h.alloc(32));
    assert.strictEqual(e.message, 'zend_mm_heap corrupted');
    assert.strictEqual(e.kind, 'panic');
  });

  it('keeps the emptied main chunk in the ring on gc', () => {
    const h = new ZendHeap({ profile: PHP_8_4 });
    h.free(h.alloc(10));
    assert.strictEqual(h.gc(), 4096);
    assert.strictEqual(h.chunksCount, 1);
    assert.strictEqual(h.cachedChunksCount, 0);
  });
});

describe('zend7 heap, PHP 7.4 profile', () => {
  it('raises a limit below one chunk to one chunk', () => {
    const h = new ZendHeap({ profile: PHP_7_4 });
    assert.ok(h.setMemoryLimit(1000));
    assert.strictEqual(h.limitText(), '2097152');
  });

  it('refuses a limit below real_size without giving back cached chunks', () => {
    const h = new ZendHeap({ profile: PHP_7_4 });
    h.alloc(510 * 4096);
    h.free(h.alloc(8192)); // a cached chunk: real_size 4 MiB
    assert.strictEqual(h.setMemoryLimit(3 * MiB), false);
    assert.strictEqual(h.cachedChunksCount, 1);
    assert.strictEqual(h.realSize, 4 * MiB);
  });

  it('words the out-of-memory error without "bytes" after the allocated size', () => {
    const h = new ZendHeap({ profile: PHP_7_4, addressSpace: new AddressSpace({ maxMappingSize: 4 * MiB }) });
    assert.strictEqual(failure(() => h.alloc(5 * MiB)).message, 'Out of memory (allocated 2097152) (tried to allocate 5242880 bytes)');
  });
});
