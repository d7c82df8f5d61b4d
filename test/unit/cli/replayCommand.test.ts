import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { spawnSync } from 'child_process';
import type { ReplayFormat } from '../../../src/cli/args';
import { runReplay } from '../../../src/cli/replayCommand';
import { MAP_LEGEND } from '../../../src/replay/textMap';
import { Capture } from '../../support/capture';


describe('cli/replayCommand', () => {
  let dir: string;
  let counter = 0;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zmm-replay-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a trace to a fresh temp file and returns its path. */
  function trace(text: string): string {
    const p = path.join(dir, `t${counter++}.trace`);
    fs.writeFileSync(p, text);
    return p;
  }

  /** Runs `zend-mm replay --format FORMAT file`, returning the status and what was written. */
  function replay(file: string, format: ReplayFormat): { status: number; io: Capture } {
    const io = new Capture();
    const status = runReplay({ command: 'replay', php: '8.2', format, file }, io);
    return { status, io };
  }

  describe('runReplay --format jsonl', () => {
    it('prints one JSON object per operation, then an end record, and exits 0', () => {
      const file = trace('# small trace\na 1 10\na 2 100\nf 1\nr 2 5000\ngc\n');
      const { status, io } = replay(file, 'jsonl');
      assert.equal(status, 0);
      assert.deepEqual(io.stderr, []);
      const records = io.stdout.map((l) => JSON.parse(l));
      assert.deepEqual(
        records.map((r) => r.op),
        ['a', 'a', 'f', 'r', 'gc', 'end'],
      );
      assert.deepEqual(records[0], {
        op: 'a',
        id: '1',
        size: 10,
        at: { chunk: 0, offset: 4096 },
        blockSize: 16,
        heap: { size: 16, peak: 16, realSize: 2097152, realPeak: 2097152, chunks: 1, cachedChunks: 0 },
      });
      const end = records[records.length - 1];
      assert.deepEqual(Object.keys(end), ['op', 'heap', 'freeLists', 'chunks', 'cache', 'huge']);
      assert.equal(end.heap.size, 8192, 'only ID 2 (now 2 pages) is live');
    });

    it('prints a d line as a state record in place', () => {
      const { status, io } = replay(trace('a 1 10\nd\nf 1\n'), 'jsonl');
      assert.equal(status, 0);
      const records = io.stdout.map((l) => JSON.parse(l));
      assert.deepEqual(
        records.map((r) => r.op),
        ['a', 'd', 'f', 'end'],
      );
      assert.equal(records[1].heap.size, 16);
      assert.equal(records[3].heap.size, 0);
    });

    it('reports a bad line on stderr as file:line:col: message, replays the next lines on the same heap, and exits 1', () => {
      const file = trace('a 1 10\na 2\nf 1\nr 3 x\na 4 10\n');
      const { status, io } = replay(file, 'jsonl');
      assert.equal(status, 1);
      assert.deepEqual(io.stderr, [
        `${file}:2:4: missing SIZE`,
        `${file}:4:5: SIZE must be an unsigned decimal number of bytes, got 'x'`,
      ]);
      const records = io.stdout.map((l) => JSON.parse(l));
      assert.deepEqual(
        records.map((r) => `${r.op} ${r.id ?? ''}`),
        ['a 1', 'f 1', 'a 4', 'end '],
      );
      // ID 1 was allocated before the bad line and freed after it: the state was kept.
      assert.equal(records[1].error, undefined);
      assert.equal(records[1].warning, undefined);
      assert.deepEqual(records[1].at, { chunk: 0, offset: 4096 });
      assert.deepEqual(records[2].at, { chunk: 0, offset: 4096 }, 'the freed slot is reused');
    });

    it('reports a missing file on stderr, prints no end record and exits 1', () => {
      const file = path.join(dir, 'missing.trace');
      const { status, io } = replay(file, 'jsonl');
      assert.equal(status, 1);
      assert.deepEqual(io.stdout, []);
      assert.equal(io.stderr.length, 1);
      assert.ok(io.stderr[0].startsWith(`${file}:0: cannot open: `), io.stderr[0]);
    });

    it('prints a huge double free as the last, fatal, operation object, reports the next line as not replayed and exits 1', () => {
      const file = trace('a 1 3000000\nf 1\nf 1\na 2 10\na 3 10\n');
      const { status, io } = replay(file, 'jsonl');
      assert.equal(status, 1);
      const records = io.stdout.map((l) => JSON.parse(l)).filter((r) => r.op !== 'end');
      assert.deepEqual(
        records.map((r) => r.op),
        ['a', 'f', 'f'],
        'the fatal object is the last operation object',
      );
      assert.equal(records[2].error, 'zend_mm_heap corrupted');
      assert.ok(records[2].fatal);
      assert.deepEqual(io.stderr, [`${file}:4: not replayed: the real process died at an earlier line (zend_mm_heap corrupted)`]);
    });

    it('prints a negative size counter as unsigned 64-bit', () => {
      const { io } = replay(trace('a 1 8\nf 1\nf 1\n'), 'jsonl');
      assert.ok(io.stdout[2].includes('"size":18446744073709551608'), io.stdout[2]);
    });
  });

  describe('runReplay --format summary', () => {
    /** The counters a summary line names, as unsigned 64-bit values. */
    function summaryCounters(line: string): Record<string, bigint> {
      const out: Record<string, bigint> = {};
      for (const key of ['size', 'peak', 'real_size', 'real_peak', 'chunks', 'cached']) {
        const m = new RegExp(`(?:^|[ :])${key}=(-?\\d+)\\b`).exec(line);
        assert.ok(m !== null, `${key}= in ${JSON.stringify(line)}`);
        const n = BigInt(m[1]);
        out[key] = n < 0n ? 2n ** 64n + n : n;
      }
      return out;
    }

    it('prints exactly one line: the operation count and the final counters', () => {
      const { status, io } = replay(trace('a 1 10\na 2 3000000\nd\nf 1\ngc\n'), 'summary');
      assert.equal(status, 0);
      assert.deepEqual(io.stderr, []);
      assert.equal(io.stdout.length, 1);
      assert.match(io.stdout[0], /^4 operations\b/, 'a d line is not an operation');
      assert.deepEqual(summaryCounters(io.stdout[0]), {
        size: 3002392n,
        peak: 3002408n,
        real_size: 5099520n,
        real_peak: 5099520n,
        chunks: 1n,
        cached: 0n,
      });
    });

    it('reports a bad line on stderr, goes on with the next lines and exits 1', () => {
      const file = trace('a 1 10\nf\na 2 10\n');
      const { status, io } = replay(file, 'summary');
      assert.equal(status, 1);
      assert.deepEqual(io.stderr, [`${file}:2:2: missing ID`]);
      assert.equal(io.stdout.length, 1);
      assert.match(io.stdout[0], /^2 operations\b/);
      assert.equal(summaryCounters(io.stdout[0]).size, 32n);
    });

    it('stops at a fatal error, says so and exits 1', () => {
      const { status, io } = replay(trace('a 1 3000000\nf 1\nf 1\na 2 10\n'), 'summary');
      assert.equal(status, 1);
      assert.equal(io.stdout.length, 1);
      assert.match(io.stdout[0], /^3 operations\b/);
      assert.ok([...io.stdout, ...io.stderr].some((l) => l.includes('zend_mm_heap corrupted')));
    });

    it('reports a missing file on stderr, prints nothing and exits 1', () => {
      const file = path.join(dir, 'missing.trace');
      const { status, io } = replay(file, 'summary');
      assert.equal(status, 1);
      assert.deepEqual(io.stdout, []);
      assert.equal(io.stderr.length, 1);
      assert.ok(io.stderr[0].startsWith(`${file}:0: cannot open: `), io.stderr[0]);
    });

    /** Checks that the summary of `text` agrees with its jsonl output (counters, operations, status). */
    function agreesWithJsonl(text: string): void {
      const file = trace(text);
      const summary = replay(file, 'summary');
      const jsonl = replay(file, 'jsonl');
      fs.rmSync(file);
      assert.equal(summary.status, jsonl.status);
      assert.equal(summary.io.stdout.length, 1);
      const ops = jsonl.io.stdout.filter((l) => !/^\{"op":"(d|end)"/.test(l)).length;
      assert.match(summary.io.stdout[0], new RegExp(`^${ops} operations\\b`));
      const end = jsonl.io.stdout[jsonl.io.stdout.length - 1];
      const num = (key: string): bigint => BigInt(new RegExp(`"heap":\\{.*?"${key}":(\\d+)`).exec(end)?.[1] ?? 'NaN');
      assert.deepEqual(summaryCounters(summary.io.stdout[0]), {
        size: num('size'),
        peak: num('peak'),
        real_size: num('realSize'),
        real_peak: num('realPeak'),
        chunks: num('chunks'),
        cached: num('cachedChunks'),
      });
    }

    const size = fc.oneof(
      fc.integer({ min: 0, max: 3072 }),
      fc.integer({ min: 3073, max: 2093056 }),
      fc.integer({ min: 2093057, max: 5 * 1024 * 1024 }),
    );

    it('agrees with the jsonl output on any trace of a, f, r and d lines, double frees included', () => {
      // No gc and no limit: a double free makes a free list circular, and gc over it never
      // returns (see the endless-loop test below).
      const id = fc.constantFrom('1', '2', '3', '4');
      const line = fc.oneof(
        { weight: 4, arbitrary: fc.tuple(id, size).map(([i, n]) => `a ${i} ${n}`) },
        { weight: 3, arbitrary: id.map((i) => `f ${i}`) },
        { weight: 2, arbitrary: fc.tuple(id, size).map(([i, n]) => `r ${i} ${n}`) },
        { weight: 1, arbitrary: fc.constant('d') },
      );
      fc.assert(
        fc.property(fc.array(line, { maxLength: 25 }), (lines) => agreesWithJsonl(lines.join('\n') + '\n')),
        { numRuns: 150 },
      );
    });

    it('agrees with the jsonl output on any trace with gc and limits and no double free', () => {
      // Every allocation takes a new ID and an ID is freed at most once, so nothing is freed
      // twice; ID 0 stays live so that gc never takes the main chunk out of the ring.
      type Cmd = { k: 'a'; n: number } | { k: 'f'; pick: number } | { k: 'r'; pick: number; n: number } | { k: 'line'; text: string };
      const cmd: fc.Arbitrary<Cmd> = fc.oneof(
        { weight: 4, arbitrary: size.map((n): Cmd => ({ k: 'a', n })) },
        { weight: 3, arbitrary: fc.nat().map((pick): Cmd => ({ k: 'f', pick })) },
        { weight: 2, arbitrary: fc.tuple(fc.nat(), size).map(([pick, n]): Cmd => ({ k: 'r', pick, n })) },
        {
          weight: 2,
          arbitrary: fc
            .constantFrom('gc', 'd', `l ${4 * 1024 * 1024}`, `l ${8 * 1024 * 1024}`, `l ${64 * 1024 * 1024}`, 'l 1000000')
            .map((text): Cmd => ({ k: 'line', text })),
        },
      );
      fc.assert(
        fc.property(fc.array(cmd, { maxLength: 30 }), (cmds) => {
          const lines = ['a 0 8'];
          const open: number[] = [];
          let next = 1;
          for (const c of cmds) {
            if (c.k === 'a') {
              lines.push(`a ${next} ${c.n}`);
              open.push(next++);
            } else if (c.k === 'line') {
              lines.push(c.text);
            } else if (open.length > 0) {
              const i = c.pick % open.length;
              if (c.k === 'f') {
                lines.push(`f ${open[i]}`);
                open.splice(i, 1);
              } else {
                lines.push(`r ${open[i]} ${c.n}`);
              }
            }
          }
          agreesWithJsonl(lines.join('\n') + '\n');
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('runReplay on traces that kill the real process', () => {
    it('ends a gc over a free list made circular by a double free with a fatal error, in every format, without hanging', function () {
      this.timeout(30000);
      const file = trace('a 1 16\nf 1\nf 1\ngc\na 2 16\n');
      for (const format of ['jsonl', 'summary', 'text'] as const) {
        // In a child process: a replay that never returns must fail the test, not hang the suite.
        const script = `
          const { runReplay } = require(${JSON.stringify(require.resolve('../../../src/cli/replayCommand'))});
          const out = [], err = [];
          const status = runReplay({ command: 'replay', php: '8.2', format: ${JSON.stringify(format)}, file: ${JSON.stringify(file)} },
            { out: (l) => out.push(l), err: (l) => err.push(l) });
          process.stdout.write(JSON.stringify({ status, out, err }));
        `;
        const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 5000 });
        assert.ok(child.error === undefined && child.signal === null, `${format}: the replay did not return within 5 s`);
        assert.equal(child.status, 0, child.stderr);
        const { status, out, err } = JSON.parse(child.stdout) as { status: number; out: string[]; err: string[] };
        assert.equal(status, 1, format);
        assert.ok([...out, ...err].some((l) => l.includes('Endless loop')), `${format}: the endless loop is reported`);
      }
    });

    it('does not throw, and exits 1, when a limit unmaps the cached main chunk that holds the heap', () => {
      // gc puts the emptied main chunk in the cache; l then unmaps it, and with it the heap.
      const file = trace('gc\na 1 2230489\nl 3000000\n');
      for (const format of ['jsonl', 'summary', 'text'] as const) {
        let result: { status: number; io: Capture } | undefined;
        assert.doesNotThrow(() => {
          result = replay(file, format);
        }, format);
        assert.equal(result?.status, 1, `${format}: the real process died`);
      }
    });
  });

  describe('runReplay --format text', () => {
    it('prints one line per operation, a blank line, then the heap map with its legend', () => {
      const { status, io } = replay(trace('a 1 10\nf 1\nl 100\n'), 'text');
      assert.equal(status, 0);
      assert.ok(io.stdout[0].startsWith('a 1 10'));
      assert.ok(io.stdout[1].startsWith('f 1'));
      assert.ok(io.stdout[2].includes('ERROR: Failed to set memory limit to 100 bytes (Current memory usage is 2097152 bytes)'));
      assert.equal(io.stdout[3], '');
      assert.equal(io.stdout.length, 5);
      assert.ok(io.stdout[4].startsWith('heap: size=0 '));
      assert.ok(io.stdout[4].includes(MAP_LEGEND));
    });
  });
});
