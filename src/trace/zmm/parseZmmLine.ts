// Parses one line of a .zmm script into a statement, or an invalid line and its diagnostic.

import { Diagnostic } from '../diagnostics';
import { MAX_TRACE_NUMBER } from '../rawTrace';
import { didYouMean } from './didYouMean';
import { parseZmmNumber } from './parseZmmNumber';
import { tokenizeZmmLine, ZmmToken } from './tokenizeZmmLine';
import { ZmmCallStatement, ZmmExpr, ZmmSpan, ZmmStatement } from './zmmAst';
import { ZMM_FUNCTIONS, ZMM_RESERVED_NAMES, ZmmParamType } from './zmmFunctions';
import { ZMM_PHP_VERSIONS, zmmVersionOf } from './zmmVersions';

/** What one line gives: nothing (blank), a statement, and at most one diagnostic. */
export interface ZmmLineResult {
  readonly statement: ZmmStatement | null;
  readonly diagnostic?: Diagnostic;
}

/** Signals the first syntax error of a line (internal to this module). */
class LineError {
  constructor(
    readonly column: number,
    readonly message: string,
  ) {}
}

const DIRECTIVES = ['php', 'limit'];

/** How an argument is named in a message. */
function describe(e: ZmmExpr): string {
  switch (e.kind) {
    case 'number':
      return e.raw;
    case 'string':
      return 'a string';
    case 'name':
      return `'${e.name}'`;
  }
}

/** Whether an argument fits a parameter type. */
function fits(e: ZmmExpr, type: ZmmParamType): boolean {
  switch (type) {
    case 'size':
      return e.kind === 'number';
    case 'string':
      return e.kind === 'string';
    case 'name':
      return e.kind === 'name' && !ZMM_RESERVED_NAMES.has(e.name);
    case 'flag':
      return (e.kind === 'number' && (e.value === 0 || e.value === 1)) || (e.kind === 'name' && ZMM_RESERVED_NAMES.has(e.name));
  }
}

const EXPECTED: Readonly<Record<ZmmParamType, string>> = {
  size: 'a number',
  string: 'a string literal',
  name: 'a variable name',
  flag: '0, 1, true or false',
};

/**
 * Parses one line (without its line break; a trailing \r is ignored) as line `line` of `file`.
 * Never throws: a line that does not parse becomes an `invalid` statement with a diagnostic.
 */
export function parseZmmLine(rawText: string, line: number, file: string): ZmmLineResult {
  const text = rawText.replace(/[ \t\r]+$/, '');
  const lead = /^[ \t]*/.exec(text)![0].length;
  const lexed = tokenizeZmmLine(text);
  const invalid = (column: number, message: string): ZmmLineResult => ({
    statement: { kind: 'invalid', text: text.slice(lead), span: { line, column: lead + 1, endColumn: text.length + 1 } },
    diagnostic: { file, line, column, message },
  });
  if ('error' in lexed) {
    return invalid(lexed.column, lexed.error);
  }
  const { tokens } = lexed;
  if (tokens.length === 0) {
    if (lexed.comment === undefined) return { statement: null };
    return { statement: { kind: 'comment', text: lexed.comment, span: { line, column: lexed.commentColumn!, endColumn: text.length + 1 } } };
  }
  const last = tokens[tokens.length - 1];
  const span: ZmmSpan = { line, column: tokens[0].column, endColumn: last.end };
  const withComment = <T extends ZmmStatement>(s: T): T => (lexed.comment === undefined ? s : { ...s, comment: lexed.comment });
  try {
    const first = tokens[0];
    const second = tokens[1] as ZmmToken | undefined;
    if (first.kind === 'ident' && DIRECTIVES.includes(first.text) && !(second?.kind === 'punct' && (second.text === '(' || second.text === '='))) {
      return { statement: withComment(first.text === 'php' ? parsePhp(tokens, span) : parseLimit(tokens, span)) };
    }
    return { statement: withComment(parseCall(tokens, span)) };
  } catch (e) {
    if (e instanceof LineError) return invalid(e.column, e.message);
    throw e;
  }
}

