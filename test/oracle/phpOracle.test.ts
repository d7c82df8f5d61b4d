/*
 * Self-test of the real-PHP oracle: facts about PHP 8.2.32's allocator worked out
 * by hand from zend_alloc.c, checked on the oracle's output for the hand-written
 * traces in test/oracle/traces/.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { phpOracleAvailable, runPhpOracle } from './phpOracle';

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

function oracle(name: string): Obj[] {
  return runPhpOracle(path.join(TRACES, name)).lines as Obj[];
}

function inlineTrace(text: string): Obj[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zmm-oracle-'));
  try {
    const file = path.join(dir, 't.trace');
    fs.writeFileSync(file, text);
    return runPhpOracle(file).lines as Obj[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('PHP 8.2 oracle', function () {
  this.timeout(60000);

  before(function () {
    const reason = phpOracleAvailable();
    if (reason) {
      console.log(`      (skipped: ${reason})`);
      this.skip();
    }
  });

  it('replays every trace in test/oracle/traces to an end or fatal object', function () {
    for (const file of fs.readdirSync(TRACES).filter((f) => f.endsWith('.trace'))) {
      const lines = oracle(file);
      const last = lines[lines.length - 1];
      assert.ok(last.op === 'end' || last.fatal === true, `${file}: last object ${JSON.stringify(last)}`);
    }
  });

  it('serves the first small block from page 1 of a fresh heap', function () {
    const [a] = inlineTrace('a 1 10\n');
    assert.deepStrictEqual(a, {
      op: 'a', id: '1', size: 10, at: { chunk: 0, offset: 4096 }, blockSize: 16,
      heap: { size: 16, peak: 16, realSize: 2097152, realPeak: 2097152, chunks: 1, cachedChunks: 0 },
    });
  });

  it('reports small runs, large runs and free lists in the state object', function () {
    const lines = oracle('small-and-large.trace');
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
    const lines = oracle('huge.trace');
    assert.deepStrictEqual(lines[0].at, { huge: 0 });
    assert.strictEqual(lines[0].heap.size, 3145728 + 24);
    assert.strictEqual(lines[0].heap.realSize, 2097152 + 3145728);
    const d = lines.find((o) => o.op === 'd')!;
    assert.deepStrictEqual(d.huge, [{ huge: 1, size: 2101248 }, { huge: 0, size: 3145728 }]);
    assert.deepStrictEqual(d.chunks[0].runs[0], { page: 1, kind: 'small', bin: 2 });
  });

  it('reports memory-limit errors with PHP\'s exact messages and carries on', function () {
    const lines = oracle('memory-limit.trace');
    const errors = lines.filter((o) => o.error).map((o) => `${o.op} ${o.id ?? ''}: ${o.error}`);
    assert.deepStrictEqual(errors, [
      'a 3: Allowed memory size of 4194304 bytes exhausted (tried to allocate 2101248 bytes)',
      'a 4: Allowed memory size of 4194304 bytes exhausted (tried to allocate 2097152 bytes)',
      'r 2: Allowed memory size of 4194304 bytes exhausted (tried to allocate 2101248 bytes)',
      'a 6: Allowed memory size of 4194304 bytes exhausted (tried to allocate 1101824 bytes)',
      'a 7: Allowed memory size of 4194304 bytes exhausted (tried to allocate 2101248 bytes)',
      'l : Failed to set memory limit to 1048576 bytes (Current memory usage is 2097152 bytes)',
      'l : Failed to set memory limit to 2097152 bytes (Current memory usage is 4194304 bytes)',
    ]);
    assert.strictEqual(lines[lines.length - 1].op, 'end');
  });

  it('releases a fully free run on gc', function () {
    const lines = oracle('gc-run.trace');
    const gc = lines.find((o) => o.op === 'gc')!;
    assert.strictEqual(gc.freed, 12288);
  });

  it('marks double frees and ends with the fatal object of a panic', function () {
    const lines = oracle('double-free.trace');
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
  });

  it('reports the crash after zend_mm_gc() has cached the empty main chunk', function () {
    // gc moves the empty main chunk to the cache; its next pointer is then the cache
    // link (NULL), which the next page allocation that needs a new chunk follows.
    const lines = inlineTrace('a 1 10\nf 1\ngc\na 2 1000000\na 3 1000000\na 4 1000000\n');
    assert.deepStrictEqual(lines[2].heap.chunks, 0);
    const last = lines[lines.length - 1];
    assert.deepStrictEqual([last.op, last.id, last.error, last.fatal], ['a', '4', 'Segmentation fault', true]);
  });

  it('stops zend_mm_gc() looping forever on a ring without the main chunk', function () {
    const lines = inlineTrace('a 1 1000000\na 2 1000000\na 3 1000000\nf 1\nf 2\ngc\n');
    const last = lines[lines.length - 1];
    assert.deepStrictEqual(
      [last.op, last.error, last.fatal],
      ['gc', 'Endless loop: zend_mm_gc walks a chunk ring that no longer contains the main chunk', true],
    );
  });
});
