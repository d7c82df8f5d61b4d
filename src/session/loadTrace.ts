// Reads a trace for the session: a .zmm script (lowered to raw operations, each keeping the
// script's line) or a raw trace. Bad lines come back as diagnostics naming file and line.

import type { Diagnostic } from '../trace/diagnostics';
import { parseRawTrace, printRawOp, RawOp } from '../trace/rawTrace';
import { lowerZmm, parseZmm, zmmToRaw } from '../trace/zmm';

/** A trace ready to replay. */
export interface LoadedTrace {
  readonly ops: RawOp[];
  /** Errors: lines that could not be read (the replay should not start). */
  readonly errors: Diagnostic[];
  /** Warnings: calls a raw replay cannot carry (they are left out). */
  readonly warnings: Diagnostic[];
  /** The version a .zmm `php` line names, if any. */
  readonly php: string | undefined;
  /** The operations in the raw format, one a line, without comments (what the oracle reads). */
  readonly rawText: string;
  /** For each operation, the script variable an `a` or `r` stores its block in (.zmm only). */
  readonly names: (string | undefined)[];
}

const rawTextOf = (ops: readonly RawOp[]): string => ops.map(printRawOp).join('\n') + '\n';

/** Parses `text` of `file` (.zmm by its extension, else raw). Never throws for bad content. */
export function loadTrace(text: string, file: string): LoadedTrace {
  if (!file.toLowerCase().endsWith('.zmm')) {
    const { ops, diagnostics } = parseRawTrace(text, file);
    return { ops, errors: diagnostics, warnings: [], php: undefined, rawText: rawTextOf(ops), names: ops.map(() => undefined) };
  }
  const parsed = parseZmm(text, file);
  const calls = lowerZmm(parsed.statements);
  const raw = zmmToRaw(calls, file);
  let php: string | undefined;
  for (const c of calls) if (c.kind === 'php') php = c.version;
  const lowered = parseRawTrace(raw.lines.join('\n'), file);
  // raw line N came from script line sourceLines[N - 1]
  const ops = lowered.ops.map((o) => ({ ...o, line: raw.sourceLines[o.line - 1] ?? o.line }));
  const errors = [...parsed.diagnostics, ...lowered.diagnostics.map((d) => ({ ...d, line: raw.sourceLines[d.line - 1] ?? d.line }))];
  // each script line holds one call: the variable of an allocation or reallocation is its target
  const targets = new Map<number, string>();
  for (const c of calls) {
    if ((c.kind === 'emalloc' || c.kind === 'erealloc') && c.target !== null) targets.set(c.line, c.target);
  }
  const names = ops.map((o) => (o.op === 'a' || o.op === 'r' ? targets.get(o.line) : undefined));
  return { ops, errors, warnings: raw.diagnostics, php, rawText: rawTextOf(ops), names };
}
