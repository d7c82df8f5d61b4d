<?php
/*
 * Zend MM Lab oracle: PHP 7.4.33's allocator structures, as oracle.php reads them.
 *
 * Transcribed from that release's Zend/zend_alloc.c (Debian bullseye 7.4.33-1+deb11u5,
 * whose patches leave the allocator alone) for a release build (ZEND_DEBUG 0) with the
 * defaults ZEND_MM_STAT/LIMIT/CUSTOM/STORAGE = 1 (lines 123-135), on LP64 (x86_64).
 * Pointers are declared as uintptr_t (same size and alignment). The structures are the
 * same as 8.2.32's, field for field; the line numbers differ.
 */
declare(strict_types=1);

return [
	'version' => '7.4.33',
	'cdef' => <<<'C'
/* zend_alloc.c lines 232-280: struct _zend_mm_heap */
typedef struct _zend_mm_heap {
	int        use_custom_heap;             /* #if ZEND_MM_CUSTOM */
	uintptr_t  storage;                     /* zend_mm_storage*, #if ZEND_MM_STORAGE */
	size_t     size;                        /* #if ZEND_MM_STAT */
	size_t     peak;
	uintptr_t  free_slot[30];               /* zend_mm_free_slot*[ZEND_MM_BINS] (ZEND_MM_BINS = 30, line 190) */
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
	uintptr_t  custom_heap[3];              /* lines 266-277: union of two structs of 3 function pointers */
	uintptr_t  tracked_allocs;              /* HashTable*, line 278 */
} zend_mm_heap;

/* zend_alloc.c lines 282-293: struct _zend_mm_chunk */
typedef struct _zend_mm_chunk {
	uintptr_t  heap;                        /* zend_mm_heap* */
	uintptr_t  next;                        /* zend_mm_chunk* */
	uintptr_t  prev;                        /* zend_mm_chunk* */
	uint32_t   free_pages;
	uint32_t   free_tail;
	uint32_t   num;
	char       reserve[28];                 /* 64 - (sizeof(void*) * 3 + sizeof(uint32_t) * 3) */
	zend_mm_heap heap_slot;
	uint64_t   free_map[8];                 /* zend_mm_page_map: zend_ulong[512 / 64] (lines 149, 158-161) */
	uint32_t   map[512];                    /* zend_mm_page_info[ZEND_MM_PAGES] (line 148) */
} zend_mm_chunk;

/* zend_alloc.c lines 307-309: struct _zend_mm_free_slot (the next pointer is stored as is) */
typedef struct _zend_mm_free_slot {
	uintptr_t  next_free_slot;              /* zend_mm_free_slot* */
} zend_mm_free_slot;

/* zend_alloc.c lines 311-318: struct _zend_mm_huge_list (no dbg member: !ZEND_DEBUG) */
typedef struct _zend_mm_huge_list {
	uintptr_t  ptr;                         /* void* */
	size_t     size;
	uintptr_t  next;                        /* zend_mm_huge_list* */
} zend_mm_huge_list;
C,
	// zend_mm_panic() (lines 356-367) prints its message and calls exit(1), not abort():
	// the shim catches the exit (ZMM_EXIT).
	'panic' => 'exit',
	// main/main.c (7.4.33) line 311, OnChangeMemoryLimit: same text as later releases.
	// zend_set_memory_limit() (zend_alloc.c lines 2660-2672) raises a limit below 2 MiB
	// to 2 MiB and fails only when that is still below real_size; it never frees cached
	// chunks to make room (8.x does).
	'limitFailedFormat' => 'Failed to set memory limit to %d bytes (Current memory usage is %d bytes)',
	// zend_mm_init() (lines 1842-1893) stores nothing beyond the common fields.
	'extraChecks' => static fn (FFI\CData $heap): array => [],
];
