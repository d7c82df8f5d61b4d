// `zend-mm bench`: replays one trace several times, each on a fresh heap, timing only the
// replay loop, and prints the median time per operation. The trace is compiled to typed arrays
// as it is read (no object per operation stays alive to slow the garbage collector down).

import { profileFor } from '../engine/profiles';
import { zend5ProfileFor } from '../engine/zend5/profiles';
import { ZendHeap } from '../engine/zend7/heap';
import { CompiledTrace, CompiledTraceBuilder } from '../replay/compiledTrace';
import { FastReplay } from '../replay/fastReplay';
import { Zend5Replayer } from '../replay/zend5/zend5Replayer';
import { formatDiagnostic } from '../trace/diagnostics';
import { isDiagnostic, RawOp, readRawTrace } from '../trace/rawTrace';
import type { BenchCommand } from './args';
import type { Output } from './replayCommand';
import { prepareZmm } from './zmmScript';

/** One timed replay: how many operations ran and how long the loop took. */
interface TimedRun {
  ops: number;
  ns: number;
  /** Where and why the real process would have died, when it would. */
  fatal: string | null;
}

/** What `--json` prints. `runs` are ns per operation, in run order. */
export interface BenchResult {
  ops: number;
  nsPerOp: number;
  runs: number[];
  php: string;
  release: string;
  path: 'fast' | 'records';
}

/** Runs the benchmark; returns the exit status (0 ok, 1 an unreadable or bad trace). */
export function runBench(cmd: BenchCommand, io: Output): number {
  const loaded = loadCompiledTrace(cmd, io);
  if (loaded === null) return 1;
  const { trace, php } = loaded;
  const replay = php.startsWith('5.') ? zend5Run(php) : zend7Run(php);
  if (replay === null) {
    io.err(`unsupported PHP version '${php}'`);
    return 1;
  }
  replay.run(trace); // warm-up: lets the JIT compile the engine before anything is timed
  const runs: TimedRun[] = [];
  for (let i = 0; i < cmd.runs; i++) runs.push(replay.run(trace));
  const perOp = runs.map((r) => (r.ops === 0 ? 0 : r.ns / r.ops));
  const result: BenchResult = {
    ops: runs[0].ops,
    nsPerOp: median(perOp),
    runs: perOp.map(round2),
    php,
    release: replay.release,
    path: replay.path,
  };
  result.nsPerOp = round2(result.nsPerOp);
  if (runs[0].fatal !== null) io.err(`${cmd.file}: the replay stops early: ${runs[0].fatal}`);
  if (cmd.json) {
    io.out(JSON.stringify(result));
  } else {
    const opsPerSec = result.nsPerOp === 0 ? 0 : 1e9 / result.nsPerOp;
    io.out(
      `${cmd.file}: ${result.ops} operations, PHP ${php} (follows ${result.release}), ${result.path} path: ` +
        `median ${result.nsPerOp} ns/op (${formatRate(opsPerSec)} ops/s) over ${cmd.runs} run${cmd.runs === 1 ? '' : 's'} ` +
        `after one warm-up; runs: ${result.runs.join(', ')} ns/op`,
    );
  }
  return 0;
}

/** A way to replay the ops on a fresh heap of one version. */
interface VersionRun {
  release: string;
  path: 'fast' | 'records';
  run(trace: CompiledTrace): TimedRun;
}

function zend7Run(php: string): VersionRun {
  const profile = profileFor(php);
  return {
    release: profile.release,
    path: 'fast',
    run(trace) {
      const fast = new FastReplay(new ZendHeap({ profile }), trace.keyCapacity);
      const t0 = process.hrtime.bigint();
      fast.replay(trace);
      const ns = Number(process.hrtime.bigint() - t0);
      return { ops: fast.result.ops, ns, fatal: fast.result.fatal?.message ?? null };
    },
  };
}

function zend5Run(php: string): VersionRun | null {
  const profile = zend5ProfileFor(php);
  if (profile === undefined) return null;
  // the 5.x replayer takes operation objects: made once, before the first run
  let ops: RawOp[] | null = null;
  return {
    release: profile.release,
    path: 'records',
    run(trace) {
      ops ??= Array.from({ length: trace.length }, (_, i) => trace.rawOp(i));
      const replayer = new Zend5Replayer({ profile });
      let count = 0;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < ops.length && replayer.halted === null; i++) {
        const op = ops[i];
        if (op.op === 'd') continue;
        replayer.apply(op);
        count++;
      }
      const ns = Number(process.hrtime.bigint() - t0);
      return { ops: count, ns, fatal: replayer.halted?.message ?? null };
    },
  };
}

/** The trace compiled (a .zmm script is lowered first), or null after reporting why not. */
function loadCompiledTrace(cmd: BenchCommand, io: Output): { trace: CompiledTrace; php: string } | null {
  let file = cmd.file;
  let php = cmd.php;
  let mapMessage = (m: string): string => m;
  let dispose = (): void => undefined;
  if (file.endsWith('.zmm')) {
    try {
      const script = prepareZmm(file);
      if (script.diagnostics.length > 0) {
        for (const d of script.diagnostics) io.err(formatDiagnostic(d));
        script.dispose();
        return null;
      }
      for (const d of script.skipped) io.err(`${formatDiagnostic(d)} (warning)`);
      if (script.php !== undefined && !cmd.phpExplicit) php = script.php.split('.').slice(0, 2).join('.');
      file = script.rawFile;
      mapMessage = script.mapMessage;
      dispose = script.dispose;
    } catch (e) {
      io.err(`${cmd.file}:0: cannot read: ${(e as Error).message}`);
      return null;
    }
  }
  try {
    const builder = new CompiledTraceBuilder();
    let bad = 0;
    for (const item of readRawTrace(file)) {
      if (isDiagnostic(item)) {
        bad++;
        io.err(mapMessage(formatDiagnostic(item)));
        if (item.line === 0) return null;
        continue;
      }
      builder.push(item);
    }
    if (bad > 0) {
      io.err(`${cmd.file}: ${bad} bad line${bad === 1 ? '' : 's'}: fix the trace before timing it`);
      return null;
    }
    return { trace: builder.finish(), php };
  } finally {
    dispose();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function formatRate(perSec: number): string {
  return perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M` : perSec >= 1e3 ? `${(perSec / 1e3).toFixed(1)} k` : perSec.toFixed(0);
}
