// copyZend5Heap: a copy of a PHP 5 heap shares no mutable state with it: each goes on
// independently and ends where a straight replay ends. zend5CopyFootprint: what a copy holds
// grows with the words the heap has written.

import * as assert from 'assert';
import { Zend5Heap } from '../../../../src/engine/zend5/heap';
import { cacheLists, freeBuckets, largeTries, restList, segmentBlocks, segments } from '../../../../src/engine/zend5/inspect';
import { PHP53, PHP56 } from '../../../../src/engine/zend5/profiles';
import { copyZend5Heap, zend5CopyFootprint } from '../../../../src/engine/zend5/snapshot';
import { Zend5Replayer } from '../../../../src/replay/zend5/zend5Replayer';
import { parseRawTrace } from '../../../../src/trace/rawTrace';
import { randomTrace } from '../../../support/randomTrace';

function dump(heap: Zend5Heap): string {
  return JSON.stringify({
    counters: [heap.size, heap.peak, heap.realSize, heap.realPeak, heap.cached, heap.restCount, heap.limit.toString()],
    segments: segments(heap).map((s) => [s.address, s.ordinal, s.size, segmentBlocks(heap, s)]),
    cache: [...cacheLists(heap)],
    buckets: [...freeBuckets(heap)],
    tries: [...largeTries(heap)],
    rest: restList(heap),
  });
}

describe('copyZend5Heap', () => {
  for (const profile of [PHP53, PHP56]) {
    it(`copies a ${profile.version} heap that then runs on independently`, () => {
      const { ops } = parseRawTrace(randomTrace({ seed: 23, ops: 2000, workload: 'large-fragmentation', maxHuge: 3 * 1024 * 1024 }), 't');
      const run = ops.filter((o) => o.op !== 'd' && o.op !== 'gc') as Parameters<Zend5Replayer['apply']>[0][];
      const original = new Zend5Replayer({ profile });
      for (const op of run.slice(0, 1000)) original.apply(op);
      const before = dump(original.heap);
      const copy = copyZend5Heap(original.heap);
      assert.strictEqual(dump(copy), before);
      for (const op of run.slice(1000)) original.apply(op);
      assert.strictEqual(dump(copy), before, 'the copy did not move when the original ran on');
      const straight = new Zend5Replayer({ profile });
      for (const op of run) straight.apply(op);
      assert.strictEqual(dump(original.heap), dump(straight.heap));
      // and the copy itself runs on like the original did
      copy.free(copy.alloc(100));
    });
  }

  it('measures a copy by the words its heap holds', () => {
    const { ops } = parseRawTrace(randomTrace({ seed: 29, ops: 3000, workload: 'php-mix', maxHuge: 3 * 1024 * 1024 }), 't');
    const run = ops.filter((o) => o.op !== 'd' && o.op !== 'gc') as Parameters<Zend5Replayer['apply']>[0][];
    const replayer = new Zend5Replayer({ profile: PHP53 });
    const fresh = zend5CopyFootprint(copyZend5Heap(replayer.heap));
    assert.ok(fresh > 0);
    for (const op of run.slice(0, 1500)) replayer.apply(op);
    const copy = copyZend5Heap(replayer.heap);
    assert.strictEqual(zend5CopyFootprint(copy), zend5CopyFootprint(replayer.heap));
    assert.ok(zend5CopyFootprint(copy) > fresh + 1000 * 8, `${zend5CopyFootprint(copy)} bytes after 1500 operations, ${fresh} fresh`);
  });
});
