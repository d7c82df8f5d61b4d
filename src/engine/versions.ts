// Every PHP version the engine can follow, across both allocator families.

import { PROFILES } from './profiles';
import { ZEND5_PROFILES } from './zend5/profiles';

/** "MAJOR.MINOR" of every supported version, oldest first. */
export const SUPPORTED_PHP_VERSIONS: readonly string[] = [...Object.keys(ZEND5_PROFILES), ...PROFILES.keys()].sort((a, b) => {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
});