/** Fails unless `tokens` ends at index `n`. */
function expectEnd(tokens: readonly ZmmToken[], n: number): void {
  if (tokens.length > n) {
    throw new LineError(tokens[n].column, `unexpected '${tokens[n].text}' after the end of the statement`);
  }
}

/** `php VERSION` */
function parsePhp(tokens: readonly ZmmToken[], span: ZmmSpan): ZmmStatement {
  const v = tokens[1];
  const supported = ZMM_PHP_VERSIONS.join(', ');
  if (v === undefined) {
    throw new LineError(tokens[0].end, `missing PHP version after 'php' (supported: ${supported})`);
  }
  if (v.kind !== 'number' || zmmVersionOf(v.text) === undefined) {
    throw new LineError(v.column, `unknown PHP version '${v.text}' (supported: ${supported})`);
  }
  expectEnd(tokens, 2);
  return { kind: 'php', version: v.text, versionSpan: { line: span.line, column: v.column, endColumn: v.end }, span };
}

/** `limit QUANTITY` or `limit -1` */
function parseLimit(tokens: readonly ZmmToken[], span: ZmmSpan): ZmmStatement {
  const v = tokens[1];
  if (v === undefined) {
    throw new LineError(tokens[0].end, "missing value after 'limit' (bytes, e.g. 128M, or -1 for no limit)");
  }
  const valueSpan = (end: number): ZmmSpan => ({ line: span.line, column: v.column, endColumn: end });
  if (v.kind === 'punct' && v.text === '-') {
    const n = tokens[2];
    if (n === undefined || n.kind !== 'number' || n.column !== v.end || n.text !== '1') {
      throw new LineError(v.column, "the only negative limit is -1 (no limit)");
    }
    expectEnd(tokens, 3);
    return { kind: 'limit', raw: '-1', bytes: MAX_TRACE_NUMBER, unlimited: true, valueSpan: valueSpan(n.end), span };
  }
  if (v.kind !== 'number') {
    throw new LineError(v.column, `expected a number of bytes after 'limit' (e.g. 128M, or -1 for no limit), got '${v.text}'`);
  }
  const r = parseZmmNumber(v.text);
  if ('error' in r) {
    throw new LineError(v.column, r.error);
  }
  expectEnd(tokens, 2);
  return { kind: 'limit', raw: v.text, bytes: r.value, unlimited: false, valueSpan: valueSpan(v.end), span };
}

