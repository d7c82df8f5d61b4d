import * as assert from 'assert';
import { ZendHeap } from '../../../src/engine/zend7/heap';
import { cachedChunks, chunkRuns, freeLists, ringChunks } from '../../../src/engine/zend7/inspect';
import { FastReplay } from '../../../src/replay/fastReplay';
import { TraceReplayer } from '../../../src/replay/replayer';
import { parseRawTrace } from '../../../src/trace/rawTrace';
import { randomTrace, WORKLOADS } from '../../support/randomTrace';

describe('FastReplay', () => {
  for (const workload of WORKLOADS) {
    it(`ends in the same heap state as the records path: ${workload}`, () => {
      const { ops } = parseRawTrace(randomTrace({ seed: 7, ops: 3000, workload }), workload);
      const fast = new FastReplay();
      const slow = new TraceReplayer();
      let errors = 0;
      for (const op of ops) {
        fast.apply(op);
        if (op.op !== 'd') {
          if (slow.apply(op).error !== undefined) errors++;
        }
      }
      assert.deepStrictEqual(heapShape(fast.heap), heapShape(slow.heap));
      assert.strictEqual(fast.result.errors, errors);
      assert.strictEqual(fast.result.ops, ops.filter((o) => o.op !== 'd').length);
    });
  }

  it('treats a failed allocation like the records path: a later free is a double free', () => {
    const text = 'l 2097152\na 1 100\na 2 100\nf 1\na 1 3000000\nf 1\n';
    const { ops } = parseRawTrace(text, 't');
    const fast = new FastReplay();
    ops.forEach((op) => fast.apply(op));
    assert.strictEqual(fast.result.errors, 1, 'only the failed allocation');
    assert.strictEqual(fast.heap.size, 0, 'the slot of ID 1 was freed twice');
  });

  it('stops at a fatal error', () => {
    const { ops } = parseRawTrace('a 1 3000000\nf 1\nf 1\na 2 10\n', 't');
    const fast = new FastReplay();
    const applied = ops.map((op) => fast.apply(op));
    assert.deepStrictEqual(applied, [true, true, false, false]);
    assert.strictEqual(fast.result.fatal?.message, 'zend_mm_heap corrupted');
  });
});

/** Everything the end state shows, in raw addresses (both paths map the same addresses). */
function heapShape(h: ZendHeap): object {
  const huge: number[][] = [];
  for (let n = h.hugeList; n !== null; n = n.next) huge.push([n.ptr, n.size]);
  return {
    counters: [h.size, h.peak, h.realSize, h.realPeak, h.chunksCount, h.cachedChunksCount, h.peakChunksCount],
    ring: ringChunks(h).map((c) => ({ base: c.base, num: c.num, freePages: c.freePages, freeTail: c.freeTail, runs: chunkRuns(c) })),
    cache: cachedChunks(h).map((c) => c.base),
    lists: [...freeLists(h)].map(([bin, l]) => [bin, l.addresses]),
    huge,
  };
}
