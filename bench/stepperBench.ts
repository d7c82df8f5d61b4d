// Stepper time-travel benchmark: on generated traces of 100,000 and 1,000,000 operations,
// the latency of going back to an arbitrary earlier operation (the work a stepBack or a
// reverse jump does: restore the nearest checkpoint, replay on the fast path, read the heap),
// of one stepBack from a random position, of the worst jump (to the operation just before the
// checkpoint after the widest gap), and the memory time travel holds per operation. The
// targets: a step back under 50 ms, at most 64 bytes an operation on the 1M trace. The last
// row runs the 1M trace with a checkpoint every 2,000 operations, as a baseline.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PHP_8_2 } from '../src/engine/profiles';
import { AllocRuntime } from '../src/debug/allocRuntime';
import { CheckpointSpacing, DEFAULT_CHECKPOINT_SPACING, fixedSpacing } from '../src/debug/checkpointSpacing';
import { loadTraceProgram } from '../src/debug/traceProgram';
import { Random } from '../test/support/random';
import { randomTrace } from '../test/support/randomTrace';

interface Row {
  ops: number;
  checkpointSpacing: CheckpointSpacing;
  /** Operations between consecutive checkpoints: fewest, median, most. */
  distanceMin: number;
  distanceMedian: number;
  distanceMax: number;
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
  /** Back to the operation just before the checkpoint that ends the widest gap, from the end: ms. */
  worstJumpMs: number;
  /** The fast replay rate in that worst jump (restore included), ns per operation. */
  replayNsPerOp: number;
  checkpoints: number;
  /** Bytes the checkpoints hold (pages shared between checkpoints counted once), per operation. */
  checkpointBytesPerOp: number;
  /** The per-operation ID history, bytes per operation. */
  idHistoryBytesPerOp: number;
  /** Growth of the JS heap and typed-array memory while running forwards, per operation (checkpoints, logs, bookkeeping). */
  heapBytesPerOp: number;
  /** The loaded program itself (the input: operation objects, IDs, labels), per operation; not part of the growth. */
  programBytesPerOp: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * JS heap plus typed-array memory after full collections; the pauses let the backing stores
 * of collected typed arrays and buffers, which are freed in the background, go first.
 */
async function memoryInUse(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function measure(ops: number, samples: number, dir: string, spacing: CheckpointSpacing): Promise<Row> {
  const file = path.join(dir, `stepper-${ops}.trace`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomTrace({ seed: 20260 + ops, ops, workload: 'php-mix' }));
  const beforeLoad = await memoryInUse();
  const program = loadTraceProgram(file);
  const heapBefore = await memoryInUse();
  const runtime = new AllocRuntime(program, PHP_8_2, { outputLimit: 0, checkpoints: spacing });
  runtime.on('output', () => undefined);
  runtime.on('stopped', () => undefined);
  let t0 = process.hrtime.bigint();
  runtime.goTo(program.ops.length);
  const firstRunMs = ms(t0);
  const heapAfter = await memoryInUse();
  const timeline = runtime.timeline;
  const positions = timeline.checkpointMachines().map((m) => m.next);
  const distances = positions.slice(1).map((p, i) => p - positions[i]);
  const widest = distances.indexOf(Math.max(...distances));
  distances.sort((a, b) => a - b);

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
  // the worst jump: from the end to just before the checkpoint that ends the widest gap
  runtime.goTo(program.ops.length);
  const worstTarget = positions[widest + 1] - 1;
  t0 = process.hrtime.bigint();
  runtime.goTo(worstTarget);
  runtime.machine().heap.size;
  const worstJumpMs = ms(t0);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    ops: program.ops.length,
    checkpointSpacing: spacing,
    distanceMin: distances[0],
    distanceMedian: distances[distances.length >> 1],
    distanceMax: distances[distances.length - 1],
    firstRunMs: round(firstRunMs),
    jumpBackMedianMs: round(percentile(jump, 0.5)),
    jumpBackP95Ms: round(percentile(jump, 0.95)),
    jumpBackMaxMs: round(jump[jump.length - 1]),
    stepBackMedianMs: round(percentile(back, 0.5)),
    stepBackP95Ms: round(percentile(back, 0.95)),
    stepBackMaxMs: round(back[back.length - 1]),
    worstJumpMs: round(worstJumpMs),
    replayNsPerOp: Math.round((worstJumpMs * 1e6) / (worstTarget - positions[widest])),
    checkpoints: positions.length,
    checkpointBytesPerOp: round(timeline.checkpointBytes / program.ops.length),
    idHistoryBytesPerOp: round(timeline.logBytes / program.ops.length),
    heapBytesPerOp: round((heapAfter - heapBefore) / program.ops.length),
    programBytesPerOp: round((heapBefore - beforeLoad) / program.ops.length),
  };
}

function spacingText(s: CheckpointSpacing): string {
  return s.minDistance === s.maxDistance ? `a checkpoint every ${s.minDistance} ops` : `checkpoints at ${s.bytesPerOp} B/op, ${s.minDistance} – ${s.maxDistance} ops apart`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-stepper-'));
  try {
    const rows = [
      await measure(100_000, 200, dir, DEFAULT_CHECKPOINT_SPACING),
      await measure(1_000_000, 100, dir, DEFAULT_CHECKPOINT_SPACING),
      await measure(1_000_000, 100, dir, fixedSpacing(2000)),
    ];
    for (const row of rows) {
      console.log(
        `stepper ${row.ops} ops (${spacingText(row.checkpointSpacing)}): first run ${row.firstRunMs} ms; ` +
          `${row.checkpoints} checkpoints ${row.distanceMin} / ${row.distanceMedian} / ${row.distanceMax} ops apart (min / median / max); ` +
          `back to an arbitrary earlier op median ${row.jumpBackMedianMs} ms, p95 ${row.jumpBackP95Ms} ms, max ${row.jumpBackMaxMs} ms; ` +
          `worst jump ${row.worstJumpMs} ms (${row.replayNsPerOp} ns/op replayed); ` +
          `stepBack median ${row.stepBackMedianMs} ms, p95 ${row.stepBackP95Ms} ms, max ${row.stepBackMaxMs} ms (target < 50 ms); ` +
          `memory ${row.checkpointBytesPerOp} B/op in checkpoints + ${row.idHistoryBytesPerOp} B/op ID history, ` +
          `${row.heapBytesPerOp} B/op growth while running in all (target <= 64); the program itself ${row.programBytesPerOp} B/op`,
      );
    }
    const [, withBudget, baseline] = rows;
    console.log(
      `stepper 1M ops, budget vs a checkpoint every 2000 ops: memory growth ${(withBudget.heapBytesPerOp / baseline.heapBytesPerOp).toFixed(2)}x, ` +
        `stepBack median ${(withBudget.stepBackMedianMs / baseline.stepBackMedianMs).toFixed(2)}x, max ${(withBudget.stepBackMaxMs / baseline.stepBackMaxMs).toFixed(2)}x`,
    );
    console.log(JSON.stringify({ stepper: rows }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
