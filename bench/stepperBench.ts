// Stepper time-travel benchmark: on generated traces of 100,000 and 1,000,000 operations,
// the latency of going back to an arbitrary earlier operation (the work a stepBack or a
// reverse jump does: restore the nearest checkpoint, replay on the fast path, read the heap),
// of one stepBack from a random position, and the memory the checkpoints hold per operation.
// The target is 50 ms per request on the 100k trace.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PHP_8_2 } from '../src/engine/profiles';
import { copyFootprint } from '../src/engine/zend7/snapshot';
import { AllocRuntime } from '../src/debug/allocRuntime';
import { loadTraceProgram } from '../src/debug/traceProgram';
import { Random } from '../test/support/random';
import { randomTrace } from '../test/support/randomTrace';

interface Row {
  ops: number;
  checkpointInterval: number;
  /** Running the whole trace once, forwards (checkpoints taken on the way), ms. */
  firstRunMs: number;
  /** Back to a random earlier operation: median / p95 / max, ms. */
  jumpBackMedianMs: number;
  jumpBackP95Ms: number;
  jumpBackMaxMs: number;
  /** One stepBack from a random position plus reading the heap there: median / p95 / max, ms. */
  stepBackMedianMs: number;
  stepBackP95Ms: number;
  stepBackMaxMs: number;
  checkpoints: number;
  /** Bytes the checkpoints hold (pages shared between checkpoints counted once), per operation. */
  checkpointBytesPerOp: number;
  /** Growth of the JS heap and typed-array memory while running forwards, per operation (checkpoints, logs, bookkeeping). */
  heapBytesPerOp: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function measure(ops: number, samples: number, dir: string): Row {
  const file = path.join(dir, `stepper-${ops}.trace`);
  fs.writeFileSync(file, randomTrace({ seed: 20260 + ops, ops, workload: 'php-mix' }));
  const program = loadTraceProgram(file);
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const runtime = new AllocRuntime(program, PHP_8_2, { outputLimit: 0 });
  runtime.on('output', () => undefined);
  runtime.on('stopped', () => undefined);
  let t0 = process.hrtime.bigint();
  runtime.goTo(program.ops.length);
  const firstRunMs = ms(t0);
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const cps = runtime.timeline.checkpointMachines();
  let cpBytes = 0;
  for (let i = 0; i < cps.length; i++) cpBytes += copyFootprint(cps[i].heap, i > 0 ? cps[i - 1].heap : undefined);

  const r = new Random(7);
  const jump: number[] = [];
  const back: number[] = [];
  for (let s = 0; s < samples; s++) {
    // from a late position, back to a random earlier one
    runtime.goTo(program.ops.length - r.int(0, 100));
    const target = r.int(0, program.ops.length - 200);
    t0 = process.hrtime.bigint();
    runtime.goTo(target);
    runtime.machine().heap.size;
    jump.push(ms(t0));
    // one stepBack from a random position (the live state sits there)
    runtime.goTo(r.int(1, program.ops.length));
    t0 = process.hrtime.bigint();
    runtime.stepBack();
    runtime.machine().heap.size;
    back.push(ms(t0));
  }
  jump.sort((a, b) => a - b);
  back.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    ops: program.ops.length,
    checkpointInterval: runtime.timeline.interval,
    firstRunMs: round(firstRunMs),
    jumpBackMedianMs: round(percentile(jump, 0.5)),
    jumpBackP95Ms: round(percentile(jump, 0.95)),
    jumpBackMaxMs: round(jump[jump.length - 1]),
    stepBackMedianMs: round(percentile(back, 0.5)),
    stepBackP95Ms: round(percentile(back, 0.95)),
    stepBackMaxMs: round(back[back.length - 1]),
    checkpoints: cps.length,
    checkpointBytesPerOp: round(cpBytes / program.ops.length),
    heapBytesPerOp: round((heapAfter - heapBefore) / program.ops.length),
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-stepper-'));
try {
  const rows = [measure(100_000, 200, dir), measure(1_000_000, 100, dir)];
  for (const row of rows) {
    console.log(
      `stepper ${row.ops} ops (checkpoint every ${row.checkpointInterval}): first run ${row.firstRunMs} ms; ` +
        `back to an arbitrary earlier op median ${row.jumpBackMedianMs} ms, p95 ${row.jumpBackP95Ms} ms, max ${row.jumpBackMaxMs} ms; ` +
        `stepBack median ${row.stepBackMedianMs} ms, p95 ${row.stepBackP95Ms} ms, max ${row.stepBackMaxMs} ms (target < 50 ms); ` +
        `${row.checkpoints} checkpoints, ${row.checkpointBytesPerOp} B/op in checkpoints, ${row.heapBytesPerOp} B/op memory growth while running`,
    );
  }
  console.log(JSON.stringify({ stepper: rows }));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
