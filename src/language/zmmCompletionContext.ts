// What completion fits at a cursor in a .zmm line: a variable name (an argument whose
// parameter takes a pointer), a function (where a call can start), or nothing.

import { ZMM_FUNCTIONS } from '../trace/zmm';

/** The completion a position calls for. */
export type ZmmCompletionContext = { readonly kind: 'name' } | { readonly kind: 'function' } | { readonly kind: 'none' };

/** Looks at the line's text before the cursor. */
export function zmmCompletionContext(before: string): ZmmCompletionContext {
  if (before.includes('#') || (before.split('"').length - 1) % 2 === 1) return { kind: 'none' };
  const call = /([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)$/.exec(before);
  if (call !== null) {
    const argsSoFar = call[2];
    if (!/(^|,)\s*[A-Za-z_0-9]*$/.test(argsSoFar)) return { kind: 'none' };
    const index = argsSoFar.split(',').length - 1;
    return ZMM_FUNCTIONS.get(call[1])?.params[index]?.type === 'name' ? { kind: 'name' } : { kind: 'none' };
  }
  if (/^\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*=\s*)?[A-Za-z_]*$/.test(before)) return { kind: 'function' };
  return { kind: 'none' };
}
