<?php
/*
 * Zend MM Lab oracle: the allocator structures that oracle.php declares for FFI, built from
 * the parts every PHP 7/8 release shares plus what a layout-<version>.php file says differs.
 *
 * All declarations are for a release build (ZEND_DEBUG 0) with ZEND_MM_STAT/LIMIT/CUSTOM/
 * STORAGE = 1 on LP64 (x86_64). Pointer members are declared as uintptr_t (same size and
 * alignment) so that addresses come out of FFI as plain integers. oracle.php checks the
 * result against a fresh heap before it replays anything.
 */
declare(strict_types=1);

/**
 * The cdef text for one release.
 *
 * @param array{heap: string, chunk: string, freeSlot: string, hugeList: string} $lines
 *        where each structure is defined in that release's zend_alloc.c ("234-282")
 * @param string $afterPeak heap members between peak and free_slot (8.4: shadow_key)
 * @param int $customHeapWords pointers in custom_heap (3: union of two 3-pointer structs; 8.4: 5)
 * @param string $tail heap members after tracked_allocs (8.4: pid, rand_state)
 * @param string $freeSlotNote what the release keeps in a free slot besides its next pointer
 */
function zmm_layout_cdef(array $lines, string $afterPeak = '', int $customHeapWords = 3, string $tail = '', string $freeSlotNote = ''): string
{
	$freeSlotNote = $freeSlotNote === '' ? ' (the next pointer is stored as is)' : ". $freeSlotNote";
	return <<<C
/* zend_alloc.c lines {$lines['heap']}: struct _zend_mm_heap */
typedef struct _zend_mm_heap {
	int        use_custom_heap;             /* #if ZEND_MM_CUSTOM */
	uintptr_t  storage;                     /* zend_mm_storage*, #if ZEND_MM_STORAGE */
	size_t     size;                        /* #if ZEND_MM_STAT */
	size_t     peak;
{$afterPeak}	uintptr_t  free_slot[30];               /* zend_mm_free_slot*[ZEND_MM_BINS] */
	size_t     real_size;                   /* #if ZEND_MM_STAT || ZEND_MM_LIMIT */
	size_t     real_peak;                   /* #if ZEND_MM_STAT */
	size_t     limit;                       /* #if ZEND_MM_LIMIT */
	int        overflow;
	uintptr_t  huge_list;                   /* zend_mm_huge_list* */
	uintptr_t  main_chunk;                  /* zend_mm_chunk* */
	uintptr_t  cached_chunks;               /* zend_mm_chunk* */
	int        chunks_count;
	int        peak_chunks_count;
	int        cached_chunks_count;
	double     avg_chunks_count;
	int        last_chunks_delete_boundary;
	int        last_chunks_delete_count;
	uintptr_t  custom_heap[{$customHeapWords}];              /* #if ZEND_MM_CUSTOM: the custom allocator's function pointers */
	uintptr_t  tracked_allocs;              /* HashTable* */
{$tail}} zend_mm_heap;

/* zend_alloc.c lines {$lines['chunk']}: struct _zend_mm_chunk */
typedef struct _zend_mm_chunk {
	uintptr_t  heap;                        /* zend_mm_heap* */
	uintptr_t  next;                        /* zend_mm_chunk* */
	uintptr_t  prev;                        /* zend_mm_chunk* */
	uint32_t   free_pages;
	uint32_t   free_tail;
	uint32_t   num;
	char       reserve[28];                 /* 64 - (sizeof(void*) * 3 + sizeof(uint32_t) * 3) */
	zend_mm_heap heap_slot;
	uint64_t   free_map[8];                 /* zend_mm_page_map: zend_ulong[512 / 64] */
	uint32_t   map[512];                    /* zend_mm_page_info[ZEND_MM_PAGES] */
} zend_mm_chunk;

/* zend_alloc.c lines {$lines['freeSlot']}: struct _zend_mm_free_slot{$freeSlotNote} */
typedef struct _zend_mm_free_slot {
	uintptr_t  next_free_slot;              /* zend_mm_free_slot* */
} zend_mm_free_slot;

/* zend_alloc.c lines {$lines['hugeList']}: struct _zend_mm_huge_list (no dbg member: !ZEND_DEBUG) */
typedef struct _zend_mm_huge_list {
	uintptr_t  ptr;                         /* void* */
	size_t     size;
	uintptr_t  next;                        /* zend_mm_huge_list* */
} zend_mm_huge_list;
C;
}

/** The warning main.c's OnChangeMemoryLimit prints when zend_set_memory_limit() fails (7.4 – 8.4). */
const ZMM_LIMIT_FAILED_FORMAT = 'Failed to set memory limit to %d bytes (Current memory usage is %d bytes)';
