import * as assert from 'node:assert/strict';
import { TraceReplayer } from '../../../src/replay/replayer';
import type { OpRecord, StateRecord } from '../../../src/replay/records';
import { MAP_LEGEND, formatHeapMap, formatOpLine } from '../../../src/replay/textMap';

const CHUNK = 2 * 1024 * 1024;
const HEAP = { size: 16, peak: 32, realSize: CHUNK, realPeak: 2 * CHUNK, chunks: 1, cachedChunks: 0 };

/** A state record with the given chunks and lists (counters fixed). */
function state(over: Partial<StateRecord>): StateRecord {
  return {
    op: 'end',
    heap: { ...HEAP, peakChunks: 2, avgChunks: 1, deleteBoundary: 0, deleteCount: 0 },
    freeLists: {},
    chunks: [{ num: 0, freePages: 511, freeTail: 1, runs: [{ page: 1, kind: 'free', pages: 511 }] }],
    cache: [],
    huge: [],
    ...over,
  };
}

/** The page strip of each chunk in a heap map: chunk header line -> the 512 cells of its rows. */
function strips(map: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = map.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^chunk (\d+): /.exec(lines[i]);
    if (!m) continue;
    let cells = '';
    for (let row = 0; row < 8; row++) {
      const r = /^ {2}([ \d]{3}) (.*)$/.exec(lines[i + 1 + row] ?? '');
      assert.ok(r !== null, `row ${row} of chunk ${m[1]}: ${JSON.stringify(lines[i + 1 + row])}`);
      assert.equal(Number(r[1]), row * 64, 'each row starts with its first page number');
      cells += r[2];
    }
    out.set(m[1], cells);
  }
  return out;
}

