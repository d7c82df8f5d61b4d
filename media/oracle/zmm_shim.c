/*
 * zmm_shim.c: Zend MM Lab oracle shim (our own code, not part of PHP).
 *
 * oracle.php drives a private Zend MM heap through PHP FFI. It could call the
 * allocator directly, but two kinds of allocator failure would end the whole run:
 *
 *   - a memory-limit / out-of-memory error: zend_mm_safe_error() raises E_ERROR
 *     and then longjmps out through zend_bailout(). Without an enclosing
 *     zend_try the script is over; the simulator, however, reports the error
 *     and carries on with the next operation.
 *   - a consistency check failure ("zend_mm_heap corrupted"): zend_mm_panic()
 *     prints the message and calls abort() (PHP 8.x) or exit(1) (PHP 7.4).
 *
 * Two more kinds are not error paths of the allocator at all: some states it can
 * be driven into (e.g. zend_mm_gc() moving an empty main chunk into the chunk
 * cache) make later calls dereference NULL or unmapped memory, or loop forever.
 *
 * Each exported entry point below therefore runs exactly one real allocator call
 * (the exported _zend_mm_* functions of the running php binary, release build:
 * no file/line arguments) inside a zend_try block, with handlers for SIGABRT,
 * SIGSEGV and SIGBUS armed that jump back here instead of letting the process
 * die, on PHP 7.4 an exit handler (on_exit) that does the same when the call
 * ends the process with exit(), and (if zmm_set_watchdog() asked for it) a SIGALRM timer
 * that abandons a call that does not return in time. After any of these the heap
 * is unusable: the caller must stop.
 *
 * Every pointer crosses the FFI boundary as uintptr_t so that the PHP side
 * can treat addresses as plain integers.
 *
 * Build: gcc -O2 -shared -fPIC $(php-config8.2 --includes) zmm_shim.c -o zmm_shim-8.2.so
 * (test/oracle/phpOracle.ts does this: on the host for 8.2, inside the bullseye and
 * trixie chroots, with their own gcc and php-config, for 7.4 and 8.4). The undefined
 * Zend symbols are resolved against the php executable when FFI dlopen()s the library.
 *
 * The same file builds against PHP 7.4, 8.2 and 8.4 headers; the few API differences
 * are bridged below by PHP_VERSION_ID.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE 1 /* dladdr(), RTLD_NODELETE, on_exit() */
#endif
#include "php_version.h"
#include "zend.h"
#include "zend_globals.h"
#include "zend_globals_macros.h"
#include "zend_alloc.h"
#include "zend_gc.h"

#include <dlfcn.h>
#include <setjmp.h>
#include <stdlib.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>

#if PHP_VERSION_ID < 80000
/* PHP 7.4 has neither C99 bool in its headers' API nor zend_result: its flags are
 * zend_bool and zend_set_memory_limit() returns int (SUCCESS/FAILURE). */
# include <stdbool.h>
typedef int zend_result;
#endif

/* Result codes shared with oracle.php. */
#define ZMM_OK     0 /* the call returned normally */
#define ZMM_ERROR  1 /* the call raised a PHP error and bailed out: see error_get_last() */
#define ZMM_PANIC  2 /* the call hit zend_mm_panic() (abort): the heap is unusable now */
#define ZMM_FAIL   3 /* zend_set_memory_limit() returned FAILURE */
#define ZMM_SEGV   4 /* the call faulted with SIGSEGV: the heap is unusable now */
#define ZMM_BUS    5 /* the call faulted with SIGBUS: the heap is unusable now */
#define ZMM_HANG   6 /* the call did not return before the watchdog fired: the heap is unusable now */
#define ZMM_EXIT   7 /* the call called exit() (7.4's zend_mm_panic): the heap is unusable now */

/* crash_signal's value when the jump came from the exit handler, not a signal. */
#define EXIT_INSTEAD_OF_SIGNAL (-1)

/* Which allocator call run_guarded() should make. */
enum zmm_op { OP_ALLOC, OP_FREE, OP_REALLOC, OP_GC, OP_BLOCK_SIZE };

/* The signals turned into results, and the handlers they had before. */
static const int caught_signals[] = { SIGABRT, SIGSEGV, SIGBUS, SIGALRM };
#define CAUGHT_COUNT (sizeof(caught_signals) / sizeof(caught_signals[0]))
static struct sigaction previous_actions[CAUGHT_COUNT];

/* Where the handler jumps to while an allocator call is in progress. */
static sigjmp_buf crash_target;
static volatile sig_atomic_t crash_armed = 0;
static volatile sig_atomic_t crash_signal = 0;

/* How long a guarded call may run, in milliseconds (0: forever). */
static unsigned int watchdog_ms = 0;

