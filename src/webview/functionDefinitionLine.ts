// Finds where a C function of zend_alloc.c is defined, by its name (not a fixed line), so any
// version's file works: a top-level line naming the function whose parameter list is followed
// by a body `{`, not by `;` (a prototype).

/** Most lines a declarator may span. */
const MAX_DECLARATOR_LINES = 20;

/** The 0-based line of the (first) definition of `func` in C source `text`, or undefined. */
export function functionDefinitionLine(text: string, func: string): number | undefined {
  const lines = text.split('\n');
  const name = new RegExp(`(^|[\\s*])${func.replace(/[^A-Za-z0-9_]/g, '')}\\s*\\(`);
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (/^[\s#/]/.test(first) || !name.test(first)) continue;
    const decl = lines.slice(i, i + MAX_DECLARATOR_LINES).join('\n');
    let depth = 0;
    let k = decl.search(name);
    for (; k < decl.length; k++) {
      const ch = decl[k];
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (depth === 0 && (ch === '{' || ch === ';')) break;
    }
    if (decl[k] === '{') return i;
  }
  return undefined;
}
