// zend_mm_search_large_block: best fit, exact fit through the ring, and the
// child[child[0] != NULL] walk of the "smallest block" search.

import * as assert from 'node:assert/strict';
import { zendMmStartup } from '../../../../src/engine/zend5/startup';
import { largeTries } from '../../../../src/engine/zend5/inspect';

describe('engine/zend5 zend_mm_search_large_block', () => {
  it('the smallest-block walk follows child[1] when child[0] is set, so it can miss the smallest block', () => {
    const heap = zendMmStartup();
    const a = heap.alloc(12000 - 16); // true size 12000: root of trie 13
    heap.alloc(10);
    const b = heap.alloc(9000 - 16); // true size 9000: bit 12 is 0, so child[0] of the root
    heap.alloc(10);
    heap.free(a);
    heap.free(b);
    assert.deepEqual(
      largeTries(heap).get(13)?.map((n) => [n.path, heap.rawSize(n.blocks[0])]),
      [
        ['', 12000],
        ['0', 9000],
      ],
    );
    // 5000 bytes: trie 12 is empty, so the smallest block of trie 13 is looked for
    assert.equal(heap.alloc(5000), a, 'C takes the 12000-byte root, not the 9000-byte child');
  });

  it('an exact size returns the node\'s next ring block (the newest of the same size goes first)', () => {
    const heap = zendMmStartup();
    const x = heap.alloc(1000);
    heap.alloc(10);
    const y = heap.alloc(1000);
    heap.alloc(10);
    heap.free(x);
    heap.free(y);
    assert.deepEqual(largeTries(heap).get(9)?.[0].blocks, [x - 16, y - 16]);
    assert.equal(heap.alloc(1000), y);
  });
});
