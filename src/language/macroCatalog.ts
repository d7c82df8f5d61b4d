// Data for the C hovers: what each allocator macro or function means (in our own words) and
// which allocator families have it. Values are not here: macroValues.ts computes them from the
// engine's tables for the active profile.

import { AllocatorFamily } from './activeProfile';

/** One documented name of zend_alloc.c / zend_alloc.h / zend_alloc_sizes.h (or the headers they use). */
export interface MacroEntry {
  /** The C spelling; for the `_emalloc_N` family, the pattern's representative `_emalloc_N`. */
  readonly name: string;
  readonly kind: 'macro' | 'function' | 'switch';
  /** Families whose sources have it. */
  readonly families: readonly AllocatorFamily[];
  /** What it means, one or two sentences. */
  readonly meaning: string;
  /** How it differs between versions, in words, where a value comparison does not say it all. */
  readonly differs?: string;
}

const BOTH: readonly AllocatorFamily[] = ['zend7', 'zend5'];
const Z7: readonly AllocatorFamily[] = ['zend7'];
const Z5: readonly AllocatorFamily[] = ['zend5'];

const ENTRIES: readonly MacroEntry[] = [
  // ---- 7.0 – 8.x geometry ----
  { name: 'ZEND_MM_CHUNK_SIZE', kind: 'macro', families: Z7, meaning: 'Size of one chunk, the unit the heap maps from the OS. Chunks (and huge blocks) are aligned to it, so masking an address finds its chunk header.' },
  { name: 'ZEND_MM_PAGE_SIZE', kind: 'macro', families: Z7, meaning: 'Size of one page of a chunk: the unit of large runs and of the runs that small bins carve into slots.' },
  { name: 'ZEND_MM_PAGES', kind: 'macro', families: Z7, meaning: 'Pages per chunk (chunk size / page size); each has one 32-bit entry in the chunk\'s page map.' },
  { name: 'ZEND_MM_FIRST_PAGE', kind: 'macro', families: Z7, meaning: 'The first usable page of a chunk: the pages before it hold the chunk header (and, in the main chunk, the heap itself).' },
  { name: 'ZEND_MM_MIN_SMALL_SIZE', kind: 'macro', families: Z7, meaning: 'The smallest slot size of the bin table (bin 0).', differs: '8.4 adds ZEND_MM_MIN_USEABLE_BIN_SIZE (16 with heap protection): smaller requests are served from the 16-byte bin, so bin 0 stays unused.' },
  { name: 'ZEND_MM_MAX_SMALL_SIZE', kind: 'macro', families: BOTH, meaning: 'The largest request served by the small path. In 7.0 – 8.x: the largest bin slot; above it requests take page runs. In 5.x: the true-size bound below which a block uses the cache and free_buckets.', differs: 'Same name, different meaning and unit: a request size in 7.0 – 8.x, a block size with header (true size) in 5.x.' },
  { name: 'ZEND_MM_MAX_LARGE_SIZE', kind: 'macro', families: Z7, meaning: 'The largest request served by a page run inside a chunk (all pages but the header); anything bigger is a huge block with its own mapping.' },
  { name: 'ZEND_MM_BINS', kind: 'macro', families: Z7, meaning: 'Number of small-size bins (slot sizes), each with its own free list heap->free_slot[bin].' },
  { name: 'ZEND_MM_BINS_INFO', kind: 'macro', families: Z7, meaning: 'The X-macro in zend_alloc_sizes.h listing every bin as (number, slot size, slots per run, pages per run); the allocator expands it into bin_data_size[], bin_elements[], bin_pages[] and the _emalloc_N functions.' },
  { name: 'ZEND_MM_SMALL_SIZE_TO_BIN', kind: 'macro', families: Z7, meaning: 'Maps a small request size to its bin number via zend_mm_small_size_to_bin(): sizes up to 64 by eighths, above that four bins per power of two.' },
  { name: 'ZEND_MM_ALIGNED_SIZE', kind: 'macro', families: BOTH, meaning: 'Rounds a size up to a multiple of ZEND_MM_ALIGNMENT.' },
  { name: 'ZEND_MM_ALIGNMENT', kind: 'macro', families: BOTH, meaning: 'The alignment every block gets, found by configure\'s alignment test (x86-64: 8).' },
  { name: 'ZEND_MM_IS_FRUN', kind: 'macro', families: Z7, meaning: 'Page-map tag of a free page (no run bits set).' },
  { name: 'ZEND_MM_IS_LRUN', kind: 'macro', families: Z7, meaning: 'Page-map tag of the first page of a large run; the low 10 bits hold the run\'s page count.' },
  { name: 'ZEND_MM_IS_SRUN', kind: 'macro', families: Z7, meaning: 'Page-map tag of the first page of a small run; the low 5 bits hold the bin. Both tags together (NRUN) mark the later pages of a multi-page small run.' },
  { name: 'ZEND_MM_LRUN_PAGES', kind: 'macro', families: Z7, meaning: 'Extracts the page count of a large run from its page-map entry.' },
  { name: 'ZEND_MM_SRUN_BIN_NUM', kind: 'macro', families: Z7, meaning: 'Extracts the bin number of a small run from its page-map entry.' },
  { name: 'ZEND_MM_SRUN_FREE_COUNTER', kind: 'macro', families: Z7, meaning: 'Extracts the free-slot counter that zend_mm_gc() stores in a small run\'s page-map entry while it counts free slots per run.' },
  { name: 'ZEND_MM_NRUN_OFFSET', kind: 'macro', families: Z7, meaning: 'Extracts, from the entry of a later page of a multi-page small run, how many pages back the run starts.' },
  { name: 'ZEND_MM_PAGE_ADDR', kind: 'macro', families: Z7, meaning: 'Address of page number N of a chunk: chunk base + N pages.' },
  { name: 'ZEND_MM_ALIGNED_BASE', kind: 'macro', families: Z7, meaning: 'Rounds an address down to a power-of-two alignment; with ZEND_MM_CHUNK_SIZE it gives the chunk an address lies in.' },
  { name: 'ZEND_MM_ALIGNED_OFFSET', kind: 'macro', families: Z7, meaning: 'The remainder of an address modulo a power-of-two alignment; with ZEND_MM_CHUNK_SIZE, the offset inside the chunk (0 means a huge block).' },
  { name: 'ZEND_MM_SIZE_TO_NUM', kind: 'macro', families: Z7, meaning: 'How many units of `alignment` a size needs, rounded up; with ZEND_MM_PAGE_SIZE, the pages of a large run.' },
  { name: 'ZEND_MM_CHECK', kind: 'macro', families: Z7, meaning: 'A sanity check kept in release builds: when the condition is false the allocator calls zend_mm_panic() with the message and the process ends.' },
  { name: 'ZEND_MM_STAT', kind: 'switch', families: Z7, meaning: 'Build switch: keep the size/peak counters that memory_get_usage() and memory_get_peak_usage() report.' },
  { name: 'ZEND_MM_LIMIT', kind: 'switch', families: Z7, meaning: 'Build switch: enforce memory_limit (heap->limit) before mapping chunks and huge blocks.' },
  { name: 'ZEND_MM_CUSTOM', kind: 'switch', families: Z7, meaning: 'Build switch: allow custom heaps (USE_ZEND_ALLOC=0 routes every call to the system malloc; extensions may install their own handlers).' },
  { name: 'ZEND_MM_STORAGE', kind: 'switch', families: Z7, meaning: 'Build switch: let the heap obtain its chunks through user-supplied storage handlers instead of mmap.' },
  { name: 'AG', kind: 'macro', families: BOTH, meaning: 'Accessor of the allocator globals (zend_alloc_globals, whose mm_heap is the request heap). A thread-safe (ZTS) build reads them through the thread\'s resource slot; a non-ZTS build reads one static struct.' },
  { name: 'EXPECTED', kind: 'macro', families: BOTH, meaning: 'Branch hint: tells the compiler the condition is usually true (__builtin_expect where the compiler has it, otherwise just the condition). It changes code layout, never behaviour.' },
  { name: 'UNEXPECTED', kind: 'macro', families: BOTH, meaning: 'Branch hint: tells the compiler the condition is usually false (the error and slow paths). It changes code layout, never behaviour.' },
  // ---- file/line parameters (debug builds only) ----
  { name: 'ZEND_FILE_LINE_DC', kind: 'macro', families: BOTH, meaning: 'Declares the extra "file, line" parameters of an allocator function in debug builds (ZEND_DEBUG); empty in release builds.' },
  { name: 'ZEND_FILE_LINE_ORIG_DC', kind: 'macro', families: BOTH, meaning: 'Declares the caller-of-the-caller "orig file, orig line" parameters in debug builds; empty in release builds.' },
  { name: 'ZEND_FILE_LINE_CC', kind: 'macro', families: BOTH, meaning: 'Passes __FILE__ and __LINE__ of the call site in debug builds; empty in release builds.' },
  { name: 'ZEND_FILE_LINE_EMPTY_CC', kind: 'macro', families: BOTH, meaning: 'Passes an empty "orig" file and line in debug builds; empty in release builds.' },
  { name: 'ZEND_FILE_LINE_RELAY_CC', kind: 'macro', families: BOTH, meaning: 'Forwards the file and line the function itself received, so leaks are reported at the real caller; empty in release builds.' },
  { name: 'ZEND_FILE_LINE_ORIG_RELAY_CC', kind: 'macro', families: BOTH, meaning: 'Forwards the received orig file and line; empty in release builds.' },
  // ---- the API ----
  { name: 'emalloc', kind: 'function', families: BOTH, meaning: 'Allocates request memory from the Zend heap; it is released at the end of the request even if never freed.' },
  { name: 'pemalloc', kind: 'function', families: BOTH, meaning: 'emalloc with a persistent flag: persistent 1 goes to the system malloc (memory that outlives the request, untouched by the Zend heap), 0 is exactly emalloc.' },
  { name: 'efree', kind: 'function', families: BOTH, meaning: 'Returns a block of the Zend heap: a small slot goes back on its bin\'s free list, a page run is released, a huge block is unmapped.', differs: '5.x: small blocks go to the cache first (while it has room); other blocks coalesce with free neighbours.' },
  { name: 'erealloc', kind: 'function', families: BOTH, meaning: 'Resizes a Zend-heap block: in place when the new size still fits its slot or run (or the run can grow), otherwise allocate, copy and free. erealloc(NULL, n) is emalloc(n).' },
  { name: 'ecalloc', kind: 'function', families: BOTH, meaning: 'Allocates nmemb * size zeroed bytes; the product is checked for overflow (a fatal "Possible integer overflow" error).' },
  { name: 'estrdup', kind: 'function', families: BOTH, meaning: 'Copies a NUL-terminated string into the Zend heap: strlen + 1 bytes.' },
  { name: 'safe_emalloc', kind: 'function', families: BOTH, meaning: 'Allocates nmemb * size + offset bytes, with the arithmetic checked for overflow before any allocation.' },
  { name: '_emalloc_N', kind: 'function', families: Z7, meaning: 'The per-bin specialisations _emalloc_8 … _emalloc_3072 (plus _emalloc_large and _emalloc_huge): with a compile-time-constant size, emalloc() calls the one for its bin directly and skips the size test.', differs: 'Only in release builds whose compiler has __builtin_constant_p; 5.x has none.' },
  // ---- 5.2 – 5.6 segment heap ----
  { name: 'ZEND_MM_BUCKET_INDEX', kind: 'macro', families: Z5, meaning: 'The small bucket of a block by its true size: (true_size / alignment) minus the minimum block\'s share, so the smallest block is bucket 0.' },
  { name: 'ZEND_MM_LARGE_BUCKET_INDEX', kind: 'macro', families: Z5, meaning: 'The large bucket of a block: the index of the highest set bit of its true size (zend_mm_high_bit); each bucket is a bitwise trie of free blocks.' },
  { name: 'ZEND_MM_ALIGNED_HEADER_SIZE', kind: 'macro', families: Z5, meaning: 'Size of a used block\'s header (its own size and the previous block\'s size, with type bits), aligned.' },
  { name: 'ZEND_MM_ALIGNED_MIN_HEADER_SIZE', kind: 'macro', families: Z5, meaning: 'The smallest block the heap makes: room for a free block\'s header and list links; also the smallest remainder a split leaves.' },
  { name: 'ZEND_MM_TRUE_SIZE', kind: 'macro', families: Z5, meaning: 'The block size (header included, aligned, at least the minimum block) that a request of `size` bytes occupies.' },
  { name: 'ZEND_MM_SEG_SIZE', kind: 'macro', families: Z5, meaning: 'Default size of a segment, the unit the 5.x heap gets from its storage layer (the ZEND_MM_SEG_SIZE environment variable can change it).' },
  { name: 'ZEND_MM_CACHE', kind: 'switch', families: Z5, meaning: 'Build switch for the 5.x block cache: freed small blocks are kept per bucket (LIFO) up to ZEND_MM_CACHE_SIZE bytes and reused before the free lists.' },
];

/** Every entry by name. */
export const MACRO_CATALOG: ReadonlyMap<string, MacroEntry> = new Map(ENTRIES.map((e) => [e.name, e]));

/**
 * The catalog entry for identifier `word`, if any: exact names, and `_emalloc_<N>`,
 * `_emalloc_large`, `_emalloc_huge` for the specialisation family.
 */
export function lookupMacro(word: string): MacroEntry | undefined {
  const direct = MACRO_CATALOG.get(word);
  if (direct !== undefined) return direct;
  if (/^_emalloc_(\d+|large|huge)$/.test(word)) return MACRO_CATALOG.get('_emalloc_N');
  return undefined;
}
