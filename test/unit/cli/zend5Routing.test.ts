import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs, ReplayCommand } from '../../../src/cli/args';
import { runReplay } from '../../../src/cli/replayCommand';

describe('cli/replayCommand (PHP 5)', () => {
  it('replays a --php 5.3 trace on the segment heap, honouring --seg-size', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zmm-')), 't.trace');
    fs.writeFileSync(file, 'a 1 100\nf 1\n');
    const run = (argv: string[]): object[] => {
      const out: string[] = [];
      const status = runReplay(parseArgs(argv) as ReplayCommand, { out: (l) => out.push(l), err: (l) => assert.fail(l) });
      assert.strictEqual(status, 0);
      return out.map((l) => JSON.parse(l) as object);
    };
    const def = run(['replay', '--php', '5.3', '--format', 'jsonl', file]);
    assert.deepStrictEqual((def[0] as { at: object }).at, { segment: 0, offset: 8240 });
    assert.strictEqual((def[0] as { heap: { realSize: number } }).heap.realSize, 262144);
    const small = run(['replay', '--php', '5.3', '--seg-size', '32768', '--format', 'jsonl', file]);
    assert.strictEqual((small[0] as { heap: { realSize: number } }).heap.realSize, 32768);
  });
});
