// Runs a raw trace through the engine and returns its JSON Lines records as parsed JSON,
// exactly what `zend-mm replay --format jsonl` prints, for comparison with real PHP.

import { DEFAULT_PROFILE, Zend7Profile } from '../../src/engine/profiles';
import { toJsonLine } from '../../src/replay/jsonLines';
import { TraceReplayer } from '../../src/replay/replayer';
import { isDiagnostic, parseRawLine } from '../../src/trace/rawTrace';
import { formatDiagnostic } from '../../src/trace/diagnostics';

/** The records of a trace: one per operation, then `end` (none after a fatal error). */
export function engineRun(text: string, file: string, profile: Zend7Profile = DEFAULT_PROFILE): object[] {
  const replayer = new TraceReplayer({ profile });
  const out: object[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const r = parseRawLine(lines[i], i + 1, file);
    if (r === null) continue;
    if (isDiagnostic(r)) throw new Error(formatDiagnostic(r));
    const rec = r.op === 'd' ? replayer.state('d') : replayer.apply(r);
    out.push(JSON.parse(toJsonLine(rec)) as object);
    if (replayer.halted !== null) return out;
  }
  out.push(JSON.parse(toJsonLine(replayer.state('end'))) as object);
  return out;
}
