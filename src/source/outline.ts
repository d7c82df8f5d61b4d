// The stand-in for a missing zend_alloc.c: a read-only outline, in our own words, of the
// allocator functions the stepper enters and the statements it stops at, with the line of
// every function and anchor in it.

import { SETTINGS_SECTION, SETTING_PHP_SRC } from '../ids';
import { FamilyCatalog, anchorFunction, renderNote } from './anchorCatalog';
import type { StepSourceRequest } from './stepSource';

/** The outline's text and where each function and anchor sits in it (1-based lines). */
export interface Outline {
  readonly name: string;
  readonly text: string;
  readonly functionLines: ReadonlyMap<string, number>;
  readonly anchorLines: ReadonlyMap<string, number>;
}

/** The first line of every outline: what it is, and that it is not PHP's source. */
export const OUTLINE_LABEL = 'ANNOTATED OUTLINE of zend_alloc.c, written for Zend MM Lab. This is NOT PHP\'s source code.';

const FAMILY_WORDS: Record<FamilyCatalog['family'], string> = {
  zend7: 'the PHP 7/8 allocator: 2 MiB chunks of 4 KiB pages, 30 small bins, large page runs, huge blocks',
  zend5: 'the PHP 5 allocator: segments split into blocks, free buckets, the large-block trie, rest buckets',
};

/** Builds the outline of a family for a session. */
export function buildOutline(catalog: FamilyCatalog, request: Pick<StepSourceRequest, 'phpVersion' | 'phpRelease'>): Outline {
  const lines: string[] = [];
  const functionLines = new Map<string, number>();
  const anchorLines = new Map<string, number>();
  const push = (line: string): number => lines.push(line);
  push(`/* ${OUTLINE_LABEL}`);
  push(` * It follows PHP ${request.phpVersion} (${request.phpRelease}), ${FAMILY_WORDS[catalog.family]}.`);
  push(' * Below: each function the stepper enters, and under it each statement a step stops at, with');
  push(' * what that statement does and why (<name> stands for a value the step fills in). Steps point');
  push(' * at these lines while no real source is open.');
  push(' *');
  push(' * To step through the real zend_alloc.c, point the stepper at a php-src checkout (or its Zend/');
  push(` * folder): the "phpSrc" attribute of the launch configuration, or the "${SETTINGS_SECTION}.${SETTING_PHP_SRC}" setting.`);
  push(' * A php-src checkout inside the workspace folder (or one or two levels below it) is found too.');
  push(' */');
  const names = catalog.functions.map((f) => f.name);
  for (const a of catalog.anchors) {
    const f = anchorFunction(a.anchor);
    if (!names.includes(f)) names.push(f);
  }
  for (const name of names) {
    const summary = catalog.functions.find((f) => f.name === name)?.summary;
    push('');
    functionLines.set(name, push(`${name}()`));
    push('{');
    if (summary !== undefined) push(`    /* ${summary} */`);
    for (const a of catalog.anchors) {
      if (anchorFunction(a.anchor) !== name) continue;
      const stmt = a.anchor.slice(name.length + 1);
      anchorLines.set(a.anchor, push(`    [${stmt}] ${renderNote(a)}`));
    }
    push('}');
  }
  return {
    name: `zend_alloc.c (outline, PHP ${request.phpVersion})`,
    text: lines.join('\n') + '\n',
    functionLines,
    anchorLines,
  };
}
