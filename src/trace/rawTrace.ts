// The raw trace format, one operation a line, as recorded and generated traces use it:
//   a ID SIZE   emalloc      f ID   efree      r ID SIZE   erealloc
//   gc | g      zend_mm_gc   l BYTES memory limit           d   dump state     # comment

import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { Diagnostic } from './diagnostics';

/** Largest size or limit a trace may name: SIZE_MAX of a 64-bit build. */
export const MAX_TRACE_NUMBER = 2n ** 64n - 1n;

/**
 * A byte count of a trace: a number when a double holds it exactly (below 2^53), else a
 * bigint (up to SIZE_MAX; such requests only reach the allocator's overflow and error paths).
 */
export type ByteCount = number | bigint;

/** One operation of a raw trace. `line` is 1-based. */
export type RawOp =
  | { readonly op: 'a'; readonly id: string; readonly key: number; readonly size: ByteCount; readonly line: number }
  | { readonly op: 'f'; readonly id: string; readonly key: number; readonly line: number }
  | { readonly op: 'r'; readonly id: string; readonly key: number; readonly size: ByteCount; readonly line: number }
  | { readonly op: 'gc'; readonly line: number }
  | { readonly op: 'l'; readonly limit: ByteCount; readonly line: number }
  | { readonly op: 'd'; readonly line: number };

/** What parsing one line gives: an operation, nothing (blank/comment), or a diagnostic. */
export type RawLineResult = RawOp | Diagnostic | null;

/** True when a parse result is a diagnostic. */
export function isDiagnostic(r: RawLineResult): r is Diagnostic {
  return r !== null && (r as Diagnostic).message !== undefined;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Column (1-based) of the n-th whitespace-separated field of `text`. */
function columnOf(text: string, field: number): number {
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text)) !== null) {
    if (n++ === field) {
      return m.index + 1;
    }
  }
  return text.length + 1;
}

/** IDs of at most this many digits (below 10^9) have a numeric key. */
const MAX_KEY_DIGITS = 9;

/**
 * A trace ID's numeric key, for replays that index blocks by number: its value when it has at
 * most MAX_KEY_DIGITS digits, else -1 (such IDs are kept by their text).
 */
export function traceIdKey(id: string): number {
  return id.length <= MAX_KEY_DIGITS ? Number(id) : -1;
}

/** Parses one line of a raw trace. Never throws. */
export function parseRawLine(text: string, line: number, file: string): RawLineResult {
  const hash = text.indexOf('#');
  const body = (hash >= 0 ? text.slice(0, hash) : text).trim();
  if (body === '') {
    return null;
  }
  const f = body.split(/\s+/);
  const fieldsText = hash >= 0 ? text.slice(0, hash) : text;
  const bad = (field: number, message: string): Diagnostic => ({ file, line, column: columnOf(fieldsText, field), message });
  const id = (field: number): string | Diagnostic =>
    DECIMAL.test(f[field] ?? '') ? f[field] : bad(field, f[field] === undefined ? 'missing ID' : `ID must be an unsigned decimal number, got '${f[field]}'`);
  const num = (field: number, what: string): ByteCount | Diagnostic => {
    const t = f[field];
    if (t === undefined) {
      return bad(field, `missing ${what}`);
    }
    if (!DECIMAL.test(t)) {
      return bad(field, `${what} must be an unsigned decimal number of bytes, got '${t}'`);
    }
    if (t.length < 16) {
      return Number(t);
    }
    const n = BigInt(t);
    if (n > MAX_TRACE_NUMBER) {
      return bad(field, `${what} ${t} does not fit in a size_t (at most ${MAX_TRACE_NUMBER})`);
    }
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  };
  const arity = (n: number): Diagnostic | undefined =>
    f.length > n ? bad(n, `unexpected '${f[n]}' after '${f.slice(0, n).join(' ')}'`) : undefined;

  switch (f[0]) {
    case 'a':
    case 'r': {
      const i = id(1);
      if (typeof i !== 'string') return i;
      const size = num(2, 'SIZE');
      if (typeof size === 'object') return size;
      const extra = arity(3);
      if (extra) return extra;
      return { op: f[0], id: i, key: traceIdKey(i), size, line };
    }
    case 'f': {
      const i = id(1);
      if (typeof i !== 'string') return i;
      return arity(2) ?? { op: 'f', id: i, key: traceIdKey(i), line };
    }
    case 'g':
    case 'gc':
      return arity(1) ?? { op: 'gc', line };
    case 'd':
      return arity(1) ?? { op: 'd', line };
    case 'l': {
      const limit = num(1, 'BYTES');
      if (typeof limit === 'object') return limit;
      return arity(2) ?? { op: 'l', limit, line };
    }
    default:
      return bad(0, `unknown operation '${f[0]}' (expected a, f, r, gc, g, l, d or #)`);
  }
}

/**
 * Reads a raw trace file line by line without loading it whole: yields operations and
 * diagnostics in file order. I/O errors become a diagnostic on line 0.
 */
export function* readRawTrace(path: string, chunkBytes = 1 << 20): Generator<RawOp | Diagnostic> {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    yield { file: path, line: 0, message: `cannot open: ${(e as Error).message}` };
    return;
  }
  try {
    const buf = Buffer.alloc(chunkBytes);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let line = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0) {
        break;
      }
      const text = rest + decoder.write(buf.subarray(0, n));
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) {
        const r = parseRawLine(l, ++line, path);
        if (r !== null) {
          yield r;
        }
      }
    }
    rest += decoder.end();
    if (rest !== '') {
      const r = parseRawLine(rest, ++line, path);
      if (r !== null) {
        yield r;
      }
    }
  } catch (e) {
    yield { file: path, line: 0, message: `cannot read: ${(e as Error).message}` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Parses a whole trace held in memory (tests, editors). */
export function parseRawTrace(text: string, file: string): { ops: RawOp[]; diagnostics: Diagnostic[] } {
  const ops: RawOp[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const r = parseRawLine(lines[i], i + 1, file);
    if (r === null) continue;
    if (isDiagnostic(r)) diagnostics.push(r);
    else ops.push(r);
  }
  return { ops, diagnostics };
}

/** One operation as a raw trace line (a `g` line is written `gc`). */
export function printRawOp(op: RawOp): string {
  switch (op.op) {
    case 'a':
    case 'r':
      return `${op.op} ${op.id} ${op.size}`;
    case 'f':
      return `f ${op.id}`;
    case 'gc':
      return 'gc';
    case 'l':
      return `l ${op.limit}`;
    case 'd':
      return 'd';
  }
}
