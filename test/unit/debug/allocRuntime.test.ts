// AllocRuntime: time travel gives the state a straight replay gives, stepping inside a call
// shows the heap as it is at that step, step over/out follow the C stack, breakpoints stop
// forwards and backwards, a call that throws leaves no stale frames, and each completed call
// writes one console line.

import * as assert from 'assert';
import { PHP_8_2 } from '../../../src/engine/profiles';
import { Zend5Heap } from '../../../src/engine/zend5/heap';
import { PHP53 } from '../../../src/engine/zend5/profiles';
import { Zend5Replayer } from '../../../src/replay/zend5/zend5Replayer';
import { ZendHeap } from '../../../src/engine/zend7/heap';
import { AllocRuntime, StopInfo } from '../../../src/debug/allocRuntime';
import { parseCondition } from '../../../src/debug/breakpoints';
import { fixedSpacing } from '../../../src/debug/checkpointSpacing';
import { parseZmmProgram, TraceProgram } from '../../../src/debug/traceProgram';
import { FastReplay } from '../../../src/replay/fastReplay';
import { parseRawTrace } from '../../../src/trace/rawTrace';
import { Random } from '../../support/random';
import { randomTrace } from '../../support/randomTrace';
import { dump5, dumpHeap } from './heapDump';
import { compiledOps, rawOps } from './programOfText';

/** A runtime with its stops and console lines recorded. */
function runtimeOf(program: TraceProgram, checkpointEvery?: number): { rt: AllocRuntime; stops: StopInfo[]; output: string[]; ended: () => boolean } {
  const rt = new AllocRuntime(program, PHP_8_2, checkpointEvery !== undefined ? { checkpoints: fixedSpacing(checkpointEvery) } : {});
  const stops: StopInfo[] = [];
  const output: string[] = [];
  let ended = false;
  rt.on('stopped', (s: StopInfo) => stops.push(s));
  rt.on('output', (t: string) => output.push(t));
  rt.on('end', () => (ended = true));
  return { rt, stops, output, ended: () => ended };
}

function rawProgram(text: string): TraceProgram {
  return { file: 't.trace', kind: 'raw', ops: compiledOps(text), warnings: [] };
}

/** The heap after the first `n` operations, replayed straight on the fast path. */
function straightReplay(text: string, n: number): ZendHeap {
  const fast = new FastReplay(new ZendHeap({ profile: PHP_8_2 }));
  const { ops } = parseRawTrace(text, 't.trace');
  for (let i = 0; i < n; i++) fast.apply(ops[i]);
  return fast.heap;
}

/** The PHP 7/8 heap at the runtime's position. */
function heap7(rt: AllocRuntime): ZendHeap {
  const heap = rt.machine().heap;
  assert.ok(heap instanceof ZendHeap);
  return heap;
}

function frameNames(rt: AllocRuntime): string[] {
  return rt.frames().map((f) => f.func).reverse();
}

