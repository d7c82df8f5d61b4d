// The PHP 5.2 – 5.6 versions the segment engine follows, and every behavioural switch that
// differs between them. Each switch cites the source it was read from; the engine asks the
// profile instead of comparing version numbers.

/** How alloc_globals_ctor() treats the USE_ZEND_ALLOC environment variable. */
export type UseZendAllocMode =
  /**
   * 5.2: the heap is always started (segment + reserve); USE_ZEND_ALLOC's zend_atoi value is
   * stored in use_zend_alloc and emalloc/efree/erealloc call malloc/free/realloc directly
   * when it is 0.
   */
  | 'startThenSwitch52'
  /**
   * 5.3: the heap is always started; when zend_atoi(USE_ZEND_ALLOC) is 0 the heap's
   * _malloc/_free/_realloc are set to the C library's and emalloc goes through them.
   */
  | 'startThenSwitch53'
  /**
   * 5.4 – 5.6: checked first; USE_ZEND_ALLOC=0 mallocs a zero-filled heap struct, starts no
   * segment and reads no ZEND_MM_* variable.
   */
  | 'zeroedHeap';

/** One PHP 5.x allocator version. */
export interface Zend5Profile {
  /** "5.2" … "5.6". */
  readonly version: string;
  /** The release (or source tree) whose zend_alloc.c the behaviour follows. */
  readonly release: string;
  /** Where that source was read: repository@commit:path. */
  readonly source: string;
  /** ZEND_MM_CACHE_SIZE in bytes: a free goes to the cache only while `cached` is below it. */
  readonly cacheSize: number;
  /**
   * ZEND_MM_MAX_REST_BLOCKS, or null when the rest list is unbounded. With a bound, large rest
   * blocks are counted (heap->rest_count, parent = ZEND_MM_REST_BLOCK) and the oldest entries
   * move to the normal free lists when the bound is reached.
   */
  readonly maxRestBlocks: number | null;
  /** USE_ZEND_ALLOC handling. */
  readonly useZendAlloc: UseZendAllocMode;
  /** Whether zend_mm_heap has the _malloc/_free/_realloc members (struct layout only). */
  readonly heapHasCustomHandlers: boolean;
  /**
   * Whether the "mmap_zero" storage can start. Up to the 5.5/5.6-era tree its init opens
   * /dev/zero only when the descriptor is already open (`!= -1`), so it always fails with
   * "Cannot initialize zend_mm storage [mmap_zero]".
   */
  readonly mmapZeroInitWorks: boolean;
  /** Whether the storage handlers have a compact hook (only used at request shutdown). */
  readonly storageCompactHook: boolean;
}

/**
 * PHP 5.2. Source: late 5.2 tree (configure.in says 5.2.17; zend_alloc.c $Id 301262,
 * 2010-07-14).
 */
export const PHP52: Zend5Profile = {
  version: '5.2',
  release: '5.2.17',
  source: 'jprjr/php52-backports@0a3b38967e455b84699654098302c2bb5a5c7e08:Zend/zend_alloc.c',
  // #define ZEND_MM_CACHE_SIZE (ZEND_MM_NUM_BUCKETS * 2 * 1024) in that file.
  cacheSize: 64 * 2 * 1024,
  // no rest_count in struct _zend_mm_heap; zend_mm_add_to_rest_list appends unconditionally
  maxRestBlocks: null,
  // alloc_globals_ctor: zend_mm_startup(), then use_zend_alloc = zend_atoi(USE_ZEND_ALLOC);
  // _emalloc calls malloc(size) itself when use_zend_alloc is 0
  useZendAlloc: 'startThenSwitch52',
  heapHasCustomHandlers: false,
  // zend_mm_mem_mmap_zero_init tests `zend_mm_dev_zero_fd != -1`
  mmapZeroInitWorks: false,
  // zend_mm_mem_handlers has no compact member; the win32-only fix lives in zend_mm_shutdown
  storageCompactHook: false,
};

