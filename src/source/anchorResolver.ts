// Resolves catalog anchors in one scanned zend_alloc.c: the function by its definition, the
// statement by the entry's patterns inside that function's body. No line numbers are stored.

import { AnchorEntry, anchorFunction } from './anchorCatalog';
import { CFunction, ScannedC } from './cScanner';

/** Where an anchor resolved: its line and the body it was found in. */
export interface ResolvedAnchor {
  readonly line: number;
  readonly func: CFunction;
}

/** Every definition of `name` in the file, in file order. */
export function definitionsOf(file: ScannedC, name: string): CFunction[] {
  return file.functions.filter((f) => f.name === name);
}

/**
 * The offset where the entry's pattern sequence ends up inside `func`'s body: each pattern is
 * searched from the end of the previous match; the result is the start of the last match
 * (its first non-blank character). Undefined when a pattern is not found.
 */
function matchInBody(file: ScannedC, func: CFunction, statement: readonly RegExp[]): number | undefined {
  const body = file.code.slice(func.bodyOpen + 1, func.bodyClose);
  let from = 0;
  let start = -1;
  for (const pattern of statement) {
    const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
    re.lastIndex = from;
    const m = re.exec(body);
    if (m === null) return undefined;
    start = m.index + (m[0].length - m[0].trimStart().length);
    from = m.index + Math.max(m[0].length, 1);
  }
  return start < 0 ? undefined : func.bodyOpen + 1 + start;
}

/** Resolves one anchor: its own function's definitions first, then the entry's `within` ones. */
export function resolveAnchor(file: ScannedC, entry: AnchorEntry): ResolvedAnchor | undefined {
  for (const name of [anchorFunction(entry.anchor), ...(entry.within ?? [])]) {
    for (const func of definitionsOf(file, name)) {
      const offset = matchInBody(file, func, entry.statement);
      if (offset !== undefined) {
        return { line: file.lineAt(offset), func };
      }
    }
  }
  return undefined;
}
