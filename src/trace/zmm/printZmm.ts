// Prints .zmm statements as canonical text.

import { ZmmExpr, ZmmStatement } from './zmmAst';

/** One argument as written. */
function printExpr(e: ZmmExpr): string {
  switch (e.kind) {
    case 'number':
      return e.raw;
    case 'string':
      return `"${e.raw}"`;
    case 'name':
      return e.name;
  }
}

/** One statement on one line, without indentation. */
export function printZmmStatement(s: ZmmStatement): string {
  const withComment = (body: string, comment: string | undefined): string => (comment === undefined ? body : `${body}  #${comment}`);
  switch (s.kind) {
    case 'php':
      return withComment(`php ${s.version}`, s.comment);
    case 'limit':
      return withComment(`limit ${s.raw}`, s.comment);
    case 'call': {
      const call = `${s.callee.name}(${s.args.map(printExpr).join(', ')})`;
      return withComment(s.target === undefined ? call : `${s.target.name} = ${call}`, s.comment);
    }
    case 'comment':
      return `#${s.text}`;
    case 'invalid':
      return s.text;
  }
}

/**
 * Canonical text of a script: no indentation, single spaces (`a = emalloc(24)`, `f(x, y)`),
 * two spaces before a trailing comment, literals and comments as written, invalid lines
 * verbatim. Each statement stays on its line: blank lines are re-inserted up to the
 * statement's `span.line`, so line numbers (and diagnostics) survive a reformat. Ends with a
 * line break unless empty. Parsing the result gives the same statements up to columns.
 */
export function printZmm(statements: readonly ZmmStatement[]): string {
  const out: string[] = [];
  for (const s of statements) {
    while (out.length + 1 < s.span.line) out.push('');
    out.push(printZmmStatement(s));
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
