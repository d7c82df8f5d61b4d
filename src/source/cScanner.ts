// A small C scanner for zend_alloc.c: blanks comments, preprocessor lines and code a Linux
// release build does not compile (`#if 0`, `#if ZEND_DEBUG`, Windows-only branches), then finds
// every function definition and its body.
// Offsets into the blanked text are offsets into the original text (same length, same lines).

/** One function definition: where its name is and where its body starts and ends. */
export interface CFunction {
  readonly name: string;
  /** 1-based line of the function's name in its signature. */
  readonly nameLine: number;
  /** Offsets of the body's `{` and its matching `}`. */
  readonly bodyOpen: number;
  readonly bodyClose: number;
  /** 1-based lines of the body's `{` and `}`. */
  readonly firstLine: number;
  readonly lastLine: number;
}

/** A scanned C file. */
export interface ScannedC {
  /** The text with comments, preprocessor lines and disabled code replaced by spaces. */
  readonly code: string;
  /** Function definitions in file order (a name may repeat under different #if branches). */
  readonly functions: readonly CFunction[];
  /** 1-based line of an offset. */
  lineAt(offset: number): number;
}

/** What a preprocessor condition is known to be in a release build: true, false, or unknown. */
type Known = boolean | undefined;

/** Conditions we decide; every other condition keeps both branches. */
function evalCondition(directive: string, cond: string): Known {
  const c = cond.replace(/\s+/g, '');
  // the engine follows Linux builds: Windows-only branches are not compiled
  if (directive === 'ifdef' || directive === 'ifndef') {
    return WINDOWS_MACROS.has(c) ? directive === 'ifndef' : undefined;
  }
  const defined = /^(!?)defined\(?(\w+)\)?$/.exec(c);
  if (defined !== null) {
    return WINDOWS_MACROS.has(defined[2]) ? defined[1] === '!' : undefined;
  }
  // release builds: ZEND_DEBUG is 0; `#if 0` blocks are disabled code
  if (c === '0' || c === 'ZEND_DEBUG' || c === '(ZEND_DEBUG)') {
    return false;
  }
  if (c === '1' || c === '!ZEND_DEBUG') {
    return true;
  }
  return undefined;
}

/** Macros defined only when building for Windows. */
const WINDOWS_MACROS = new Set(['ZEND_WIN32', '_WIN32', '_WIN64', 'PHP_WIN32']);

interface CondFrame {
  /** The enclosing group is live. */
  readonly parentLive: boolean;
  /** This branch is live. */
  live: boolean;
  /** A branch of the group was certainly taken (true), none yet (false), or unknown. */
  taken: Known;
  /**
   * The same for the structure view, which keeps only the first possible branch of a group
   * (as ctags does): branches like `#ifdef A  if (x) {  #else  if (y) {  #endif` would
   * otherwise open two braces for one close.
   */
  readonly parentStruct: boolean;
  struct: boolean;
  structTaken: boolean;
}

/**
 * Replaces comments, directives and disabled regions by spaces, keeping newlines: `code` keeps
 * every branch that may be compiled, `structure` only the first such branch of each group.
 */
function blank(text: string): { code: string; structure: string } {
  const out = text.split('');
  const struct = text.split('');
  const n = text.length;
  const stack: CondFrame[] = [];
  const live = (): boolean => stack.length === 0 || stack[stack.length - 1].live;
  const structLive = (): boolean => stack.length === 0 || stack[stack.length - 1].struct;
  let atLineStart = true;
  let i = 0;
  const space = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (out[k] !== '\n') out[k] = ' ';
    }
  };
  /** Skips a block comment starting at `from` ("/*"); returns the offset after it. */
  const blockCommentEnd = (from: number): number => {
    const end = text.indexOf('*/', from + 2);
    return end < 0 ? n : end + 2;
  };
  while (i < n) {
    const ch = text[i];
    if (ch === '\n') {
      atLineStart = true;
      i++;
      continue;
    }
    if (atLineStart && (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v')) {
      i++;
      continue;
    }
    if (atLineStart && ch === '#') {
      // a directive runs to the first newline not escaped by a backslash
      const start = i;
      let j = i + 1;
      let directiveText = '';
      while (j < n && text[j] !== '\n') {
        if (text[j] === '\\' && text[j + 1] === '\n') {
          j += 2;
          directiveText += ' ';
          continue;
        }
        if (text[j] === '/' && text[j + 1] === '*') {
          j = blockCommentEnd(j);
          directiveText += ' ';
          continue;
        }
        if (text[j] === '/' && text[j + 1] === '/') {
          while (j < n && text[j] !== '\n') j++;
          break;
        }
        directiveText += text[j];
        j++;
      }
      space(start, j);
      applyDirective(directiveText, stack, live(), structLive());
      i = j;
      continue;
    }
    atLineStart = false;
    if (!structLive() && ch !== '\n') {
      struct[i] = ' ';
    }
    // comments are blanked in live and disabled code alike: in disabled code too, so that a
    // quote or a comment opener inside one does not swallow the directive ending the region
    if (ch === '/' && text[i + 1] === '*') {
      const end = blockCommentEnd(i);
      space(i, end);
      i = end;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      let j = i;
      while (j < n && text[j] !== '\n') j++;
      space(i, j);
      i = j;
      continue;
    }
    if (!live()) {
      // disabled code: blanked (its literals need no care: a quote in it is blanked too)
      if (ch !== '\n') out[i] = ' ';
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i = literalEnd(text, i);
      continue;
    }
    i++;
  }
  // what the code view blanked (comments, directives) is blank in the structure view too
  for (let k = 0; k < n; k++) {
    if (out[k] === ' ' && text[k] !== ' ') struct[k] = ' ';
  }
  return { code: out.join(''), structure: struct.join('') };
}

