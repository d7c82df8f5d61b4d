/*
 * zmmReplay: the native baseline of `npm run bench`. Replays a raw trace (the format of
 * src/trace/rawTrace.ts) on the real Zend memory manager of the installed PHP 8.2, linked
 * from the embed SAPI library (libphp8.2.so), and prints how long it took as one JSON line:
 *
 *   {"ops":N,"nsPerOp":MEDIAN,"runs":[NS_PER_OP,...],...}
 *
 * Usage: zmmReplay TRACE [RUNS [WARMUP]]      (defaults: 5 runs, 1 untimed warm-up run)
 *
 * The trace is read and parsed completely first, into an array of operations whose IDs are
 * already resolved to dense slot numbers; then each run replays that array on a fresh
 * private heap from zend_mm_startup(), timing only the replay loop (CLOCK_MONOTONIC), and
 * releases the heap with zend_mm_shutdown(heap, full, silent), which unmaps its huge blocks,
 * its cached chunks and its first chunk (the heap itself lives there).
 *
 * PHP itself is never started (no php_embed_init): zend_mm_startup() only builds a heap
 * from mmap()ed memory and needs no globals. The one thing a private heap cannot do without
 * a running PHP is report an error (out of memory, memory limit): that goes through
 * zend_error() and would crash here. So the memory-limit operation `l` is refused, and sizes
 * are capped (MAX_REQUEST) so that a bad trace fails with a message instead.
 *
 * Semantics, as the engine's fast path (src/replay/fastReplay.ts) replays the same file:
 *   a ID SIZE   ptr[ID] = alloc(SIZE); a block the ID still held is leaked (stays in the heap)
 *   f ID        free(ptr[ID]) if the ID is live; a free of an ID that is not live is skipped
 *               (counted in "skippedFrees"; the engine reports it as an error instead)
 *   r ID SIZE   ptr[ID] = realloc(ptr[ID] or NULL, SIZE)
 *   gc | g      zend_mm_gc()
 *   d           ignored (a state dump)        # ...   comment to the end of the line
 * IDs are unsigned decimals of any length, compared as text, and reused after a free.
 */
#define _GNU_SOURCE /* memrchr, which the PHP headers use */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zend.h"
#include "zend_alloc.h"
#include "php_version.h"

#if ZEND_DEBUG
#error "zmmReplay expects a release build of PHP (ZEND_DEBUG 0): the allocator entry points then take no file/line arguments"
#endif

/* Largest request accepted: far above anything a bench trace asks for, far below what
 * would make mmap() fail (an allocation failure cannot be reported without PHP running). */
#define MAX_REQUEST ((uint64_t)1 << 36)

enum kind { OP_ALLOC, OP_FREE, OP_REALLOC, OP_GC };

typedef struct {
	uint32_t kind;
	uint32_t slot;
	size_t size;
} op_t;

static void fail(const char *file, size_t line, const char *msg, const char *detail)
{
	if (line) {
		fprintf(stderr, "zmmReplay: %s:%zu: %s%s%s\n", file, line, msg, detail ? " " : "", detail ? detail : "");
	} else {
		fprintf(stderr, "zmmReplay: %s: %s%s%s\n", file, msg, detail ? " " : "", detail ? detail : "");
	}
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fputs("zmmReplay: out of memory while loading the trace\n", stderr);
		exit(2);
	}
	return q;
}

/* ---- ID text -> dense slot number: an open-addressing table keyed by the ID's digits ---- */

typedef struct {
	const char *text; /* points into the trace buffer; NULL = empty bucket */
	uint32_t len;
	uint32_t slot;
} bucket_t;

static bucket_t *buckets;
static size_t bucket_cap; /* a power of two */
static uint32_t slot_count;

