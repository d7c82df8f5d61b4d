// Anchor catalog of the PHP 5.2 - 5.6 allocator (segments, free/large/rest buckets): for each
// anchor the zend5 engine emits, the statement's pattern in zend_alloc.c and our note on it.
// Patterns are written against the 5.2, 5.3 and 5.5/5.6-era files, which share these functions
// apart from the bounded rest list of 5.4+ (and 5.2's Suhosin hooks, which they skip).

import type { AnchorEntry, FunctionEntry } from './anchorCatalog';

/** Functions the zend5 engine enters or anchors, in the order of zend_alloc.c. */
export const ZEND5_FUNCTIONS: readonly FunctionEntry[] = [
  { name: 'zend_mm_add_to_rest_list', summary: 'Puts a free block on the rest list, where blocks left over from dedicated segments wait.' },
  { name: 'zend_mm_add_to_free_list', summary: 'Files a free block: a small bucket\'s ring, or the size-bit trie of a large bucket.' },
  { name: 'zend_mm_remove_from_free_list', summary: 'Takes a free block out of its ring or trie, keeping the bitmaps right.' },
  { name: 'zend_mm_del_segment', summary: 'Gives an entirely free segment back to the storage layer.' },
  { name: 'zend_mm_free_cache', summary: 'Empties the cache: every cached block is merged with free neighbours and filed as free.' },
  { name: 'zend_mm_safe_error', summary: 'Reports memory exhaustion, freeing the reserve block first so the report itself can allocate.' },
  { name: 'zend_mm_search_large_block', summary: 'Best fit among the large free blocks: walks the trie of the size\'s bucket, then the buckets above.' },
  { name: '_zend_mm_alloc_int', summary: 'Allocates: cache, small buckets, large trie, rest list, else a new segment; then splits the block.' },
  { name: '_zend_mm_free_int', summary: 'Frees: into the cache when small and there is room, else merged with free neighbours and filed.' },
  { name: '_zend_mm_realloc_int', summary: 'Reallocates in place where the block or its neighbour allows, else resizes a lone segment or moves.' },
];

