// copyHeap: a copy of a heap shares no mutable state with it: each goes on independently
// and ends where a straight replay ends.

import * as assert from 'assert';
import { PHP_8_2, PHP_8_4 } from '../../../../src/engine/profiles';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { copyFootprint, copyHeap } from '../../../../src/engine/zend7/snapshot';
import { FastReplay } from '../../../../src/replay/fastReplay';
import { parseRawTrace, RawOp } from '../../../../src/trace/rawTrace';
import { randomTrace } from '../../../support/randomTrace';
import { dumpHeap } from '../../debug/heapDump';

function replay(heap: ZendHeap, ops: readonly RawOp[]): FastReplay {
  const fast = new FastReplay(heap);
  for (const op of ops) fast.apply(op);
  return fast;
}

describe('copyHeap', () => {
  for (const profile of [PHP_8_2, PHP_8_4]) {
    it(`copies a ${profile.version} heap that then runs on independently (chunk churn, huge blocks, cache)`, () => {
      const { ops } = parseRawTrace(randomTrace({ seed: 11, ops: 4000, workload: 'chunk-churn' }), 't');
      const half = 2000;
      // the same IDs must resolve in both halves: replay the first half once, then copy
      const original = new FastReplay(new ZendHeap({ profile }));
      for (const op of ops.slice(0, half)) original.apply(op);
      const before = JSON.stringify(dumpHeap(original.heap));
      const copy = copyHeap(original.heap);
      assert.strictEqual(JSON.stringify(dumpHeap(copy)), before);
      for (const op of ops.slice(half)) original.apply(op);
      assert.strictEqual(JSON.stringify(dumpHeap(copy)), before, 'the copy did not move when the original ran on');
      const straight = replay(new ZendHeap({ profile }), ops);
      assert.deepStrictEqual(dumpHeap(original.heap), dumpHeap(straight.heap));
    });
  }

  it('shares unchanged pages with an earlier copy and counts only its own bytes', () => {
    const heap = new ZendHeap({ profile: PHP_8_2 });
    for (let i = 0; i < 100; i++) heap.alloc(24);
    const first = copyHeap(heap);
    heap.alloc(5000); // a large run: no page words change
    const second = copyHeap(heap, first);
    assert.ok(copyFootprint(second, first) < copyFootprint(second), 'the bin-2 page is shared');
    assert.deepStrictEqual(dumpHeap(second), dumpHeap(heap));
    second.free(second.alloc(24));
    assert.deepStrictEqual(dumpHeap(first), dumpHeap(copyHeap(first)));
  });
});
