// Engine replay benchmark: the same generated traces replayed through the fast path, the
// records path (what `zend-mm replay --format jsonl` does) and with step recording (what the
// stepper needs), each against a baseline measured in the same run: a loop that does the
// trace's ID bookkeeping in a Map and nothing else.

import { StepRecorder } from '../src/engine/step';
import { ZendHeap } from '../src/engine/zend7/heap';
import { FastReplay } from '../src/replay/fastReplay';
import { TraceReplayer } from '../src/replay/replayer';
import { parseRawTrace, RawOp } from '../src/trace/rawTrace';
import { randomTrace, Workload } from '../test/support/randomTrace';

interface Row {
  workload: Workload;
  ops: number;
  baselineNsPerOp: number;
  fastNsPerOp: number;
  recordsNsPerOp: number;
  stepsNsPerOp: number;
  stepEventsPerOp: number;
}

function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function baseline(ops: RawOp[]): void {
  const ids = new Map<string, number>();
  let n = 1;
  for (const op of ops) {
    if (op.op === 'a' || op.op === 'r') ids.set(op.id, n++);
    else if (op.op === 'f') ids.set(op.id, -(ids.get(op.id) ?? 0));
  }
}

function bench(workload: Workload, count: number, runs: number): Row {
  const { ops } = parseRawTrace(randomTrace({ seed: 42, ops: count, workload }), workload);
  const fast = time(() => {
    const f = new FastReplay(new ZendHeap());
    for (const op of ops) f.apply(op);
  }, runs);
  const records = time(() => {
    const r = new TraceReplayer();
    for (const op of ops) if (op.op !== 'd' && r.halted === null) r.apply(op);
  }, runs);
  let events = 0;
  const steps = time(() => {
    const rec = new StepRecorder();
    const r = new TraceReplayer({ sink: rec });
    for (const op of ops) if (op.op !== 'd' && r.halted === null) r.apply(op);
    events = rec.events.length;
  }, runs);
  const base = time(() => baseline(ops), runs);
  const n = ops.length;
  return {
    workload,
    ops: n,
    baselineNsPerOp: base / n,
    fastNsPerOp: fast / n,
    recordsNsPerOp: records / n,
    stepsNsPerOp: steps / n,
    stepEventsPerOp: events / n,
  };
}

export function main(): void {
  const count = Number(process.env.BENCH_OPS ?? 200000);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const rows = (['small-churn', 'php-mix', 'large-fragmentation', 'chunk-churn'] as Workload[]).map((w) => bench(w, count, runs));
  const f = (x: number): string => x.toFixed(1).padStart(9);
  console.log(`engine replay, ${count} ops per workload, median of ${runs} runs (ns per op; ratio = path / baseline)`);
  console.log('workload               baseline      fast   (ratio)   records   (ratio)     steps   (ratio)  events/op');
  for (const r of rows) {
    console.log(
      `${r.workload.padEnd(20)} ${f(r.baselineNsPerOp)} ${f(r.fastNsPerOp)} ${f(r.fastNsPerOp / r.baselineNsPerOp)} ` +
        `${f(r.recordsNsPerOp)} ${f(r.recordsNsPerOp / r.baselineNsPerOp)} ${f(r.stepsNsPerOp)} ${f(r.stepsNsPerOp / r.baselineNsPerOp)} ${f(r.stepEventsPerOp)}`,
    );
  }
  console.log(JSON.stringify({ machine: { cpus: require('os').cpus().length, node: process.version }, rows }));
}

main();
