// Shared helpers of the .zmm tests.

import * as assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../../src/trace/diagnostics';
import { parseZmm } from '../../../../src/trace/zmm/parseZmm';
import { ZmmStatement } from '../../../../src/trace/zmm/zmmAst';

/** The file name every test parses under. */
export const FILE = 't.zmm';

/** Parses `text` and returns its diagnostics formatted as file:line:col: message. */
export function diagnosticsOf(text: string): string[] {
  return parseZmm(text, FILE).diagnostics.map(formatDiagnostic);
}

/** Parses `text`, which must have no diagnostics, and returns its statements. */
export function statementsOf(text: string): ZmmStatement[] {
  const r = parseZmm(text, FILE);
  assert.deepEqual(r.diagnostics, [], `unexpected diagnostics for ${JSON.stringify(text)}`);
  return r.statements;
}

/** A deep copy of `v` with every `column` and `endColumn` removed (lines kept). */
export function withoutColumns(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutColumns);
  if (v instanceof Uint8Array) return v;
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'column' && k !== 'endColumn').map(([k, x]) => [k, withoutColumns(x)]));
  }
  return v;
}
