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
   * zend_set_memory_limit: 'always-clamp' (7.0.12, 7.1.26, 7.2.32: raised to at least 2 MiB
   * and stored, always SUCCESS, even below real_size), 'clamp' (7.4.33: raised to at least
   * 2 MiB; fails below real_size, where ini_set() returns false without a warning) or 'free-cached'
   * (8.1.28+: unmaps cached chunks to get under the new limit and then does not store it;
   * else fails with a warning).
   */
  readonly setMemoryLimit: 'always-clamp' | 'clamp' | 'free-cached';
  /** The out-of-memory message says "(allocated N bytes)" from 8.2, "(allocated N)" before. */
  readonly oomSaysBytes: boolean;
  /**
   * How zend_mm_panic ends the process: exit(1) up to 8.1 (7.0.12, 7.1.26, 7.2.32, 7.4.33 and
   * 8.1.28 all end zend_mm_panic with exit(1)), abort() in 8.2.32 and later.
   */
  readonly panicEnds: 'exit(1)' | 'abort()';
  /**
   * zend_mm_alloc_pages moves the chunk it found into the ring right after the main chunk
   * when the walk took more than 2 steps and fewer than 8 pages were asked for. Absent in
   * 7.0.12 (its zend_mm_alloc_pages keeps no step count and never relinks a chunk); present
   * in 7.1.26, 7.2.32, 7.4.33, 8.1.28 and later.
   */
  readonly chunkMoveToFront: boolean;
  /**
   * zend_mm_delete_chunk's anti-thrashing rule (bug #75368, Oct 2017): the heap counts the
   * deletions at the same chunk count (last_chunks_delete_boundary / _count) and caches the
   * chunk instead of unmapping it after 4 of them. 7.0.12's heap has neither field and only
   * caches while chunks + cached < average + 0.1; 7.1.26, 7.2.32, 7.4.33 and 8.1.28 have the
   * rule.
   */
  readonly chunkDeleteBoundary: boolean;
  /**
   * zend_mm_free_pages_ex deletes a chunk that became empty only when it is not the main
   * chunk. 7.0.12, 7.1.26 and 7.2.32 test only free_pages == 511, so freeing the last run of
   * the main chunk sends the main chunk itself to zend_mm_delete_chunk; 7.4.33 and 8.1.28
   * exclude it.
   */
  readonly freePagesSparesMainChunk: boolean;
  /**
   * How the memory limit is tested before a new chunk, a huge block or a huge block's growth
   * of X bytes: 'room' = X > limit - real_size (size_t; 7.2.32, 7.4.33, 8.1.28 and later),
   * 'sum' = real_size + X > limit (size_t; 7.0.12, 7.1.26). They differ when real_size > limit
   * (the subtraction wraps and never fires) and when the sum wraps past 2^64 (it then passes).
   */
  readonly limitTest: 'room' | 'sum';
  /**
   * Small-to-small realloc in zend_mm_realloc_heap. 'fits-bin' (7.4.33, 8.1.28 and later):
   * in place while the new size fits the old slot and is not below the next smaller slot,
   * else "truncation" (alloc, copy, free; peak not protected) or "small extension" (peak
   * protected). 'same-bin' (7.0.12, 7.1.26, 7.2.32): in place only when the new size maps to
   * the same bin; otherwise the generic alloc + copy + free path.
   */
  readonly smallRealloc: 'fits-bin' | 'same-bin';
  /**
   * The copying realloc path (zend_mm_realloc_slow; inline "naive reallocation" in 7.0.12)
   * restores real_peak as well as peak after the transient double allocation: true in
   * 7.0.12, 7.1.26 and 7.2.32 (the naive path saves and restores orig_real_peak), false in
   * 7.4.33, 8.1.28 and later (peak only).
   */
  readonly slowReallocRestoresRealPeak: boolean;
  /**
   * zend_mm_alloc_huge checks that rounding the size up to the page size did not wrap past
   * SIZE_MAX ("Possible integer overflow in memory allocation (%zu + %zu)"; bug #78620, in
   * 7.2.32, 7.4.33 and 8.1.28). 7.0.12 and 7.1.26 have no check: the wrapped size (0) passes
   * the limit test and the mmap of it fails, ending in "Out of memory".
   */
  readonly hugeRoundingCheck: boolean;
  /**
   * What USE_TRACKED_ALLOC=1 (with USE_ZEND_ALLOC=0) does to the malloc-backed heap.
   * 'off': nothing visible — 7.0.12, 7.1.26 and 7.2.32 do not read the variable, and 7.4.33's
   * tracked_malloc only records each pointer so that it can be freed at shutdown (no counters,
   * no limit). 'size' (8.1.28): tracked_malloc / _realloc test memory_limit against heap->size
   * and count into heap->size; real_size stays 0. 'size-and-real' (8.2.32, 8.4.24): the same,
   * and real_size follows size, so zend_set_memory_limit refuses a limit below the count.
   */
  readonly trackedAlloc: 'off' | 'size' | 'size-and-real';
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
    chunkMoveToFront: true,
    chunkDeleteBoundary: true,
    freePagesSparesMainChunk: true,
    limitTest: 'room',
    smallRealloc: 'fits-bin',
    slowReallocRestoresRealPeak: false,
    hugeRoundingCheck: true,
    trackedAlloc: 'size-and-real',
  },
};

/**
 * PHP 7.4.33 (Debian bullseye). Its zend_alloc.c differs from 8.2.32 in the memory limit
 * setter, the out-of-memory wording, exit(1) on panic (diff of the two files) and in its
 * tracked allocator, which records pointers but neither counts nor limits them.
 */
