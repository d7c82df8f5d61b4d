<?php
/*
 * Zend MM Lab oracle: PHP 8.4.24's allocator structures, as oracle.php reads them.
 *
 * Transcribed from that release's Zend/zend_alloc.c (Debian trixie 8.4.24-1~deb13u1,
 * whose patches leave the allocator alone) for a release build (ZEND_DEBUG 0) with the
 * defaults ZEND_MM_STAT/LIMIT/CUSTOM/STORAGE/HEAP_PROTECTION = 1 (lines 132-150), on
 * LP64 (x86_64). Pointers are declared as uintptr_t (same size and alignment).
 *
 * What changed since 8.2:
 *  - the heap has shadow_key between peak and free_slot (line 277), and pid and
 *    rand_state at its end (lines 310-311); custom_heap is one struct of five function
 *    pointers (lines 301-307) instead of a union of two three-pointer structs;
 *  - heap protection (lines 1278-1330): every free slot keeps, in its last 8 bytes, a
 *    shadow of its next pointer: BSWAPPTR(next) ^ shadow_key (little-endian branch of
 *    zend_mm_encode_free_slot, line 1299). The next pointer itself, the slot's first
 *    word, stays a plain address (zend_mm_set_next_free_slot, line 1316), so the free
 *    lists are walked as before. Popping a slot whose shadow does not match its next
 *    pointer panics with "zend_mm_heap corrupted" (line 1326). Because a slot must hold
 *    two pointers, no request is served from the 8-byte bin 0: sizes below
 *    ZEND_MM_MIN_USEABLE_BIN_SIZE (16, line 155) are raised to 16 (lines 1471-1472,
 *    1697-1698, and the bin-0 entry points alias bin 1, line 2662).
 */
declare(strict_types=1);

return [
	'version' => '8.4.24',
	'cdef' => <<<'C'
/* zend_alloc.c lines 266-312: struct _zend_mm_heap */
typedef struct _zend_mm_heap {
	int        use_custom_heap;             /* #if ZEND_MM_CUSTOM */
	uintptr_t  storage;                     /* zend_mm_storage*, #if ZEND_MM_STORAGE */
	size_t     size;                        /* #if ZEND_MM_STAT */
	size_t     peak;
	uintptr_t  shadow_key;                  /* line 277: xor key of the free-slot shadows */
	uintptr_t  free_slot[30];               /* zend_mm_free_slot*[ZEND_MM_BINS] (ZEND_MM_BINS = 30, line 218) */
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
	uintptr_t  custom_heap[5];              /* lines 301-307: _malloc, _free, _realloc, _gc, _shutdown */
	uintptr_t  tracked_allocs;              /* HashTable*, line 308 */
	int32_t    pid;                         /* pid_t, line 310 (offset 416) */
	/* line 311: zend_random_bytes_insecure_state, a union of zend_max_align_t and
	 * uint64_t[5] (Zend/zend.h of the same release): 48 bytes aligned to 16, so it
	 * starts at offset 432 and the heap is 480 bytes long. */
	uint32_t   pad_before_rand_state[3];
	uint64_t   rand_state[6];
} zend_mm_heap;

/* zend_alloc.c lines 314-325: struct _zend_mm_chunk (heap_slot at 64: 480 is a
 * multiple of 16, so free_map is at 544 and map at 608 as with 16-byte alignment) */
typedef struct _zend_mm_chunk {
	uintptr_t  heap;                        /* zend_mm_heap* */
	uintptr_t  next;                        /* zend_mm_chunk* */
	uintptr_t  prev;                        /* zend_mm_chunk* */
	uint32_t   free_pages;
	uint32_t   free_tail;
	uint32_t   num;
	char       reserve[28];                 /* 64 - (sizeof(void*) * 3 + sizeof(uint32_t) * 3) */
	zend_mm_heap heap_slot;
	uint64_t   free_map[8];                 /* zend_mm_page_map: zend_ulong[512 / 64] (lines 177, 186-189) */
	uint32_t   map[512];                    /* zend_mm_page_info[ZEND_MM_PAGES] (line 176) */
} zend_mm_chunk;

/* zend_alloc.c lines 339-341: struct _zend_mm_free_slot. The first word is the plain
 * next pointer; the shadow lives at the end of the slot (ZEND_MM_FREE_SLOT_PTR_SHADOW,
 * lines 1291-1292), at an offset that depends on the bin. */
typedef struct _zend_mm_free_slot {
	uintptr_t  next_free_slot;              /* zend_mm_free_slot* */
} zend_mm_free_slot;

/* zend_alloc.c lines 343-350: struct _zend_mm_huge_list (no dbg member: !ZEND_DEBUG) */
typedef struct _zend_mm_huge_list {
	uintptr_t  ptr;                         /* void* */
	size_t     size;
	uintptr_t  next;                        /* zend_mm_huge_list* */
} zend_mm_huge_list;
C,
	// zend_mm_panic() (lines 388-399) prints its message and calls abort().
	'panic' => 'abort',
	// main/main.c (8.4.24) line 329, OnChangeMemoryLimit: same text as 8.2.
	'limitFailedFormat' => 'Failed to set memory limit to %d bytes (Current memory usage is %d bytes)',
	// zend_mm_init() (lines 2020-2070) also draws a random shadow_key (zend_mm_init_key,
	// line 2056) and stores the process id (line 2068).
	'extraChecks' => static fn (FFI\CData $heap): array => [
		'heap->pid' => $heap->pid === getmypid(),
		'heap->shadow_key' => $heap->shadow_key !== 0,
	],
];
