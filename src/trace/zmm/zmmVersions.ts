// The PHP versions a .zmm script may name in its `php` directive.

import { SUPPORTED_PHP_VERSIONS } from '../../engine/versions';

/** Supported allocator versions, oldest first: those the engine has a profile for. */
export const ZMM_PHP_VERSIONS: readonly string[] = SUPPORTED_PHP_VERSIONS;

/**
 * The supported MAJOR.MINOR of `text` ("8.2", or an exact release such as "8.2.12"), or
 * undefined when it names no supported version.
 */
export function zmmVersionOf(text: string): string | undefined {
  const m = /^(\d+\.\d+)(?:\.\d+)?$/.exec(text);
  return m !== null && ZMM_PHP_VERSIONS.includes(m[1]) ? m[1] : undefined;
}
