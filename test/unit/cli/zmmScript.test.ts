import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs, ReplayCommand } from '../../../src/cli/args';
import { runReplay } from '../../../src/cli/replayCommand';

function script(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zmm-')), 's.zmm');
  fs.writeFileSync(file, text);
  return file;
}

function run(argv: string[]): { status: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const status = runReplay(parseArgs(argv) as ReplayCommand, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out, err };
}

describe('cli: replaying .zmm scripts', () => {
  it('replays a script on the version its php line names', () => {
    const file = script('php 8.4\na = emalloc(8)\nefree(a)\n');
    const r = run(['replay', '--format', 'jsonl', file]);
    assert.strictEqual(r.status, 0, r.err.join('\n'));
    assert.strictEqual((JSON.parse(r.out[0]) as { blockSize: number }).blockSize, 16, '8.4 has no 8-byte slots');
  });

  it('refuses a --php that contradicts the script', () => {
    const r = run(['replay', '--php', '7.4', script('php 8.2\na = emalloc(1)\n')]);
    assert.strictEqual(r.status, 2);
    assert.match(r.err[0], /says 'php 8.2' but --php 7.4/);
  });

  it('reports bad script lines at their own line and column, and goes on', () => {
    const file = script('a = emalloc(10)\nb = emallok(5)\nefree(a)\n');
    const r = run(['replay', '--format', 'jsonl', file]);
    assert.strictEqual(r.status, 1);
    assert.ok(r.err.some((l) => l.startsWith(`${file}:2:`)), r.err.join('\n'));
    assert.deepStrictEqual(r.out.map((l) => (JSON.parse(l) as { op: string }).op), ['a', 'f', 'end']);
  });

  it('names the script line where the real process dies', () => {
    const file = script('a = emalloc(3M)\nefree(a)\n\nefree(a)\nb = emalloc(1)\n');
    const r = run(['replay', file]);
    assert.strictEqual(r.status, 1);
    assert.ok(r.out.some((l) => l.includes('zend_mm_heap corrupted')));
    assert.ok(r.err.some((l) => l.startsWith(`${file}:5: not replayed`)), r.err.join('\n'));
  });

  it('warns about persistent allocations, which the replay cannot route yet', () => {
    const r = run(['replay', '--format', 'summary', script('p = pemalloc(64, 1)\npefree(p, 1)\n')]);
    assert.strictEqual(r.status, 0);
    assert.strictEqual(r.err.filter((l) => l.endsWith('(warning)')).length, 2);
  });
});