/** Every anchor the zend5 engine emits. */
export const ZEND5_ANCHORS: readonly AnchorEntry[] = [
  // zend_mm_add_to_rest_list
  {
    anchor: 'zend_mm_add_to_rest_list:evict_oldest',
    statement: [/while\s*\(\s*heap->rest_count\s*>=\s*ZEND_MM_MAX_REST_BLOCKS\s*\)/],
    missingIn: ['5.2', '5.3'],
    note: 'The rest list already holds its maximum of large blocks ({rest_count} now): its oldest entry leaves it for the normal free lists.',
  },
  {
    anchor: 'zend_mm_add_to_rest_list:link',
    statement: [/prev->next_free_block\s*=\s*next->prev_free_block\s*=\s*mm_block\s*;/],
    note: 'The block ({size} bytes) becomes the newest entry at the head of the rest list; the rest list is searched only near the memory limit.',
  },
  // zend_mm_add_to_free_list
  {
    anchor: 'zend_mm_add_to_free_list:large_root',
    statement: [/if\s*\(\s*!\s*\*\s*p\s*\)/, /\*\s*p\s*=\s*mm_block\s*;/],
    note: 'Large bucket {index} was empty: the block ({size} bytes) becomes the root of its trie and the bucket\'s bit is set in large_free_bitmap.',
  },
  {
    anchor: 'zend_mm_add_to_free_list:large_leaf',
    statement: [/p\s*=\s*&\s*prev->child\s*\[/, /\*\s*p\s*=\s*mm_block\s*;/],
    note: 'Following the size\'s bits down the trie of bucket {index} reached an empty child: the block ({size} bytes) hangs there as a new node.',
  },
  {
    anchor: 'zend_mm_add_to_free_list:large_ring',
    statement: [/ZEND_MM_FREE_BLOCK_SIZE\s*\(\s*prev\s*\)\s*!=\s*size/, /prev->next_free_block\s*=\s*next->prev_free_block\s*=\s*mm_block\s*;/],
    note: 'A trie node of the same size ({size} bytes) exists: the block joins that node\'s ring instead of becoming a node itself.',
  },
  {
    anchor: 'zend_mm_add_to_free_list:small',
    statement: [/ZEND_MM_SMALL_FREE_BUCKET\s*\(\s*heap\s*,\s*index\s*\)/, /prev->next_free_block\s*=\s*next->prev_free_block\s*=\s*mm_block\s*;/],
    note: 'A small block ({size} bytes) goes to the head of small bucket {index}\'s ring; allocation takes from the other end, so it is used last.',
  },
  // zend_mm_remove_from_free_list
  {
    anchor: 'zend_mm_remove_from_free_list:leaf',
    statement: [/\*\s*mm_block->parent\s*=\s*NULL\s*;/],
    note: 'The block is a trie node alone in its ring and has no children: its parent\'s link is cleared (and the bucket\'s bit when it was the root).',
  },
  {
    anchor: 'zend_mm_remove_from_free_list:replace_by_leaf',
    statement: [/\*\s*rp\s*=\s*NULL\s*;/],
    note: 'The block is a trie node with children: its last descendant is detached and takes its place in the trie.',
  },
  {
    anchor: 'zend_mm_remove_from_free_list:unlink_small',
    statement: [/if\s*\(\s*(?:EXPECTED\s*\(\s*)?ZEND_MM_SMALL_SIZE\s*\(\s*ZEND_MM_FREE_BLOCK_SIZE\s*\(\s*mm_block\s*\)\s*\)/],
    note: 'A small block ({size} bytes) was unlinked from its bucket\'s ring; when the ring is now empty the bucket\'s bit leaves free_bitmap.',
  },
  {
    anchor: 'zend_mm_remove_from_free_list:replace_by_ring',
    statement: [/goto\s+subst_block\s*;/],
    note: 'The block was a trie node with same-size blocks in its ring: the previous block of the ring takes its place in the trie.',
  },
  {
    anchor: 'zend_mm_remove_from_free_list:unlink_large',
    statement: [/prev->next_free_block\s*=\s*next\s*;/],
    note: 'A large block ({size} bytes) that is not a trie node (a ring member, or a rest-list entry) is simply unlinked from its ring.',
  },
  // zend_mm_del_segment
  {
    anchor: 'zend_mm_del_segment:release',
    statement: [/ZEND_MM_STORAGE_FREE\s*\(\s*segment\s*\)/],
    note: 'The segment ({segment_size} bytes) leaves segments_list and goes back to the storage layer; real_size drops to {real_size}.',
  },
  // zend_mm_free_cache
  {
    anchor: 'zend_mm_free_cache:flush_block',
    statement: [/heap->cached\s*-=\s*size\s*;/],
    note: 'A cached block of bucket {index} ({size} bytes) leaves the cache: it is merged with free neighbours and filed as a free block (or its segment released).',
  },
  // zend_mm_safe_error
  {
    anchor: 'zend_mm_safe_error:free_reserve',
    statement: [/_zend_mm_free_int\s*\(\s*heap\s*,\s*heap->reserve/],
    note: 'The reserve block kept for this moment is freed, so reporting the error has memory to work with.',
  },
  {
    anchor: 'zend_mm_safe_error:report',
    statement: [/heap->overflow\s*=\s*1\s*;/],
    note: 'First overflow: overflow is set and the fatal error is raised with PHP\'s message.',
  },
  {
    anchor: 'zend_mm_safe_error:silent',
    statement: [/heap->overflow\s*=\s*2\s*;/],
    note: 'The heap overflowed again while reporting: it bails out without a second message.',
  },
  // zend_mm_search_large_block
  {
    anchor: 'zend_mm_search_large_block:none',
    statement: [/if\s*\(\s*bitmap\s*==\s*0\s*\)/],
    note: 'No large bucket from this size\'s one upwards holds a free block: nothing is found ({best_fit}).',
  },
  {
    anchor: 'zend_mm_search_large_block:exact',
    statement: [/return\s+p->next_free_block\s*;/],
    note: 'A node on the size\'s path in the trie has exactly the size asked for: its ring\'s next block is returned at once.',
  },
  {
    anchor: 'zend_mm_search_large_block:exact_rst',
    statement: [/for\s*\(\s*p\s*=\s*rst\s*;/, /return\s+p->next_free_block\s*;/],
    note: 'Walking the last right subtree passed on the way down found exactly the size asked for.',
  },
  {
    anchor: 'zend_mm_search_large_block:best_fit',
    statement: [/return\s+best_fit->next_free_block\s*;/],
    note: 'No exact size: the smallest block seen that is big enough is used (its ring\'s next block, {best_fit}).',
  },
  {
    anchor: 'zend_mm_search_large_block:smallest_above',
    statement: [/best_fit\s*=\s*p\s*=\s*heap->large_free_buckets\s*\[\s*index\s*\+\s*zend_mm_low_bit\s*\(\s*bitmap\s*\)\s*\]/],
    note: 'The size\'s own bucket has nothing big enough: the next non-empty bucket above gives its smallest block.',
  },
  // _zend_mm_alloc_int
  {
    anchor: '_zend_mm_alloc_int:size_overflow',
    statement: [/if\s*\(\s*(?:UNEXPECTED\s*\(\s*)?true_size\s*<\s*size\s*\)/],
    note: 'Adding the block header wrapped the size around: the request ends as "Out of memory".',
  },
  {
    anchor: '_zend_mm_alloc_int:cache_hit',
    statement: [/best_fit\s*=\s*heap->cache\s*\[\s*index\s*\]\s*;/],
    note: 'Cache bucket {index} holds a freed block of exactly this size: the newest one is handed back without touching the free lists.',
  },
  {
    anchor: '_zend_mm_alloc_int:small_bucket',
    statement: [/best_fit\s*=\s*heap->free_buckets\s*\[\s*index\s*\*\s*2\s*\]/],
    note: 'free_bitmap shows the first non-empty small bucket at or above this size (bucket {index}): its oldest block is taken.',
  },
  {
    anchor: '_zend_mm_alloc_int:rest_search',
    statement: [/heap->real_size\s*>=\s*heap->limit\s*-\s*heap->block_size/],
    note: 'Nothing found and real_size ({real_size}) is within one segment of the limit: the rest list is searched before asking for a segment.',
  },
  {
    anchor: '_zend_mm_alloc_int:rest_exact',
    statement: [/heap->rest_buckets\s*\[\s*0\s*\]/, /best_fit\s*=\s*p\s*;/],
    note: 'A rest-list block of exactly the size asked for is used.',
  },
  {
    anchor: '_zend_mm_alloc_int:rest_best_fit',
    statement: [/heap->rest_buckets\s*\[\s*0\s*\]/, /best_size\s*=\s*ZEND_MM_FREE_BLOCK_SIZE\s*\(\s*p\s*\)\s*;/],
    note: 'The smallest rest-list block that is big enough is used.',
  },
  {
    anchor: '_zend_mm_alloc_int:limit_exceeded',
    statement: [/if\s*\(\s*segment_size\s*<\s*true_size\s*\|\|\s*heap->real_size\s*\+\s*segment_size\s*>\s*heap->limit/],
    note: 'A new segment of {segment_size} bytes would pass memory_limit: the cache is emptied and "Allowed memory size exhausted" is raised.',
  },
  {
    anchor: '_zend_mm_alloc_int:storage_failed',
    statement: [/if\s*\(\s*!\s*segment\s*\)/],
    note: 'The storage layer could not provide {segment_size} bytes: the cache is emptied and "Out of memory" is raised.',
  },
  {
    anchor: '_zend_mm_alloc_int:new_segment',
    statement: [/segment\s*=\s*\(\s*zend_mm_segment\s*\*\s*\)\s*ZEND_MM_STORAGE_ALLOC\s*\(\s*segment_size\s*\)/],
    note: 'A new segment of {segment_size} bytes is taken from the storage and pushed on segments_list; its single free block ends at a guard block.',
  },
  {
    anchor: '_zend_mm_alloc_int:whole_block',
    statement: [/remaining_size\s*=\s*block_size\s*-\s*true_size/, /true_size\s*=\s*block_size\s*;/],
    note: 'What would be left is too small to be a free block: the whole block is used.',
  },
  {
    anchor: '_zend_mm_alloc_int:split',
    statement: [/new_free_block\s*=\s*\(\s*zend_mm_free_block\s*\*\s*\)\s*ZEND_MM_BLOCK_AT\s*\(\s*best_fit\s*,\s*true_size\s*\)/],
    note: 'The block is split: the first {true_size} bytes are used and the other {remaining_size} become a free block (on the rest list when the segment was made for this request).',
  },
  {
    anchor: '_zend_mm_alloc_int:stat',
    statement: [/heap->size\s*\+=\s*true_size\s*;/],
    note: 'The block\'s true size (header included) counts in memory_get_usage(): size becomes {size}, peak {peak}.',
  },
  // _zend_mm_free_int
  {
    anchor: '_zend_mm_free_int:cache_push',
    statement: [/\*\s*cache\s*=\s*\(\s*zend_mm_free_block\s*\*\s*\)\s*mm_block\s*;/],
    note: 'A small block with room left in the cache goes on top of cache bucket {index}; it stays counted in size and is not merged.',
  },
  {
    anchor: '_zend_mm_free_int:coalesce_next',
    statement: [/size\s*\+=\s*ZEND_MM_FREE_BLOCK_SIZE\s*\(\s*next_block\s*\)/],
    note: 'The block after it is free: it leaves its free list and the two merge ({size} bytes).',
  },
  {
    anchor: '_zend_mm_free_int:coalesce_prev',
    statement: [/size\s*\+=\s*ZEND_MM_FREE_BLOCK_SIZE\s*\(\s*mm_block\s*\)/],
    note: 'The block before it is free: it leaves its free list and the two merge ({size} bytes).',
  },
  {
    anchor: '_zend_mm_free_int:segment_empty',
    statement: [/zend_mm_del_segment\s*\(/],
    note: 'The merged block spans its whole segment, from the first block to the guard: the segment is released.',
  },
  {
    anchor: '_zend_mm_free_int:to_free_list',
    statement: [/zend_mm_add_to_free_list\s*\(\s*heap\s*,/],
    note: 'The merged free block ({size} bytes) is filed in the free lists.',
  },
  // _zend_mm_realloc_int
  {
    anchor: '_zend_mm_realloc_int:size_overflow',
    statement: [/if\s*\(\s*(?:UNEXPECTED\s*\(\s*)?true_size\s*<\s*size\s*\)/],
    note: 'Adding the block header wrapped the size around: the request ends as "Out of memory".',
  },
  {
    anchor: '_zend_mm_realloc_int:shrink_in_place',
    statement: [/if\s*\(\s*remaining_size\s*>=\s*ZEND_MM_ALIGNED_MIN_HEADER_SIZE\s*\)/],
    note: 'The block shrinks in place to {true_size} bytes; its tail ({remaining_size} bytes, with a free block after it) is filed as free.',
  },
  {
    anchor: '_zend_mm_realloc_int:same_block',
    statement: [/if\s*\(\s*true_size\s*<=\s*orig_size\s*\)/, /return\s+p\s*;/],
    note: 'The block already fits and the spare tail is too small to free: nothing changes.',
  },
  {
    anchor: '_zend_mm_realloc_int:cache_swap',
    statement: [/best_fit\s*=\s*heap->cache\s*\[\s*index\s*\]\s*;/],
    note: 'A cached block of the new size is used: the data is copied and the old block takes its place in the cache.',
  },
  {
    anchor: '_zend_mm_realloc_int:grow_into_next',
    statement: [/if\s*\(\s*orig_size\s*\+\s*ZEND_MM_FREE_BLOCK_SIZE\s*\(\s*next_block\s*\)\s*>=\s*true_size\s*\)/],
    note: 'The free block after it is big enough: the block grows over it in place to {true_size} bytes, any rest staying free.',
  },
  {
    anchor: '_zend_mm_realloc_int:realloc_segment',
    statement: [/realloc_segment\s*:/],
    note: 'The block is alone in its segment (only free space or the guard after it): the whole segment is resized to {segment_size} bytes.',
  },
  {
    anchor: '_zend_mm_realloc_int:limit_exceeded',
    statement: [/if\s*\(\s*segment_size\s*<\s*true_size\s*\|\|\s*heap->real_size\s*\+\s*segment_size\s*-\s*segment_copy->size\s*>\s*heap->limit/],
    note: 'Resizing the segment to {segment_size} bytes would pass memory_limit: "Allowed memory size exhausted".',
  },
  {
    anchor: '_zend_mm_realloc_int:storage_failed',
    statement: [/if\s*\(\s*!\s*segment\s*\)/],
    note: 'The storage could not resize the segment to {segment_size} bytes: "Out of memory".',
  },
  {
    anchor: '_zend_mm_realloc_int:segment_moved',
    statement: [/if\s*\(\s*segment\s*!=\s*segment_copy\s*\)/],
    note: 'The storage moved the segment: its entry in segments_list is repointed and the block now starts in the new place.',
  },
  {
    anchor: '_zend_mm_realloc_int:segment_resized',
    statement: [/ZEND_MM_STORAGE_REALLOC\s*\(/, /heap->size\s*=\s*heap->size\s*\+\s*true_size\s*-\s*orig_size\s*;/],
    note: 'The resized segment\'s block is now {true_size} bytes; size and real_size ({real_size}) follow.',
  },
  {
    anchor: '_zend_mm_realloc_int:move',
    statement: [/ptr\s*=\s*_zend_mm_alloc_int\s*\(/],
    note: 'No way to resize in place: a new block is allocated, the data copied and the old block freed.',
  },
];
