<?php
/*
 * Zend MM Lab: the real-PHP oracle.
 *
 *   php8.2 -n -d extension=ffi -d ffi.enable=1 -d display_errors=0 -d log_errors=0 \
 *          -d memory_limit=-1 -d serialize_precision=-1 oracle.php TRACE [SHIM.so]
 *
 * Replays a raw trace (one operation a line: `a ID SIZE`, `f ID`, `r ID SIZE`,
 * `gc`/`g`, `l BYTES`, `d`; `#` comments and blank lines ignored) against the
 * allocator of the running PHP binary, on a fresh private heap made by
 * zend_mm_startup(), and prints JSON Lines as specified in docs/replay-jsonl.md.
 * test/oracle/phpOracle.ts builds the shim and runs this script.
 *
 * The allocator is reached only through zmm_shim.c (see there why). PHP's own
 * allocations keep using the engine's main heap (AG(mm_heap)); only the shim's
 * calls ever touch the private heap.
 *
 * The heap is inspected by reading its memory through FFI, using the structure
 * layouts of the running release: layout-<major.minor>.php beside this file, each
 * transcribed from that release's Zend/zend_alloc.c (7.4.33, 8.2.32, 8.4.24).
 * startup() checks the layout against a fresh heap. test/oracle/phpOracle.ts runs
 * 8.2 on the host and 7.4 / 8.4 inside Debian chroots (scripts/setup-php-chroots.sh).
 */
declare(strict_types=1);

/**
 * The layout of the running PHP: ['version', 'cdef', 'panic', 'limitFailedFormat',
 * 'extraChecks'] (see the layout files).
 */
function zmm_layout(): array
{
	$file = __DIR__ . '/layout-' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION . '.php';
	if (!is_file($file)) {
		throw new RuntimeException('no structure layout for PHP ' . PHP_VERSION . " (expected $file)");
	}
	return require $file;
}

/* The shim's entry points (zmm_shim.c). */
const ZMM_SHIM_API = <<<'C'
uintptr_t zmm_startup(void);
int zmm_alloc(uintptr_t heap, size_t size, uintptr_t *out, size_t *block_size);
int zmm_free(uintptr_t heap, uintptr_t ptr);
int zmm_realloc(uintptr_t heap, uintptr_t ptr, size_t size, uintptr_t *out, size_t *block_size);
int zmm_gc(uintptr_t heap, size_t *freed);
int zmm_block_size(uintptr_t heap, uintptr_t ptr, size_t *out);
int zmm_set_limit(uintptr_t heap, size_t limit, size_t *usage);
void zmm_set_watchdog(unsigned int ms);
uint32_t zmm_bin_info(uint32_t bin, uint32_t *size, uint32_t *elements, uint32_t *pages);
C;

// Result codes of the shim.
const ZMM_OK = 0;
const ZMM_ERROR = 1;
const ZMM_PANIC = 2;
const ZMM_FAIL = 3;
const ZMM_SEGV = 4;
const ZMM_BUS = 5;
const ZMM_HANG = 6;
const ZMM_EXIT = 7; // exit() inside the call: PHP 7.4's zend_mm_panic()

// A guarded call still running after this long is taken for an endless loop
// (environment variable ZMM_ORACLE_WATCHDOG_MS overrides it; 0 disables the watchdog).
const DEFAULT_WATCHDOG_MS = 2000;

// Geometry from zend_alloc_sizes.h.
const CHUNK_SIZE = 2097152;
const CHUNK_MASK = CHUNK_SIZE - 1;
const PAGES = 512;
const BINS = 30; // ZEND_MM_BINS
const FIRST_PAGE = 1;
const MAX_LARGE_SIZE = CHUNK_SIZE - 4096; // ZEND_MM_MAX_LARGE_SIZE: larger requests are huge

// Page map encoding, zend_alloc.c lines 165-185.
const IS_LRUN = 0x40000000;
const IS_SRUN = 0x80000000;
const LRUN_PAGES_MASK = 0x3ff;
const SRUN_BIN_MASK = 0x1f;

