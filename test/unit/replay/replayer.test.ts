import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { TraceReplayer } from '../../../src/replay/replayer';
import type { OpRecord, StateRecord } from '../../../src/replay/records';
import { parseRawTrace } from '../../../src/trace/rawTrace';

const CHUNK = 2 * 1024 * 1024;
/** The largest large (page-run) request: 511 pages, a whole chunk but its header page. */
const WHOLE_CHUNK_RUN = CHUNK - 4096;

/** Replays trace text (no `d` lines) on `replayer` and returns one record per operation. */
function replay(replayer: TraceReplayer, text: string): OpRecord[] {
  const { ops, diagnostics } = parseRawTrace(text, 'test.trace');
  assert.deepEqual(diagnostics, []);
  return ops.map((op) => {
    assert.notEqual(op.op, 'd');
    return replayer.apply(op as Exclude<typeof op, { op: 'd' }>);
  });
}

/** Replays trace text on a fresh heap. */
function run(text: string): { records: OpRecord[]; replayer: TraceReplayer } {
  const replayer = new TraceReplayer();
  return { records: replay(replayer, text), replayer };
}

/**
 * Replays trace text in a child process, so that a replay that never returns fails the test
 * after `timeoutMs` instead of hanging the suite. Returns the records, or null when killed.
 */
function runInChild(text: string, timeoutMs = 5000): { records: OpRecord[]; halted: string | null } | null {
  const script = `
    const { TraceReplayer } = require(${JSON.stringify(require.resolve('../../../src/replay/replayer'))});
    const { parseRawTrace } = require(${JSON.stringify(require.resolve('../../../src/trace/rawTrace'))});
    const r = new TraceReplayer();
    const records = [];
    for (const op of parseRawTrace(${JSON.stringify(text)}, 't').ops) {
      if (r.halted !== null) break;
      records.push(r.apply(op));
    }
    process.stdout.write(JSON.stringify({ records, halted: r.halted && r.halted.kind }));
  `;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: timeoutMs });
  if (child.error !== undefined || child.signal !== null) {
    return null;
  }
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

/** Total pages the runs of a chunk record cover. */
function pagesCovered(runs: StateRecord['chunks'][number]['runs'], bins: (bin: number) => number): number {
  let n = 0;
  for (const r of runs) {
    n += r.kind === 'small' ? bins(r.bin) : r.kind === 'other' ? 1 : r.pages;
  }
  return n;
}

