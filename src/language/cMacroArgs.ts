// Reads the arguments of a C macro or function call as written on one line, and the literal
// values among them, for hover examples (`emalloc(100)`, `ZEND_MM_SIZE_TO_NUM(5000, ZEND_MM_PAGE_SIZE)`).

import { ZEND_MM_CHUNK_SIZE, ZEND_MM_PAGE_SIZE } from '../engine/zend7/constants';
import { ZEND_MM_ALIGNMENT } from '../engine/zend5/constants';

/** One argument: its text, and its value when it is a literal the hover can compute with. */
export type CArg =
  | { readonly text: string; readonly kind: 'number'; readonly value: number }
  | { readonly text: string; readonly kind: 'string'; readonly bytes: number }
  | { readonly text: string; readonly kind: 'other' };

/** Constants an argument may name, with their values (from the engine's tables). */
const KNOWN_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['ZEND_MM_PAGE_SIZE', ZEND_MM_PAGE_SIZE],
  ['ZEND_MM_CHUNK_SIZE', ZEND_MM_CHUNK_SIZE],
  ['ZEND_MM_ALIGNMENT', ZEND_MM_ALIGNMENT],
]);

/**
 * The arguments of the call whose name ends at `nameEnd` (0-based index into `line`), or
 * undefined when no `(` follows (only blanks between) or the call does not close on this line.
 */
export function callArgsAt(line: string, nameEnd: number): CArg[] | undefined {
  let i = nameEnd;
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (line[i] !== '(') return undefined;
  const parts: string[] = [];
  let depth = 0;
  let start = i + 1;
  for (let j = i + 1; j < line.length; j++) {
    const c = line[j];
    if (c === '"' || c === "'") {
      j = skipQuoted(line, j);
      if (j < 0) return undefined;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) {
        parts.push(line.slice(start, j));
        if (parts.length === 1 && parts[0].trim() === '') return [];
        return parts.map((t) => classify(t.trim()));
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      parts.push(line.slice(start, j));
      start = j + 1;
    }
  }
  return undefined;
}

/** Index of the closing quote of the literal opening at `open`, or -1. */
function skipQuoted(line: string, open: number): number {
  const q = line[open];
  for (let j = open + 1; j < line.length; j++) {
    if (line[j] === '\\') j++;
    else if (line[j] === q) return j;
  }
  return -1;
}

/** A literal's value, a known constant's value, or 'other'. */
function classify(text: string): CArg {
  const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*$/.exec(text);
  if (m !== null) {
    const digits = m[1];
    const value = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : parseInt(digits, 10);
    if (Number.isSafeInteger(value)) return { text, kind: 'number', value };
  }
  const known = KNOWN_CONSTANTS.get(text);
  if (known !== undefined) return { text, kind: 'number', value: known };
  const s = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (s !== null) return { text, kind: 'string', bytes: cStringLength(s[1]) };
  return { text, kind: 'other' };
}

/** strlen of a C string literal's body: UTF-8 bytes, one per escape, stopping at \0. */
function cStringLength(body: string): number {
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      const next = body[i + 1];
      if (next === '0' && !/[0-7]/.test(body[i + 2] ?? '')) return n;
      if (next === 'x') {
        i += 1;
        while (/[0-9a-fA-F]/.test(body[i + 1] ?? '')) i++;
      } else if (/[0-7]/.test(next ?? '')) {
        let k = 0;
        while (k < 3 && /[0-7]/.test(body[i + 1] ?? '')) {
          i++;
          k++;
        }
      } else {
        i++;
      }
      n++;
      continue;
    }
    const cp = body.codePointAt(i)!;
    if (cp > 0xffff) i++;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}