// The fatal errors: the only message zend_mm_panic() is ever given in the zend_alloc.c of
// 7.4.33, 8.2.32 and 8.4.24 (every ZEND_MM_CHECK, and 8.4's free-slot shadow check),
// whether it then aborts (8.x) or exits (7.4); and faults (not covered by
// docs/replay-jsonl.md: named as a shell reports such a death). Hangs: see fatalError().
const FATAL_MESSAGES = [
	ZMM_PANIC => 'zend_mm_heap corrupted',
	ZMM_EXIT => 'zend_mm_heap corrupted',
	ZMM_SEGV => 'Segmentation fault',
	ZMM_BUS => 'Bus error',
];

const SIZE_T_MAX_TEXT = '18446744073709551615'; // the largest size_t: trace numbers go up to it

final class TraceError extends Exception
{
}

final class Oracle
{
	private FFI $shim;
	private FFI $types;
	private array $layout;
	private int $heapAddr;
	/** @var FFI\CData zend_mm_heap* of the private heap */
	private FFI\CData $heap;
	/** @var int[] pages of each small-size bin */
	private array $binPages = [];

	// Reusable out-parameters of the shim calls.
	private FFI\CData $outPtr;
	private FFI\CData $outPtrAddr;
	private FFI\CData $outSize;
	private FFI\CData $outSizeAddr;

	/** @var array<int, FFI\CData> chunk base address => zend_mm_chunk* */
	private array $chunkAt = [];
	/** @var array<int, int> huge block address => K */
	private array $hugeK = [];
	private int $nextK = 0;
	/**
	 * @var array<int|string, array{0:int,1:array,2:bool}>
	 * ID => [address, ADDR object, live?] of the block the ID holds or last held
	 */
	private array $blocks = [];

	private string $out = '';
	private bool $limitSet = false;
	private bool $fragile = false;
	private int $watchdogMs;
	private int $armedMs = 0;
	private bool $u64Seen = false;

	public function __construct(string $shimPath)
	{
		$this->shim = FFI::cdef(ZMM_SHIM_API, $shimPath);
		$this->layout = zmm_layout();
		$this->types = FFI::cdef($this->layout['cdef']);
		$this->outPtr = $this->types->new('uintptr_t');
		$this->outPtrAddr = FFI::addr($this->outPtr);
		$this->outSize = $this->types->new('size_t');
		$this->outSizeAddr = FFI::addr($this->outSize);

		$size = $this->types->new('uint32_t');
		$elements = $this->types->new('uint32_t');
		$pages = $this->types->new('uint32_t');
		$count = $this->shim->zmm_bin_info(0, FFI::addr($size), FFI::addr($elements), FFI::addr($pages));
		for ($bin = 0; $bin < $count; $bin++) {
			$this->shim->zmm_bin_info($bin, FFI::addr($size), FFI::addr($elements), FFI::addr($pages));
			$this->binPages[$bin] = $pages->cdata;
		}
		if ($count !== 30) {
			throw new RuntimeException("the shim reports $count small bins; the layout assumes 30");
		}

		$env = getenv('ZMM_ORACLE_WATCHDOG_MS');
		$this->watchdogMs = $env !== false && preg_match('/^[0-9]+$/', $env) ? (int)$env : DEFAULT_WATCHDOG_MS;

		$this->heapAddr = $this->shim->zmm_startup();
		if ($this->heapAddr === 0) {
			throw new RuntimeException('zend_mm_startup() failed');
		}
		$this->heap = $this->types->cast('zend_mm_heap*', $this->heapAddr);
		$this->checkLayout();
	}