describe('replay/replayer', () => {
  describe('TraceReplayer: IDs', () => {
    it('gives an allocation its place, block size and the counters after it', () => {
      const { records } = run('a 1 10');
      assert.deepEqual(records[0], {
        op: 'a',
        id: '1',
        size: 10,
        at: { chunk: 0, offset: 4096 },
        blockSize: 16,
        heap: { size: 16, peak: 16, realSize: CHUNK, realPeak: CHUNK, chunks: 1, cachedChunks: 0 },
      });
    });

    it('lets an ID be allocated again after it was freed, with no warning on the next free', () => {
      const { records } = run('a 1 16\nf 1\na 1 16\nf 1');
      assert.deepEqual(records[2].at, { chunk: 0, offset: 4096 }, 'the freed slot is handed out again');
      assert.equal(records[2].error, undefined);
      assert.equal(records[3].warning, undefined);
      assert.deepEqual(records[3].at, { chunk: 0, offset: 4096 });
      assert.equal(records[3].heap?.size, 0);
    });

    it('frees the block an ID holds now, not an earlier one', () => {
      const { records } = run('a 1 16\na 2 16\nf 1\na 1 100\nf 1');
      assert.deepEqual(records[4].at, records[3].at);
      assert.equal(records[4].heap?.size, 16, 'only ID 2 (16 bytes) is still live');
    });

    it('reports a free of an unknown ID as an error and leaves the heap unchanged', () => {
      const { records, replayer } = run('a 1 16\na 2 5000');
      const before = replayer.state('end');
      const rec = replayer.apply({ op: 'f', id: '9', key: 9, line: 3 });
      assert.equal(rec.op, 'f');
      assert.equal(rec.id, '9');
      assert.ok(rec.error !== undefined && rec.error.includes('9'), `error names the ID: ${rec.error}`);
      assert.equal(rec.at, undefined);
      assert.equal(rec.warning, undefined);
      assert.deepEqual(replayer.state('end'), before);
      assert.equal(replayer.halted, null);
      assert.deepEqual(replayer.counters(), records[1].heap);
    });

    it('flags a free of an already freed ID as a double free of the block it held', () => {
      const { records, replayer } = run('a 1 16\nf 1\nf 1');
      assert.equal(records[1].warning, undefined);
      assert.equal(records[2].warning, 'double free');
      assert.deepEqual(records[2].at, { chunk: 0, offset: 4096 });
      assert.equal(records[2].error, undefined);
      assert.equal(replayer.halted, null);
      // The allocator call is really made: size_t size goes below zero.
      assert.equal(records[2].heap?.size, -16);
      // ... and the slot is on bin 1's free list twice: two allocations get the same block.
      const again = replay(replayer, 'a 2 16\na 3 16');
      assert.deepEqual(again[0].at, { chunk: 0, offset: 4096 });
      assert.deepEqual(again[1].at, { chunk: 0, offset: 4096 });
    });

    it('treats an ID whose allocation failed as not live: freeing it is a double free of the block it last held', () => {
      // docs/replay-jsonl.md: "After a failed `a` the ID is not live" and "A free of an ID that
      // is not live is a double free of the block the ID last held".
      const { records } = run('a 1 16\nl 2097152\na 1 3000000\nf 1');
      assert.equal(records[2].error, 'Allowed memory size of 2097152 bytes exhausted (tried to allocate 3000000 bytes)');
      assert.deepEqual(
        { at: records[3].at, warning: records[3].warning, error: records[3].error, size: records[3].heap?.size },
        { at: { chunk: 0, offset: 4096 }, warning: 'double free', error: undefined, size: 0 },
      );
    });

    it('reallocates a non-live ID from NULL: from is null', () => {
      const { records } = run('r 5 100\na 6 16\nf 6\nr 6 200');
      assert.equal(records[0].from, null);
      assert.deepEqual(records[0].at, { chunk: 0, offset: 4096 });
      assert.equal(records[0].blockSize, 112);
      assert.equal(records[3].from, null, 'a freed ID is not live either');
      assert.equal(records[3].warning, undefined);
      assert.equal(records[3].blockSize, 224);
    });

    it('reallocates a live ID from its block, and the ID then holds the new block', () => {
      const { records } = run('a 1 16\nr 1 100\nf 1');
      assert.deepEqual(records[1].from, { chunk: 0, offset: 4096 });
      assert.notDeepEqual(records[1].at, records[1].from);
      assert.deepEqual(records[2].at, records[1].at);
      assert.equal(records[2].heap?.size, 0);
    });

    it('keeps the old block of an ID whose realloc failed', () => {
      const { records } = run('a 1 16\nl 4194304\nr 1 3000000\nf 1');
      assert.equal(records[2].error, 'Allowed memory size of 4194304 bytes exhausted (tried to allocate 3000000 bytes)');
      assert.deepEqual(records[2].from, { chunk: 0, offset: 4096 });
      assert.equal(records[2].at, undefined);
      assert.equal(records[2].blockSize, undefined);
      assert.deepEqual(records[3].at, { chunk: 0, offset: 4096 });
      assert.equal(records[3].warning, undefined);
      assert.equal(records[3].heap?.size, 0);
    });
  });

  describe('TraceReplayer: huge blocks', () => {
    it('numbers huge blocks 0, 1, 2 in the order they are created', () => {
      const { records } = run('a 1 3000000\na 2 2200000\na 3 5000000');
      assert.deepEqual(
        records.map((r) => r.at),
        [{ huge: 0 }, { huge: 1 }, { huge: 2 }],
      );
      assert.deepEqual(
        records.map((r) => r.blockSize),
        [3002368, 2203648, 5001216],
      );
    });

    it('gives a new huge block a new number even when it reuses a freed one\'s address', () => {
      const { records, replayer } = run('a 1 3000000\na 2 3000000\na 3 3000000\nf 2\na 4 3000000');
      assert.deepEqual(records[3].at, { huge: 1 });
      assert.deepEqual(records[4].at, { huge: 3 });
      assert.deepEqual(
        replayer.state('end').huge.map((h) => h.huge),
        [3, 2, 0],
        'the huge list, newest first',
      );
    });

    it('keeps the number of a huge block that a realloc grows in place, and gives a moved one a new number', () => {
      const { records } = run('a 1 3000000\nr 1 3500000\nr 1 10000000');
      assert.deepEqual(records[1].from, { huge: 0 });
      assert.deepEqual(records[1].at, { huge: 0 });
      assert.deepEqual(records[2].from, { huge: 0 });
      assert.deepEqual(records[2].at, { huge: 1 });
    });

    it('reports a double free of a huge block at the number the block was given', () => {
      const { records, replayer } = run('a 1 3000000\nf 1\nf 1');
      assert.deepEqual(records[1].at, { huge: 0 });
      assert.equal(records[2].warning, 'double free');
      assert.equal(records[2].error, 'zend_mm_heap corrupted');
      assert.ok(replayer.halted !== null);
      assert.deepEqual(records[2].at, { huge: 0 });
    });
  });

  describe('TraceReplayer: memory limit', () => {
    it('fails to set a limit below the real size with PHP\'s exact message', () => {
      const { records } = run('l 1000000');
      assert.deepEqual(records[0], {
        op: 'l',
        limit: 1000000,
        error: 'Failed to set memory limit to 1000000 bytes (Current memory usage is 2097152 bytes)',
        heap: { size: 0, peak: 0, realSize: CHUNK, realPeak: CHUNK, chunks: 1, cachedChunks: 0 },
      });
    });

    it('counts huge blocks in the current usage of a failed limit', () => {
      const { records } = run('a 1 3000000\nl 4194304');
      assert.equal(records[1].error, 'Failed to set memory limit to 4194304 bytes (Current memory usage is 5099520 bytes)');
    });

    it('sets a limit at or above the real size without an error', () => {
      const { records } = run(`l ${CHUNK}\nl 134217728`);
      assert.equal(records[0].error, undefined);
      assert.equal(records[1].error, undefined);
      assert.deepEqual(records[1], {
        op: 'l',
        limit: 134217728,
        heap: { size: 0, peak: 0, realSize: CHUNK, realPeak: CHUNK, chunks: 1, cachedChunks: 0 },
      });
    });

    it('fails an allocation past the limit with PHP\'s message, and the replay goes on', () => {
      // ID 9 keeps the main chunk in use, so the gc that the failing call runs first frees nothing.
      const { records, replayer } = run('a 9 16\nl 4194304\na 1 2101248\na 2 16\nf 1');
      assert.deepEqual(records[2], {
        op: 'a',
        id: '1',
        size: 2101248,
        error: 'Allowed memory size of 4194304 bytes exhausted (tried to allocate 2101248 bytes)',
        heap: { size: 16, peak: 16, realSize: CHUNK, realPeak: CHUNK, chunks: 1, cachedChunks: 0 },
      });
      assert.equal(replayer.halted, null);
      assert.equal(records[2].fatal, undefined);
      assert.deepEqual(records[3].at, { chunk: 0, offset: 4112 });
      assert.equal(records[3].error, undefined);
      assert.equal(records[3].heap?.size, 32);
      assert.ok(records[4].error !== undefined, 'ID 1 never got a block');
    });

    it('fails a large allocation that needs a new chunk past the limit', () => {
      const { records } = run(`l ${CHUNK}\na 1 ${WHOLE_CHUNK_RUN}\na 2 8192`);
      assert.equal(records[1].error, undefined);
      assert.equal(records[2].error, `Allowed memory size of ${CHUNK} bytes exhausted (tried to allocate 8192 bytes)`);
      assert.equal(records[2].heap?.chunks, 1);
    });

    it('fails a request of SIZE_MAX with PHP\'s integer-overflow error, and the replay goes on', () => {
      const { records, replayer } = run('a 9 16\na 1 18446744073709551615\na 2 16');
      assert.deepEqual(records[1], {
        op: 'a',
        id: '1',
        size: 18446744073709551615n,
        error: 'Possible integer overflow in memory allocation (18446744073709551615 + 4096)',
        heap: { size: 16, peak: 16, realSize: CHUNK, realPeak: CHUNK, chunks: 1, cachedChunks: 0 },
      });
      assert.equal(replayer.halted, null);
      assert.deepEqual(records[2].at, { chunk: 0, offset: 4112 });
    });

    it('refuses to apply anything after a fatal error', () => {
      const { replayer } = run('a 1 3000000\nf 1\nf 1');
      assert.ok(replayer.halted !== null);
      assert.throws(() => replayer.apply({ op: 'a', id: '2', key: 2, size: 16, line: 4 }), /fatal error/);
    });
  });

  describe('TraceReplayer: gc', () => {
    it('reports the bytes zend_mm_gc gives back', () => {
      // ID 9 keeps the main chunk in use (8.2's gc would delete an empty main chunk).
      const { records } = run('a 9 16\na 1 100\nf 1\ngc\ngc');
      assert.equal(records[3].freed, 4096, 'the now empty run of bin 10 is one page');
      assert.equal(records[3].heap?.size, 16);
      assert.equal(records[4].freed, 0);
    });

    it('ends with a fatal endless loop, without hanging, when gc walks a free list a double free made circular', function () {
      this.timeout(15000);
      // The second free pushes the slot on bin 1's list again: it points at itself, and
      // zend_mm_gc()'s count of free slots (p = p->next_free_slot) never reaches NULL.
      const result = runInChild('a 1 16\nf 1\nf 1\ngc\na 2 16');
      assert.ok(result !== null, 'the replay of gc did not return within 5 s');
      assert.equal(result.records.length, 4, 'nothing is replayed after the fatal gc');
      const gc = result.records[3];
      assert.equal(gc.op, 'gc');
      assert.equal(gc.fatal, 'hang');
      assert.match(gc.error ?? '', /^Endless loop: /);
      assert.equal(result.halted, 'hang');
    });
  });

  describe('TraceReplayer: a limit that unmaps the cached main chunk', () => {
    // gc puts the emptied main chunk (which holds the heap struct) in the cache; a limit just
    // above the real size without it unmaps it. zend_set_memory_limit() then writes
    // heap->cached_chunks_count inside the unmapped chunk: SIGSEGV in that very call.
    const TRACE = 'gc\na 1 2230489\nl 3000000';

    it('is a fatal segmentation fault on the l operation', () => {
      const { records, replayer } = run(TRACE);
      assert.equal(records[0].heap?.chunks, 0, 'gc took the main chunk out of the ring');
      assert.equal(records[2].op, 'l');
      assert.equal(records[2].fatal, 'segfault');
      assert.equal(records[2].error, 'Segmentation fault');
      assert.ok(replayer.halted !== null);
    });
  });

  describe('TraceReplayer.state', () => {
    it('starts with one chunk that is all free after its header page', () => {
      const s = new TraceReplayer().state('end');
      assert.deepEqual(s, {
        op: 'end',
        heap: {
          size: 0,
          peak: 0,
          realSize: CHUNK,
          realPeak: CHUNK,
          chunks: 1,
          cachedChunks: 0,
          peakChunks: 1,
          avgChunks: 1,
          deleteBoundary: 0,
          deleteCount: 0,
        },
        freeLists: {},
        chunks: [{ num: 0, freePages: 511, freeTail: 1, runs: [{ page: 1, kind: 'free', pages: 511 }] }],
        cache: [],
        huge: [],
      });
    });

    it('lists runs in page order, free lists of non-empty bins from the head, and huge blocks', () => {
      const { replayer } = run('a 1 16\na 2 5000\na 3 3000000\nf 1\na 4 100\nf 4');
      const s = replayer.state('d');
      assert.equal(s.op, 'd');
      assert.deepEqual(s.chunks, [
        {
          num: 0,
          freePages: 506,
          freeTail: 6,
          runs: [
            { page: 1, kind: 'small', bin: 1 },
            { page: 2, kind: 'large', pages: 2 },
            { page: 4, kind: 'small', bin: 2 },
            { page: 5, kind: 'small', bin: 10 },
            { page: 6, kind: 'free', pages: 506 },
          ],
        },
      ]);
      assert.deepEqual(Object.keys(s.freeLists), ['1', '2', '10']);
      // A freed slot goes to the head of its bin's list.
      assert.deepEqual(s.freeLists['1'].slice(0, 2), [{ chunk: 0, offset: 4096 }, { chunk: 0, offset: 4112 }]);
      assert.equal(s.freeLists['1'].length, 256);
      // Bin 2 holds the huge block's 24-byte list node at page 4's first slot.
      assert.deepEqual(s.freeLists['2'][0], { chunk: 0, offset: 4 * 4096 + 24 });
      assert.equal(s.freeLists['2'].length, 169);
      assert.deepEqual(s.freeLists['10'][0], { chunk: 0, offset: 5 * 4096 });
      assert.deepEqual(s.huge, [{ huge: 0, size: 3002368 }]);
      assert.deepEqual(s.cache, []);
    });

    it('covers pages 1..511 of every chunk with its runs, and counts free pages in free runs', () => {
      const { replayer } = run('a 1 16\na 2 5000\na 3 700\na 4 20000\nf 2\na 5 1500\na 6 2500');
      const binPages = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 3, 1, 1, 5, 3, 2, 2, 5, 3, 7, 4, 5, 3];
      for (const c of replayer.state('end').chunks) {
        assert.equal(pagesCovered(c.runs, (b) => binPages[b]), 511);
        let page = 1;
        for (const r of c.runs) {
          assert.equal(r.page, page, 'runs are contiguous');
          page += r.kind === 'small' ? binPages[r.bin] : r.kind === 'other' ? 1 : r.pages;
        }
        const free = c.runs.filter((r) => r.kind === 'free').reduce((n, r) => n + (r.kind === 'free' ? r.pages : 0), 0);
        assert.equal(free, c.freePages);
      }
    });

    it('lists the chunk ring from the main chunk, and cached chunks by num', () => {
      const { replayer, records } = run(`a 1 ${WHOLE_CHUNK_RUN}\na 2 8192\nf 2`);
      assert.deepEqual(records[1].at, { chunk: 1, offset: 4096 });
      const s = replayer.state('end');
      assert.deepEqual(
        s.chunks.map((c) => c.num),
        [0],
      );
      assert.deepEqual(s.chunks[0].runs, [{ page: 1, kind: 'large', pages: 511 }]);
      assert.deepEqual(s.cache, [1]);
      assert.equal(s.heap.cachedChunks, 1);
      assert.equal(s.heap.peakChunks, 2);
      const more = replay(replayer, 'a 3 8192\na 4 16');
      assert.deepEqual(more[0].at, { chunk: 1, offset: 4096 }, 'the cached chunk comes back with the next num');
      assert.deepEqual(
        replayer.state('end').chunks.map((c) => c.num),
        [0, 1],
      );
      assert.deepEqual(replayer.state('end').cache, []);
    });
  });
});
