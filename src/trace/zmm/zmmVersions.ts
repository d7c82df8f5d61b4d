// The PHP versions a .zmm script may name in its `php` directive.

/** Supported allocator versions, oldest first. */
export const ZMM_PHP_VERSIONS: readonly string[] = ['5.2', '5.3', '5.4', '5.5', '5.6', '7.4', '8.2', '8.4'];

/**
 * The supported MAJOR.MINOR of `text` ("8.2", or an exact release such as "8.2.12"), or
 * undefined when it names no supported version.
 */
export function zmmVersionOf(text: string): string | undefined {
  const m = /^(\d+\.\d+)(?:\.\d+)?$/.exec(text);
  return m !== null && ZMM_PHP_VERSIONS.includes(m[1]) ? m[1] : undefined;
}
