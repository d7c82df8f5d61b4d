// `zend-mm replay --php 5.x [--seg-size N]`: streams a raw trace through the PHP 5.2 – 5.6
// segment heap and writes text, JSON Lines (docs/zend5-jsonl.md) or a summary.

import type { AllocatorError } from '../engine/allocatorError';
import { Zend5StartupExit } from '../engine/zend5/errors';
import { zend5ProfileFor } from '../engine/zend5/profiles';
import { Zend5Replayer } from '../replay/zend5/zend5Replayer';
import { zend5JsonLine } from '../replay/zend5/zend5Records';
import { formatZend5Map, formatZend5Op } from '../replay/zend5/zend5TextMap';
import { formatDiagnostic } from '../trace/diagnostics';
import { isDiagnostic, readRawTrace } from '../trace/rawTrace';

/** What to replay and how to print it. */
export interface Zend5ReplayOptions {
  /** The raw trace file. */
  file: string;
  /** "5.2" … "5.6" (or a full release such as "5.3.25"). */
  php: string;
  /** ZEND_MM_SEG_SIZE in bytes (a power of two, at least 32); the default is 262144. */
  segSize?: number;
  format: 'text' | 'jsonl' | 'summary';
}

/** Where the command writes. */
export interface Zend5ReplayIo {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Runs a 5.x replay. Exit status: 0 ok; 1 bad trace lines (reported as file:line:col:
 * message, the replay goes on), an unreadable file or a fatal allocator error; 2 an unknown
 * version; 255 when zend_mm_startup would exit (its message on err).
 */
export function runZend5Replay(options: Zend5ReplayOptions, io: Zend5ReplayIo): number {
  const profile = zend5ProfileFor(options.php);
  if (profile === undefined) {
    io.err(`unsupported PHP version '${options.php}' (supported: 5.2, 5.3, 5.4, 5.5, 5.6)`);
    return 2;
  }
  let replayer: Zend5Replayer;
  try {
    replayer = new Zend5Replayer({ profile, env: options.segSize === undefined ? {} : { ZEND_MM_SEG_SIZE: String(options.segSize) } });
  } catch (e) {
    if (e instanceof Zend5StartupExit) {
      for (const line of e.stderr.trimEnd().split('\n')) io.err(line);
      return e.status;
    }
    throw e;
  }
  let bad = 0;
  let unreadable = false;
  let ops = 0;
  let failed = 0;
  for (const item of readRawTrace(options.file)) {
    if (isDiagnostic(item)) {
      bad++;
      io.err(formatDiagnostic(item));
      if (item.line === 0) {
        unreadable = true;
        break;
      }
      continue;
    }
    if (replayer.halted !== null) {
      io.err(`${options.file}:${item.line}: not replayed: the real process died at an earlier line (${replayer.halted.message})`);
      break;
    }
    if (item.op === 'd') {
      const s = replayer.state('d');
      if (options.format === 'jsonl') io.out(zend5JsonLine(s));
      else if (options.format === 'text') io.out(formatZend5Map(s));
      continue;
    }
    const rec = replayer.apply(item);
    ops++;
    if (rec.error !== undefined) failed++;
    if (options.format === 'jsonl') io.out(zend5JsonLine(rec));
    else if (options.format === 'text') io.out(formatZend5Op(rec));
    const halted = replayer.halted as AllocatorError | null; // apply() may have set it
    if (halted !== null) {
      io.err(`${options.file}:${item.line}: the real process dies here: ${halted.message}`);
    }
  }
  if (unreadable) {
    return 1;
  }
  const end = replayer.state('end');
  if (options.format === 'jsonl') {
    io.out(zend5JsonLine(end));
  } else if (options.format === 'text') {
    io.out('');
    io.out(formatZend5Map(end));
  } else {
    const h = end.heap;
    io.out(
      `PHP ${profile.version} (${profile.release}): ${ops} operations, ${failed} failed: size=${h.size} peak=${h.peak} ` +
        `real_size=${h.realSize} real_peak=${h.realPeak} cached=${h.cached} segments=${end.segments.length}`,
    );
  }
  return bad > 0 || replayer.halted !== null ? 1 : 0;
}