	/** Compares a fresh heap with what zend_mm_init() is known to store. */
	private function checkLayout(): void
	{
		$h = $this->heap;
		$base = $this->heapAddr & ~CHUNK_MASK;
		$c = $this->chunk($base);
		$slotOffset = FFI::sizeof($this->types->type('uintptr_t')) * 3 + 4 * 3 + 28;
		$freeSlotsClear = true;
		for ($i = 0; $i < 30; $i++) {
			$freeSlotsClear = $freeSlotsClear && $h->free_slot[$i] === 0;
		}
		$checks = [
			'heap is main_chunk->heap_slot' => $this->heapAddr - $base === $slotOffset,
			'sizeof(zend_mm_chunk) fits the first page' => FFI::sizeof($this->types->type('zend_mm_chunk')) <= 4096,
			'chunk->heap' => $c->heap === $this->heapAddr,
			'chunk->next/prev' => $c->next === $base && $c->prev === $base,
			'chunk->free_pages' => $c->free_pages === PAGES - FIRST_PAGE,
			'chunk->free_tail' => $c->free_tail === FIRST_PAGE,
			'chunk->num' => $c->num === 0,
			'chunk->free_map[0]' => $c->free_map[0] === 1,
			'chunk->map[0]' => $c->map[0] === (IS_LRUN | FIRST_PAGE),
			'heap->use_custom_heap' => $h->use_custom_heap === 0,
			'heap->storage' => $h->storage === 0,
			'heap->size/peak' => $h->size === 0 && $h->peak === 0,
			'heap->free_slot' => $freeSlotsClear,
			'heap->real_size/real_peak' => $h->real_size === CHUNK_SIZE && $h->real_peak === CHUNK_SIZE,
			'heap->limit' => $h->limit === PHP_INT_MAX,
			'heap->overflow' => $h->overflow === 0,
			'heap->huge_list' => $h->huge_list === 0,
			'heap->main_chunk' => $h->main_chunk === $base,
			'heap->cached_chunks' => $h->cached_chunks === 0,
			'heap->chunks_count' => $h->chunks_count === 1 && $h->peak_chunks_count === 1,
			'heap->cached_chunks_count' => $h->cached_chunks_count === 0,
			'heap->avg_chunks_count' => $h->avg_chunks_count === 1.0,
			'heap->last_chunks_delete_*' => $h->last_chunks_delete_boundary === 0 && $h->last_chunks_delete_count === 0,
		] + ($this->layout['extraChecks'])($h);
		$bad = array_keys(array_filter($checks, fn ($ok) => !$ok));
		if ($bad) {
			throw new RuntimeException('heap layout mismatch (layout of PHP ' . $this->layout['version'] . ', running '
				. PHP_VERSION . '): ' . implode(', ', $bad));
		}
	}

	private function chunk(int $base): FFI\CData
	{
		return $this->chunkAt[$base] ??= $this->types->cast('zend_mm_chunk*', $base);
	}

	/**
	 * A size_t read through FFI comes back as a signed PHP int: print it unsigned.
	 * (No int|string return type: the script also runs on PHP 7.4.)
	 * @return int|string
	 */
	private function u64(int $v)
	{
		if ($v >= 0) {
			return $v;
		}
		$this->u64Seen = true;
		return "\x01U" . sprintf('%u', $v);
	}

	/**
	 * ADDR of an address. Huge blocks get their K from resultAddr(); one never
	 * returned by an operation (only a corrupt heap could list it) gets the next K.
	 */
	private function addr(int $p): array
	{
		$offset = $p & CHUNK_MASK;
		if ($offset === 0) {
			return ['huge' => $this->hugeK[$p] ??= $this->nextK++];
		}
		return ['chunk' => $this->chunk($p - $offset)->num, 'offset' => $offset];
	}

	/** ADDR of a block an operation just returned; $keepK: the same huge block as before. */
	private function resultAddr(int $p, bool $keepK): array
	{
		if (($p & CHUNK_MASK) === 0 && !$keepK) {
			$this->hugeK[$p] = $this->nextK++;
		}
		return $this->addr($p);
	}

