// Anchor catalog of the PHP 7.0 - 8.x allocator (chunks, pages, bins, huge blocks): for each
// anchor the zend7 engine emits, the statement's pattern in zend_alloc.c and our note on it.
// Patterns are written against the 7.0, 7.4, 8.2 and 8.4 files and avoid what differs between
// them (UNEXPECTED() wrappers, 8.4's shadow-pointer helpers, debug-only lines).

import type { AnchorEntry, FunctionEntry } from './anchorCatalog';

/** Functions the zend7 engine enters or anchors, in the order of zend_alloc.c. */
export const ZEND7_FUNCTIONS: readonly FunctionEntry[] = [
  { name: 'zend_mm_chunk_init', summary: 'Sets up a fresh 2 MiB chunk and links it into the ring of chunks.' },
  { name: 'zend_mm_alloc_pages', summary: 'Finds a run of free pages: best fit over each chunk\'s free map, else a cached or new chunk.' },
  { name: 'zend_mm_alloc_large', summary: 'A large request (up to 2 MiB - 4 KiB): whole pages from zend_mm_alloc_pages.' },
  { name: 'zend_mm_delete_chunk', summary: 'An empty chunk leaves the ring: it is kept in the cache or unmapped.' },
  { name: 'zend_mm_free_pages_ex', summary: 'Marks a run of pages free again and deletes the chunk when it became empty.' },
  { name: 'zend_mm_free_large', summary: 'Frees a large run: size accounting, then zend_mm_free_pages.' },
  { name: 'zend_mm_alloc_small_slow', summary: 'A bin with no free slot: a new run of pages is cut into slots.' },
  { name: 'zend_mm_alloc_small', summary: 'Takes a slot from a bin\'s free list.' },
  { name: 'zend_mm_free_small', summary: 'Returns a slot to the head of its bin\'s free list.' },
  { name: 'zend_mm_alloc_heap', summary: 'Routes a request by size: small bin, large page run, or huge mapping.' },
  { name: 'zend_mm_free_heap', summary: 'Routes a free by where the pointer lies: huge block, small slot or large run.' },
  { name: 'zend_mm_realloc_slow', summary: 'The copying realloc: allocate the new block, copy, free the old one.' },
  { name: 'zend_mm_realloc_huge', summary: 'Resizes a huge block in place when the mapping can shrink or grow, else copies.' },
  { name: 'zend_mm_realloc_heap', summary: 'Realloc: keeps the block in place where the size allows, else moves it.' },
  { name: 'zend_mm_add_huge_block', summary: 'Records a huge block in the heap\'s huge_list.' },
  { name: 'zend_mm_del_huge_block', summary: 'Removes a huge block from huge_list and returns its size.' },
  { name: 'zend_mm_alloc_huge', summary: 'A huge request: its own mapping, rounded to whole OS pages.' },
  { name: 'zend_mm_free_huge', summary: 'Unmaps a huge block.' },
  { name: 'zend_mm_gc', summary: 'Returns the pages of small runs whose slots are all free, and empty chunks.' },
  { name: 'zend_set_memory_limit', summary: 'Sets memory_limit (ini_set), refusing a limit below what the heap already holds.' },
];

