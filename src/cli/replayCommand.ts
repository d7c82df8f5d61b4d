// `zend-mm replay`: streams a raw trace through the engine and writes text, JSON Lines or a summary.

import { formatDiagnostic, Diagnostic } from '../trace/diagnostics';
import { isDiagnostic, readRawTrace } from '../trace/rawTrace';
import { toJsonLine } from '../replay/jsonLines';
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
  const replayer = new TraceReplayer();
  const diagnostics: Diagnostic[] = [];
  let ops = 0;
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
    ops++;
    if (cmd.format === 'jsonl') io.out(toJsonLine(rec));
    else if (cmd.format === 'text') io.out(formatOpLine(rec));
  }
  if (diagnostics.some((d) => d.line === 0)) {
    return 1;
  }
  const end = replayer.state('end');
  if (cmd.format === 'jsonl') {
    io.out(toJsonLine(end));
  } else if (cmd.format === 'text') {
    io.out('');
    io.out(formatHeapMap(end));
  } else {
    const h = end.heap;
    io.out(
      `${ops} operations: size=${h.size} peak=${h.peak} real_size=${h.realSize} real_peak=${h.realPeak} ` +
        `chunks=${h.chunks} cached=${h.cachedChunks}` +
        (replayer.halted ? ` (stopped: ${replayer.halted.message})` : ''),
    );
  }
  return diagnostics.length > 0 || replayer.halted !== null ? 1 : 0;
}