	/** The heap counters object H. */
	private function counters(): array
	{
		$h = $this->heap;
		return [
			'size' => $this->u64($h->size),
			'peak' => $this->u64($h->peak),
			'realSize' => $this->u64($h->real_size),
			'realPeak' => $this->u64($h->real_peak),
			'chunks' => $h->chunks_count,
			'cachedChunks' => $h->cached_chunks_count,
		];
	}

	private function emit(array $obj): void
	{
		$json = json_encode($obj, JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR);
		if ($this->u64Seen) {
			// Splice the exact unsigned digits in place of their string placeholders.
			$json = preg_replace('/"\\\\u0001U(\d+)"/', '$1', $json);
			$this->u64Seen = false;
		}
		$this->out .= $json . "\n";
		if (strlen($this->out) > 65536) {
			$this->flush();
		}
	}

	/** The final state object. */
	public function end(): void
	{
		$this->emit($this->state('end'));
		$this->flush();
	}

	public function flush(): void
	{
		if ($this->out !== '') {
			fwrite(STDOUT, $this->out);
			$this->out = '';
		}
	}

	private function lastError(): string
	{
		$e = error_get_last();
		if ($e === null) {
			throw new RuntimeException('the allocator bailed out without recording an error');
		}
		return $e['message'];
	}

	/**
	 * The error of a call that killed the heap (the run stops after it): the record
	 * of a failed call plus "fatal":true. A hang gets the cause zend_alloc.c shows
	 * for it when the heap confirms that cause.
	 */
	private function fatalError(int $rc): string
	{
		if ($rc === ZMM_HANG) {
			if ($this->freeListLoops()) {
				return 'Endless loop: zend_mm_gc walks a free list that comes back to a slot it has already visited';
			}
			return $this->ringLostMainChunk()
				? 'Endless loop: zend_mm_gc walks a chunk ring that no longer contains the main chunk'
				: "Endless loop: the call did not return within {$this->watchdogMs} ms";
		}
		return FATAL_MESSAGES[$rc];
	}

	/**
	 * Whether some bin's free list comes back to a slot already on it (a double free can
	 * make it circular): zend_mm_gc()'s first loop then never reaches NULL.
	 */
	private function freeListLoops(): bool
	{
		for ($bin = 0; $bin < BINS; $bin++) {
			$seen = [];
			for ($p = $this->heap->free_slot[$bin]; $p !== 0;
					$p = $this->types->cast('zend_mm_free_slot*', $p)->next_free_slot) {
				if (isset($seen[$p])) {
					return true;
				}
				$seen[$p] = true;
			}
		}
		return false;
	}

	/**
	 * Whether following next from the main chunk never comes back to it: what
	 * zend_mm_gc() leaves when it moves an empty main chunk to the cache while other
	 * chunks are in use; its chunk loop then waits for the main chunk forever.
	 */
	private function ringLostMainChunk(): bool
	{
		$main = $this->heap->main_chunk;
		$seen = [];
		for ($c = $this->chunk($main)->next; $c !== 0 && !isset($seen[$c]); $c = $this->chunk($c)->next) {
			if ($c === $main) {
				return false;
			}
			$seen[$c] = true;
		}
		return true;
	}

	/**
	 * Whether the operation may panic, fault or never return (as far as known): a double free, and
	 * after one anything; anything once the main chunk has been cached (zend_mm_gc()
	 * does that to an empty main chunk, and then page allocation can follow a NULL
	 * ring link); zend_mm_gc() itself, which loops forever when an empty main chunk
	 * precedes a used chunk, and the allocations that may call it (once a limit is
	 * set, or huge ones, which call it when mmap() fails).
	 */
	private function mayDie(string $op, ?string $id, int $n): bool
	{
		if ($this->fragile || $op === 'gc') {
			return true;
		}
		$doubleFree = $op === 'f' && isset($this->blocks[$id]) && !$this->blocks[$id][2];
		if ($doubleFree || $this->heap->chunks_count === 0) {
			$this->fragile = true;
			return true;
		}
		return ($op === 'a' || $op === 'r') && ($this->limitSet || $n > MAX_LARGE_SIZE);
	}

