// The example workspace's scripts replay cleanly with the zend-mm command line (the PHP 5 one
// also with --php 5.3), and what their comments promise is what the allocator does.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLE_WORKSPACE, REPO_ROOT } from './harness/paths';
import { runGroup } from './harness/processGroup';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const REPLAY_TIMEOUT_MS = 30_000;

interface Address {
  chunk?: number;
  offset?: number;
  huge?: number;
  segment?: number;
}

/** One JSON Lines record of `zend-mm replay --format jsonl` (docs/replay-jsonl.md). */
interface OpRecord {
  op: string;
  at?: Address;
  from?: Address | null;
  blockSize?: number;
  error?: string;
  heap: { chunks?: number; realSize: number };
}

/** The records of every call of `script` (dumps and the final state left out). */
async function replay(script: string, ...options: string[]): Promise<OpRecord[]> {
  const r = await runGroup(`replay ${script}`, REPLAY_TIMEOUT_MS, process.execPath, [CLI, 'replay', ...options, '--format', 'jsonl', path.join(EXAMPLE_WORKSPACE, script)]);
  assert.equal(r.stderr, '', `${script}: diagnostics`);
  assert.equal(r.code, 0, `${script}: exit code`);
  return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as OpRecord).filter((rec) => rec.op !== 'd' && rec.op !== 'end');
}

describe('example workspace scripts (zend-mm replay)', function () {
  this.timeout(120_000);

  before(async () => {
    if (!fs.existsSync(CLI)) {
      const r = await runGroup('npm run build', 120_000, 'npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT });
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  });

  it('covers the five seed scenarios', () => {
    const scripts = fs.readdirSync(EXAMPLE_WORKSPACE).filter((f) => f.endsWith('.zmm')).sort();
    assert.deepEqual(scripts, ['fragmentation.zmm', 'huge-blocks.zmm', 'large-runs.zmm', 'php5-coalescing.zmm', 'small-bins.zmm']);
  });

  it('small-bins.zmm: neighbouring 24-byte slots, and a freed slot comes back first', async () => {
    const [a, b, c, , , e, , , f, g, big] = await replay('small-bins.zmm');
    assert.equal((b.at?.offset ?? 0) - (a.at?.offset ?? 0), 24);
    assert.deepEqual(e.at, b.at);
    assert.deepEqual(f.at, c.at);
    assert.deepEqual(g.at, a.at);
    assert.equal(big.blockSize, 3072);
  });

  it('large-runs.zmm: best fit picks the smallest hole; a run grows in place', async () => {
    const [, b, , d, , , , f, g, grown] = await replay('large-runs.zmm');
    assert.deepEqual(f.at, b.at);
    assert.deepEqual(g.at, d.at);
    assert.equal(grown.op, 'r');
    assert.deepEqual(grown.at, grown.from);
  });

  it('huge-blocks.zmm: huge blocks rounded to 4 KiB, and only the last request breaks the limit', async () => {
    const ops = await replay('huge-blocks.zmm');
    const [, largest, h1, h2] = ops;
    assert.equal(largest.at?.chunk, 0);
    assert.equal(h1.at?.huge, 0);
    assert.equal(h1.blockSize, 2 * 1024 * 1024);
    assert.equal(h2.blockSize, 3 * 1024 * 1024 + 4096);
    assert.deepEqual(ops.map((o) => o.error).filter(Boolean), ['Allowed memory size of 67108864 bytes exhausted (tried to allocate 31457280 bytes)']);
    assert.ok(ops[ops.length - 1].error);
  });

  it('fragmentation.zmm: free pages but no long-enough run map a second chunk, later reused from the cache', async () => {
    const [, r1, , r3, , , , big, fill, freedBig, again] = await replay('fragmentation.zmm');
    assert.equal(big.at?.chunk, 1);
    assert.equal(big.heap.chunks, 2);
    assert.ok([JSON.stringify(r1.at), JSON.stringify(r3.at)].includes(JSON.stringify(fill.at)), 'fill goes into a hole');
    assert.deepEqual(again.at, big.at);
    assert.equal(again.heap.realSize, freedBig.heap.realSize, 'no new mapping');
  });

  for (const options of [[], ['--php', '5.3']]) {
    it(`php5-coalescing.zmm${options.length ? ' with ' + options.join(' ') : ''}: three freed neighbours merge into one block`, async () => {
      const ops = await replay('php5-coalescing.zmm', ...options);
      const [a, , , , , , , d] = ops;
      assert.equal(a.at?.segment, 0);
      assert.equal(d.blockSize, 2920);
      assert.deepEqual(d.at, a.at, 'best fit puts the 2900-byte request in the merged block');
    });
  }
});
