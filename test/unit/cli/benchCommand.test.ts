import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BenchCommand, parseArgs, UsageError } from '../../../src/cli/args';
import { BenchResult, runBench } from '../../../src/cli/benchCommand';
import { Capture } from '../../support/capture';


function bench(file: string, extra: Partial<BenchCommand> = {}): { status: number; io: Capture } {
  const io = new Capture();
  const status = runBench({ command: 'bench', php: '8.2', file, runs: 3, json: true, ...extra }, io);
  return { status, io };
}

describe('cli/benchCommand', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zmm-bench-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  }

  describe('parseArgs bench', () => {
    it('defaults to PHP 8.2, five runs, text output', () => {
      assert.deepEqual(parseArgs(['bench', 't.trace']), { command: 'bench', php: '8.2', file: 't.trace', runs: 5, json: false });
    });

    it('takes --php, --runs and --json in any order', () => {
      assert.deepEqual(parseArgs(['bench', '--json', 't.trace', '--runs=7', '--php', '7.4']), {
        command: 'bench',
        php: '7.4',
        file: 't.trace',
        runs: 7,
        json: true,
        phpExplicit: true,
      });
    });

    it('refuses bad run counts, unknown options and a missing file', () => {
      for (const argv of [['bench', '--runs', '0', 't'], ['bench', '--runs', 'x', 't'], ['bench', '--runs', '1001', 't'], ['bench', '--format', 'jsonl', 't'], ['bench'], ['bench', 'a', 'b']]) {
        assert.throws(() => parseArgs(argv), UsageError, JSON.stringify(argv));
      }
    });
  });

  it('counts every operation but state dumps, and reports one figure per run', () => {
    const lines = ['a 1 24', 'a 2 5000', 'd', 'r 1 100', 'f 2', 'a 3 3145728', 'f 3', 'gc', 'f 1'];
    const { status, io } = bench(write('ops.trace', lines.join('\n') + '\n'));
    assert.equal(status, 0, io.stderr.join('\n'));
    const result = JSON.parse(io.stdout[0]) as BenchResult;
    assert.equal(result.ops, 8);
    assert.equal(result.runs.length, 3);
    assert.equal(result.php, '8.2');
    assert.equal(result.release, '8.2.32');
    assert.equal(result.path, 'fast');
    assert.ok(result.nsPerOp > 0);
    const sorted = [...result.runs].sort((a, b) => a - b);
    assert.equal(result.nsPerOp, sorted[1], 'the median of three runs is the middle one');
  });

  it('stops counting where the real process would die, and says so', () => {
    // freeing a huge block twice fails the huge-list lookup: zend_mm_panic ends the process
    const { status, io } = bench(write('fatal.trace', 'a 1 3145728\nf 1\nf 1\na 2 24\n'));
    assert.equal(status, 0);
    const result = JSON.parse(io.stdout[0]) as BenchResult;
    assert.equal(result.ops, 3);
    assert.match(io.stderr.join('\n'), /the replay stops early: zend_mm_heap corrupted/);
  });

  it('refuses a trace with bad lines, naming file and line', () => {
    const file = write('bad.trace', 'a 1 24\nx 2\n');
    const { status, io } = bench(file);
    assert.equal(status, 1);
    assert.deepEqual(io.stdout, []);
    assert.match(io.stderr[0], new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: `));
  });

  it('reports an unreadable file', () => {
    const { status, io } = bench(path.join(dir, 'missing.trace'));
    assert.equal(status, 1);
    assert.match(io.stderr.join('\n'), /missing\.trace/);
  });

  it('times a .zmm script under the version its php line names', () => {
    const file = write('s.zmm', 'php 7.4\na = emalloc(8)\nefree(a)\n');
    const { status, io } = bench(file);
    assert.equal(status, 0, io.stderr.join('\n'));
    const result = JSON.parse(io.stdout[0]) as BenchResult;
    assert.equal(result.php, '7.4');
    assert.equal(result.ops, 2);
  });

  it('times the PHP 5 segment heap on its records path', () => {
    const { status, io } = bench(write('five.trace', 'a 1 24\nf 1\n'), { php: '5.3' });
    assert.equal(status, 0, io.stderr.join('\n'));
    const result = JSON.parse(io.stdout[0]) as BenchResult;
    assert.equal(result.path, 'records');
    assert.equal(result.release, '5.3.25');
    assert.equal(result.ops, 2);
  });

  it('prints a readable line without --json', () => {
    const { status, io } = bench(write('text.trace', 'a 1 24\nf 1\n'), { json: false, runs: 1 });
    assert.equal(status, 0);
    assert.match(io.stdout[0], /text\.trace: 2 operations, PHP 8\.2 \(follows 8\.2\.32\), fast path: median [0-9.]+ ns\/op .* over 1 run after one warm-up/);
  });
});