/** The offset after a string or character literal starting at `from` (stops at a newline). */
function literalEnd(text: string, from: number): number {
  const quote = text[from];
  let j = from + 1;
  while (j < text.length && text[j] !== quote && text[j] !== '\n') {
    j += text[j] === '\\' ? 2 : 1;
  }
  return j < text.length && text[j] === quote ? j + 1 : j;
}

/** Updates the conditional stack for one directive (text after '#'). */
function applyDirective(directive: string, stack: CondFrame[], liveNow: boolean, structNow: boolean): void {
  const m = /^\s*(\w+)\s*([\s\S]*)$/.exec(directive);
  if (m === null) return;
  const [, word, rest] = m;
  const top = stack[stack.length - 1];
  switch (word) {
    case 'if':
    case 'ifdef':
    case 'ifndef': {
      const v = evalCondition(word, rest);
      const struct = structNow && v !== false;
      stack.push({ parentLive: liveNow, live: liveNow && v !== false, taken: v, parentStruct: structNow, struct, structTaken: struct });
      return;
    }
    case 'elif': {
      if (top === undefined) return;
      if (top.taken === true) {
        top.live = false;
        return;
      }
      const v = evalCondition('if', rest);
      top.live = top.parentLive && v !== false;
      top.taken = top.taken === false ? v : v === true ? true : undefined;
      top.struct = top.parentStruct && !top.structTaken && top.live;
      top.structTaken ||= top.struct;
      return;
    }
    case 'else':
      if (top === undefined) return;
      top.live = top.parentLive && top.taken !== true;
      top.taken = top.taken === false ? true : top.taken;
      top.struct = top.parentStruct && !top.structTaken && top.live;
      top.structTaken ||= top.struct;
      return;
    case 'endif':
      stack.pop();
      return;
    default:
      return;
  }
}

const NOT_FUNCTIONS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'defined']);

/** Scans C text: blanks what is not live code and finds function definitions. */
export function scanC(text: string): ScannedC {
  const { code, structure } = blank(text);
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') lineStarts.push(i + 1);
  }
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const functions: CFunction[] = [];
  let depth = 0;
  let open = -1;
  let name: { name: string; offset: number } | null = null;
  for (let i = 0; i < structure.length; i++) {
    const ch = structure[i];
    if (ch === '"' || ch === "'") {
      i = literalEnd(structure, i) - 1;
      continue;
    }
    if (ch === '{') {
      if (depth === 0) {
        open = i;
        name = functionNameBefore(structure, i);
      }
      depth++;
    } else if (ch === '}') {
      if (depth === 0) continue; // unbalanced: ignore a stray brace
      depth--;
      if (depth === 0 && name !== null) {
        functions.push({
          name: name.name,
          nameLine: lineAt(name.offset),
          bodyOpen: open,
          bodyClose: i,
          firstLine: lineAt(open),
          lastLine: lineAt(i),
        });
        name = null;
      }
    }
  }
  return { code, functions, lineAt };
}

/**
 * The function whose body opens at `brace`, when the text before it is a signature:
 * `name ( params ) [MACROS] {`. Initialisers (`= {`), structs and enums give null.
 */
function functionNameBefore(code: string, brace: number): { name: string; offset: number } | null {
  let j = brace - 1;
  const skipSpace = (): void => {
    while (j >= 0 && /\s/.test(code[j])) j--;
  };
  skipSpace();
  // trailing attribute macros between ')' and '{' (upper-case words)
  while (j >= 0 && /[A-Z0-9_]/.test(code[j])) {
    const end = j;
    while (j >= 0 && /\w/.test(code[j])) j--;
    if (!/^[A-Z_][A-Z0-9_]*$/.test(code.slice(j + 1, end + 1))) return null;
    skipSpace();
  }
  if (code[j] !== ')') return null;
  let parens = 0;
  for (; j >= 0; j--) {
    if (code[j] === ')') parens++;
    else if (code[j] === '(') {
      parens--;
      if (parens === 0) break;
    } else if (code[j] === ';' || code[j] === '}' || code[j] === '{') {
      return null;
    }
  }
  if (j < 0) return null;
  j--;
  skipSpace();
  const end = j + 1;
  while (j >= 0 && /\w/.test(code[j])) j--;
  const id = code.slice(j + 1, end);
  if (!/^[A-Za-z_]\w*$/.test(id) || NOT_FUNCTIONS.has(id)) return null;
  return { name: id, offset: j + 1 };
}
