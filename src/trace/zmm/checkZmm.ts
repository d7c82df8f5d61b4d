// Checks of a parsed .zmm script that need more than one line: directive order, names that
// were never assigned, persistent/request memory mix-ups, estrndup lengths.

import { Diagnostic } from '../diagnostics';
import { didYouMean } from './didYouMean';
import { ZmmCallStatement, ZmmStatement } from './zmmAst';
import { zmmFlag } from './zmmFlag';
import { ZMM_FUNCTIONS } from './zmmFunctions';

/** What the checker knows about a variable: where it was last assigned, and which heap. */
interface Binding {
  readonly line: number;
  readonly persistent: boolean;
}

/** Whether a call allocates/reallocates/frees persistent (system allocator) memory. */
function isPersistent(s: ZmmCallStatement): boolean {
  const fn = s.callee.name;
  return (fn === 'pemalloc' || fn === 'pefree') ? zmmFlag(s.args[1]) : fn === 'perealloc' ? zmmFlag(s.args[2]) : false;
}

/**
 * Diagnostics of a whole script's valid statements, in statement order. Freeing or
 * reallocating a name twice is not an error: double frees are what the simulator is for.
 */
export function checkZmm(statements: readonly ZmmStatement[], file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = new Map<string, Binding>();
  let phpLine: number | undefined;
  let firstCallLine: number | undefined;
  for (const s of statements) {
    if (s.kind === 'php') {
      if (phpLine !== undefined) {
        out.push({ file, line: s.span.line, column: s.span.column, message: `'php' appears twice (first on line ${phpLine})` });
      } else if (firstCallLine !== undefined) {
        out.push({ file, line: s.span.line, column: s.span.column, message: `'php' must come before the first allocator call (line ${firstCallLine})` });
      }
      phpLine ??= s.span.line;
      continue;
    }
    if (s.kind !== 'call') continue;
    firstCallLine ??= s.span.line;
    const fn = ZMM_FUNCTIONS.get(s.callee.name)!;
    const persistent = isPersistent(s);
    if (fn.role === 'realloc' || fn.role === 'free') {
      const ptr = s.args[0];
      if (ptr.kind === 'name') {
        const b = names.get(ptr.name);
        const at = { file, line: ptr.span.line, column: ptr.span.column };
        if (b === undefined) {
          const hint = didYouMean(ptr.name, names.keys());
          out.push({ ...at, message: `unknown name '${ptr.name}'` + (hint !== undefined ? `; did you mean '${hint}'?` : ' (nothing is assigned to it before this line)') });
        } else if (b.persistent !== persistent) {
          const fix = b.persistent
            ? fn.role === 'free' ? `pefree(${ptr.name}, 1)` : `perealloc(${ptr.name}, …, 1)`
            : fn.role === 'free' ? `efree(${ptr.name})` : `erealloc(${ptr.name}, …)`;
          const heap = b.persistent ? 'persistent (system allocator) memory' : 'request memory of the Zend heap';
          out.push({ ...at, message: `'${ptr.name}' is ${heap} (assigned on line ${b.line}); use ${fix}` });
        }
      }
    }
    if (s.callee.name === 'estrndup') {
      const [str, len] = s.args;
      if (str.kind === 'string' && len.kind === 'number' && BigInt(len.value) > BigInt(str.bytes.length)) {
        out.push({ file, line: len.span.line, column: len.span.column, message: `estrndup() length ${len.raw} is more than the string's ${str.bytes.length} bytes` });
      }
    }
    if (s.target !== undefined) {
      names.set(s.target.name, { line: s.span.line, persistent });
    }
  }
  return out;
}
