// Converts lowered .zmm calls to the raw trace format, as far as it can express them.

import { Diagnostic } from '../diagnostics';
import { ZmmCall } from './zmmCall';

/** A raw trace made from a script, and what it could not carry over. */
export interface ZmmRawTrace {
  /** Raw trace lines (`a ID SIZE`, `f ID`, `r ID SIZE`, `gc`, `l BYTES`, `d`, `# …`). */
  readonly lines: string[];
  /** For each raw line, the .zmm line it comes from. */
  readonly sourceLines: number[];
  /** One per call the raw format cannot express, on that call's line. */
  readonly diagnostics: Diagnostic[];
}

/**
 * The raw trace of `calls`. Every Zend-heap allocation gets the next numeric ID (from 1),
 * including anonymous ones and each reassignment of a name; `x = erealloc(y, n)` is `r` of
 * y's ID, and x then names that ID too. The `php` directive becomes a `# php …` comment (the
 * raw format has no version; pass it to the replayer). Not expressible, so skipped with a
 * diagnostic: persistent calls (pemalloc/perealloc/pefree with persistent 1 use the system
 * allocator, outside the Zend heap) and frees/reallocs of names with no Zend-heap block. A
 * `fatal` call ends the trace (PHP stops there) with a `# fatal: …` comment and a diagnostic.
 */
export function zmmToRaw(calls: readonly ZmmCall[], file: string): ZmmRawTrace {
  const lines: string[] = [];
  const sourceLines: number[] = [];
  const diagnostics: Diagnostic[] = [];
  const ids = new Map<string, number>();
  let next = 1;
  const emit = (text: string, line: number): void => {
    lines.push(text);
    sourceLines.push(line);
  };
  const skip = (line: number, message: string): void => {
    diagnostics.push({ file, line, message });
  };
  const idOf = (name: string, line: number, what: string): number | undefined => {
    const id = ids.get(name);
    if (id === undefined) skip(line, `${what} of '${name}' skipped: '${name}' names no Zend-heap block the raw trace knows`);
    return id;
  };
  for (const c of calls) {
    switch (c.kind) {
      case 'php':
        emit(`# php ${c.version}`, c.line);
        break;
      case 'limit':
        emit(`l ${c.bytes}`, c.line);
        break;
      case 'emalloc': {
        const id = next++;
        if (c.target !== null) ids.set(c.target, id);
        emit(`a ${id} ${c.size}`, c.line);
        break;
      }
      case 'erealloc': {
        const id = idOf(c.name, c.line, c.fn);
        if (id === undefined) break;
        ids.set(c.target, id);
        emit(`r ${id} ${c.size}`, c.line);
        break;
      }
      case 'efree': {
        const id = idOf(c.name, c.line, c.fn);
        if (id !== undefined) emit(`f ${id}`, c.line);
        break;
      }
      case 'pemalloc':
      case 'perealloc':
      case 'pefree':
        if (c.kind !== 'pefree' && c.target !== null) ids.delete(c.target);
        skip(c.line, `${c.kind}(…, 1) skipped: persistent memory comes from the system allocator, which the raw trace format cannot express`);
        break;
      case 'gc':
        emit('gc', c.line);
        break;
      case 'dump':
        emit('d', c.line);
        break;
      case 'fatal':
        emit(`# fatal: ${c.message}`, c.line);
        skip(c.line, `${c.fn}() raises a fatal error (${c.message}); the raw trace cannot express it and ends here`);
        return { lines, sourceLines, diagnostics };
    }
  }
  return { lines, sourceLines, diagnostics };
}
