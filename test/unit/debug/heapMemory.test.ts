// readHeapMemory: the bytes of the simulated heap as the memory view shows them.

import * as assert from 'assert';
import { PHP_8_2, PHP_8_4 } from '../../../src/engine/profiles';
import { ZendHeap } from '../../../src/engine/zend7/heap';
import { decodeFreeSlot } from '../../../src/engine/zend7/freeSlot';
import { parseMemoryReference, readHeapMemory } from '../../../src/debug/heapMemory';

describe('readHeapMemory', () => {
  it('shows a free slot next pointer, little-endian, at any offset and length', () => {
    const heap = new ZendHeap({ profile: PHP_8_2 });
    const a = heap.alloc(24);
    const b = heap.alloc(24);
    heap.free(a);
    const read = readHeapMemory(heap, a, 8);
    assert.strictEqual(read.unreadable, 0);
    assert.strictEqual(Number(Buffer.from(read.bytes).readBigUInt64LE(0)), b + 24);
    // an unaligned read returns the same bytes shifted
    const part = readHeapMemory(heap, a + 3, 5);
    assert.deepStrictEqual(Array.from(part.bytes), Array.from(read.bytes.subarray(3)));
    // a live slot still holds the link it had while free (the allocator does not clear it)
    assert.strictEqual(Number(Buffer.from(readHeapMemory(heap, b, 8).bytes).readBigUInt64LE(0)), b + 24);
    // a slot never on a free list's chain reads zero (fresh mmap memory)
    assert.ok(readHeapMemory(heap, a - 8, 8).bytes.every((x) => x === 0), 'the word before slot 0 is in the chunk header page');
  });

  it('shows the shadow word at the end of a free slot on 8.4', () => {
    const heap = new ZendHeap({ profile: PHP_8_4 });
    const a = heap.alloc(24);
    heap.alloc(24);
    heap.free(a);
    const bytes = Buffer.from(readHeapMemory(heap, a, 24).bytes);
    const next = Number(bytes.readBigUInt64LE(0));
    assert.strictEqual(decodeFreeSlot(heap.shadowKey, bytes.readBigUInt64LE(16)), next);
  });

  it('stops at unmapped memory', () => {
    const heap = new ZendHeap({ profile: PHP_8_2 });
    const end = heap.mainChunk.base + 2 * 1024 * 1024;
    const read = readHeapMemory(heap, end - 4, 12);
    assert.strictEqual(read.bytes.length, 4);
    assert.strictEqual(read.unreadable, 8);
  });

  it('parses memory references', () => {
    assert.strictEqual(parseMemoryReference('0x10', 4), 20);
    assert.strictEqual(parseMemoryReference('16'), 16);
    assert.strictEqual(parseMemoryReference('heap'), undefined);
    assert.strictEqual(parseMemoryReference('0x10', -32), undefined);
  });
});
