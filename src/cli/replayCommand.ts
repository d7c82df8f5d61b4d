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

/** Where the command writes. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Runs a replay; returns the exit status (0 ok, 1 bad trace lines or a fatal allocator error). */
export function runReplay(cmd: ReplayCommand, io: Output): number {
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