static uint64_t hash_text(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void table_insert(bucket_t *table, size_t cap, bucket_t b)
{
	size_t i = hash_text(b.text, b.len) & (cap - 1);
	while (table[i].text) i = (i + 1) & (cap - 1);
	table[i] = b;
}

static uint32_t slot_of(const char *text, size_t len)
{
	if ((size_t)slot_count * 2 + 2 > bucket_cap) {
		size_t cap = bucket_cap ? bucket_cap * 2 : 1024;
		bucket_t *table = calloc(cap, sizeof *table);
		if (!table) xrealloc(NULL, SIZE_MAX);
		for (size_t i = 0; i < bucket_cap; i++)
			if (buckets[i].text) table_insert(table, cap, buckets[i]);
		free(buckets);
		buckets = table;
		bucket_cap = cap;
	}
	size_t i = hash_text(text, len) & (bucket_cap - 1);
	while (buckets[i].text) {
		if (buckets[i].len == len && memcmp(buckets[i].text, text, len) == 0) return buckets[i].slot;
		i = (i + 1) & (bucket_cap - 1);
	}
	buckets[i].text = text;
	buckets[i].len = (uint32_t)len;
	buckets[i].slot = slot_count;
	return slot_count++;
}

/* ---- loading ---- */

static int is_digits(const char *s, size_t n)
{
	if (n == 0 || (n > 1 && s[0] == '0')) return 0; /* the trace format allows no leading zeros */
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9') return 0;
	return 1;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) fail(path, 0, "cannot open:", strerror(errno));
	size_t cap = 1 << 20, n = 0;
	char *buf = xrealloc(NULL, cap + 1);
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap) break;
		cap *= 2;
		buf = xrealloc(buf, cap + 1);
	}
	if (ferror(f)) fail(path, 0, "cannot read:", strerror(errno));
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static op_t *load(const char *path, char *buf, size_t len, size_t *count)
{
	size_t cap = 1 << 16, n = 0, line = 0;
	op_t *ops = xrealloc(NULL, cap * sizeof *ops);
	char *p = buf, *end = buf + len;
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol) eol = end;
		line++;
		char *hash = memchr(p, '#', (size_t)(eol - p));
		char *stop = hash ? hash : eol;
		/* split into at most 4 whitespace-separated fields */
		char *field[4];
		size_t flen[4];
		int nf = 0;
		for (char *q = p; q < stop;) {
			while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\v' || *q == '\f')) q++;
			if (q >= stop) break;
			char *s = q;
			while (q < stop && !(*q == ' ' || *q == '\t' || *q == '\r' || *q == '\v' || *q == '\f')) q++;
			if (nf == 4) fail(path, line, "too many fields", NULL);
			field[nf] = s;
			flen[nf] = (size_t)(q - s);
			nf++;
		}
		p = eol + 1;
		if (nf == 0) continue;

		op_t op = {0};
		int want;
		char c = field[0][0];
		if (flen[0] == 1 && (c == 'a' || c == 'r')) {
			op.kind = c == 'a' ? OP_ALLOC : OP_REALLOC;
			want = 3;
		} else if (flen[0] == 1 && c == 'f') {
			op.kind = OP_FREE;
			want = 2;
		} else if ((flen[0] == 1 && c == 'g') || (flen[0] == 2 && memcmp(field[0], "gc", 2) == 0)) {
			op.kind = OP_GC;
			want = 1;
		} else if (flen[0] == 1 && c == 'd') {
			if (nf != 1) fail(path, line, "unexpected field after 'd'", NULL);
			continue;
		} else if (flen[0] == 1 && c == 'l') {
			fail(path, line, "memory limits ('l') are not supported: exceeding one needs a running PHP to report the error", NULL);
		} else {
			fail(path, line, "unknown operation (expected a, f, r, gc, g, d or #)", NULL);
		}
		if (nf != want) fail(path, line, nf < want ? "missing field" : "unexpected extra field", NULL);
		if (want >= 2) {
			if (!is_digits(field[1], flen[1])) fail(path, line, "ID must be an unsigned decimal number", NULL);
			op.slot = slot_of(field[1], flen[1]);
		}
		if (want == 3) {
			if (!is_digits(field[2], flen[2]) || flen[2] > 20) fail(path, line, "SIZE must be an unsigned decimal number", NULL);
			uint64_t v = 0;
			for (size_t i = 0; i < flen[2]; i++) {
				if (v > (UINT64_MAX - 9) / 10) fail(path, line, "SIZE does not fit in 64 bits", NULL);
				v = v * 10 + (uint64_t)(field[2][i] - '0');
			}
			if (v > MAX_REQUEST) fail(path, line, "SIZE too large for the native bench (at most 2^36)", NULL);
			op.size = (size_t)v;
		}
		if (n == cap) {
			cap *= 2;
			ops = xrealloc(ops, cap * sizeof *ops);
		}
		ops[n++] = op;
	}
	*count = n;
	return ops;
}

