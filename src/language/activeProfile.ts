// The allocator profile a hover or a .zmm simulation follows: a PHP version resolved to its
// family (7.0 – 8.x chunks and bins, or 5.2 – 5.6 segments) and the engine's profile for it.

import { DEFAULT_PROFILE, PROFILES, Zend7Profile } from '../engine/profiles';
import { SUPPORTED_PHP_VERSIONS } from '../engine/versions';
import { Zend5Profile, ZEND5_PROFILES } from '../engine/zend5/profiles';

/** A supported version with the engine profile that simulates it. */
export type ActiveProfile =
  | { readonly family: 'zend7'; readonly version: string; readonly profile: Zend7Profile }
  | { readonly family: 'zend5'; readonly version: string; readonly profile: Zend5Profile };

/** The allocator families: PHP 7.0 – 8.x and PHP 5.2 – 5.6. */
export type AllocatorFamily = ActiveProfile['family'];

/**
 * The profile of `version` ("8.2", or a release such as "8.2.12"), or undefined when no
 * profile exists for it.
 */
export function activeProfileFor(version: string): ActiveProfile | undefined {
  const m = /^(\d+\.\d+)(?:\.\d+)?$/.exec(version.trim());
  if (m === null) return undefined;
  const v = m[1];
  const z7 = PROFILES.get(v);
  if (z7 !== undefined) return { family: 'zend7', version: v, profile: z7 };
  const z5 = ZEND5_PROFILES[v] as Zend5Profile | undefined;
  if (z5 !== undefined) return { family: 'zend5', version: v, profile: z5 };
  return undefined;
}

/** The profile used when the setting names no supported version. */
export const DEFAULT_ACTIVE_PROFILE: ActiveProfile = { family: 'zend7', version: DEFAULT_PROFILE.version, profile: DEFAULT_PROFILE };

/** Every supported version's profile, oldest first. */
export const ALL_ACTIVE_PROFILES: readonly ActiveProfile[] = SUPPORTED_PHP_VERSIONS.map((v) => activeProfileFor(v)!);

/** "5.2–5.6" style label of consecutive versions (as listed in ALL_ACTIVE_PROFILES). */
export function versionRangeLabel(versions: readonly string[]): string {
  if (versions.length === 0) return '';
  const all = ALL_ACTIVE_PROFILES.map((p) => p.version);
  const runs: string[][] = [];
  for (const v of versions) {
    const last = runs[runs.length - 1];
    if (last !== undefined && all.indexOf(v) === all.indexOf(last[last.length - 1]) + 1) last.push(v);
    else runs.push([v]);
  }
  return runs.map((r) => (r.length === 1 ? r[0] : `${r[0]}–${r[r.length - 1]}`)).join(', ');
}
