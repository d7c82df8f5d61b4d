// Splits one line of a .zmm script into tokens.

/** A token of one line; `column` is 1-based, `end` the exclusive end column. */
export type ZmmToken =
  | { readonly kind: 'ident'; readonly text: string; readonly column: number; readonly end: number }
  /** Anything starting with a digit, up to the next delimiter ("24", "0x18", "8.2", "12ab"). */
  | { readonly kind: 'number'; readonly text: string; readonly column: number; readonly end: number }
  /** `raw` is the text between the quotes; `bytes` what it stands for. */
  | { readonly kind: 'string'; readonly text: string; readonly raw: string; readonly bytes: Uint8Array; readonly column: number; readonly end: number }
  | { readonly kind: 'punct'; readonly text: '=' | '(' | ')' | ',' | '-'; readonly column: number; readonly end: number };

/** The tokens of a line, its trailing comment (text after `#`), or the first lexical error. */
export type ZmmLineTokens =
  | { readonly tokens: ZmmToken[]; readonly comment?: string; readonly commentColumn?: number }
  | { readonly error: string; readonly column: number };

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, '"': 34 };

/** How a character is shown in a message: itself when printable, else as a \u escape. */
export function showChar(ch: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? ch : '\\u{' + ch.codePointAt(0)!.toString(16).toUpperCase() + '}';
}

/**
 * Tokenizes one line (without its line break). Whitespace is spaces and tabs; `#` outside a
 * string starts a comment. Never throws.
 */
export function tokenizeZmmLine(text: string): ZmmLineTokens {
  const tokens: ZmmToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') {
      i++;
    } else if (ch === '#') {
      return { tokens, comment: text.slice(i + 1).trimEnd(), commentColumn: i + 1 };
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z0-9_]+/.exec(text.slice(i))!;
      tokens.push({ kind: 'ident', text: m[0], column: i + 1, end: i + 1 + m[0].length });
      i += m[0].length;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9A-Za-z_.]+/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], column: i + 1, end: i + 1 + m[0].length });
      i += m[0].length;
    } else if (ch === '"') {
      const r = readString(text, i);
      if ('error' in r) return r;
      tokens.push({ kind: 'string', text: text.slice(i, r.end), raw: text.slice(i + 1, r.end - 1), bytes: r.bytes, column: i + 1, end: r.end + 1 });
      i = r.end;
    } else if (ch === '=' || ch === '(' || ch === ')' || ch === ',' || ch === '-') {
      tokens.push({ kind: 'punct', text: ch, column: i + 1, end: i + 2 });
      i++;
    } else {
      const c = String.fromCodePoint(text.codePointAt(i)!);
      return { error: `unexpected character '${showChar(c)}'`, column: i + 1 };
    }
  }
  return { tokens };
}

/** Reads the string literal whose opening quote is at index `start`; `end` is past the closing quote. */
function readString(text: string, start: number): { end: number; bytes: Uint8Array } | { error: string; column: number } {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      return { end: i + 1, bytes: Uint8Array.from(bytes) };
    }
    if (ch === '\\') {
      const e = text[i + 1];
      if (e === undefined) break;
      if (e in SIMPLE_ESCAPES) {
        bytes.push(SIMPLE_ESCAPES[e]);
        i += 2;
      } else if (e === 'x') {
        const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(i + 2));
        if (hex === null) {
          return { error: "'\\x' must be followed by exactly two hex digits", column: i + 1 };
        }
        bytes.push(parseInt(hex[0], 16));
        i += 4;
      } else {
        const c = String.fromCodePoint(text.codePointAt(i + 1)!);
        return { error: `unknown escape '\\${showChar(c)}' (use \\n, \\t, \\r, \\0, \\\\, \\" or \\xNN)`, column: i + 1 };
      }
    } else {
      const cp = text.codePointAt(i)!;
      const c = String.fromCodePoint(cp);
      // A lone surrogate encodes as U+FFFD, as TextEncoder does.
      bytes.push(...encoder.encode(c));
      i += c.length;
    }
  }
  return { error: 'unterminated string (missing closing ")', column: start + 1 };
}
