<?php
/*
 * Zend MM Lab oracle: PHP 8.4.24's allocator structures, as oracle.php reads them.
 *
 * Zend/zend_alloc.c of Debian trixie 8.4.24-1~deb13u1, whose patches leave the allocator
 * alone; build defaults, ZEND_MM_HEAP_PROTECTION = 1 included, at lines 132-150;
 * ZEND_MM_BINS = 30 at line 218.
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

require_once __DIR__ . '/layoutStructs.php';

return [
	'version' => '8.4.24',
	'cdef' => zmm_layout_cdef(
		['heap' => '266-312', 'chunk' => '314-325', 'freeSlot' => '339-341', 'hugeList' => '343-350'],
		// line 277: the xor key of the free-slot shadows
		"\tuintptr_t  shadow_key;\n",
		// lines 301-307: _malloc, _free, _realloc, _gc, _shutdown
		5,
		// line 310: pid_t pid (offset 416). Line 311: zend_random_bytes_insecure_state, a union
		// of zend_max_align_t and uint64_t[5] (Zend/zend.h of the same release): 48 bytes
		// aligned to 16, so it starts at offset 432 and the heap is 480 bytes long; the chunk's
		// free_map then sits at 544 and map at 608.
		"\tint32_t    pid;\n\tuint32_t   pad_before_rand_state[3];\n\tuint64_t   rand_state[6];\n",
		'The first word is the plain next pointer; the shadow lives at the end of the slot '
			. '(ZEND_MM_FREE_SLOT_PTR_SHADOW, lines 1291-1292), at an offset that depends on the bin',
	),
	// zend_mm_panic() (lines 388-399) prints its message and calls abort().
	'panic' => 'abort',
	// main/main.c (8.4.24) line 329, OnChangeMemoryLimit: the same text as 8.2.
	'limitFailedFormat' => ZMM_LIMIT_FAILED_FORMAT,
	// zend_mm_init() (lines 2020-2070) also draws a random shadow_key (zend_mm_init_key,
	// line 2056) and stores the process id (line 2068).
	'extraChecks' => static fn (FFI\CData $heap): array => [
		'heap->pid' => $heap->pid === getmypid(),
		'heap->shadow_key' => $heap->shadow_key !== 0,
	],
];
