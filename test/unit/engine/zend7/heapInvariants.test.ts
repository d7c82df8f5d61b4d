import * as assert from 'assert';
import { AllocatorError } from '../../../../src/engine/zend7/errors';
import { ZendHeap } from '../../../../src/engine/zend7/heap';
import { parseRawTrace } from '../../../../src/trace/rawTrace';
import { randomTrace, WORKLOADS } from '../../../support/randomTrace';
import { checkInvariants, LiveBlock } from './invariants';

/** Replays `text` on a fresh heap, checking the invariants after every operation. */
function replayChecked(text: string, label: string): number {
  const heap = new ZendHeap();
  const live = new Map<string, LiveBlock>();
  const { ops, diagnostics } = parseRawTrace(text, label);
  assert.deepStrictEqual(diagnostics, []);
  const done: string[] = [];
  for (const op of ops) {
    done.push(`${op.op} ${'id' in op ? op.id : ''} ${'size' in op ? op.size : 'limit' in op ? op.limit : ''}`.trim());
    try {
      switch (op.op) {
        case 'a': {
          const p = heap.alloc(op.size);
          live.set(op.id, { address: p, blockSize: heap.blockSize(p) });
          break;
        }
        case 'f': {
          const b = live.get(op.id);
          if (b) {
            heap.free(b.address);
            live.delete(op.id);
          }
          break;
        }
        case 'r': {
          const b = live.get(op.id);
          const p = heap.realloc(b ? b.address : 0, op.size);
          live.set(op.id, { address: p, blockSize: heap.blockSize(p) });
          break;
        }
        case 'gc':
          heap.gc();
          break;
        case 'l':
          heap.setMemoryLimit(op.limit);
          break;
        case 'd':
          break;
      }
    } catch (e) {
      if (!(e instanceof AllocatorError) || e.fatal) {
        throw new Error(`${label}: unexpected failure after:\n${done.slice(-20).join('\n')}\n${(e as Error).stack}`);
      }
    }
    const errors = checkInvariants(heap, live.values());
    if (errors.length > 0) {
      assert.fail(`${label}: invariants broken after op ${done.length}:\n  ${errors.slice(0, 10).join('\n  ')}\nlast ops:\n${done.slice(-20).join('\n')}`);
    }
  }
  return ops.length;
}

describe('zend7 heap invariants (seeded random traces)', () => {
  for (const workload of WORKLOADS) {
    for (const seed of [1, 2, 3]) {
      it(`keeps page map, free map, free lists and counters consistent: ${workload}, seed ${seed}`, () => {
        const n = replayChecked(randomTrace({ seed, ops: 1000, workload }), `${workload}#${seed}`);
        assert.ok(n >= 1000);
      });
    }
  }
});
