// Parses a whole .zmm script.

import { Diagnostic } from '../diagnostics';
import { checkZmm } from './checkZmm';
import { parseZmmLine } from './parseZmmLine';
import { ZmmStatement } from './zmmAst';

/** A parsed script: one statement per non-blank line, and every problem found. */
export interface ZmmParseResult {
  readonly statements: ZmmStatement[];
  /** Sorted by line, then column. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses `text` (lines end in \n or \r\n) as the script `file`. Never throws: every bad line
 * gets a diagnostic and an `invalid` statement, and parsing goes on with the next line.
 */
export function parseZmm(text: string, file: string): ZmmParseResult {
  const statements: ZmmStatement[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => {
    const r = parseZmmLine(l, i + 1, file);
    if (r.statement !== null) statements.push(r.statement);
    if (r.diagnostic !== undefined) diagnostics.push(r.diagnostic);
  });
  diagnostics.push(...checkZmm(statements, file));
  diagnostics.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return { statements, diagnostics };
}
