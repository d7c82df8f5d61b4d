// Lowers parsed .zmm statements to allocator calls with their byte counts.

import { ByteCount, MAX_TRACE_NUMBER } from '../rawTrace';
import { toByteCount } from './parseZmmNumber';
import { safeAddress } from './safeAddress';
import { ZmmCallStatement, ZmmExpr, ZmmStatement } from './zmmAst';
import { ZmmAllocFunction, ZmmCall } from './zmmCall';
import { zmmFlag } from './zmmFlag';

/** The value of a size argument (the parser guarantees it is a number). */
function num(e: ZmmExpr): ByteCount {
  return e.kind === 'number' ? e.value : 0;
}

/** The name of a pointer argument (the parser guarantees it is a name). */
function nameOf(e: ZmmExpr): string {
  return e.kind === 'name' ? e.name : '';
}

/** The bytes of a string argument (the parser guarantees it is a string). */
function bytesOf(e: ZmmExpr): Uint8Array {
  return e.kind === 'string' ? e.bytes : new Uint8Array();
}

/** strlen: bytes before the first NUL. */
function strlen(b: Uint8Array): number {
  const nul = b.indexOf(0);
  return nul < 0 ? b.length : nul;
}

/**
 * The calls of `statements`, in order. Comments and invalid lines are skipped; a call the
 * checker flagged (an unknown name, say) is still lowered as written. Sizes:
 * ecalloc(n, s) = n * s, safe_emalloc(n, s, o) = n * s + o (an overflow becomes a `fatal` call
 * with PHP's message), estrdup(s) = strlen(s) + 1 bytes (UTF-8; stops at the first \0),
 * estrndup(s, n) = n + 1. Throws only for a call to a function parseZmm does not know.
 */
export function lowerZmm(statements: readonly ZmmStatement[]): ZmmCall[] {
  const out: ZmmCall[] = [];
  for (const s of statements) {
    switch (s.kind) {
      case 'php':
        out.push({ kind: 'php', version: s.version, line: s.span.line });
        break;
      case 'limit':
        out.push({ kind: 'limit', bytes: s.bytes, unlimited: s.unlimited, line: s.span.line });
        break;
      case 'call':
        out.push(lowerCall(s));
        break;
      case 'comment':
      case 'invalid':
        break;
    }
  }
  return out;
}

/** One call statement. */
function lowerCall(s: ZmmCallStatement): ZmmCall {
  const line = s.span.line;
  const a = s.args;
  const target = s.target?.name ?? null;
  const alloc = (fn: ZmmAllocFunction, size: ByteCount): ZmmCall => ({ kind: 'emalloc', target, size, fn, line });
  const safe = (fn: ZmmAllocFunction, r: { size: ByteCount } | { error: string }): ZmmCall =>
    'error' in r ? { kind: 'fatal', fn, target, message: r.error, line } : alloc(fn, r.size);
  const fn = s.callee.name;
  switch (fn) {
    case 'emalloc':
      return alloc(fn, num(a[0]));
    case 'ecalloc':
      return safe(fn, safeAddress(num(a[0]), num(a[1]), 0));
    case 'safe_emalloc':
      return safe(fn, safeAddress(num(a[0]), num(a[1]), num(a[2])));
    case 'estrdup':
      return alloc(fn, strlen(bytesOf(a[0])) + 1);
    case 'estrndup': {
      const n = BigInt(num(a[1])) + 1n;
      return n > MAX_TRACE_NUMBER ? { kind: 'fatal', fn, target, message: `Possible integer overflow in memory allocation (1 * ${num(a[1])} + 1)`, line } : alloc(fn, toByteCount(n));
    }
    case 'pemalloc':
      return zmmFlag(a[1]) ? { kind: 'pemalloc', target, size: num(a[0]), persistent: true, line } : alloc(fn, num(a[0]));
    case 'erealloc':
    case 'perealloc': {
      const r = { target: target ?? nameOf(a[0]), name: nameOf(a[0]), size: num(a[1]), line };
      return fn === 'perealloc' && zmmFlag(a[2]) ? { kind: 'perealloc', ...r, persistent: true } : { kind: 'erealloc', ...r, fn };
    }
    case 'efree':
      return { kind: 'efree', name: nameOf(a[0]), fn, line };
    case 'pefree':
      return zmmFlag(a[1]) ? { kind: 'pefree', name: nameOf(a[0]), persistent: true, line } : { kind: 'efree', name: nameOf(a[0]), fn, line };
    case 'dump':
      return { kind: 'dump', line };
    case 'gc':
      return { kind: 'gc', line };
    default:
      throw new Error(`lowerZmm: unknown function '${fn}' on line ${line} (lower only what parseZmm accepted)`);
  }
}
