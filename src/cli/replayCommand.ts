// `zend-mm replay`: streams a raw trace through the engine and writes text, JSON Lines or a summary.

import { profileFor } from '../engine/profiles';
import { ZendHeap } from '../engine/zend7/heap';
import { formatDiagnostic, Diagnostic } from '../trace/diagnostics';
import { isDiagnostic, readRawTrace } from '../trace/rawTrace';
import { toJsonLine } from '../replay/jsonLines';
import { FastReplay } from '../replay/fastReplay';
import { runZend5Replay } from './zend5ReplayCommand';
import { TraceReplayer } from '../replay/replayer';
import { formatHeapMap, formatOpLine } from '../replay/textMap';
import type { ReplayCommand } from './args';
import { PreparedZmm, prepareZmm } from './zmmScript';

/** Where the command writes. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Runs a replay of a raw trace or a .zmm script; returns the exit status (0 ok, 1 bad lines
 * or a fatal allocator error, 2 a script whose php line contradicts --php).
 */
export function runReplay(cmd: ReplayCommand, io: Output): number {
  if (cmd.file.endsWith('.zmm')) {
    return runZmm(cmd, io);
  }
  return runTrace(cmd, io);
}

/** A .zmm script: its php line picks the version unless --php says otherwise. */
function runZmm(cmd: ReplayCommand, io: Output): number {
  let script: PreparedZmm;
  try {
    script = prepareZmm(cmd.file);
  } catch (e) {
    io.err(`${cmd.file}:0: cannot read: ${(e as Error).message}`);
    return 1;
  }
  try {
    for (const d of script.diagnostics) io.err(formatDiagnostic(d));
    for (const d of script.skipped) io.err(`${formatDiagnostic(d)} (warning)`);
    if (script.php !== undefined && cmd.phpExplicit && !sameVersion(script.php, cmd.php)) {
      io.err(`${cmd.file}: the script says 'php ${script.php}' but --php ${cmd.php} was given`);
      return 2;
    }
    const php = script.php !== undefined && !cmd.phpExplicit ? script.php.split('.').slice(0, 2).join('.') : cmd.php;
    const status = runTrace({ ...cmd, php, file: script.rawFile }, { out: io.out, err: (l) => io.err(script.mapMessage(l)) });
    return script.diagnostics.length > 0 ? Math.max(status, 1) : status;
  } finally {
    script.dispose();
  }
}

function sameVersion(a: string, b: string): boolean {
  return a.split('.').slice(0, 2).join('.') === b.split('.').slice(0, 2).join('.');
}

/** A raw trace on the engine of its version. */
function runTrace(cmd: ReplayCommand, io: Output): number {
  if (cmd.php.startsWith('5.')) {
    return runZend5Replay({ file: cmd.file, php: cmd.php, segSize: cmd.segSize, format: cmd.format }, io);
  }
  return cmd.format === 'summary' ? runSummary(cmd, io) : runRecords(cmd, io);
}

/** The fast path: no steps, no records; prints the final counters. */
function runSummary(cmd: ReplayCommand, io: Output): number {
  const fast = new FastReplay(new ZendHeap({ profile: profileFor(cmd.php) }));
  let bad = 0;
  for (const item of readRawTrace(cmd.file)) {
    if (isDiagnostic(item)) {
      bad++;
      io.err(formatDiagnostic(item));
      if (item.line === 0) return 1;
      continue;
    }
    if (!fast.apply(item)) {
      if (fast.result.fatal !== null) {
        io.err(`${cmd.file}:${item.line}: the real process dies here: ${fast.result.fatal.message}`);
      }
      break;
    }
  }
  const h = fast.heap;
  const r = fast.result;
  io.out(
    `${r.ops} operations, ${r.errors} failed: size=${h.size} peak=${h.peak} real_size=${h.realSize} ` +
      `real_peak=${h.realPeak} chunks=${h.chunksCount} cached=${h.cachedChunksCount}`,
  );
  return bad > 0 || r.fatal !== null ? 1 : 0;
}

/** The records path: one text line or JSON object per operation, then the final state. */
function runRecords(cmd: ReplayCommand, io: Output): number {
  const replayer = new TraceReplayer({ profile: profileFor(cmd.php) });
  const diagnostics: Diagnostic[] = [];
  for (const item of readRawTrace(cmd.file)) {
    if (isDiagnostic(item)) {
      diagnostics.push(item);
      io.err(formatDiagnostic(item));
      if (item.line === 0) break; // the file itself could not be read
      continue;
    }
    if (replayer.halted !== null) {
      io.err(`${cmd.file}:${item.line}: not replayed: the real process died at an earlier line (${replayer.halted.message})`);
      break;
    }
    if (item.op === 'd') {
      const s = replayer.state('d');
      io.out(cmd.format === 'jsonl' ? toJsonLine(s) : cmd.format === 'text' ? formatHeapMap(s) : '');
      continue;
    }
    const rec = replayer.apply(item);
    if (cmd.format === 'jsonl') io.out(toJsonLine(rec));
    else if (cmd.format === 'text') io.out(formatOpLine(rec));
  }
  if (diagnostics.some((d) => d.line === 0)) {
    return 1;
  }
  const end = replayer.state('end');
  if (cmd.format === 'jsonl') {
    io.out(toJsonLine(end));
  } else {
    io.out('');
    io.out(formatHeapMap(end));
  }
  return diagnostics.length > 0 || replayer.halted !== null ? 1 : 0;
}