/** PHP 5.3, the release the reference data was measured on. */
export const PHP53: Zend5Profile = {
  version: '5.3',
  release: '5.3.25',
  source: 'kmiku7/php-5.3.25-annotated@03cd69d:Zend/zend_alloc.c (= zhao-mj/php-5.3, 5.3.29, for alloc/free/realloc)',
  // #define ZEND_MM_CACHE_SIZE (ZEND_MM_NUM_BUCKETS * 4 * 1024)
  cacheSize: 64 * 4 * 1024,
  // struct _zend_mm_heap ends with rest_buckets[2]; no rest_count
  maxRestBlocks: null,
  // alloc_globals_ctor: zend_mm_startup(), then use_zend_alloc = zend_atoi(...) and the
  // _malloc/_free/_realloc members are set to malloc/free/realloc when it is 0
  useZendAlloc: 'startThenSwitch53',
  heapHasCustomHandlers: true,
  mmapZeroInitWorks: false,
  storageCompactHook: true,
};

const TREE_55 = 'ircmaxell/php-src@a6aa44dd4c932fe115fee273425dc058cc9cf2f7:Zend/zend_alloc.c';

/** Behaviour shared by 5.4 – 5.6 (the bounded rest list and the zeroed USE_ZEND_ALLOC=0 heap). */
const LATER_5X = {
  // #define ZEND_MM_CACHE_SIZE (ZEND_MM_NUM_BUCKETS * 4 * 1024)
  cacheSize: 64 * 4 * 1024,
  // #define ZEND_MM_MAX_REST_BLOCKS 16, heap->rest_count, ZEND_MM_REST_BLOCK in
  // zend_mm_add_to_rest_list / zend_mm_remove_from_free_list
  maxRestBlocks: 16,
  // alloc_globals_ctor: `if (tmp && !zend_atoi(tmp, 0))` → malloc + memset(0) heap
  useZendAlloc: 'zeroedHeap' as const,
  heapHasCustomHandlers: true,
  storageCompactHook: true,
};

/**
 * PHP 5.4. No stored source is attributable to a 5.4 release; it follows the 5.5/5.6-era
 * tree. A 2012-09-15 extraction (bixuehujin/php-internal:zendmm/zend_alloc.h) already has
 * rest_count and ZEND_MM_MAX_REST_BLOCKS.
 */
export const PHP54: Zend5Profile = {
  version: '5.4',
  release: '5.4 (as the 5.5/5.6-era tree)',
  source: TREE_55,
  ...LATER_5X,
  mmapZeroInitWorks: false,
};

/** PHP 5.5: the 5.5/5.6-era tree (ZEND_SIGNALS, zend_string_size). */
export const PHP55: Zend5Profile = {
  version: '5.5',
  release: '5.5 (5.5/5.6-era tree)',
  source: TREE_55,
  ...LATER_5X,
  mmapZeroInitWorks: false,
};

/**
 * PHP 5.6, as its late releases: a stored copy with the 1998-2016 header (stored-file id
 * 27257165) has the same algorithms as the 5.5/5.6-era tree and fixes mmap_zero's init
 * (`zend_mm_dev_zero_fd == -1`).
 */
export const PHP56: Zend5Profile = {
  version: '5.6',
  release: '5.6 (late 5.6.x, 2016 copy)',
  source: `${TREE_55} + stored copy id 27257165 (1998-2016)`,
  ...LATER_5X,
  mmapZeroInitWorks: true,
};

/** Every profile, by "major.minor". */
export const ZEND5_PROFILES: Readonly<Record<string, Zend5Profile>> = {
  '5.2': PHP52,
  '5.3': PHP53,
  '5.4': PHP54,
  '5.5': PHP55,
  '5.6': PHP56,
};

/** The profile for "5.x" or "5.x.y"; undefined for anything else. */
export function zend5ProfileFor(version: string): Zend5Profile | undefined {
  const m = /^(5\.[2-6])(\.\d+)?$/.exec(version.trim());
  return m ? ZEND5_PROFILES[m[1]] : undefined;
}
