// The variable names a .zmm script has bound before a given line (for completion).

import { ZmmStatement } from '../trace/zmm';

/** A name bound by an assignment, with the line of its latest assignment before the cursor. */
export interface ZmmBoundName {
  readonly name: string;
  readonly line: number;
  /** The call that assigned it, e.g. "emalloc(24)". */
  readonly assignedBy: string;
}

/** Names assigned on lines before `line` (1-based), most recently assigned first. */
export function zmmNamesBefore(statements: readonly ZmmStatement[], line: number): ZmmBoundName[] {
  const names = new Map<string, ZmmBoundName>();
  for (const s of statements) {
    if (s.span.line >= line) break;
    if (s.kind === 'call' && s.target !== undefined) {
      const args = s.args.map((a) => (a.kind === 'number' ? a.raw : a.kind === 'string' ? `"${a.raw}"` : a.name)).join(', ');
      names.delete(s.target.name);
      names.set(s.target.name, { name: s.target.name, line: s.span.line, assignedBy: `${s.callee.name}(${args})` });
    }
  }
  return [...names.values()].reverse();
}
