// Every problem of a .zmm script as the editor shows it: the parser's and checker's
// diagnostics with the span of the token they point at, plus what running the script found.

import { Diagnostic } from '../trace/diagnostics';
import { parseZmm } from '../trace/zmm';
import { tokenizeZmmLine } from '../trace/zmm/tokenizeZmmLine';
import { ActiveProfile } from './activeProfile';
import { simulateZmm, ZmmSimulation } from './zmmSimulation';

/** One problem with a precise range: 1-based line, 1-based columns, endColumn exclusive. */
export interface ZmmProblem {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/**
 * The span of the token a diagnostic points at: from its column to the end of that token;
 * to the end of the line when the line does not tokenize (an unterminated string); one
 * column when it points past the last token (something is missing there).
 */
export function diagnosticSpan(lineText: string, d: Diagnostic): { column: number; endColumn: number } {
  const text = lineText.replace(/\r$/, '');
  const column = d.column ?? firstNonBlank(text);
  const lexed = tokenizeZmmLine(text);
  if ('error' in lexed) return { column, endColumn: Math.max(column + 1, text.trimEnd().length + 1) };
  const token = lexed.tokens.find((t) => t.column <= column && column < t.end);
  if (token !== undefined) return { column, endColumn: token.end };
  if (d.column === undefined) return { column, endColumn: Math.max(column + 1, text.trimEnd().length + 1) };
  return { column, endColumn: column + 1 };
}

function firstNonBlank(text: string): number {
  const m = /\S/.exec(text);
  return m === null ? 1 : m.index + 1;
}

/** The problems of `text` (the script `file`) and the run they come from. */
export function zmmProblems(text: string, file: string, fallback: ActiveProfile): { problems: ZmmProblem[]; simulation: ZmmSimulation } {
  const lines = text.split('\n');
  const parsed = parseZmm(text, file);
  const problems: ZmmProblem[] = parsed.diagnostics.map((d) => ({
    line: d.line,
    ...diagnosticSpan(lines[d.line - 1] ?? '', d),
    severity: 'error' as const,
    message: d.message,
  }));
  const simulation = simulateZmm(text, file, fallback, { parsed });
  for (const i of simulation.issues) {
    problems.push({ line: i.line, column: i.column, endColumn: i.endColumn, severity: i.severity, message: i.message });
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { problems, simulation };
}