static void on_fatal_signal(int sig)
{
	size_t i;

	if (crash_armed) {
		crash_armed = 0;
		crash_signal = sig;
		siglongjmp(crash_target, 1);
	}
	if (sig == SIGALRM) {
		/* A watchdog that fired just after its call returned: nothing to do. */
		return;
	}
	/* Not raised by a guarded call: hand the signal to whoever had it before. */
	for (i = 0; i < CAUGHT_COUNT; i++) {
		if (caught_signals[i] == sig) {
			sigaction(sig, &previous_actions[i], NULL);
		}
	}
	if (sig == SIGABRT) {
		raise(sig);
	}
	/* A fault simply happens again, now with the previous disposition. */
}

/*
 * Runs inside exit() when a guarded call ends the process. glibc unlocks its list
 * of exit handlers while it runs one, and this handler is the newest one registered,
 * so leaving by a jump skips nothing but this handler and the flush of stdio at the
 * very end of exit(); the process later exits normally.
 */
static void on_exit_during_call(int status, void *arg)
{
	(void)status;
	(void)arg;
	if (crash_armed) {
		crash_armed = 0;
		crash_signal = EXIT_INSTEAD_OF_SIGNAL;
		siglongjmp(crash_target, 1);
	}
}

#if PHP_VERSION_ID < 80000
/*
 * Only 7.4's zend_mm_panic() exits. The exit handler is registered for it, and the
 * library is made undeletable first: FFI dlclose()s it while the request shuts down,
 * before exit() runs the handlers, and a handler in unmapped code would crash there.
 */
static int pin_and_watch_exit(void)
{
	Dl_info self;

	if (dladdr((void *)on_exit_during_call, &self) == 0 || self.dli_fname == NULL
			|| dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) == NULL) {
		return -1;
	}
	return on_exit(on_exit_during_call, NULL) == 0 ? 0 : -1;
}
#endif

static int install_signal_handlers(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	/* SA_NODEFER: the signal stays unblocked when we leave the handler by a jump,
	 * so the jump target need not save and restore the signal mask. */
	sa.sa_flags = SA_NODEFER;
	for (i = 0; i < CAUGHT_COUNT; i++) {
		if (sigaction(caught_signals[i], &sa, &previous_actions[i]) != 0) {
			return -1;
		}
	}
#if PHP_VERSION_ID < 80000
	return pin_and_watch_exit();
#else
	return 0;
#endif
}

/*
 * Engine state that a caught bailout disturbs. _zend_bailout() clears
 * EG(current_execute_data) (the FFI call is made from a running PHP frame),
 * turns the cycle collector's protection on and marks the request as
 * uncleanly shut down; php_error_cb() sets the exit status to 255. After a
 * signal caught by our handler EG(bailout) still points into the dead
 * zend_try frame. All of it is put back after every call.
 */
typedef struct {
	JMP_BUF *bailout;
	zend_execute_data *execute_data;
	int exit_status;
	bool unclean_shutdown;
	bool gc_was_protected;
} engine_state;

static void save_engine(engine_state *s)
{
	s->bailout = EG(bailout);
	s->execute_data = EG(current_execute_data);
	s->exit_status = EG(exit_status);
	s->unclean_shutdown = CG(unclean_shutdown);
	s->gc_was_protected = gc_protected();
}

static void restore_engine(const engine_state *s)
{
	EG(bailout) = s->bailout;
	EG(current_execute_data) = s->execute_data;
	EG(exit_status) = s->exit_status;
	CG(unclean_shutdown) = s->unclean_shutdown;
	gc_protect(s->gc_was_protected);
}

/* Starts (ms > 0) or stops (ms == 0) the one-shot watchdog timer. */
static void set_timer(unsigned int ms)
{
	struct itimerval t;

	memset(&t, 0, sizeof(t));
	t.it_value.tv_sec = ms / 1000;
	t.it_value.tv_usec = (ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &t, NULL);
}

/*
 * Performs one allocator call with errors and panics caught.
 * ptr/size are the call's arguments; *ret receives a returned pointer and
 * *sz a returned size (the block size after an alloc/realloc, the number of
 * freed bytes after a gc).
 */