	/**
	 * Runs one parsed operation and prints its record; false when the call killed the
	 * heap (panic, fault, hang) and the run is over.
	 */
	public function run(string $op, ?string $id, int $n): bool
	{
		// Before an operation that may kill or hang the process, everything printed so
		// far goes out: whoever reaps us then knows which operation it was.
		// The watchdog (two timer syscalls a call) only runs for those operations too.
		$risky = $this->mayDie($op, $id, $n);
		if ($risky) {
			$this->flush();
		}
		$watchdog = $risky ? $this->watchdogMs : 0;
		if ($watchdog !== $this->armedMs) {
			$this->shim->zmm_set_watchdog($watchdog);
			$this->armedMs = $watchdog;
		}
		error_clear_last();
		$error = null;
		switch ($op) {
			case 'a':
				$obj = ['op' => 'a', 'id' => $id, 'size' => $this->u64($n)];
				$rc = $this->shim->zmm_alloc($this->heapAddr, $n, $this->outPtrAddr, $this->outSizeAddr);
				if ($rc === ZMM_OK) {
					$p = $this->outPtr->cdata;
					$obj['at'] = $this->resultAddr($p, false);
					$obj['blockSize'] = $this->u64($this->outSize->cdata);
					$this->blocks[$id] = [$p, $obj['at'], true];
				} elseif (isset($this->blocks[$id])) {
					$this->blocks[$id][2] = false; // a failed a: the ID is not live
				}
				break;

			case 'f':
				if (!isset($this->blocks[$id])) {
					$this->emit(['op' => 'f', 'id' => $id, 'error' => "unknown id $id: it was never allocated in this trace"]);
					return true;
				}
				[$p, $at, $live] = $this->blocks[$id];
				$obj = ['op' => 'f', 'id' => $id, 'at' => $at];
				if (!$live) {
					$obj['warning'] = 'double free';
				}
				$rc = $this->shim->zmm_free($this->heapAddr, $p);
				$this->blocks[$id][2] = false;
				break;

			case 'r':
				$old = $this->blocks[$id] ?? null;
				$live = $old !== null && $old[2];
				$from = $live ? $old[0] : 0;
				$obj = ['op' => 'r', 'id' => $id, 'size' => $this->u64($n), 'from' => $live ? $old[1] : null];
				$rc = $this->shim->zmm_realloc($this->heapAddr, $from, $n, $this->outPtrAddr, $this->outSizeAddr);
				if ($rc === ZMM_OK) {
					$p = $this->outPtr->cdata;
					$obj['at'] = $this->resultAddr($p, $live && $p === $from);
					$obj['blockSize'] = $this->u64($this->outSize->cdata);
					$this->blocks[$id] = [$p, $obj['at'], true];
				} // a failed r: the ID keeps its old block
				break;

			case 'gc':
				$obj = ['op' => 'gc'];
				$rc = $this->shim->zmm_gc($this->heapAddr, $this->outSizeAddr);
				if ($rc === ZMM_OK) {
					$obj['freed'] = $this->u64($this->outSize->cdata);
				}
				break;

			case 'l':
				$obj = ['op' => 'l', 'limit' => $this->u64($n)];
				$rc = $this->shim->zmm_set_limit($this->heapAddr, $n, $this->outSizeAddr);
				$this->limitSet = true;
				if ($rc === ZMM_FAIL) {
					$error = sprintf($this->layout['limitFailedFormat'], $n, $this->outSize->cdata);
				}
				break;

			case 'd':
				$this->emit($this->state('d'));
				return true;

			default:
				throw new LogicException("unknown op $op");
		}

		$fatal = isset(FATAL_MESSAGES[$rc]) || $rc === ZMM_HANG;
		if ($rc === ZMM_ERROR) {
			$error = $this->lastError();
		} elseif ($fatal) {
			$error = $this->fatalError($rc);
		} elseif ($rc !== ZMM_OK && $rc !== ZMM_FAIL) {
			throw new RuntimeException("unexpected shim result $rc for op $op");
		}
		if ($error !== null) {
			$obj['error'] = $error;
		}
		if ($fatal) {
			$obj['fatal'] = true;
		}
		$obj['heap'] = $this->counters();
		$this->emit($obj);
		return !$fatal;
	}

