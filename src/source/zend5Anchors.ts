// Anchor catalog of the PHP 5.2 - 5.6 allocator (segments, free/large/rest buckets): for each
// anchor the zend5 engine emits, the statement's pattern in zend_alloc.c and our note on it.

import type { AnchorEntry, FunctionEntry } from './anchorCatalog';

/** Functions the zend5 engine enters or anchors, in the order of zend_alloc.c. */
export const ZEND5_FUNCTIONS: readonly FunctionEntry[] = [];

/** Every anchor the zend5 engine emits. */
export const ZEND5_ANCHORS: readonly AnchorEntry[] = [];
