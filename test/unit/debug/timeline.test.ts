// Timeline: checkpoints are placed by what the previous one cost (its bytes not shared with the
// one before it) at the spacing's budget, within its minimum and maximum distance; going back
// to any operation gives the heap a fresh run to that operation gives; what each trace ID names
// follows the calls (double frees, unknown IDs, failed allocations) on both heap families.

import * as assert from 'assert';
import fc from 'fast-check';
import { PHP_8_2 } from '../../../src/engine/profiles';
import { PHP53 } from '../../../src/engine/zend5/profiles';
import { ZendHeap } from '../../../src/engine/zend7/heap';
import { CheckpointSpacing } from '../../../src/debug/checkpointSpacing';
import { AnyProfile, anyCopyFootprint, isZend7Profile } from '../../../src/debug/heapFamily';
import { Timeline } from '../../../src/debug/timeline';
import { CallOutcome, IdBlock, TraceMachine } from '../../../src/debug/traceMachine';
import type { ProgramOps } from '../../../src/debug/programOps';
import { FastReplay } from '../../../src/replay/fastReplay';
import { Zend5Replayer } from '../../../src/replay/zend5/zend5Replayer';
import type { RawOp } from '../../../src/trace/rawTrace';
import { randomTrace, Workload, WORKLOADS } from '../../support/randomTrace';
import { dump5, dumpHeap } from './heapDump';
import { compiledOps, listOps, rawOps } from './programOfText';

function traceOps(seed: number, ops: number, workload: Workload): ProgramOps {
  return compiledOps(randomTrace({ seed, ops, workload, maxHuge: 3 * 1024 * 1024 }));
}

/** The heap after the first `n` operations, run straight from a fresh heap by the replay path. */
function freshRun(ops: ProgramOps, profile: AnyProfile, n: number): unknown {
  const raw = rawOps(ops, n);
  if (isZend7Profile(profile)) {
    const fast = new FastReplay(new ZendHeap({ profile }));
    for (const op of raw) fast.apply(op);
    return dumpHeap(fast.heap);
  }
  const replayer = new Zend5Replayer({ profile });
  for (const op of raw) if (op.op !== 'd') replayer.apply(op as Parameters<Zend5Replayer['apply']>[0]);
  return dump5(replayer.heap);
}

function dumpAny(heap: TraceMachine['heap']): unknown {
  return heap instanceof ZendHeap ? dumpHeap(heap) : dump5(heap);
}

/** Where the checkpoints sit after running to the end, and what each cost of its own. */
function placement(timeline: Timeline): { positions: number[]; bytes: number[] } {
  timeline.before(timeline.ops.length);
  const cps = timeline.checkpointMachines();
  return { positions: cps.map((m) => m.next), bytes: cps.map((m, k) => anyCopyFootprint(m.heap, k > 0 ? cps[k - 1].heap : undefined)) };
}

/** The distance the spacing asks for after a checkpoint of `bytes` bytes, written out. */
function expectedDistance(s: CheckpointSpacing, bytes: number): number {
  return Math.min(s.maxDistance, Math.max(s.minDistance, Math.ceil(bytes / s.bytesPerOp)));
}

describe('Timeline checkpoints', () => {
  for (const profile of [PHP_8_2, PHP53] as AnyProfile[]) {
    it(`places each ${profile.version} checkpoint after the previous one by what that one cost`, () => {
      const spacing = { bytesPerOp: 400, minDistance: 50, maxDistance: 3000 };
      const timeline = new Timeline(traceOps(5, 6000, 'php-mix'), profile, spacing);
      const { positions, bytes } = placement(timeline);
      assert.ok(positions.length >= 4, `${positions.length} checkpoints`);
      assert.strictEqual(positions[0], 0);
      for (let k = 0; k + 1 < positions.length; k++) {
        assert.strictEqual(positions[k + 1] - positions[k], expectedDistance(spacing, bytes[k]), `after checkpoint ${k} at ${positions[k]} (${bytes[k]} bytes)`);
      }
      const between = positions.slice(1).filter((p, k) => p - positions[k] > spacing.minDistance && p - positions[k] < spacing.maxDistance);
      assert.ok(between.length >= 2, 'distances the footprint set, not the bounds');
      // none is missing: the one after the last is due past the end
      const last = positions.length - 1;
      assert.ok(positions[last] + expectedDistance(spacing, bytes[last]) > timeline.ops.length);
      assert.strictEqual(timeline.checkpointBytes, bytes.reduce((a, b) => a + b, 0));
    });
  }

  it('takes them at the minimum distance when they are cheap for the budget', () => {
    const { positions } = placement(new Timeline(traceOps(6, 4000, 'php-mix'), PHP_8_2, { bytesPerOp: 1e9, minDistance: 300, maxDistance: 5000 }));
    assert.deepStrictEqual(positions, Array.from({ length: 14 }, (_, k) => k * 300));
  });

  it('takes them at the maximum distance when they are dear for the budget', () => {
    const { positions } = placement(new Timeline(traceOps(6, 4000, 'php-mix'), PHP_8_2, { bytesPerOp: 0.001, minDistance: 300, maxDistance: 700 }));
    assert.deepStrictEqual(positions, [0, 700, 1400, 2100, 2800, 3500]);
  });

  it('keeps checkpoint bytes within the budget per operation when the maximum does not hold them back', () => {
    for (const workload of ['php-mix', 'small-churn', 'large-fragmentation'] as Workload[]) {
      const spacing = { bytesPerOp: 250, minDistance: 20, maxDistance: 1e6 };
      const { positions, bytes } = placement(new Timeline(traceOps(7, 5000, workload), PHP_8_2, spacing));
      const last = positions.length - 1;
      const spent = bytes.slice(0, last).reduce((a, b) => a + b, 0);
      assert.ok(spent <= spacing.bytesPerOp * positions[last], `${workload}: ${spent} bytes over ${positions[last]} operations`);
    }
  });

  it('finds the nearest checkpoint at or before an operation', () => {
    const timeline = new Timeline(traceOps(8, 3000, 'php-mix'), PHP_8_2, { bytesPerOp: 400, minDistance: 50, maxDistance: 3000 });
    const { positions } = placement(timeline);
    for (let i = 0; i <= timeline.ops.length; i++) {
      const expected = positions.filter((p) => p <= i).pop();
      assert.strictEqual(timeline.checkpointAtOrBefore(i), expected, `operation ${i}`);
    }
  });

  it('refuses a spacing that cannot place checkpoints', () => {
    assert.throws(() => new Timeline(traceOps(1, 10, 'php-mix'), PHP_8_2, { bytesPerOp: 40, minDistance: 100, maxDistance: 10 }), /maxDistance/);
  });
});