/* ---- replay ---- */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Replays all ops on a fresh heap; returns the nanoseconds the loop took. */
static uint64_t replay(const op_t *ops, size_t n, void **ptr, size_t *skipped)
{
	memset(ptr, 0, (size_t)slot_count * sizeof *ptr);
	zend_mm_heap *heap = zend_mm_startup();
	size_t skip = 0;
	uint64_t t0 = now_ns();
	for (size_t i = 0; i < n; i++) {
		const op_t *o = &ops[i];
		switch (o->kind) {
		case OP_ALLOC:
			ptr[o->slot] = _zend_mm_alloc(heap, o->size);
			break;
		case OP_FREE:
			if (ptr[o->slot]) {
				_zend_mm_free(heap, ptr[o->slot]);
				ptr[o->slot] = NULL;
			} else {
				skip++;
			}
			break;
		case OP_REALLOC:
			ptr[o->slot] = _zend_mm_realloc(heap, ptr[o->slot], o->size);
			break;
		default:
			zend_mm_gc(heap);
			break;
		}
	}
	uint64_t t1 = now_ns();
	zend_mm_shutdown(heap, 1, 1);
	*skipped = skip;
	return t1 - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static long parse_count(const char *s, const char *what, long min)
{
	char *e;
	errno = 0;
	long v = strtol(s, &e, 10);
	if (errno || *e || v < min || v > 1000000) {
		fprintf(stderr, "zmmReplay: %s must be an integer >= %ld, got '%s'\n", what, min, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fputs("usage: zmmReplay TRACE [RUNS [WARMUP]]\n", stderr);
		return 2;
	}
	long runs = argc > 2 ? parse_count(argv[2], "RUNS", 1) : 5;
	long warmup = argc > 3 ? parse_count(argv[3], "WARMUP", 0) : 1;

	size_t len, n;
	char *text = read_file(argv[1], &len);
	op_t *ops = load(argv[1], text, len, &n);
	if (n == 0) fail(argv[1], 0, "no operations in the trace", NULL);
	void **ptr = xrealloc(NULL, ((size_t)slot_count + 1) * sizeof *ptr);

	size_t skipped = 0;
	for (long i = 0; i < warmup; i++) replay(ops, n, ptr, &skipped);
	double *per_op = xrealloc(NULL, (size_t)runs * sizeof *per_op);
	for (long i = 0; i < runs; i++) per_op[i] = (double)replay(ops, n, ptr, &skipped) / (double)n;

	double *sorted = xrealloc(NULL, (size_t)runs * sizeof *sorted);
	memcpy(sorted, per_op, (size_t)runs * sizeof *sorted);
	qsort(sorted, (size_t)runs, sizeof *sorted, cmp_double);

	printf("{\"ops\":%zu,\"nsPerOp\":%.3f,\"runs\":[", n, sorted[runs / 2]);
	for (long i = 0; i < runs; i++) printf("%s%.3f", i ? "," : "", per_op[i]);
	printf("],\"warmupRuns\":%ld,\"ids\":%u,\"skippedFrees\":%zu,\"php\":\"%s\"}\n",
	       warmup, slot_count, skipped, PHP_VERSION);
	return 0;
}