	/** The state object of docs/replay-jsonl.md. */
	public function state(string $op): array
	{
		$h = $this->heap;
		$heap = $this->counters() + [
			'peakChunks' => $h->peak_chunks_count,
			'avgChunks' => (float)$h->avg_chunks_count,
			'deleteBoundary' => $h->last_chunks_delete_boundary,
			'deleteCount' => $h->last_chunks_delete_count,
		];

		// Free lists from their heads. A double free can make a list circular: the
		// walk stops at the first slot met a second time, listed again with "loop":true.
		$freeLists = [];
		for ($bin = 0; $bin < BINS; $bin++) {
			$list = [];
			$seen = [];
			for ($p = $h->free_slot[$bin]; $p !== 0;
					$p = $this->types->cast('zend_mm_free_slot*', $p)->next_free_slot) {
				if (isset($seen[$p])) {
					$list[] = $this->addr($p) + ['loop' => true];
					break;
				}
				$seen[$p] = true;
				$list[] = $this->addr($p);
			}
			if ($list) {
				$freeLists[(string)$bin] = $list;
			}
		}

		// The chunk ring, following next from the main chunk until it comes back.
		// zend_mm_gc() can move an empty main chunk to the cache (its next is then
		// the cache link), so the walk also stops at NULL or at a chunk already listed.
		$chunks = [];
		$main = $h->main_chunk;
		$seen = [];
		for ($c = $main; $c !== 0 && !isset($seen[$c]); $c = $next) {
			$seen[$c] = true;
			$chunk = $this->chunk($c);
			$chunks[] = $this->describeChunk($chunk);
			$next = $chunk->next;
			if ($next === $main) {
				break;
			}
		}

		$cache = [];
		$seen = [];
		for ($c = $h->cached_chunks; $c !== 0 && !isset($seen[$c]); $c = $this->chunk($c)->next) {
			$seen[$c] = true;
			$cache[] = $this->chunk($c)->num;
		}

		$huge = [];
		$seen = [];
		for ($n = $h->huge_list; $n !== 0 && !isset($seen[$n]); $n = $node->next) {
			$seen[$n] = true;
			$node = $this->types->cast('zend_mm_huge_list*', $n);
			$huge[] = ['huge' => $this->hugeK[$node->ptr] ??= $this->nextK++, 'size' => $this->u64($node->size)];
		}

		return ['op' => $op, 'heap' => $heap, 'freeLists' => (object)$freeLists, 'chunks' => $chunks,
			'cache' => $cache, 'huge' => $huge];
	}

	private function describeChunk(FFI\CData $c): array
	{
		$map = unpack('V' . PAGES, FFI::string($c->map, 4 * PAGES));      // 1-based
		$freeMap = unpack('P' . (PAGES / 64), FFI::string($c->free_map, PAGES / 8)); // 1-based
		$used = static fn (int $page): bool => (($freeMap[($page >> 6) + 1] >> ($page & 63)) & 1) === 1;

		$runs = [];
		$page = FIRST_PAGE;
		while ($page < PAGES) {
			if (!$used($page)) {
				$start = $page;
				do {
					$page++;
				} while ($page < PAGES && !$used($page));
				$runs[] = ['page' => $start, 'kind' => 'free', 'pages' => $page - $start];
				continue;
			}
			$info = $map[$page + 1];
			if (($info & ~SRUN_BIN_MASK) === IS_SRUN && isset($this->binPages[$info & SRUN_BIN_MASK])) {
				$bin = $info & SRUN_BIN_MASK;
				$runs[] = ['page' => $page, 'kind' => 'small', 'bin' => $bin];
				$page += $this->binPages[$bin];
			} elseif (($info & ~LRUN_PAGES_MASK) === IS_LRUN && ($info & LRUN_PAGES_MASK) > 0) {
				$n = $info & LRUN_PAGES_MASK;
				$runs[] = ['page' => $page, 'kind' => 'large', 'pages' => $n];
				$page += $n;
			} else {
				$runs[] = ['page' => $page, 'kind' => 'other', 'map' => $info];
				$page++;
			}
		}
		return ['num' => $c->num, 'freePages' => $c->free_pages, 'freeTail' => $c->free_tail, 'runs' => $runs];
	}
}

