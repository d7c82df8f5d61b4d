// PHP versions the engine can follow, and what differs between them. Every behavioural
// difference is one named switch here; the engine reads the switch, never the version.

/** How a fresh request heap of a PHP 7.0 – 8.x release behaves where releases differ. */
export interface Zend7Switches {
  /**
   * Smallest slot handed out on 64-bit (ZEND_MM_MIN_USEABLE_BIN_SIZE): 8 before 8.4; 16 from
   * 8.4, whose heap protection needs room for a shadow pointer at the end of every free slot.
   * With heap protection, requests below it are raised to it in zend_mm_alloc_heap and in
   * zend_mm_realloc_heap; without (8), nothing is raised, so realloc(p, 2) of a 16-byte slot
   * still moves to the 8-byte bin.
   */
  readonly minSmallSize: 8 | 16;
  /**
   * Free slots carry a shadow of their next pointer (ZEND_MM_HEAP_PROTECTION, 8.4+): byte-
   * swapped and XORed with a per-heap key, in the slot's last 8 bytes. A link whose shadow
   * does not match panics at the next allocation from that bin.
   */
  readonly shadowPointers: boolean;
  /** 8.4+: the chunk ring's links are checked (panic) before a chunk is unlinked. */
  readonly chunkRingChecks: boolean;
  /** 8.4.x: zend_mm_gc no longer deletes an empty main chunk (8.2 puts it in the cache). */
  readonly gcSparesMainChunk: boolean;
  /**
   * zend_set_memory_limit: 'clamp' (7.x: raised to at least 2 MiB; fails below real_size,
   * where ini_set() returns false without a warning) or 'free-cached' (8.1+: unmaps cached
   * chunks to get under the new limit and then does not store it; else fails with a warning).
   */
  readonly setMemoryLimit: 'clamp' | 'free-cached';
  /** The out-of-memory message says "(allocated N bytes)" from 8.2, "(allocated N)" before. */
  readonly oomSaysBytes: boolean;
  /** How zend_mm_panic ends the process: exit(1) in 7.x, abort() from 8.0. */
  readonly panicEnds: 'exit(1)' | 'abort()';
}

/** A PHP 7.0 – 8.x version profile. */
export interface Zend7Profile {
  readonly family: 'zend7';
  /** The version users pick, e.g. "8.2". */
  readonly version: string;
  /** The exact release whose zend_alloc.c the profile follows, e.g. "8.2.32". */
  readonly release: string;
  /** How the profile is checked: against the real binary, or by reading its source only. */
  readonly verifiedBy: 'real binary' | 'source';
  readonly switches: Zend7Switches;
}

/** PHP 8.2.32 (Debian bookworm): the baseline the engine was written from. */
export const PHP_8_2: Zend7Profile = {
  family: 'zend7',
  version: '8.2',
  release: '8.2.32',
  verifiedBy: 'real binary',
  switches: {
    minSmallSize: 8,
    shadowPointers: false,
    chunkRingChecks: false,
    gcSparesMainChunk: false,
    setMemoryLimit: 'free-cached',
    oomSaysBytes: true,
    panicEnds: 'abort()',
  },
};

/**
 * PHP 7.4.33 (Debian bullseye). Its zend_alloc.c differs from 8.2.32 only in the memory
 * limit setter, the out-of-memory wording and exit(1) on panic (diff of the two files).
 */
export const PHP_7_4: Zend7Profile = {
  family: 'zend7',
  version: '7.4',
  release: '7.4.33',
  verifiedBy: 'real binary',
  switches: { ...PHP_8_2.switches, setMemoryLimit: 'clamp', oomSaysBytes: false, panicEnds: 'exit(1)' },
};

/**
 * PHP 8.4.24 (Debian trixie): heap protection (16-byte minimum slot, shadow pointers),
 * chunk-ring checks, and zend_mm_gc sparing the main chunk (diff against 8.2.32).
 */
export const PHP_8_4: Zend7Profile = {
  family: 'zend7',
  version: '8.4',
  release: '8.4.24',
  verifiedBy: 'real binary',
  switches: { ...PHP_8_2.switches, minSmallSize: 16, shadowPointers: true, chunkRingChecks: true, gcSparesMainChunk: true },
};

/** Every profile, by version. */
export const PROFILES: ReadonlyMap<string, Zend7Profile> = new Map([PHP_7_4, PHP_8_2, PHP_8_4].map((p) => [p.version, p]));

/** The profile used when none is chosen. */
export const DEFAULT_PROFILE = PHP_8_2;

/** A version nobody has a profile for. */
export class UnknownVersionError extends Error {}

/**
 * The profile of `version` ("8.2" or an exact release such as "8.2.32"); an unknown version
 * is an error that lists the supported ones.
 */
export function profileFor(version: string): Zend7Profile {
  const m = /^(\d+\.\d+)(?:\.\d+)?$/.exec(version.trim());
  const profile = m ? PROFILES.get(m[1]) : undefined;
  if (profile === undefined) {
    throw new UnknownVersionError(
      `unsupported PHP version '${version}' (supported: ${[...PROFILES.keys()].join(', ')})`,
    );
  }
  return profile;
}