export const PHP_7_4: Zend7Profile = {
  family: 'zend7',
  version: '7.4',
  release: '7.4.33',
  verifiedBy: 'real binary',
  switches: { ...PHP_8_2.switches, setMemoryLimit: 'clamp', oomSaysBytes: false, panicEnds: 'exit(1)', trackedAlloc: 'off' },
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

/**
 * PHP 7.0.12, read from its source only: pangudashu/php-7.0.12 @
 * ac7b9fb3e3a99ff33384b42f0c50df4e9c920905, Zend/zend_alloc.c (a copy of the 7.0.12 release
 * with Chinese reading notes in comments; the code itself is the release's). Against 7.4.33:
 * zend_mm_alloc_pages never moves a chunk to the front; zend_mm_delete_chunk lacks the
 * delete-boundary rule; zend_mm_free_pages_ex may delete the main chunk; the limit tests
 * add (real_size + X > limit); small realloc stays in place only within the same bin and
 * otherwise takes the naive path, which restores real_peak too; zend_mm_alloc_huge does
 * not check its rounding for overflow; zend_set_memory_limit stores any value (at least
 * 2 MiB) and always succeeds; alloc_globals_ctor knows no USE_TRACKED_ALLOC. Panic (exit(1))
 * and the out-of-memory wording match 7.4.
 */
export const PHP_7_0: Zend7Profile = {
  family: 'zend7',
  version: '7.0',
  release: '7.0.12',
  verifiedBy: 'source',
  switches: {
    ...PHP_7_4.switches,
    setMemoryLimit: 'always-clamp',
    chunkMoveToFront: false,
    chunkDeleteBoundary: false,
    freePagesSparesMainChunk: false,
    limitTest: 'sum',
    smallRealloc: 'same-bin',
    slowReallocRestoresRealPeak: true,
    hugeRoundingCheck: false,
  },
};

/**
 * PHP 7.1.26, read from its source only: BackendStudy/php-src @
 * 9ad0f830e9a7f518f639b1c65eba7581353eba96, src/Zend/zend_alloc.c (a copy of the 7.1.26
 * release — the repository's README names it — with Chinese reading notes in comments). Against
 * 7.0.12 it adds two things: zend_mm_alloc_pages counts its steps and moves the chunk it found
 * to the front (steps > 2, fewer than 8 pages), and zend_mm_delete_chunk has the delete-boundary
 * rule (bug #75368). Everything else the switches cover is still 7.0.12's: free_pages_ex may
 * delete the main chunk, the limit tests add, small realloc stays in place only within the same
 * bin and otherwise takes the naive path (which restores real_peak), zend_mm_alloc_huge does
 * not check its rounding, zend_set_memory_limit stores any value of at least 2 MiB,
 * alloc_globals_ctor ignores USE_TRACKED_ALLOC, panic is exit(1) and the out-of-memory message
 * has no "bytes".
 */
export const PHP_7_1: Zend7Profile = {
  family: 'zend7',
  version: '7.1',
  release: '7.1.26',
  verifiedBy: 'source',
  switches: { ...PHP_7_0.switches, chunkMoveToFront: true, chunkDeleteBoundary: true },
};

/**
 * PHP 7.2.32, read from its source only: ethreads/php7 @
 * 510b6f8889553a096382b260de4235738915ef19, Zend/zend_alloc.c (a copy of the 7.2.32 release —
 * the README at the same commit names it — with Chinese reading notes in comments). Against
 * 7.1.26: the limit tests before a new chunk, a huge block and a huge block's growth subtract
 * (X > limit - real_size), and zend_mm_alloc_huge rejects a size whose rounding wraps (bug
 * #78620); PHP's reports date these to 7.2.23 and 7.2.24. zend_set_memory_limit still stores
 * any value of at least 2 MiB, so a limit below real_size makes the subtraction wrap and never
 * fire (bug #81070; 7.4.33's setter refuses such a limit). Small realloc, the naive path,
 * free_pages_ex, the ignored USE_TRACKED_ALLOC, panic and the out-of-memory wording are
 * 7.1.26's.
 */
export const PHP_7_2: Zend7Profile = {
  family: 'zend7',
  version: '7.2',
  release: '7.2.32',
  verifiedBy: 'source',
  switches: { ...PHP_7_1.switches, limitTest: 'room', hugeRoundingCheck: true },
};

/**
 * PHP 8.1.28, read from its source only: psmedley/php-7-os2 @
 * 788144b56067e57268881f74a9a864fda653f4bd, Zend/zend_alloc.c (an OS/2 port of 8.1.28; its
 * additions are all under __OS2__ and do not change the Linux build). Against 8.2.32 the
 * trace-visible differences are the out-of-memory wording ("(allocated %zu)" without
 * "bytes"), zend_mm_panic ending with exit(1) instead of abort(), and tracked_malloc /
 * _free / _realloc counting into heap->size without copying it to real_size; zend_set_memory_limit
 * already frees cached chunks (and does not store the limit on that path), and zend_mm_gc
 * may delete the main chunk, as in 8.2.32.
 */
export const PHP_8_1: Zend7Profile = {
  family: 'zend7',
  version: '8.1',
  release: '8.1.28',
  verifiedBy: 'source',
  switches: { ...PHP_8_2.switches, oomSaysBytes: false, panicEnds: 'exit(1)', trackedAlloc: 'size' },
};

/** Every profile, by version. */
export const PROFILES: ReadonlyMap<string, Zend7Profile> = new Map(
  [PHP_7_0, PHP_7_1, PHP_7_2, PHP_7_4, PHP_8_1, PHP_8_2, PHP_8_4].map((p) => [p.version, p]),
);

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
