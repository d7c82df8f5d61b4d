// The program a debug session runs: a .zmm script or a raw trace, read into raw operations,
// each tied to the line of the program file it comes from. Bad programs become one error
// naming file:line:column and the problem.

import * as fs from 'fs';
import { Diagnostic, formatDiagnostic } from '../trace/diagnostics';
import { CompiledTraceBuilder } from '../replay/compiledTrace';
import { isDiagnostic, parseRawLine, readRawTrace } from '../trace/rawTrace';
import { lowerZmm, parseZmm, zmmToRaw, ZmmCall } from '../trace/zmm';
import { CompiledProgramOps, ProgramOp, ProgramOpList, ProgramOps } from './programOps';

/** A program ready to run. */
export interface TraceProgram {
  readonly file: string;
  readonly kind: 'zmm' | 'raw';
  readonly ops: ProgramOps;
  /** The version the script's `php` line names, if any. */
  readonly php?: string;
  /** Things the user should know that did not stop the program (calls skipped). */
  readonly warnings: readonly string[];
}

/** A program that cannot run: every line that is wrong, formatted file:line:column: problem. */
export class ProgramError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(ProgramError.describe(diagnostics));
    this.name = 'ProgramError';
  }

  private static describe(ds: readonly Diagnostic[]): string {
    const shown = ds.slice(0, 5).map(formatDiagnostic);
    if (ds.length > 5) shown.push(`… and ${ds.length - 5} more`);
    return shown.join('\n');
  }
}

/** Reads `file` as a .zmm script (by its extension) or a raw trace. Throws ProgramError. */
export function loadTraceProgram(file: string): TraceProgram {
  let text: string;
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a file');
    if (file.endsWith('.zmm')) text = fs.readFileSync(file, 'utf8');
    else return loadRawTrace(file);
  } catch (e) {
    if (e instanceof ProgramError) throw e;
    throw new ProgramError([{ file, line: 0, message: `cannot read the program: ${(e as Error).message}` }]);
  }
  return parseZmmProgram(text, file);
}

/** A .zmm script's text as a program. */
export function parseZmmProgram(text: string, file: string): TraceProgram {
  const parsed = parseZmm(text, file);
  if (parsed.diagnostics.length > 0) throw new ProgramError(parsed.diagnostics);
  const calls = lowerZmm(parsed.statements);
  const raw = zmmToRaw(calls, file);
  const callAt = new Map<number, ZmmCall>();
  let php: string | undefined;
  for (const c of calls) {
    callAt.set(c.line, c);
    if (c.kind === 'php') php = c.version;
  }
  const lines = text.split('\n');
  const ops: ProgramOp[] = [];
  raw.lines.forEach((rawLine, i) => {
    const parsedOp = parseRawLine(rawLine, i + 1, file);
    if (parsedOp === null || isDiagnostic(parsedOp)) return; // comments (`# php`, `# fatal`)
    const line = raw.sourceLines[i];
    const call = callAt.get(line);
    const target = call !== undefined && (call.kind === 'emalloc' || call.kind === 'erealloc') ? call.target ?? undefined : undefined;
    ops.push({ op: parsedOp, line, label: labelOf(lines[line - 1] ?? rawLine), ...(target !== undefined ? { target } : {}) });
  });
  return { file, kind: 'zmm', ops: new ProgramOpList(ops), ...(php !== undefined ? { php } : {}), warnings: raw.diagnostics.map(formatDiagnostic) };
}

/** A raw trace file as a program (read in one pass, line by line, and compiled). */
function loadRawTrace(file: string): TraceProgram {
  const builder = new CompiledTraceBuilder();
  const bad: Diagnostic[] = [];
  for (const item of readRawTrace(file)) {
    if (isDiagnostic(item)) bad.push(item);
    else builder.push(item);
  }
  if (bad.length > 0) throw new ProgramError(bad);
  return { file, kind: 'raw', ops: new CompiledProgramOps(builder.finish()), warnings: [] };
}

/** The line's text without its comment. */
function labelOf(text: string): string {
  const hash = text.indexOf('#');
  return (hash >= 0 ? text.slice(0, hash) : text).trim();
}
