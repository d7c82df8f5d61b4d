<?php
/*
 * Zend MM Lab oracle: PHP 8.2.32's allocator structures (Zend/zend_alloc.c of that release;
 * build defaults at lines 125-137, ZEND_MM_BINS = 30 at line 192).
 */
declare(strict_types=1);

require_once __DIR__ . '/layoutStructs.php';

return [
	'version' => '8.2.32',
	'cdef' => zmm_layout_cdef(['heap' => '234-282', 'chunk' => '284-295', 'freeSlot' => '309-311', 'hugeList' => '313-320']),
	// zend_mm_panic() (lines 358-368) prints its message and calls abort().
	'panic' => 'abort',
	// main/main.c (8.2.32) line 276, OnChangeMemoryLimit.
	'limitFailedFormat' => ZMM_LIMIT_FAILED_FORMAT,
	// zend_mm_init() (lines 1900-1948) stores nothing beyond the fields every version has.
	'extraChecks' => static fn (FFI\CData $heap): array => [],
];
