// Diagnostics for trace files: where a line is wrong and why.

/** A problem found in a trace, pointing at its file, line and (when known) column. */
export interface Diagnostic {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, when the problem is at a known place in the line. */
  readonly column?: number;
  readonly message: string;
}

/** "file:line: message" or "file:line:column: message". */
export function formatDiagnostic(d: Diagnostic): string {
  return d.column === undefined ? `${d.file}:${d.line}: ${d.message}` : `${d.file}:${d.line}:${d.column}: ${d.message}`;
}
