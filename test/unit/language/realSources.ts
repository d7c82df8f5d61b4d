// Reads the real zend_alloc.c / zend_alloc.h / zend_alloc_sizes.h of the versions in the
// project's source cache (created by `npm run setup:test`); a missing file fails the test.

import * as fs from 'fs';
import * as path from 'path';

/** Versions whose real allocator sources the cache holds. */
export const CACHED_VERSIONS = ['7.4', '8.2', '8.4'] as const;

const ROOT = path.resolve(__dirname, '../../../..');

/** The three allocator files of `version`, concatenated. */
export function realAllocatorSource(version: string): string {
  const dir = path.join(ROOT, '.cache', 'php-src', version, 'Zend');
  return ['zend_alloc.c', 'zend_alloc.h', 'zend_alloc_sizes.h']
    .map((f) => {
      const file = path.join(dir, f);
      if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run setup:test\` to fetch the real PHP ${version} sources`);
      return fs.readFileSync(file, 'utf8');
    })
    .join('\n');
}

/** The path of a repository file. */
export function repoFile(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}
