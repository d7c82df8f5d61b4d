// The engine's JSON Lines for a raw trace, as `zend-mm replay --format jsonl` prints them and as
// the oracle prints the real allocator's: one record per operation, then `end`.

import { profileFor } from '../../engine/profiles';
import { toJsonLine } from '../../replay/jsonLines';
import { TraceReplayer } from '../../replay/replayer';
import type { RawOp } from '../../trace/rawTrace';

/** The records of `ops` on a fresh heap of `version`; a fatal error ends them (its kind written as `true`, as the oracle writes it). */
export function engineJsonLines(ops: readonly RawOp[], version: string): object[] {
  const replayer = new TraceReplayer({ profile: profileFor(version) });
  const out: object[] = [];
  for (const op of ops) {
    const rec = op.op === 'd' ? replayer.state('d') : replayer.apply(op);
    const json = JSON.parse(toJsonLine(rec)) as Record<string, unknown>;
    out.push('fatal' in json ? { ...json, fatal: true } : json);
    if (replayer.halted !== null) return out;
  }
  out.push(JSON.parse(toJsonLine(replayer.state('end'))) as object);
  return out;
}