/** Every anchor the zend7 engine emits. */
export const ZEND7_ANCHORS: readonly AnchorEntry[] = [
  // zend_mm_chunk_init
  {
    anchor: 'zend_mm_chunk_init:link',
    statement: [/chunk->prev->next\s*=\s*chunk\s*;/],
    note: 'The new chunk goes in just before the main chunk, at the tail of the ring; it gets the next number ({num}), so younger chunks have higher numbers.',
  },
  // zend_mm_alloc_pages
  {
    anchor: 'zend_mm_alloc_pages:not_enough_free_pages',
    statement: [/if\s*\(\s*(?:UNEXPECTED\s*\(\s*)?chunk->free_pages\s*<\s*pages_count/],
    note: 'This chunk has fewer free pages in all than the run needs, so its map is not searched at all: the walk goes on to the next chunk.',
  },
  {
    anchor: 'zend_mm_alloc_pages:exact_fit',
    statement: [/if\s*\(\s*len\s*==\s*pages_count\s*\)/],
    note: 'A hole of exactly {len} pages at page {page_num}: nothing can fit better, so the search stops here.',
  },
  {
    anchor: 'zend_mm_alloc_pages:tail_fit',
    statement: [/chunk->free_tail\s*=\s*page_num\s*\+\s*pages_count\s*;(?=\s*goto\s+found)/],
    note: 'The free run reaching the end of the chunk (from page {page_num}) is big enough and smaller than any hole seen, so it is used and free_tail moves past it.',
  },
  {
    anchor: 'zend_mm_alloc_pages:best_fit_end',
    statement: [/i\s*==\s*ZEND_MM_PAGES\s*\)/, /page_num\s*=\s*best\s*;/],
    note: 'The scan reached the end of the free map: the smallest hole that fits (page {best}, {best_len} pages) is used.',
  },
  {
    anchor: 'zend_mm_alloc_pages:not_found_end',
    statement: [/i\s*==\s*ZEND_MM_PAGES\s*\)/, /goto\s+not_found\s*;/],
    note: 'The scan reached the end of the free map without a hole that fits: try the next chunk.',
  },
  {
    anchor: 'zend_mm_alloc_pages:best_fit_tail',
    statement: [/chunk->free_tail\s*=\s*page_num\s*;/, /page_num\s*=\s*best\s*;/],
    note: 'The free tail is too short (free_tail is made exact), but an earlier hole fits: the smallest such hole (page {best}, {best_len} pages) is used.',
  },
  {
    anchor: 'zend_mm_alloc_pages:not_found_tail',
    statement: [/chunk->free_tail\s*=\s*page_num\s*;/, /goto\s+not_found\s*;/],
    note: 'Neither the free tail nor any hole before it is long enough: free_tail is made exact and the next chunk is tried.',
  },
  {
    anchor: 'zend_mm_alloc_pages:reuse_cached_chunk',
    statement: [/chunk\s*=\s*heap->cached_chunks\s*;/],
    note: 'No chunk in the ring has room: a chunk kept in the cache by an earlier deletion is reused, so no new mapping is needed.',
  },
  {
    anchor: 'zend_mm_alloc_pages:limit_reached',
    statement: [/if\s*\(\s*(?:UNEXPECTED\s*\(\s*)?(?:ZEND_MM_CHUNK_SIZE\s*>\s*heap->limit|heap->real_size\s*\+\s*ZEND_MM_CHUNK_SIZE\s*>\s*heap->limit)/],
    note: 'A new chunk would take real_size ({real_size}) past memory_limit: zend_mm_gc runs first, and the out-of-memory error follows when it frees nothing.',
  },
  {
    anchor: 'zend_mm_alloc_pages:map_new_chunk',
    statement: [/chunk\s*=\s*\(\s*zend_mm_chunk\s*\*\s*\)\s*zend_mm_chunk_alloc\s*\(/],
    note: 'A new 2 MiB chunk, aligned to 2 MiB, is mapped from the system; real_size grows by the chunk.',
  },
  {
    anchor: 'zend_mm_alloc_pages:move_to_head',
    statement: [/if\s*\(\s*steps\s*>\s*2\s*&&\s*pages_count\s*<\s*8\s*\)/],
    missingIn: ['7.0'],
    note: 'The chunk was found after {steps} steps along the ring and the run is short: the chunk moves right after the main chunk so the next small search finds it sooner.',
  },
  {
    anchor: 'zend_mm_alloc_pages:mark_run',
    statement: [/chunk->free_pages\s*-=\s*pages_count\s*;/],
    note: 'Pages {page_num} onwards ({pages_count} pages) are marked used in the free map and the page map records a large run; free_tail follows when the run starts at it.',
  },
  // zend_mm_alloc_large (its size accounting sits in the inline zend_mm_alloc_large_ex)
  {
    anchor: 'zend_mm_alloc_large:stat',
    statement: [/heap->size\s*\+\s*pages_count\s*\*\s*ZEND_MM_PAGE_SIZE/],
    within: ['zend_mm_alloc_large_ex'],
    note: 'A large run counts as whole pages in memory_get_usage(): size becomes {size} and peak {peak}.',
  },
  // zend_mm_delete_chunk
  {
    anchor: 'zend_mm_delete_chunk:cache',
    statement: [/heap->cached_chunks_count\s*\+\+/],
    note: 'Fewer chunks than the average the heap needs (or repeated deletions at this count): the empty chunk is kept in the cache instead of being unmapped.',
  },
  {
    anchor: 'zend_mm_delete_chunk:free',
    statement: [/zend_mm_chunk_free\s*\(\s*heap\s*,\s*chunk\s*,/],
    note: 'The empty chunk is unmapped and real_size drops by 2 MiB (now {real_size}).',
  },
  {
    anchor: 'zend_mm_delete_chunk:replace_cached',
    statement: [/zend_mm_chunk_free\s*\(\s*heap\s*,\s*heap->cached_chunks\s*,/],
    note: 'The cache keeps the older (lower-numbered) chunk: this one takes the cached chunk\'s place and the cached one is unmapped.',
  },
  // zend_mm_free_pages_ex
  {
    anchor: 'zend_mm_free_pages_ex:release_run',
    statement: [/chunk->free_pages\s*\+=\s*pages_count\s*;/],
    note: 'Pages {page_num} onwards ({pages_count} pages) are free again in the free map; free_tail moves back when the run ended at it.',
  },
  // zend_mm_alloc_small_slow
  {
    anchor: 'zend_mm_alloc_small_slow:mark_srun',
    statement: [/chunk->map\[\s*page_num\s*\]\s*=\s*ZEND_MM_SRUN\s*\(\s*bin_num\s*\)/],
    note: 'The page map marks page {page_num} as a small run of this bin (later pages of a multi-page run point back to it).',
  },
  {
    anchor: 'zend_mm_alloc_small_slow:thread_free_list',
    statement: [/heap->free_slot\[\s*bin_num\s*\]\s*=\s*p\s*=/],
    note: 'Every slot but the first ({elements} in the run) is threaded onto the bin\'s free list in address order; the first slot is the one returned.',
  },
  // zend_mm_alloc_small
  {
    anchor: 'zend_mm_alloc_small:stat',
    statement: [/heap->size\s*\+\s*bin_data_size\[\s*bin_num\s*\]/],
    note: 'The slot\'s whole size counts in memory_get_usage(), not the bytes asked for: size becomes {size}, peak {peak}.',
  },
  {
    anchor: 'zend_mm_alloc_small:free_list_hit',
    statement: [/zend_mm_free_slot\s*\*\s*p\s*=\s*heap->free_slot\[\s*bin_num\s*\]/],
    note: 'The bin\'s free list is not empty: its head ({p}) is taken and the list now starts at the next free slot. The most recently freed slot is reused first.',
  },
  {
    anchor: 'zend_mm_alloc_small:free_list_empty',
    statement: [/return\s+zend_mm_alloc_small_slow\s*\(/],
    note: 'The bin\'s free list is empty: zend_mm_alloc_small_slow cuts a fresh run of pages into slots.',
  },
  // zend_mm_free_small
  {
    anchor: 'zend_mm_free_small:push',
    statement: [/heap->free_slot\[\s*bin_num\s*\]\s*=\s*p\s*;/],
    note: 'The freed slot ({p}) becomes the head of its bin\'s free list, so the next allocation of this size gets it back (last in, first out).',
  },
  // zend_mm_alloc_heap
  {
    anchor: 'zend_mm_alloc_heap:small',
    // 7.0 passes the size too: zend_mm_alloc_small(heap, size, bin)
    statement: [/zend_mm_alloc_small\s*\(\s*heap\s*,\s*(?:size\s*,\s*)?ZEND_MM_SMALL_SIZE_TO_BIN\s*\(\s*size\s*\)/],
    note: '{size} bytes is at most 3072, a small size: it is served from bin {bin_num}, the smallest slot size that holds it.',
  },
  // zend_mm_realloc_slow
  {
    anchor: 'zend_mm_realloc_slow:copy',
    statement: [/memcpy\s*\(\s*ret\s*,\s*ptr\s*,/],
    // 7.0 has no zend_mm_realloc_slow: its "naive reallocation" ends zend_mm_realloc_heap
    within: ['zend_mm_realloc_heap'],
    note: 'The block cannot stay where it is: a new block ({ret}) is allocated, {copy_size} bytes are copied, and the old block is freed; peak is kept as if the two never overlapped.',
  },
  // zend_mm_realloc_huge
  {
    anchor: 'zend_mm_realloc_huge:same_size',
    statement: [/if\s*\(\s*new_size\s*==\s*old_size\s*\)/],
    // 7.0 has no zend_mm_realloc_huge: the huge case comes first in zend_mm_realloc_heap
    within: ['zend_mm_realloc_heap'],
    note: 'Rounded to whole OS pages, the new size equals the old one: only the recorded size changes.',
  },
  {
    anchor: 'zend_mm_realloc_huge:truncate',
    statement: [/zend_mm_chunk_truncate\s*\(/],
    within: ['zend_mm_realloc_heap'],
    note: 'The huge block shrinks in place: the mapping\'s tail is unmapped ({old_size} to {new_size} bytes).',
  },
  {
    anchor: 'zend_mm_realloc_huge:extend',
    statement: [/zend_mm_chunk_extend\s*\(/],
    within: ['zend_mm_realloc_heap'],
    note: 'The huge block grows in place: the pages right after the mapping are mapped too ({old_size} to {new_size} bytes).',
  },
  // zend_mm_realloc_heap
  {
    anchor: 'zend_mm_realloc_heap:null',
    // 7.0 calls zend_mm_alloc_heap here
    statement: [/ptr\s*==\s*NULL/, /return\s+(?:_zend_mm_alloc|zend_mm_alloc_heap)\s*\(/],
    note: 'realloc of a NULL pointer is a plain allocation.',
  },
  {
    anchor: 'zend_mm_realloc_heap:small_truncate',
    statement: [/old_bin_num\s*>\s*0\s*&&\s*size\s*<\s*bin_data_size\[\s*old_bin_num\s*-\s*1\s*\]/],
    missingIn: ['7.0'],
    note: 'The new size fits a smaller bin than {old_bin_num}: the data moves to a slot of that bin and the old slot is freed.',
  },
  {
    anchor: 'zend_mm_realloc_heap:small_in_place',
    // 7.0 stays in place only within the same bin: if (old_bin_num == bin_num) return ptr
    statement: [/ret\s*=\s*ptr\s*;|if\s*\(\s*old_bin_num\s*==\s*bin_num\s*\)/],
    note: 'The new size still fits the {old_size}-byte slot and no smaller bin would do: the block stays where it is.',
  },
  {
    anchor: 'zend_mm_realloc_heap:small_extension',
    statement: [/else\s+if\s*\(\s*size\s*<=\s*ZEND_MM_MAX_SMALL_SIZE\s*\)/],
    missingIn: ['7.0'],
    note: 'The new size needs a bigger small slot than {old_size} bytes: allocate in the bigger bin, copy, free the old slot; peak is kept as if the two never overlapped.',
  },
  {
    anchor: 'zend_mm_realloc_heap:large_same_size',
    // after the large run's size is read (7.0's inline huge case has the same test before it)
    statement: [/old_size\s*=\s*ZEND_MM_LRUN_PAGES\s*\(\s*info\s*\)/, /if\s*\(\s*new_size\s*==\s*old_size\s*\)/],
    note: 'The run already has the pages the new size needs ({new_size} bytes): nothing moves.',
  },
  {
    anchor: 'zend_mm_realloc_heap:large_shrink',
    statement: [/old_size\s*=\s*ZEND_MM_LRUN_PAGES\s*\(\s*info\s*\)/, /else\s+if\s*\(\s*new_size\s*<\s*old_size\s*\)/],
    note: 'The run shrinks in place: its last pages go back to the chunk\'s free map ({old_size} to {new_size} bytes).',
  },
  {
    anchor: 'zend_mm_realloc_heap:large_grow',
    statement: [/if\s*\(\s*page_num\s*\+\s*new_pages_count\s*<=\s*ZEND_MM_PAGES/],
    note: 'The pages right after the run are free and inside the chunk: the run grows over them in place ({old_size} to {new_size} bytes).',
  },
  // zend_mm_add_huge_block / zend_mm_del_huge_block
  {
    anchor: 'zend_mm_add_huge_block:push',
    statement: [/heap->huge_list\s*=\s*list\s*;/],
    note: 'A small node (itself a small allocation) records the huge block and becomes the head of huge_list.',
  },
  {
    anchor: 'zend_mm_del_huge_block:unlink',
    statement: [/if\s*\(\s*list->ptr\s*==\s*ptr\s*\)/],
    note: 'The node of this block is found in huge_list: it is unlinked, its size remembered, and the node itself freed.',
  },
  // zend_mm_alloc_huge
  {
    anchor: 'zend_mm_alloc_huge:round',
    statement: [/new_size\s*=\s*ZEND_MM_ALIGNED_SIZE_EX\s*\(\s*size\s*,/],
    note: '{size} bytes is above the largest large size, so it gets its own mapping, rounded up to whole OS pages: {new_size} bytes.',
  },
  {
    anchor: 'zend_mm_alloc_huge:overflow',
    statement: [/if\s*\(\s*(?:UNEXPECTED\s*\(\s*)?new_size\s*<\s*size\s*\)/],
    missingIn: ['7.0'],
    note: 'Rounding the size up wrapped past SIZE_MAX: a fatal "Possible integer overflow" error.',
  },
  {
    anchor: 'zend_mm_alloc_huge:map',
    statement: [/ptr\s*=\s*zend_mm_chunk_alloc\s*\(\s*heap\s*,\s*new_size\s*,/],
    note: 'The block is mapped aligned to 2 MiB, so a pointer with a zero chunk offset always means a huge block.',
  },
  {
    anchor: 'zend_mm_alloc_huge:map_failed',
    statement: [/if\s*\(\s*(?:UNEXPECTED\s*\(\s*)?ptr\s*==\s*NULL\s*\)/],
    note: 'The mapping failed: zend_mm_gc runs and the mapping is tried once more; failing again, "Out of memory".',
  },
  {
    anchor: 'zend_mm_alloc_huge:stat',
    statement: [/heap->real_size\s*\+\s*new_size/],
    note: 'A huge block counts fully in both figures: real_size becomes {real_size} and size {size}.',
  },
  // zend_mm_free_huge
  {
    anchor: 'zend_mm_free_huge:unmap',
    statement: [/zend_mm_chunk_free\s*\(\s*heap\s*,\s*ptr\s*,\s*size\s*\)/],
    note: 'The whole mapping ({size} bytes) goes back to the system at once; huge blocks are never cached.',
  },
  // zend_mm_gc
  {
    anchor: 'zend_mm_gc:unlink_free_runs',
    statement: [/q\s*=\s*(?:\(\s*zend_mm_free_slot\s*\*\s*\)\s*)?&\s*heap->free_slot\[\s*i\s*\]\s*;/],
    note: 'Bin {i} has runs whose slots are all free (counted in the page map by the first pass): a second pass unlinks those slots from the free list.',
  },
  {
    anchor: 'zend_mm_gc:return',
    statement: [/return\s+collected\s*\*\s*ZEND_MM_PAGE_SIZE\s*;/],
    note: 'Fully free small runs went back to their chunks (empty chunks to zend_mm_delete_chunk): {collected} bytes collected.',
  },
  // zend_set_memory_limit
  {
    anchor: 'zend_set_memory_limit:free_cached',
    statement: [/zend_mm_chunk_free\s*\(\s*heap\s*,\s*p\s*,/],
    missingIn: ['7.0', '7.4'],
    note: 'The new limit is below real_size, but unmapping cached chunks gets under it: they are unmapped (real_size now {real_size}) and the call succeeds without storing the limit.',
  },
  {
    anchor: 'zend_set_memory_limit:failure',
    statement: [/return\s+FAILURE\s*;/],
    missingIn: ['7.0'],
    note: 'The heap already holds more ({real_size} bytes) than the new limit allows: the limit is refused.',
  },
  {
    anchor: 'zend_set_memory_limit:store',
    // 7.0 stores the clamped value in one statement: limit = (memory_limit >= ...) ? ...
    statement: [/->\s*limit\s*=\s*\(?\s*memory_limit\b/],
    note: 'The new limit is stored; every later chunk, huge block or huge growth is tested against it.',
  },
];
