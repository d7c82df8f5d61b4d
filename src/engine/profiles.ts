// PHP versions the engine can follow, and what differs between them. Every behavioural
// difference is one named switch here; the engine reads the switch, never the version.

/** How a fresh request heap of a PHP 7.0 – 8.x release behaves where releases differ. */
export interface Zend7Switches {
  /**
   * Smallest slot handed out on 64-bit (ZEND_MM_MIN_USEABLE_BIN_SIZE): 8 before 8.4; 16 from
   * 8.4, whose heap protection stores a shadow pointer at the end of every free slot.
   */
  readonly minSmallSize: 8 | 16;
  /**
   * Free slots carry a shadow copy of their next pointer (8.4+): a corrupted link makes the
   * next allocation from that bin panic instead of returning the corrupt pointer.
   */
  readonly shadowPointers: boolean;
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
  },
};

/** Every profile, by version. */
export const PROFILES: ReadonlyMap<string, Zend7Profile> = new Map([PHP_8_2].map((p) => [p.version, p]));

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