/** `[target =] callee(args…)` */
function parseCall(tokens: readonly ZmmToken[], span: ZmmSpan): ZmmCallStatement {
  let pos = 0;
  let target: ZmmCallStatement['target'];
  const first = tokens[0];
  const at = (t: ZmmToken): ZmmSpan => ({ line: span.line, column: t.column, endColumn: t.end });
  if (first.kind !== 'ident') {
    throw new LineError(first.column, `expected a statement (a call such as emalloc(24), 'php' or 'limit'), got '${first.text}'`);
  }
  if (tokens[1]?.kind === 'punct' && tokens[1].text === '=') {
    if (ZMM_RESERVED_NAMES.has(first.text)) {
      throw new LineError(first.column, `'${first.text}' is reserved and cannot name a variable`);
    }
    target = { name: first.text, span: at(first) };
    pos = 2;
    const c = tokens[2];
    if (c === undefined) {
      throw new LineError(tokens[1].end, "expected a call such as emalloc(24) after '='");
    }
    if (c.kind !== 'ident') {
      throw new LineError(c.column, `expected a call such as emalloc(24) after '=', got '${c.text}'`);
    }
  }
  const calleeTok = tokens[pos];
  const callee = { name: calleeTok.text, span: at(calleeTok) };
  const fn = ZMM_FUNCTIONS.get(callee.name);
  const open = tokens[pos + 1];
  if (open === undefined || open.text !== '(' || open.kind !== 'punct') {
    if (fn === undefined && target === undefined) {
      throw new LineError(calleeTok.column, unknownMessage('statement', callee.name, [...ZMM_FUNCTIONS.keys(), ...DIRECTIVES]));
    }
    if (open === undefined) {
      throw new LineError(calleeTok.end, `expected '(' after '${callee.name}'`);
    }
    throw new LineError(open.column, `expected '(' after '${callee.name}', got '${open.text}'`);
  }
  pos += 2;
  const args: ZmmExpr[] = [];
  let close = tokens[pos];
  const missingClose = (): LineError => new LineError(tokens[tokens.length - 1].end, `missing ')' to close '${callee.name}('`);
  if (close?.kind === 'punct' && close.text === ')') {
    pos++;
  } else {
    for (;;) {
      const t = tokens[pos];
      if (t === undefined) throw missingClose();
      args.push(parseArg(tokens, pos, span.line));
      const sep = tokens[++pos];
      if (sep === undefined) throw missingClose();
      if (sep.kind === 'punct' && sep.text === ',') {
        pos++;
        continue;
      }
      if (sep.kind === 'punct' && sep.text === ')') {
        close = sep;
        pos++;
        break;
      }
      throw new LineError(sep.column, `expected ',' or ')' after an argument of ${callee.name}(), got '${sep.text}'`);
    }
  }
  expectEnd(tokens, pos);
  if (fn === undefined) {
    throw new LineError(calleeTok.column, unknownMessage('function', callee.name, ZMM_FUNCTIONS.keys()));
  }
  const params = fn.params;
  if (args.length !== params.length) {
    const names = params.map((p) => p.name).join(', ');
    const message = `${fn.name}() takes ${params.length} argument${params.length === 1 ? '' : 's'}${names === '' ? '' : ` (${names})`}, got ${args.length}`;
    throw new LineError(args.length > params.length ? args[params.length].span.column : close.column, message);
  }
  args.forEach((a, i) => {
    if (!fits(a, params[i].type)) {
      throw new LineError(a.span.column, `${params[i].name} of ${fn.name}() must be ${EXPECTED[params[i].type]}, got ${describe(a)}`);
    }
  });
  if (target !== undefined && (fn.role === 'free' || fn.role === 'other')) {
    throw new LineError(target.span.column, `${fn.name}() returns nothing to assign to '${target.name}'`);
  }
  if (target === undefined && fn.role === 'realloc') {
    const ptr = (args[0] as { name: string }).name;
    throw new LineError(callee.span.column, `the result of ${fn.name}() must be assigned: write ${ptr} = ${fn.name}(${ptr}, …)`);
  }
  return target === undefined ? { kind: 'call', callee, args, span } : { kind: 'call', target, callee, args, span };
}

/** One argument starting at `tokens[pos]`. */
function parseArg(tokens: readonly ZmmToken[], pos: number, line: number): ZmmExpr {
  const t = tokens[pos];
  const span: ZmmSpan = { line, column: t.column, endColumn: t.end };
  switch (t.kind) {
    case 'number': {
      const r = parseZmmNumber(t.text);
      if ('error' in r) throw new LineError(t.column, r.error);
      return { kind: 'number', raw: t.text, value: r.value, span };
    }
    case 'string':
      return { kind: 'string', raw: t.raw, bytes: t.bytes, span };
    case 'ident':
      return { kind: 'name', name: t.text, span };
    case 'punct':
      if (t.text === '-' && tokens[pos + 1]?.kind === 'number') {
        throw new LineError(t.column, `sizes are unsigned: -${tokens[pos + 1].text} is not allowed (write SIZE_MAX as 0xffffffffffffffff)`);
      }
      throw new LineError(t.column, `expected an argument, got '${t.text}'`);
  }
}

/** "unknown function 'x'; did you mean 'y'?" or the list of what is known. */
function unknownMessage(what: string, name: string, known: Iterable<string>): string {
  const all = [...known];
  const s = didYouMean(name, all);
  return s !== undefined ? `unknown ${what} '${name}'; did you mean '${s}'?` : `unknown ${what} '${name}' (expected one of: ${all.join(', ')})`;
}
