// Engine replay benchmark: the same generated traces replayed through the fast path (in this
// process, and in one of its own through `zend-mm bench`, as the native harness runs), the
// records path (what `zend-mm replay --format jsonl` does) and the stepper's path (each
// operation run with its step events recorded, as stepping over every line does: checkpoints,
// ID bindings and recordings included), against two baselines measured in the same run:
//  - native: the real Zend memory manager of PHP 8.2 (libphp8.2.so) replaying the very same
//    trace file with bench/native/zmmReplay.c (built by bench/run.mjs; BENCH_NATIVE names it);
//  - js loop: a loop that does the trace's ID bookkeeping in a Map and nothing else.
// Each workload's trace is written to <BENCH_CACHE>/<workload>.trace and both sides read that
// file, so they replay identical operations. Only timing is compared, never heap states (the
// two may differ where the real heap depends on the process, e.g. a huge block growing in
// place).

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PHP_8_2 } from '../src/engine/profiles';
import { Timeline } from '../src/debug/timeline';
import { loadTraceProgram } from '../src/debug/traceProgram';
import { ZendHeap } from '../src/engine/zend7/heap';
import { OP_DUMP } from '../src/replay/compiledTrace';
import { CompiledProgramOps } from '../src/debug/programOps';
import { FastReplay } from '../src/replay/fastReplay';
import { TraceReplayer } from '../src/replay/replayer';
import { parseRawTrace, RawOp } from '../src/trace/rawTrace';
import { randomTrace, Workload } from '../test/support/randomTrace';

/** What bench/native/zmmReplay prints. */
interface NativeResult {
  ops: number;
  nsPerOp: number;
  runs: number[];
  warmupRuns: number;
  skippedFrees: number;
  php: string;
}

interface Row {
  workload: Workload;
  traceFile: string;
  ops: number;
  baselineNsPerOp: number;
  fastNsPerOp: number;
  /**
   * The fast path in a process of its own, as the native harness runs: `zend-mm bench` (dist/cli.js)
   * on the same file, same runs; null when it could not run.
   */
  fastOwnProcessNsPerOp: number | null;
  recordsNsPerOp: number;
  stepsNsPerOp: number;
  stepsOpsPerSec: number;
  stepEventsPerOp: number;
  /** Real allocator, ns per op (median), or null when the native baseline is missing. */
  nativeNsPerOp: number | null;
  nativeRunsNsPerOp: number[] | null;
  nativeSkippedFrees: number | null;
  /** PHP_VERSION of the headers the native harness was built against. */
  nativePhp: string | null;
  /** Engine path / native: how many times slower than the real allocator. */
  fastOverNative: number | null;
  fastOwnProcessOverNative: number | null;
  recordsOverNative: number | null;
  stepsOverNative: number | null;
  nativeError?: string;
}

/** Timed runs of the stepper's path (each takes seconds on a 1M-op trace). */
const STEPS_RUNS = 3;

