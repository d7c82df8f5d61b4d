/*
 * Self-test of the real-PHP oracles (7.4.33, 8.2.32, 8.4.24): facts about each release's
 * allocator worked out by hand from its own zend_alloc.c (line numbers below refer to
 * that release's file), checked on the oracle's output for the hand-written traces in
 * test/oracle/traces/ and a few inline ones.
 *
 * A version whose PHP (or chroot) is missing FAILS with the reason, it is never skipped:
 * scripts/setup-php.sh provides 8.2, scripts/setup-php-chroots.sh all provides 7.4 and 8.4.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ORACLE_VERSIONS, OracleVersion, phpOracleAvailable, runPhpOracle } from './phpOracle';

type Obj = Record<string, any>;

/** test/oracle/traces of the repository, found from wherever this file was compiled to. */
function tracesDir(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'oracle', 'traces');
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(`no test/oracle/traces above ${__dirname}`);
}

const TRACES = tracesDir();

function oracle(version: OracleVersion, name: string): Obj[] {
  return runPhpOracle(path.join(TRACES, name), version).lines as Obj[];
}

function inlineTrace(version: OracleVersion, text: string): Obj[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zmm-oracle-'));
  try {
    const file = path.join(dir, 't.trace');
    fs.writeFileSync(file, text);
    return runPhpOracle(file, version).lines as Obj[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function errors(lines: Obj[]): string[] {
  return lines.filter((o) => o.error).map((o) => `${o.op} ${o.id ?? ''}: ${o.error}`);
}

const LIMIT = 'Allowed memory size of 4194304 bytes exhausted (tried to allocate';

/** memory-limit.trace's errors, per release. */
const MEMORY_LIMIT_ERRORS: Record<OracleVersion, string[]> = {
  '8.2': [
    `a 3: ${LIMIT} 2101248 bytes)`,
    `a 4: ${LIMIT} 2097152 bytes)`,
    `r 2: ${LIMIT} 2101248 bytes)`,
    `a 6: ${LIMIT} 1101824 bytes)`,
    `a 7: ${LIMIT} 2101248 bytes)`,
    'l : Failed to set memory limit to 1048576 bytes (Current memory usage is 2097152 bytes)',
    'l : Failed to set memory limit to 2097152 bytes (Current memory usage is 4194304 bytes)',
  ],
  // 7.4's zend_set_memory_limit() (lines 2660-2672) raises a limit below 2 MiB to 2 MiB
  // and then only fails below real_size: `l 1048576` with 2 MiB in use succeeds, and
  // the next allocation that needs a chunk hits the 2 MiB limit.
  '7.4': [
    `a 3: ${LIMIT} 2101248 bytes)`,
    `a 4: ${LIMIT} 2097152 bytes)`,
    `r 2: ${LIMIT} 2101248 bytes)`,
    `a 6: ${LIMIT} 1101824 bytes)`,
    `a 7: ${LIMIT} 2101248 bytes)`,
    'a 8: Allowed memory size of 2097152 bytes exhausted (tried to allocate 2093056 bytes)',
  ],
  // 8.4's zend_set_memory_limit() (lines 2859-2882) is 8.2's.
  '8.4': [],
};
MEMORY_LIMIT_ERRORS['8.4'] = MEMORY_LIMIT_ERRORS['8.2'];

for (const version of ORACLE_VERSIONS) {
  describe(`PHP ${version} oracle`, function () {
    this.timeout(120000);

    before(function () {
      const reason = phpOracleAvailable(version);
      if (reason) {
        assert.fail(`the PHP ${version} oracle cannot run: ${reason}`);
      }
    });

    it('replays every trace in test/oracle/traces to an end or fatal object', function () {
      for (const file of fs.readdirSync(TRACES).filter((f) => f.endsWith('.trace'))) {
        const lines = oracle(version, file);
        const last = lines[lines.length - 1];
        assert.ok(last.op === 'end' || last.fatal === true, `${file}: last object ${JSON.stringify(last)}`);
      }
    });

    it('serves the first small block from page 1 of a fresh heap', function () {
      const [a] = inlineTrace(version, 'a 1 10\n');
      assert.deepStrictEqual(a, {
        op: 'a', id: '1', size: 10, at: { chunk: 0, offset: 4096 }, blockSize: 16,
        heap: { size: 16, peak: 16, realSize: 2097152, realPeak: 2097152, chunks: 1, cachedChunks: 0 },
      });
    });

    if (version === '8.4') {
      it('never serves from the 8-byte bin: a free slot must hold a pointer and its shadow', function () {
        // ZEND_MM_MIN_USEABLE_BIN_SIZE is 16 on 64-bit (line 155); zend_mm_alloc_heap
        // raises smaller requests to it (lines 1471-1472): `a 1 8` is a 16-byte block in bin 1.
        const lines = inlineTrace(version, 'a 1 8\na 2 1\na 3 0\nd\n');
        assert.deepStrictEqual(lines.slice(0, 3).map((o) => [o.at, o.blockSize]), [
          [{ chunk: 0, offset: 4096 }, 16],
          [{ chunk: 0, offset: 4112 }, 16],
          [{ chunk: 0, offset: 4128 }, 16],
        ]);
        assert.deepStrictEqual(lines[3].chunks[0].runs[0], { page: 1, kind: 'small', bin: 1 });
        assert.strictEqual(lines[3].freeLists['0'], undefined);
      });

      it('panics when a free slot\'s shadow no longer matches its next pointer', function () {
        // The double free of 12304 (once a 16-byte slot, now inside the 24-byte slot at
        // 12288) writes its next pointer over 12288's shadow (the slot's last 8 bytes,
        // lines 1291-1292): popping 12288 compares the two and panics (lines 1320-1327).
        const lines = inlineTrace(version,
          'a 0 5000\na 1 10\na 2 10\nf 1\nf 2\ngc\na 3 24\nf 3\nf 2\na 4 24\na 5 24\n');
        assert.deepStrictEqual([lines[6].at, lines[9].at], [{ chunk: 0, offset: 12288 }, { chunk: 0, offset: 12304 }]);
        const last = lines[lines.length - 1];
        assert.deepStrictEqual([last.op, last.id, last.error, last.fatal], ['a', '5', 'zend_mm_heap corrupted', true]);
        assert.strictEqual(last.heap.size, 8216);
      });
    } else {
      it('serves requests of 0 to 8 bytes from the 8-byte bin 0', function () {
        const lines = inlineTrace(version, 'a 1 8\na 2 1\na 3 0\n');
        assert.deepStrictEqual(lines.slice(0, 3).map((o) => [o.at, o.blockSize]), [
          [{ chunk: 0, offset: 4096 }, 8],
          [{ chunk: 0, offset: 4104 }, 8],
          [{ chunk: 0, offset: 4112 }, 8],
        ]);
      });

      it('reuses the same slot twice after a double free, with no shadow check to stop it', function () {
        const lines = inlineTrace(version,
          'a 0 5000\na 1 10\na 2 10\nf 1\nf 2\ngc\na 3 24\nf 3\nf 2\na 4 24\na 5 24\n');
        assert.deepStrictEqual(lines.slice(9, 11).map((o) => o.at), [{ chunk: 0, offset: 12304 }, { chunk: 0, offset: 12288 }]);
      });
    }

    it('reports small runs, large runs and free lists in the state object', function () {
      const lines = oracle(version, 'small-and-large.trace');
      const a5 = lines.find((o) => o.op === 'a' && o.id === '5');
      assert.deepStrictEqual([a5?.at, a5?.blockSize], [{ chunk: 0, offset: 12288 }, 8192]);
      const d = lines.find((o) => o.op === 'd')!;
      assert.deepStrictEqual(d.chunks[0].runs, [
        { page: 1, kind: 'small', bin: 1 },
        { page: 2, kind: 'small', bin: 2 },
        { page: 3, kind: 'large', pages: 2 },
        { page: 5, kind: 'small', bin: 29 },
        { page: 8, kind: 'free', pages: 504 },
      ]);
      // Bin 1: 256 slots of 16 bytes; 4096 was freed and reused, 4112 is live.
      assert.strictEqual(d.freeLists['1'].length, 254);
      assert.deepStrictEqual(d.freeLists['1'][0], { chunk: 0, offset: 4128 });
    });

    it('gives a huge block a 24-byte list node in bin 2 and numbers huge blocks', function () {
      const lines = oracle(version, 'huge.trace');
      assert.deepStrictEqual(lines[0].at, { huge: 0 });
      assert.strictEqual(lines[0].heap.size, 3145728 + 24);
      assert.strictEqual(lines[0].heap.realSize, 2097152 + 3145728);
      const d = lines.find((o) => o.op === 'd')!;
      assert.deepStrictEqual(d.huge, [{ huge: 1, size: 2101248 }, { huge: 0, size: 3145728 }]);
      assert.deepStrictEqual(d.chunks[0].runs[0], { page: 1, kind: 'small', bin: 2 });
    });

    it('reports memory-limit errors with that release\'s exact messages and carries on', function () {
      const lines = oracle(version, 'memory-limit.trace');
      assert.deepStrictEqual(errors(lines), MEMORY_LIMIT_ERRORS[version]);
      assert.strictEqual(lines[lines.length - 1].op, 'end');
    });

    it('words the out-of-memory error as that release\'s zend_alloc.c does', function () {
      // 7.4 prints "(allocated %zu)" without "bytes" (line 1794); 8.2 (line 1852) and
      // 8.4 (line 1961) added the unit.
      const lines = oracle(version, 'oversized-requests.trace');
      const unit = version === '7.4' ? '' : ' bytes';
      assert.strictEqual(lines[4].error,
        `Out of memory (allocated 2097152${unit}) (tried to allocate 9007199254740992 bytes)`);
    });

    if (version === '7.4') {
      it('raises a limit below 2 MiB to 2 MiB instead of failing', function () {
        const lines = inlineTrace(version, 'l 1048576\na 1 3000000\nl 1\n');
        assert.deepStrictEqual(errors(lines), [
          'a 1: Allowed memory size of 2097152 bytes exhausted (tried to allocate 3000000 bytes)',
        ]);
      });
    }

    it('releases a fully free run on gc', function () {
      const lines = oracle(version, 'gc-run.trace');
      const gc = lines.find((o) => o.op === 'gc')!;
      assert.strictEqual(gc.freed, 12288);
    });

    it('marks double frees and ends with the fatal object of a panic', function () {
      // 7.4's zend_mm_panic() exits (line 366) where 8.x aborts: the shim catches both.
      const lines = oracle(version, 'double-free.trace');
      assert.strictEqual(lines[2].warning, 'double free');
      // The size counter wraps below zero (size_t): 2^64 - 16 (not exact as a JS number).
      assert.strictEqual(lines[2].heap.size, 2 ** 64 - 16);
      assert.deepStrictEqual([lines[3].at, lines[4].at], [{ chunk: 0, offset: 4096 }, { chunk: 0, offset: 4096 }]);
      // The slot points at itself: the list walk stops at the repeat and marks it.
      assert.deepStrictEqual(lines[5].freeLists['1'], [{ chunk: 0, offset: 4096 }, { chunk: 0, offset: 4096, loop: true }]);
      assert.deepStrictEqual(lines.find((o) => o.id === '9'), { op: 'f', id: '9', error: 'unknown id 9: it was never allocated in this trace' });
      const last = lines[lines.length - 1];
      assert.deepStrictEqual(
        { ...last, heap: undefined },
        { op: 'f', id: '4', at: { huge: 0 }, warning: 'double free', error: 'zend_mm_heap corrupted', fatal: true, heap: undefined },
      );
      assert.strictEqual(last.heap.size, 16);
    });

    if (version === '8.4') {
      it('keeps an empty main chunk in the ring on gc', function () {
        // zend_mm_gc() frees only empty chunks other than the main one (line 2185).
        const lines = inlineTrace(version, 'a 1 10\nf 1\ngc\na 2 1000000\na 3 1000000\na 4 1000000\n');
        assert.deepStrictEqual([lines[2].freed, lines[2].heap.chunks, lines[2].heap.cachedChunks], [4096, 1, 0]);
        // 1000000 bytes are 245 pages: two fit in the main chunk (pages 1 and 246), the
        // third needs chunk 1.
        assert.deepStrictEqual(lines.slice(3, 6).map((o) => o.at), [
          { chunk: 0, offset: 4096 }, { chunk: 0, offset: 1007616 }, { chunk: 1, offset: 4096 },
        ]);
        const ring = inlineTrace(version, 'a 1 1000000\na 2 1000000\na 3 1000000\nf 1\nf 2\ngc\nd\n');
        assert.deepStrictEqual(ring[ring.length - 2].chunks.map((c: Obj) => c.num), [0, 1]);
      });
    } else {
      it('reports the crash after zend_mm_gc() has cached the empty main chunk', function () {
        // gc moves the empty main chunk to the cache; its next pointer is then the cache
        // link (NULL), which the next page allocation that needs a new chunk follows.
        const lines = inlineTrace(version, 'a 1 10\nf 1\ngc\na 2 1000000\na 3 1000000\na 4 1000000\n');
        assert.deepStrictEqual(lines[2].heap.chunks, 0);
        const last = lines[lines.length - 1];
        assert.deepStrictEqual([last.op, last.id, last.error, last.fatal], ['a', '4', 'Segmentation fault', true]);
      });

      it('stops zend_mm_gc() looping forever on a ring without the main chunk', function () {
        const lines = inlineTrace(version, 'a 1 1000000\na 2 1000000\na 3 1000000\nf 1\nf 2\ngc\n');
        const last = lines[lines.length - 1];
        assert.deepStrictEqual(
          [last.op, last.error, last.fatal],
          ['gc', 'Endless loop: zend_mm_gc walks a chunk ring that no longer contains the main chunk', true],
        );
      });
    }
  });
}