describe('replay/textMap', () => {
  describe('formatHeapMap', () => {
    it('starts with the heap counters', () => {
      const first = formatHeapMap(state({})).split('\n')[0];
      assert.equal(first, `heap: size=16 peak=32 real_size=${CHUNK} real_peak=${2 * CHUNK} chunks=1 (peak 2, avg 1) cached=0`);
    });

    it('draws an empty chunk as H then 511 free cells, in 8 rows of 64', () => {
      const map = formatHeapMap(state({}));
      assert.ok(map.includes('chunk 0: 511 free pages, free_tail 1\n'));
      const s = strips(map).get('0');
      assert.equal(s, 'H' + '.'.repeat(511));
    });

    it('draws small runs by bin, large runs as [== and other pages as ?', () => {
      const map = formatHeapMap(
        state({
          chunks: [
            {
              num: 0,
              freePages: 496,
              freeTail: 16,
              runs: [
                { page: 1, kind: 'small', bin: 1 },
                { page: 2, kind: 'large', pages: 3 },
                { page: 5, kind: 'small', bin: 16 },
                { page: 10, kind: 'small', bin: 29 },
                { page: 13, kind: 'other', map: 0x12345 },
                { page: 14, kind: 'small', bin: 10 },
                { page: 15, kind: 'free', pages: 497 },
              ],
            },
          ],
        }),
      );
      assert.equal(strips(map).get('0'), 'H1[==GGGGGTTT?A' + '.'.repeat(497));
    });

    it('draws one strip of 512 cells per chunk of the ring, each headed by its num', () => {
      const r = new TraceReplayer();
      for (const [i, size] of [2093056, 16, 5000, 3000000].entries()) {
        r.apply({ op: 'a', id: String(i), key: i, size, line: i + 1 });
      }
      const map = formatHeapMap(r.state('end'));
      const s = strips(map);
      assert.deepEqual([...s.keys()], ['0', '1']);
      for (const cells of s.values()) {
        assert.equal(cells.length, 512);
        assert.equal(cells[0], 'H');
        assert.equal(cells.indexOf('H', 1), -1, 'only the header page is H');
      }
      assert.equal(s.get('0'), 'H[' + '='.repeat(510));
      // chunk 1: bin 1 run, a 2-page large run, then bin 2 (the huge block's list node).
      assert.equal(s.get('1'), 'H1[=2' + '.'.repeat(507));
      assert.ok(map.includes('\nhuge #0: 3002368 B'));
    });

    it('prints the legend once, after the strips', () => {
      const map = formatHeapMap(state({}));
      const lines = map.split('\n');
      assert.equal(lines.filter((l) => l === MAP_LEGEND).length, 1);
      assert.ok(lines.indexOf(MAP_LEGEND) > lines.findIndex((l) => l.startsWith('  448 ')));
      for (const word of ['H header page', '. free', '[== large run', 'small run of bin', '? other']) {
        assert.ok(MAP_LEGEND.includes(word), word);
      }
    });

    it('prints each free list with its slot size, length and first six places from the head', () => {
      const list = Array.from({ length: 8 }, (_, i) => ({ chunk: 0, offset: 4096 + 16 * i }));
      const map = formatHeapMap(
        state({
          freeLists: {
            '1': list,
            '2': [{ chunk: 3, offset: 0x4018 }],
          },
        }),
      );
      const lines = map.split('\n');
      const at = lines.indexOf('free lists (head first):');
      assert.ok(at > lines.indexOf(MAP_LEGEND));
      assert.equal(
        lines[at + 1],
        '  bin  1 (16 B): 8 free: chunk 0 +0x1000, chunk 0 +0x1010, chunk 0 +0x1020, chunk 0 +0x1030, chunk 0 +0x1040, chunk 0 +0x1050, …',
      );
      assert.equal(lines[at + 2], '  bin  2 (24 B): 1 free: chunk 3 +0x4018');
    });

    it('prints no free-list section when every list is empty', () => {
      assert.ok(!formatHeapMap(state({})).includes('free lists'));
    });

    it('lists cached chunks and huge blocks', () => {
      const map = formatHeapMap(state({ cache: [3, 1], huge: [{ huge: 1, size: 4096 * 600 }, { huge: 0, size: 2101248 }] }));
      const lines = map.split('\n');
      assert.ok(lines.includes('cached chunks: 3, 1'));
      assert.deepEqual(lines.slice(-2), ['huge #1: 2457600 B', 'huge #0: 2101248 B']);
      assert.ok(!formatHeapMap(state({})).includes('cached chunks'));
    });
  });

  describe('formatOpLine', () => {
    it('describes an allocation: request, place, block size and counters', () => {
      const line = formatOpLine({ op: 'a', id: '1', size: 10, at: { chunk: 0, offset: 4096 }, blockSize: 16, heap: HEAP });
      assert.match(line, /^a 1 10 +-> chunk 0 \+0x1000 {2}\(block 16 B\) {2}size=16 real=2097152$/);
    });

    it('describes a free by the place it frees', () => {
      const line = formatOpLine({ op: 'f', id: '1', at: { chunk: 2, offset: 0x2040 }, heap: HEAP });
      assert.ok(line.startsWith('f 1 '));
      assert.ok(line.includes('frees chunk 2 +0x2040'), line);
      assert.ok(!line.includes('->'), line);
    });

    it('describes a realloc from NULL and a huge result', () => {
      const line = formatOpLine({ op: 'r', id: '4', size: 3000000, from: null, at: { huge: 0 }, blockSize: 3002368, heap: HEAP });
      assert.ok(line.startsWith('r 4 3000000  from NULL'), line);
      assert.ok(line.includes('-> huge #0  (block 3002368 B)'), line);
    });

    it('describes a gc by the bytes it freed', () => {
      assert.ok(formatOpLine({ op: 'gc', freed: 4096, heap: HEAP }).includes('freed 4096 B'));
    });

    it('mentions an error', () => {
      const line = formatOpLine({
        op: 'l',
        limit: 1000000,
        error: 'Failed to set memory limit to 1000000 bytes (Current memory usage is 2097152 bytes)',
        heap: HEAP,
      });
      assert.ok(line.startsWith('l 1000000 '), line);
      assert.ok(line.includes('ERROR: Failed to set memory limit to 1000000 bytes (Current memory usage is 2097152 bytes)'), line);
      assert.ok(!line.includes('real process ends'), 'a PHP error is not fatal');
    });

    it('mentions an error on a free that has no place (unknown ID)', () => {
      const line = formatOpLine({ op: 'f', id: '9', error: 'unknown id 9: it was never allocated in this trace' });
      assert.ok(line.includes('ERROR: unknown id 9'), line);
      assert.ok(!line.includes('frees'), line);
    });

    it('mentions a fatal error and that the real process ends there', () => {
      const rec: OpRecord = { op: 'f', id: '1', at: { huge: 0 }, warning: 'double free', error: 'zend_mm_heap corrupted', fatal: 'panic', heap: HEAP };
      const line = formatOpLine(rec);
      assert.ok(line.includes('ERROR: zend_mm_heap corrupted [panic: the real process ends here]'), line);
    });

    it('mentions a warning', () => {
      const line = formatOpLine({ op: 'f', id: '1', at: { chunk: 0, offset: 4096 }, warning: 'double free', heap: HEAP });
      assert.ok(line.includes('WARNING: double free'), line);
      assert.ok(!line.includes('ERROR'), line);
    });
  });
});
