// Where zend_alloc.c may be, from the zendMm.phpSrc setting (a php-src checkout, its Zend/
// folder, or the file itself) or the workspace folders. Pure: the caller checks which exist.

import * as path from 'path';

/** Candidate paths of zend_alloc.c, most specific first. */
export function zendAllocCandidates(phpSrc: string, workspaceFolders: readonly string[]): string[] {
  const setting = phpSrc.trim();
  if (setting !== '') {
    const bases = path.isAbsolute(setting) ? [setting] : workspaceFolders.map((f) => path.join(f, setting));
    return bases.flatMap((b) => (b.endsWith('.c') ? [b] : [path.join(b, 'Zend', 'zend_alloc.c'), path.join(b, 'zend_alloc.c')]));
  }
  return workspaceFolders.flatMap((f) => [path.join(f, 'Zend', 'zend_alloc.c'), path.join(f, 'zend_alloc.c')]);
}

/** The message when no candidate exists. */
export function noZendAllocMessage(phpSrc: string, tried: readonly string[]): string {
  const how = 'Set "zendMm.phpSrc" to a php-src checkout (or its Zend/ folder) of the version you follow, e.g. from `git clone --depth 1 -b PHP-8.2 https://github.com/php/php-src`.';
  if (phpSrc.trim() === '') return `No zend_alloc.c in the workspace folders. ${how}`;
  return `No zend_alloc.c found from zendMm.phpSrc "${phpSrc}" (tried ${tried.join(', ')}). ${how}`;
}