describe('Timeline time travel', () => {
  const spacingArb = fc
    .record({ bytesPerOp: fc.integer({ min: 5, max: 5000 }), minDistance: fc.integer({ min: 1, max: 300 }), extra: fc.integer({ min: 0, max: 1500 }) })
    .map(({ bytesPerOp, minDistance, extra }) => ({ bytesPerOp, minDistance, maxDistance: minDistance + extra }));

  it('goes back and forth to any operation with the heap a fresh run to it gives (8.2, property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom(...WORKLOADS),
        spacingArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (seed, workload, spacing, where) => {
          const ops = traceOps(seed, 1500, workload);
          const timeline = new Timeline(ops, PHP_8_2, spacing);
          for (const w of [1, ...where]) {
            const target = Math.min(timeline.end, Math.round(w * ops.length));
            assert.deepStrictEqual(dumpAny(timeline.before(target).heap), freshRun(ops, PHP_8_2, target), `operation ${target}`);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('goes back and forth to any operation with the heap a fresh run to it gives (5.3, property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), spacingArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), (seed, spacing, where) => {
        const ops = traceOps(seed, 800, 'php-mix');
        const timeline = new Timeline(ops, PHP53, spacing);
        for (const w of [1, ...where]) {
          const target = Math.round(w * ops.length);
          assert.deepStrictEqual(dumpAny(timeline.before(target).heap), freshRun(ops, PHP53, target), `operation ${target}`);
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe('Timeline nearby copy', () => {
  it('keeps stepping back after a long jump short, with the heap a fresh run gives', () => {
    const ops = traceOps(12, 6000, 'php-mix');
    const spacing = { bytesPerOp: 1e-3, minDistance: 100, maxDistance: 2500 };
    const timeline = new Timeline(ops, PHP_8_2, spacing);
    let applied = 0;
    timeline.onApplied = () => applied++;
    timeline.before(ops.length);
    assert.deepStrictEqual(placement(timeline).positions, [0, 2500, 5000]);
    // a jump far from any checkpoint replays far; one step back from there replays little
    timeline.before(4950);
    applied = 0;
    timeline.before(4949);
    assert.ok(applied <= spacing.minDistance, `a step back replayed ${applied} operations`);
    assert.deepStrictEqual(dumpAny(timeline.liveMachine().heap), freshRun(ops, PHP_8_2, 4949));
    // stepping back all the way down to the block below: every step replays from the copy
    let most = 0;
    for (let i = 4948; i >= 4900; i--) {
      applied = 0;
      timeline.before(i);
      most = Math.max(most, applied);
    }
    assert.ok(most <= spacing.minDistance, `a step back replayed ${most} operations`);
    assert.deepStrictEqual(dumpAny(timeline.liveMachine().heap), freshRun(ops, PHP_8_2, 4900));
    // below the copy, the checkpoint again
    applied = 0;
    timeline.before(4899);
    assert.strictEqual(applied, 4899 - 2500);
    assert.deepStrictEqual(dumpAny(timeline.liveMachine().heap), freshRun(ops, PHP_8_2, 4899));
  });
});

describe('Timeline block copies', () => {
  it('starts every block of a backwards walk from its own copy, with the heap a fresh run gives', () => {
    const ops = traceOps(13, 6000, 'php-mix');
    const spacing = { bytesPerOp: 1e-3, minDistance: 100, maxDistance: 2500 };
    const timeline = new Timeline(ops, PHP_8_2, spacing);
    let applied = 0;
    timeline.onApplied = () => applied++;
    timeline.before(ops.length);
    timeline.coverBlocks(4900);
    assert.strictEqual(timeline.liveMachine().next, 4900);
    for (let lo = 4900; lo >= 2500; lo -= 100) {
      applied = 0;
      timeline.coverBlocks(lo);
      timeline.before(lo);
      assert.strictEqual(applied, 0, `block at ${lo}`);
      if (lo % 700 === 0) assert.deepStrictEqual(dumpAny(timeline.liveMachine().heap), freshRun(ops, PHP_8_2, lo), `operation ${lo}`);
    }
    // the stretch below the next checkpoint down is covered when the walk gets there
    applied = 0;
    timeline.coverBlocks(2400);
    assert.strictEqual(applied, 2400);
    assert.deepStrictEqual(dumpAny(timeline.before(2400).heap), freshRun(ops, PHP_8_2, 2400));
  });
});

describe('Timeline trace IDs', () => {
  // frees of an ID never allocated, of a freed ID, reallocations of a freed ID, failed
  // allocations on a new and on a used ID, an ID reused while live, an ID too long for a key
  const edgeCases = ['a 12345678901 40', 'a 1 24', 'a 2 100', 'f 1', 'f 9', 'r 1 50', 'r 2 5000', 'a 2 64', 'l 2097152', 'a 3 3000000', 'a 1 3000000', 'f 1', 'r 1 30', 'f 3', 'a 4 8', 'f 4', 'f 4', 'r 4 16', 'f 2', 'r 2 8', 'f 12345678901'].join('\n');

  /**
   * The run as a table of IDs drives it: before each operation, the block its ID names
   * decides the call's argument; after it, the table follows the result. The outcomes and
   * the table before each operation.
   */
  function tableRun(ops: ProgramOps, profile: AnyProfile): { outcomes: CallOutcome[]; tables: Map<string, IdBlock>[] } {
    const machine = TraceMachine.fresh(profile);
    const ids = new Map<string, IdBlock>();
    const outcomes: CallOutcome[] = [];
    const tables = [new Map(ids)];
    for (const op of rawOps(ops)) {
      const block = op.op === 'f' || op.op === 'r' ? ids.get(op.id) : undefined;
      const live = block !== undefined && block.live;
      let arg = 0;
      if (!isZend7Profile(profile)) arg = live ? block.address : NaN;
      else if (op.op === 'f') arg = block?.address ?? NaN;
      else if (op.op === 'r') arg = live ? block.address : 0;
      const outcome = machine.apply(op, arg, null);
      outcomes.push(outcome);
      rebind(ids, op, outcome.address);
      tables.push(new Map(ids));
      if (outcome.fatal === true) break;
    }
    return { outcomes, tables };
  }

  function rebind(ids: Map<string, IdBlock>, op: RawOp, result: number | undefined): void {
    if (op.op !== 'a' && op.op !== 'f' && op.op !== 'r') return;
    const old = ids.get(op.id);
    if (op.op !== 'f' && result !== undefined) ids.set(op.id, { address: result, live: true });
    else if (old !== undefined && op.op !== 'r') ids.set(op.id, { address: old.address, live: false });
  }

  for (const [profile, kind, programOf] of [
    [PHP_8_2, 'compiled', compiledOps],
    [PHP53, 'compiled', compiledOps],
    [PHP_8_2, 'objects', listOps],
  ] as [AnyProfile, string, (text: string) => ProgramOps][]) {
    it(`makes the calls a table of IDs makes, first run and replays alike (${profile.version}, ${kind})`, () => {
      const ops = programOf(edgeCases);
      const expected = tableRun(ops, profile);
      const timeline = new Timeline(ops, profile, { bytesPerOp: 40, minDistance: 3, maxDistance: 5 });
      const seen: CallOutcome[][] = [[], []];
      let pass = 0;
      timeline.onApplied = (index, outcome) => (seen[pass][index] = outcome);
      timeline.before(ops.length);
      assert.deepStrictEqual(seen[0], expected.outcomes);
      // back to the start and every operation again, replayed from the checkpoints
      pass = 1;
      timeline.before(0);
      for (let i = 0; i < ops.length; i++) timeline.run(i, null);
      assert.deepStrictEqual(seen[1], expected.outcomes);
      for (let i = 0; i <= ops.length; i++) {
        assert.deepStrictEqual(timeline.bindingsAt(i).ids, expected.tables[i], `bindings before operation ${i}`);
      }
    });
  }

  it('names the same blocks a table of IDs does along a long random run (8.2)', () => {
    const ops = traceOps(11, 4000, 'realloc-heavy');
    const expected = tableRun(ops, PHP_8_2);
    const timeline = new Timeline(ops, PHP_8_2, { bytesPerOp: 400, minDistance: 50, maxDistance: 3000 });
    timeline.before(ops.length);
    for (const i of [0, 1, 999, 2500, ops.length]) assert.deepStrictEqual(timeline.bindingsAt(i).ids, expected.tables[i], `operation ${i}`);
  });
});