describe('AllocRuntime', () => {
  it('jumps backwards and forwards to any operation with the state of a straight replay', () => {
    const text = randomTrace({ seed: 99, ops: 3000, workload: 'php-mix' });
    const { rt } = runtimeOf(rawProgram(text), 97);
    const r = new Random(5);
    const n = rt.program.ops.length;
    for (let i = 0; i < 40; i++) {
      const target = i === 0 ? n : r.int(0, n);
      rt.goTo(target);
      assert.deepStrictEqual(dumpHeap(heap7(rt)), dumpHeap(straightReplay(text, target)), `at operation ${target} (sample ${i})`);
    }
    assert.ok(rt.timeline.checkpointCount >= Math.floor(n / 97), 'checkpoints were taken on the way');
  });

  it('shows the heap as it is at each step inside a call', async () => {
    const { rt } = runtimeOf(parseZmmProgram('a = emalloc(24)\n', 'x.zmm'));
    await rt.start(true);
    const seen: [string, number, number][] = [];
    for (;;) {
      rt.step('in');
      if (rt.position.event < 0) break;
      const top = rt.frames()[rt.frames().length - 1];
      const heap = heap7(rt);
      seen.push([top.anchor ?? `enter ${top.func}`, heap.size, heap.freeSlot[2]]);
    }
    const slot1 = straightReplay('a 1 24\n', 1).freeSlot[2];
    assert.ok(slot1 !== 0);
    assert.deepStrictEqual(seen, [
      ['enter zend_mm_alloc_heap', 0, 0],
      ['zend_mm_alloc_heap:small', 0, 0],
      ['enter zend_mm_alloc_small', 0, 0],
      // size counts the slot before the slot is found
      ['zend_mm_alloc_small:stat', 24, 0],
      ['zend_mm_alloc_small:free_list_empty', 24, 0],
      ['enter zend_mm_alloc_small_slow', 24, 0],
      ['enter zend_mm_alloc_pages', 24, 0],
      ['zend_mm_alloc_pages:tail_fit', 24, 0],
      ['zend_mm_alloc_pages:mark_run', 24, 0],
      ['zend_mm_alloc_small_slow:mark_srun', 24, 0],
      // only now is the rest of the run on bin 2's free list
      ['zend_mm_alloc_small_slow:thread_free_list', 24, slot1],
    ]);
  });

  it('steps over and out along the C stack', async () => {
    const { rt } = runtimeOf(parseZmmProgram('a = emalloc(24)\nb = emalloc(8)\n', 'x.zmm'));
    await rt.start(true);
    rt.step('in'); // enter zend_mm_alloc_heap
    rt.step('over'); // zend_mm_alloc_heap:small
    rt.step('over'); // the whole of zend_mm_alloc_small is deeper: back at the next line
    assert.deepStrictEqual([rt.position, frameNames(rt)], [{ op: 1, event: -1 }, []]);
    rt.stepBack();
    assert.strictEqual(rt.position.op, 0);
    for (let i = 0; i < 7; i++) rt.step('in');
    assert.deepStrictEqual(frameNames(rt), ['zend_mm_alloc_pages', 'zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap']);
    rt.step('out');
    assert.deepStrictEqual(frameNames(rt), ['zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap']);
    assert.strictEqual(rt.frames()[rt.frames().length - 1].anchor, 'zend_mm_alloc_small_slow:mark_srun');
    rt.stepBack(); // the previous step of this frame: its entry
    assert.deepStrictEqual(frameNames(rt), ['zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap']);
    assert.strictEqual(rt.frames()[rt.frames().length - 1].anchor, undefined);
  });

  it('starts a call with a clean stack after a call that threw (memory limit)', async () => {
    const { rt, output } = runtimeOf(rawProgram('l 2097152\na 1 3000000\na 2 8\n'));
    await rt.start(true);
    rt.step('over');
    rt.step('in');
    assert.deepStrictEqual(frameNames(rt), ['zend_mm_alloc_heap']);
    let deepest = 0;
    while (rt.position.op === 1) {
      deepest = Math.max(deepest, rt.frames().length);
      rt.step('in');
    }
    assert.ok(deepest >= 2, 'the failing call went into zend_mm_alloc_huge');
    rt.step('in');
    assert.deepStrictEqual(frameNames(rt), ['zend_mm_alloc_heap']);
    assert.ok(output.some((l) => /^a 1 3000000 → error: Allowed memory size of 2097152 bytes exhausted/.test(l)), output.join('\n'));
  });

  it('continues to breakpoints and back with reverseContinue', async () => {
    const { rt, stops, ended } = runtimeOf(parseZmmProgram('a = emalloc(24)\nh = emalloc(3000000)\nb = emalloc(8)\nh2 = emalloc(4000000)\nc = emalloc(8)\n', 'x.zmm'));
    const id = rt.breakpoints.newId();
    rt.breakpoints.setFunctions(new Map([['zend_mm_alloc_huge', { id }]]));
    await rt.start(false);
    assert.deepStrictEqual([stops.at(-1)?.reason, rt.position.op, frameNames(rt)[0]], ['function breakpoint', 1, 'zend_mm_alloc_huge']);
    await rt.continue();
    assert.deepStrictEqual([rt.position.op, frameNames(rt)[0]], [3, 'zend_mm_alloc_huge']);
    await rt.reverseContinue();
    assert.deepStrictEqual([stops.at(-1)?.reason, rt.position.op, frameNames(rt)[0]], ['function breakpoint', 1, 'zend_mm_alloc_huge']);
    await rt.reverseContinue();
    assert.deepStrictEqual([stops.at(-1)?.reason, rt.position], ['entry', { op: 0, event: -1 }]);
    // a condition on the call's locals
    const { condition } = parseCondition('size > 3500000');
    assert.ok(condition !== undefined);
    rt.breakpoints.setFunctions(new Map([['zend_mm_alloc_huge', { id, condition }]]));
    await rt.continue();
    assert.strictEqual(rt.position.op, 3);
    await rt.continue();
    assert.ok(ended());
  });

  it('stops backwards at the breakpoints it stops at forwards, across checkpoints placed by cost', async () => {
    const text = randomTrace({ seed: 21, ops: 3000, workload: 'php-mix', maxHuge: 3 * 1024 * 1024 });
    const rt = new AllocRuntime(rawProgram(text), PHP_8_2, { checkpoints: { bytesPerOp: 400, minDistance: 50, maxDistance: 600 } });
    let ended = false;
    rt.on('stopped', () => undefined);
    rt.on('output', () => undefined);
    rt.on('end', () => (ended = true));
    rt.breakpoints.setFunctions(new Map([['zend_mm_alloc_huge', { id: rt.breakpoints.newId() }]]));
    const forwards: { op: number; event: number }[] = [];
    await rt.start(false);
    while (!ended) {
      forwards.push(rt.position);
      await rt.continue();
    }
    assert.ok(forwards.length >= 5, `${forwards.length} huge allocations`);
    assert.ok(rt.timeline.checkpointCount >= 5, `${rt.timeline.checkpointCount} checkpoints`);
    const backwards: { op: number; event: number }[] = [];
    for (;;) {
      await rt.reverseContinue();
      if (rt.position.op === 0 && rt.position.event < 0) break;
      backwards.push(rt.position);
    }
    assert.deepStrictEqual(backwards, forwards.reverse());
  });

  it('pauses a long continue', async () => {
    const text = randomTrace({ seed: 3, ops: 200000, workload: 'small-churn' });
    const { rt, stops } = runtimeOf(rawProgram(text));
    const running = rt.continue();
    setImmediate(() => rt.pause());
    await running;
    assert.strictEqual(stops.at(-1)?.reason, 'pause');
    assert.ok(rt.position.op > 0 && rt.position.op < rt.program.ops.length, `paused at ${rt.position.op}`);
    assert.deepStrictEqual(dumpHeap(heap7(rt)), dumpHeap(straightReplay(text, rt.position.op)));
  });

  it('writes one console line per completed call', async () => {
    const { rt, output } = runtimeOf(parseZmmProgram('a = emalloc(24)\nb = emalloc(100)\nc = emalloc(5000)\nefree(b)\n', 'x.zmm'));
    await rt.start(false);
    assert.deepStrictEqual(output, [
      'a = emalloc(24) → chunk 0 +4096, bin 2 (24 B)',
      'b = emalloc(100) → chunk 0 +8192, bin 10 (112 B)',
      'c = emalloc(5000) → chunk 0 +12288, 2 pages (8192 B)',
      'efree(b) → freed chunk 0 +8192',
    ]);
  });
});

describe('AllocRuntime on the PHP 5 segment heap', () => {
  it('jumps to any operation with the state of a straight 5.3 replay', () => {
    const text = randomTrace({ seed: 17, ops: 1500, workload: 'php-mix', maxHuge: 3 * 1024 * 1024 });
    const program = rawProgram(text);
    const rt = new AllocRuntime(program, PHP53, { checkpoints: fixedSpacing(64) });
    rt.on('stopped', () => undefined);
    rt.on('output', () => undefined);
    const r = new Random(8);
    for (let i = 0; i < 25; i++) {
      const target = i === 0 ? program.ops.length : r.int(0, program.ops.length);
      rt.goTo(target);
      const replayer = new Zend5Replayer({ profile: PHP53 });
      for (const op of rawOps(program.ops, target)) if (op.op !== 'd') replayer.apply(op);
      const heap = rt.machine().heap;
      assert.ok(heap instanceof Zend5Heap);
      assert.deepStrictEqual(dump5(heap), dump5(replayer.heap), `at operation ${target}`);
    }
  });
});