/** Parses one trace line: null for comments and blank lines, else [op, id, number]. */
function parse_line(string $line, int $lineNo): ?array
{
	$line = trim($line);
	if ($line === '' || $line[0] === '#') {
		return null;
	}
	$t = preg_split('/\s+/', $line);
	// A size_t of the trace, as the PHP int with the same 64 bits (FFI passes those bits on).
	$number = static function (string $s) use ($lineNo): int {
		$digits = ltrim($s, '0');
		if (!preg_match('/^[0-9]+$/', $s) || strlen($digits) > 20 || (strlen($digits) === 20 && strcmp($digits, SIZE_T_MAX_TEXT) > 0)) {
			throw new TraceError("line $lineNo: '$s' is not an integer in 0..2^64-1");
		}
		static $libc = null;
		$libc ??= FFI::cdef('unsigned long long strtoull(const char *nptr, char **endptr, int base);');
		return $libc->strtoull($s, null, 10);
	};
	$ident = static function (string $s) use ($lineNo): string {
		if (!preg_match('/^[0-9]+$/', $s)) {
			throw new TraceError("line $lineNo: '$s' is not an ID (unsigned decimal)");
		}
		return $s;
	};
	$arity = ['a' => 3, 'f' => 2, 'r' => 3, 'gc' => 1, 'g' => 1, 'l' => 2, 'd' => 1];
	if (!isset($arity[$t[0]]) || count($t) !== $arity[$t[0]]) {
		throw new TraceError("line $lineNo: cannot parse '$line'");
	}
	switch ($t[0]) {
		case 'a':
		case 'r':
			return [$t[0], $ident($t[1]), $number($t[2])];
		case 'f':
			return ['f', $ident($t[1]), 0];
		case 'l':
			return ['l', null, $number($t[1])];
		case 'g':
		case 'gc':
			return ['gc', null, 0];
		default: // 'd'
			return ['d', null, 0];
	}
}

function main(array $argv): int
{
	set_error_handler(static function (int $type, string $message, string $file, int $line): bool {
		throw new ErrorException($message, 0, $type, $file, $line);
	});
	if (count($argv) < 2 || count($argv) > 3) {
		fwrite(STDERR, "usage: oracle.php TRACE [SHIM.so]\n");
		return 2;
	}
	$shimPath = $argv[2] ?? dirname(__DIR__, 3) . '/.cache/oracle/zmm_shim-8.2.so';
	try {
		$trace = fopen($argv[1], 'rb');
		$oracle = new Oracle($shimPath);
		$lineNo = 0;
		while (($line = fgets($trace)) !== false) {
			$lineNo++;
			$parsed = parse_line($line, $lineNo);
			if ($parsed === null) {
				continue;
			}
			if (!$oracle->run($parsed[0], $parsed[1], $parsed[2])) {
				$oracle->flush();
				return 0; // the heap died: the fatal object is the last line
			}
		}
		$oracle->end();
	} catch (Throwable $e) {
		if (isset($oracle)) {
			$oracle->flush();
		}
		fwrite(STDERR, 'oracle.php: ' . $e->getMessage() . ($e instanceof TraceError ? '' : "\n" . $e) . "\n");
		return 2;
	}
	return 0;
}

exit(main($argv));