static int run_guarded(enum zmm_op op, zend_mm_heap *heap, void *ptr, size_t size,
                       uintptr_t *ret, size_t *sz)
{
	engine_state saved;
	volatile int rc = ZMM_OK;
	void *volatile result = NULL;
	volatile size_t result_size = 0;

	save_engine(&saved);
	if (sigsetjmp(crash_target, 0) != 0) {
		/* Came back from on_fatal_signal(). */
		if (watchdog_ms) {
			set_timer(0);
		}
		restore_engine(&saved);
		switch (crash_signal) {
			case SIGABRT: return ZMM_PANIC;
			case SIGSEGV: return ZMM_SEGV;
			case SIGBUS: return ZMM_BUS;
			case EXIT_INSTEAD_OF_SIGNAL: return ZMM_EXIT;
			default: return ZMM_HANG;
		}
	}
	crash_armed = 1;
	if (watchdog_ms) {
		set_timer(watchdog_ms);
	}
	zend_try {
		switch (op) {
			case OP_ALLOC:
				result = _zend_mm_alloc(heap, size);
				result_size = _zend_mm_block_size(heap, result);
				break;
			case OP_REALLOC:
				result = _zend_mm_realloc(heap, ptr, size);
				result_size = _zend_mm_block_size(heap, result);
				break;
			case OP_FREE:
				_zend_mm_free(heap, ptr);
				break;
			case OP_GC:
				result_size = zend_mm_gc(heap);
				break;
			case OP_BLOCK_SIZE:
				result_size = _zend_mm_block_size(heap, ptr);
				break;
		}
	} zend_catch {
		rc = ZMM_ERROR;
	} zend_end_try();
	if (watchdog_ms) {
		set_timer(0);
	}
	crash_armed = 0;
	restore_engine(&saved);

	if (rc == ZMM_OK) {
		if (ret) {
			*ret = (uintptr_t)result;
		}
		if (sz) {
			*sz = result_size;
		}
	}
	return rc;
}

/* A fresh private heap (its own main chunk), or 0. */
ZEND_API uintptr_t zmm_startup(void)
{
	if (install_signal_handlers() != 0) {
		return 0;
	}
	return (uintptr_t)zend_mm_startup();
}

/* Every later guarded call is abandoned (ZMM_HANG) after ms milliseconds; 0: never. */
ZEND_API void zmm_set_watchdog(unsigned int ms)
{
	watchdog_ms = ms;
}

/* emalloc(size) on the private heap; *block_size = zend_mm_block_size() of the result. */
ZEND_API int zmm_alloc(uintptr_t heap, size_t size, uintptr_t *out, size_t *block_size)
{
	return run_guarded(OP_ALLOC, (zend_mm_heap *)heap, NULL, size, out, block_size);
}

/* efree(ptr) on the private heap. */
ZEND_API int zmm_free(uintptr_t heap, uintptr_t ptr)
{
	return run_guarded(OP_FREE, (zend_mm_heap *)heap, (void *)ptr, 0, NULL, NULL);
}

/* erealloc(ptr, size) (ptr may be 0); *block_size as for zmm_alloc(). */
ZEND_API int zmm_realloc(uintptr_t heap, uintptr_t ptr, size_t size, uintptr_t *out, size_t *block_size)
{
	return run_guarded(OP_REALLOC, (zend_mm_heap *)heap, (void *)ptr, size, out, block_size);
}

/* zend_mm_gc(); *freed = its return value. */
ZEND_API int zmm_gc(uintptr_t heap, size_t *freed)
{
	return run_guarded(OP_GC, (zend_mm_heap *)heap, NULL, 0, NULL, freed);
}

/* zend_mm_block_size(ptr). */
ZEND_API int zmm_block_size(uintptr_t heap, uintptr_t ptr, size_t *out)
{
	return run_guarded(OP_BLOCK_SIZE, (zend_mm_heap *)heap, (void *)ptr, 0, NULL, out);
}

/*
 * zend_set_memory_limit(limit) applied to the private heap. That function only
 * knows AG(mm_heap), so the private heap is installed there for the duration of
 * the call; nothing between the two swaps allocates. *usage receives
 * zend_memory_usage(true) measured on the private heap, which is what PHP's
 * "Failed to set memory limit" warning reports.
 */
ZEND_API int zmm_set_limit(uintptr_t heap, size_t limit, size_t *usage)
{
	zend_mm_heap *previous = zend_mm_set_heap((zend_mm_heap *)heap);
	zend_result r = zend_set_memory_limit(limit);
	size_t used = zend_memory_usage(true);

	zend_mm_set_heap(previous);
	if (usage) {
		*usage = used;
	}
	return r == SUCCESS ? ZMM_OK : ZMM_FAIL;
}

/*
 * The small-size bin table of the headers this shim was compiled against
 * (ZEND_MM_BINS_INFO in zend_alloc_sizes.h). For bin < count it fills
 * size/elements/pages; it always returns the number of bins.
 */
#define ZMM_BIN_ROW(num, size, elements, pages, x, y) { size, elements, pages },
static const uint32_t zmm_bins[][3] = {
	ZEND_MM_BINS_INFO(ZMM_BIN_ROW, x, y)
};
#undef ZMM_BIN_ROW

ZEND_API uint32_t zmm_bin_info(uint32_t bin, uint32_t *size, uint32_t *elements, uint32_t *pages)
{
	uint32_t count = (uint32_t)(sizeof(zmm_bins) / sizeof(zmm_bins[0]));

	if (bin < count) {
		*size = zmm_bins[bin][0];
		*elements = zmm_bins[bin][1];
		*pages = zmm_bins[bin][2];
	}
	return count;
}
