<?php
/*
 * Zend MM Lab oracle: PHP 8.2.32's allocator structures, as oracle.php reads them.
 *
 * Transcribed from that release's Zend/zend_alloc.c for a release build (ZEND_DEBUG 0)
 * with the defaults ZEND_MM_CUSTOM/STORAGE/STAT/LIMIT = 1 (lines 125-137), on LP64
 * (x86_64). Every pointer member is declared as uintptr_t (same size and alignment) so
 * that addresses come out as plain integers. oracle.php checks the layout against a
 * fresh heap before it replays anything.
 */
declare(strict_types=1);

return [
	'version' => '8.2.32',
	'cdef' => <<<'C'
/* zend_alloc.c lines 234-282: struct _zend_mm_heap */
typedef struct _zend_mm_heap {
	int        use_custom_heap;             /* #if ZEND_MM_CUSTOM */
	uintptr_t  storage;                     /* zend_mm_storage*, #if ZEND_MM_STORAGE */
	size_t     size;                        /* #if ZEND_MM_STAT */
	size_t     peak;
	uintptr_t  free_slot[30];               /* zend_mm_free_slot*[ZEND_MM_BINS] (ZEND_MM_BINS = 30, line 192) */
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
	uintptr_t  custom_heap[3];              /* #if ZEND_MM_CUSTOM: union of two structs of 3 function pointers */
	uintptr_t  tracked_allocs;              /* HashTable* */
} zend_mm_heap;

/* zend_alloc.c lines 284-295: struct _zend_mm_chunk */
typedef struct _zend_mm_chunk {
	uintptr_t  heap;                        /* zend_mm_heap* */
	uintptr_t  next;                        /* zend_mm_chunk* */
	uintptr_t  prev;                        /* zend_mm_chunk* */
	uint32_t   free_pages;
	uint32_t   free_tail;
	uint32_t   num;
	char       reserve[28];                 /* 64 - (sizeof(void*) * 3 + sizeof(uint32_t) * 3) */
	zend_mm_heap heap_slot;
	uint64_t   free_map[8];                 /* zend_mm_page_map: zend_ulong[512 / 64] (lines 151, 160-163) */
	uint32_t   map[512];                    /* zend_mm_page_info[ZEND_MM_PAGES] (line 150) */
} zend_mm_chunk;

/* zend_alloc.c lines 309-311: struct _zend_mm_free_slot (the next pointer is stored as is) */
typedef struct _zend_mm_free_slot {
	uintptr_t  next_free_slot;              /* zend_mm_free_slot* */
} zend_mm_free_slot;

/* zend_alloc.c lines 313-320: struct _zend_mm_huge_list (no dbg member: !ZEND_DEBUG) */
typedef struct _zend_mm_huge_list {
	uintptr_t  ptr;                         /* void* */
	size_t     size;
	uintptr_t  next;                        /* zend_mm_huge_list* */
} zend_mm_huge_list;
C,
	// zend_mm_panic() (lines 358-368) prints its message and calls abort().
	'panic' => 'abort',
	// main/main.c (8.2.32) line 276, OnChangeMemoryLimit: the warning for a failed limit change.
	'limitFailedFormat' => 'Failed to set memory limit to %d bytes (Current memory usage is %d bytes)',
	// What zend_mm_init() (lines 1900-1948) stores beyond the fields every version has.
	'extraChecks' => static fn (FFI\CData $heap): array => [],
];
