// The value of a persistent-flag argument.

import { ZmmExpr } from './zmmAst';

/** True for `1` and `true`, false for anything else (`0`, `false`). */
export function zmmFlag(e: ZmmExpr | undefined): boolean {
  return e !== undefined && ((e.kind === 'number' && e.value === 1) || (e.kind === 'name' && e.name === 'true'));
}
