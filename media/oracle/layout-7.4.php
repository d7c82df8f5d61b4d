<?php
/*
 * Zend MM Lab oracle: PHP 7.4.33's allocator structures (Zend/zend_alloc.c of Debian
 * bullseye 7.4.33-1+deb11u5, whose patches leave the allocator alone; build defaults at
 * lines 123-135, ZEND_MM_BINS = 30 at line 190). Field for field the same as 8.2.32's.
 */
declare(strict_types=1);

require_once __DIR__ . '/layoutStructs.php';

return [
	'version' => '7.4.33',
	'cdef' => zmm_layout_cdef(['heap' => '232-280', 'chunk' => '282-293', 'freeSlot' => '307-309', 'hugeList' => '311-318']),
	// zend_mm_panic() (lines 356-367) prints its message and calls exit(1), not abort():
	// the shim catches the exit (ZMM_EXIT).
	'panic' => 'exit',
	// main/main.c (7.4.33) line 311, OnChangeMemoryLimit: the same text as later releases.
	// zend_set_memory_limit() (lines 2660-2672) raises a limit below 2 MiB to 2 MiB and fails
	// only when that is still below real_size; it never frees cached chunks (8.x does).
	'limitFailedFormat' => ZMM_LIMIT_FAILED_FORMAT,
	// zend_mm_init() (lines 1842-1893) stores nothing beyond the common fields.
	'extraChecks' => static fn (FFI\CData $heap): array => [],
];