/** Median wall time of `runs` runs of `fn`, after one untimed warm-up run (as the native harness does). */
function time(fn: () => void, runs: number): number {
  fn();
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

/** `zend-mm bench --json` on a trace file: the fast path's median ns per op in a fresh process, or null. */
function runCliBench(traceFile: string, runs: number): number | null {
  const cli = path.resolve('dist/cli.js');
  if (!fs.existsSync(cli)) return null;
  try {
    const out = execFileSync(process.execPath, [cli, 'bench', '--json', '--runs', String(runs), traceFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60 * 1000 });
    return (JSON.parse(out.trim().split('\n').pop() ?? '') as { nsPerOp: number }).nsPerOp;
  } catch (e) {
    console.error(`zend-mm bench on ${traceFile} failed: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`);
    return null;
  }
}

/** Replays a trace file on the real allocator; throws with the harness's message on failure. */
function runNative(binary: string, traceFile: string, runs: number): NativeResult {
  try {
    const out = execFileSync(binary, [traceFile, String(runs), '1'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10 * 60 * 1000,
    });
    return JSON.parse(out.trim().split('\n').pop() ?? '') as NativeResult;
  } catch (e) {
    const err = e as { stderr?: string; message: string; signal?: string };
    throw new Error((err.stderr?.trim() || err.message) + (err.signal ? ` (killed by ${err.signal})` : ''));
  }
}

function bench(workload: Workload, count: number, runs: number, cache: string, nativeBinary: string | undefined): Row {
  const traceFile = path.resolve(cache, `${workload}.trace`);
  fs.writeFileSync(traceFile, randomTrace({ seed: 42, ops: count, workload }));
  // The fast and the stepper's paths read the trace compiled to typed arrays, as the CLI and the
  // stepper do; the operation objects the records path and the JS loop need are parsed only
  // after them, so that a million live objects do not slow the garbage collector in their runs.
  const program = loadTraceProgram(traceFile);
  if (!(program.ops instanceof CompiledProgramOps)) throw new Error(`${traceFile}: not loaded as a compiled raw trace`);
  const compiled = program.ops.trace;
  let engineOps = 0;
  for (let i = 0; i < compiled.length; i++) if (compiled.codes[i] !== OP_DUMP) engineOps++;

  let native: NativeResult | null = null;
  let nativeError: string | undefined;
  if (nativeBinary !== undefined) {
    try {
      native = runNative(nativeBinary, traceFile, runs);
      if (native.ops !== engineOps) throw new Error(`native replayed ${native.ops} ops, the engine ${engineOps}`);
    } catch (e) {
      native = null;
      nativeError = (e as Error).message;
    }
  }

  // compiled once before timing, as the native harness reads its trace into an array first
  const fast = time(() => {
    new FastReplay(new ZendHeap(), compiled.keyCapacity).replay(compiled);
  }, runs);
  const ownProcess = runCliBench(traceFile, runs);
  // the stepper's own path: each operation run once with its steps recorded, in order, as
  // stepping over every line of the trace does (Timeline.recording)
  let events = 0;
  const steps = time(() => {
    const timeline = new Timeline(program.ops, PHP_8_2);
    events = 0;
    for (let i = 0; i < program.ops.length; i++) events += timeline.recording(i).events.length;
  }, STEPS_RUNS);
  const { ops, diagnostics } = parseRawTrace(fs.readFileSync(traceFile, 'utf8'), traceFile);
  if (diagnostics.length > 0) throw new Error(`${traceFile}: ${diagnostics[0].line}: ${diagnostics[0].message}`);
  const records = time(() => {
    const r = new TraceReplayer();
    for (const op of ops) if (op.op !== 'd' && r.halted === null) r.apply(op);
  }, runs);
  const base = time(() => baseline(ops), runs);
  const n = ops.length;
  const nat = native?.nsPerOp ?? null;
  const over = (x: number): number | null => (nat === null || nat <= 0 ? null : x / n / nat);
  return {
    workload,
    traceFile: path.relative(process.cwd(), traceFile),
    ops: n,
    baselineNsPerOp: base / n,
    fastNsPerOp: fast / n,
    fastOwnProcessNsPerOp: ownProcess,
    recordsNsPerOp: records / n,
    stepsNsPerOp: steps / n,
    stepsOpsPerSec: n / (steps / 1e9),
    stepEventsPerOp: events / n,
    nativeNsPerOp: nat,
    nativeRunsNsPerOp: native?.runs ?? null,
    nativeSkippedFrees: native?.skippedFrees ?? null,
    nativePhp: native?.php ?? null,
    fastOverNative: over(fast),
    fastOwnProcessOverNative: ownProcess === null || nat === null || nat <= 0 ? null : ownProcess / nat,
    recordsOverNative: over(records),
    stepsOverNative: over(steps),
    ...(nativeError !== undefined ? { nativeError } : {}),
  };
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux: fall back to what node knows
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function main(): void {
  const count = Number(process.env.BENCH_OPS ?? 1000000);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const cache = process.env.BENCH_CACHE ?? '.cache/bench';
  const nativeBinary = process.env.BENCH_NATIVE || undefined;
  const nativeMissing = nativeBinary === undefined ? (process.env.BENCH_NATIVE_ERROR ?? 'BENCH_NATIVE not set (run the bench with `npm run bench`)') : null;
  fs.mkdirSync(cache, { recursive: true });
  const rows = (['small-churn', 'php-mix', 'large-fragmentation', 'chunk-churn'] as Workload[]).map((w) =>
    bench(w, count, runs, cache, nativeBinary),
  );

  const php = nativeBinary !== undefined ? rows.find((r) => r.nativeNsPerOp !== null) : undefined;
  const f = (x: number | null, w = 9, d = 1): string => (x === null ? 'n/a' : x.toFixed(d)).padStart(w);
  const machine = { cpus: os.cpus().length, cpuModel: cpuModel(), node: process.version, platform: `${os.platform()} ${os.release()}` };
  console.log(`engine replay vs the real allocator, ${count} ops per workload, median of ${runs} runs (steps: ${STEPS_RUNS}) after one warm-up run`);
  console.log(`machine: ${machine.cpus} CPUs, ${machine.cpuModel}, node ${machine.node}`);
  if (nativeMissing !== null) {
    console.log(`native baseline: NOT AVAILABLE (${nativeMissing.split('\n')[0]}); engine figures only`);
  } else if (php === undefined) {
    console.log('native baseline: FAILED on every workload (see below); engine figures only');
  } else {
    console.log(`native baseline: zend_alloc.c of PHP ${php.nativePhp} (libphp8.2.so), a fresh zend_mm_startup() heap per run, 1 untimed warm-up run`);
  }
  console.log('ns per op; x native = engine path / native; own process = the fast path timed by `zend-mm bench` in a process of its own, as the native harness is; js loop = Map bookkeeping only');
  console.log(
    'workload                native      fast  x native  own proc  x native   records  x native     steps  x native  steps ops/s   js loop  events/op',
  );
  for (const r of rows) {
    console.log(
      `${r.workload.padEnd(20)} ${f(r.nativeNsPerOp)} ${f(r.fastNsPerOp)} ${f(r.fastOverNative)} ${f(r.fastOwnProcessNsPerOp)} ${f(r.fastOwnProcessOverNative)} ` +
        `${f(r.recordsNsPerOp)} ${f(r.recordsOverNative)} ${f(r.stepsNsPerOp)} ${f(r.stepsOverNative)} ` +
        `${f(r.stepsOpsPerSec, 12, 0)} ${f(r.baselineNsPerOp)} ${f(r.stepEventsPerOp, 10)}`,
    );
  }
  for (const r of rows) {
    if (r.nativeError !== undefined) console.log(`native baseline failed on ${r.workload}: ${r.nativeError}`);
    if (r.nativeSkippedFrees) console.log(`note: ${r.workload}: the native replay skipped ${r.nativeSkippedFrees} frees of IDs that were not live`);
  }
  console.log(
    JSON.stringify({
      machine,
      config: { ops: count, runs, seed: 42 },
      native: nativeMissing !== null ? { available: false, error: nativeMissing } : { available: php !== undefined, binary: nativeBinary, php: php?.nativePhp ?? null },
      rows,
    }),
  );
}

main();
