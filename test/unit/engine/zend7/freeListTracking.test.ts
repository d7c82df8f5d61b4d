// Free-list tracking lets zend_mm_gc skip its counting walk. The walking zend_mm_gc is the
// reference here: a heap whose tracking is turned off from the start always walks, so after
// the same operations both heaps must agree on everything, page map entries included — on
// well-formed heaps and on heaps a double free, a stray pointer or an outside write corrupted.

import * as assert from 'assert';
import fc from 'fast-check';
import { PHP_7_4, PHP_8_2, PHP_8_4, Zend7Profile } from '../../../../src/engine/profiles';
import { AllocatorError } from '../../../../src/engine/zend7/errors';
import { untrackFreeLists } from '../../../../src/engine/zend7/freeListTracking';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { FastReplay } from '../../../../src/replay/fastReplay';
import { parseRawTrace } from '../../../../src/trace/rawTrace';
import { randomTrace, Workload } from '../../../support/randomTrace';
import { dumpHeap } from '../../debug/heapDump';

/** Everything zend_mm_gc reads or writes: the plain dump plus every chunk's raw map and free_map. */
function fullDump(heap: ZendHeap): unknown {
  const chunks = [...heap.chunksByBase.values()].sort((a, b) => a.base - b.base);
  return { heap: dumpHeap(heap), maps: chunks.map((c) => [c.base, Array.from(c.map), Array.from(c.freeMap)]) };
}

/** One operation on a heap, with what it returned or the error it raised. */
type Op = (heap: ZendHeap, blocks: number[]) => unknown;

/**
 * Runs `ops` on a tracked heap and on a walking one, comparing what each operation returned
 * and both heaps after every operation (`everyOp`) or after each zend_mm_gc and at the end.
 */
function compare(profile: Zend7Profile, ops: readonly Op[], everyOp = true): { tracked: ZendHeap; walking: ZendHeap } {
  const tracked = new ZendHeap({ profile });
  const walking = new ZendHeap({ profile });
  untrackFreeLists(walking);
  const blocksT: number[] = [];
  const blocksW: number[] = [];
  for (const [k, op] of ops.entries()) {
    const outT = outcome(() => op(tracked, blocksT));
    const outW = outcome(() => op(walking, blocksW));
    assert.deepStrictEqual(outT, outW, `operation ${k}`);
    const last = k === ops.length - 1 || (typeof outT === 'object' && outT !== null && 'fatal' in outT);
    if (everyOp || op === gc || last) assert.deepStrictEqual(fullDump(tracked), fullDump(walking), `after operation ${k}`);
    if (last) break;
  }
  return { tracked, walking };
}

function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof AllocatorError)) throw e;
    return { error: e.message, fatal: e.fatal };
  }
}

const alloc = (size: number): Op => (h, b) => b.push(h.alloc(size));
const free = (k: number): Op => (h, b) => (b.length === 0 ? undefined : h.free(b[k % b.length]));
const freeAt = (k: number, delta: number): Op => (h, b) => (b.length === 0 ? undefined : h.free(b[k % b.length] + delta));
const gc: Op = (h) => h.gc();

describe('free-list tracking', () => {
  for (const profile of [PHP_7_4, PHP_8_2, PHP_8_4]) {
    for (const workload of ['small-churn', 'php-mix', 'large-fragmentation'] as Workload[]) {
      it(`${profile.version}, ${workload}: zend_mm_gc without the counting walk leaves what the walk leaves`, () => {
        const { ops } = parseRawTrace(randomTrace({ seed: 5, ops: 6000, workload }), 't');
        const tracked = new FastReplay(new ZendHeap({ profile }));
        const walking = new FastReplay(new ZendHeap({ profile }));
        untrackFreeLists(walking.heap);
        let gcs = 0;
        for (const op of ops) {
          tracked.apply(op);
          walking.apply(op);
          if (op.op === 'gc') {
            gcs++;
            assert.deepStrictEqual(fullDump(tracked.heap), fullDump(walking.heap), `after the gc on line ${op.line}`);
          }
        }
        assert.ok(gcs > 0, 'the trace runs zend_mm_gc');
        assert.strictEqual(tracked.heap.freeListsTracked, true, 'a well-formed run keeps tracking on');
        assert.deepStrictEqual(tracked.result, walking.result);
      });
    }
  }

  it('collects wholly free runs, keeps partly used ones and never collects a 512-slot run', () => {
    const { tracked } = compare(PHP_8_2, [
      ...Array.from({ length: 600 }, () => alloc(8)), // bin 0: a full 512-slot run and part of another
      ...Array.from({ length: 170 }, () => alloc(24)), // bin 2: one full run of 170 slots
      ...Array.from({ length: 170 }, (_, k) => free(600 + k)),
      ...Array.from({ length: 512 }, (_, k) => free(k)),
      gc,
      gc,
    ]);
    assert.strictEqual(tracked.freeListsTracked, true);
  });

  it('turns off on a double free, and the walking zend_mm_gc then ends as C does', () => {
    const { tracked } = compare(PHP_8_2, [alloc(24), alloc(24), alloc(24), free(1), free(2), free(1), gc]);
    assert.strictEqual(tracked.freeListsTracked, false);
  });

  it('turns off on a free of a pointer inside a slot', () => {
    const { tracked } = compare(PHP_7_4, [alloc(40), alloc(40), alloc(40), freeAt(1, 8), free(0), gc, alloc(40), gc]);
    assert.strictEqual(tracked.freeListsTracked, false);
  });

  it('turns off when a link is written from outside the allocator', () => {
    const heap = new ZendHeap({ profile: PHP_8_2 });
    const a = heap.alloc(16);
    heap.free(a);
    heap.writeWord(a, 0);
    assert.strictEqual(heap.freeListsTracked, false);
  });

  it('agrees with the walking zend_mm_gc on random small operations, double frees and stray pointers included', function () {
    // 60 random programs on two heaps each: about 10 s on a busy 2-core machine
    this.timeout(60_000);
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 3072 }).map(alloc) },
      { weight: 5, arbitrary: fc.nat().map(free) },
      { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(8, 16, 24)).map(([k, d]) => freeAt(k, d)) },
      { weight: 1, arbitrary: fc.constant(gc) },
    );
    fc.assert(
      fc.property(fc.constantFrom(PHP_7_4, PHP_8_2, PHP_8_4), fc.array(op, { maxLength: 300 }), (profile, ops) => {
        compare(profile, [...ops, gc], false);
      }),
      { numRuns: 60 },
    );
  });
});
