// runZend5Replay (src/cli/zend5ReplayCommand.ts): formats, diagnostics, exit statuses.
// (Kept here because test/unit/cli belongs to the CLI owner.)

import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runZend5Replay } from '../../../../src/cli/zend5ReplayCommand';

function capture(f: (io: { out(l: string): void; err(l: string): void }) => number): { status: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const status = f({ out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out, err };
}

describe('cli runZend5Replay', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend5-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it('writes one JSON object per op, one per d, and the final state', () => {
    const file = write('t.trace', 'a 1 100\nd\nf 1\n');
    const r = capture((io) => runZend5Replay({ file, php: '5.3', format: 'jsonl' }, io));
    assert.equal(r.status, 0);
    assert.deepEqual(
      r.out.map((l) => JSON.parse(l).op),
      ['a', 'd', 'f', 'end'],
    );
  });

  it('reports bad lines as file:line:col and goes on', () => {
    const file = write('bad.trace', 'a 1 100\nx 2\nf 1\n');
    const r = capture((io) => runZend5Replay({ file, php: '5.5', format: 'summary' }, io));
    assert.equal(r.status, 1);
    assert.deepEqual(r.err, [`${file}:2:1: unknown operation 'x' (expected a, f, r, gc, g, l, d or #)`]);
    assert.match(r.out[0], /^PHP 5\.5 .*: 2 operations, 0 failed: size=8328 .*cached=120 /);
  });

  it('honours --seg-size and reports startup exits', () => {
    const file = write('s.trace', 'a 1 100\n');
    const ok = capture((io) => runZend5Replay({ file, php: '5.3', segSize: 32768, format: 'jsonl' }, io));
    assert.equal(JSON.parse(ok.out[ok.out.length - 1]).heap.blockSize, 32768);
    const bad = capture((io) => runZend5Replay({ file, php: '5.3', segSize: 1000, format: 'jsonl' }, io));
    assert.deepEqual([bad.status, bad.err], [255, ['ZEND_MM_SEG_SIZE must be a power of two']]);
    const version = capture((io) => runZend5Replay({ file, php: '5.1', format: 'jsonl' }, io));
    assert.equal(version.status, 2);
  });

  it('prints a readable segment map in text format', () => {
    const file = write('m.trace', 'a 1 100\n');
    const r = capture((io) => runZend5Replay({ file, php: '5.2', format: 'text' }, io));
    const text = r.out.join('\n');
    assert.match(text, /emalloc\(100\) #1 +seg 0 \+8240 \(120 bytes\)/);
    assert.match(text, /segment 0 \(262144 bytes\)\n {2}\+32 +8208 {2}reserve/);
  });
});
