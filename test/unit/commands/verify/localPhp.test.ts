// Runs traces through the real PHP on PATH (8.2.32 here, installed by npm run setup:test) with
// the repository's oracle scripts, as the Verify command does, and compares with the engine.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROFILES } from '../../../../src/engine/profiles';
import { compareJsonLines } from '../../../../src/commands/verify/compareJsonLines';
import { engineJsonLines } from '../../../../src/commands/verify/engineJsonLines';
import { buildShim, findLocalPhp, layoutRelease, LocalPhp, runOracle } from '../../../../src/commands/verify/localPhp';
import { loadTrace } from '../../../../src/session/loadTrace';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const SCRIPTS = path.join(ROOT, 'media', 'oracle');
const SUPPORTED = [...PROFILES.keys()];

describe('verify against local PHP', function () {
  this.timeout(120000);
  let local: LocalPhp;
  let cache: string;

  before(() => {
    const found = findLocalPhp(SCRIPTS, 'php', SUPPORTED);
    if ('error' in found) throw new Error(`the local PHP cannot run the oracle: ${found.error} (npm run setup:test installs PHP 8.2.32)`);
    local = found;
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'zmm-verify-test-'));
  });
  after(() => {
    if (cache) fs.rmSync(cache, { recursive: true, force: true });
  });

  it('finds the release the layout was written for', () => {
    assert.strictEqual(local.release, layoutRelease(SCRIPTS, local.version));
  });

  it('says exactly why it cannot run', () => {
    assert.match((findLocalPhp(SCRIPTS, 'no-such-php-binary', SUPPORTED) as { error: string }).error, /'no-such-php-binary' does not run/);
    assert.match((findLocalPhp(path.join(ROOT, 'nowhere'), 'php', SUPPORTED) as { error: string }).error, /the oracle scripts are not in this build/);
    assert.match((findLocalPhp(SCRIPTS, 'php', ['7.0']) as { error: string }).error, /the engine has no profile for \d+\.\d+/);
  });

  for (const example of ['quickstart.trace', 'quickstart.zmm', 'heap-feng-shui.zmm']) {
    it(`agrees with the engine on examples/${example}`, async () => {
      const file = path.join(ROOT, 'examples', example);
      const trace = loadTrace(fs.readFileSync(file, 'utf8'), file);
      assert.deepStrictEqual(trace.errors, []);
      const raw = path.join(cache, `${example}.raw`);
      fs.writeFileSync(raw, trace.rawText);
      const php = await runOracle(local, SCRIPTS, buildShim(local, SCRIPTS, cache), raw);
      assert.ok(php.length > 1);
      assert.deepStrictEqual(compareJsonLines(php, engineJsonLines(trace.ops, local.version)), []);
    });
  }

  it('names the first differing field of each differing record', () => {
    assert.deepStrictEqual(compareJsonLines([{ op: 'a', at: { chunk: 0, offset: 4096 } }, { op: 'end' }], [{ op: 'a', at: { chunk: 0, offset: 8192 } }]), [
      { index: 0, where: 'at.offset: 4096 vs 8192' },
      { index: 1, where: "(record): missing from the engine's output" },
    ]);
  });

  it('stops php when aborted', async () => {
    const raw = path.join(cache, 'long.raw');
    const lines: string[] = [];
    for (let i = 0; i < 200000; i++) lines.push(`a ${i} ${(i % 3000) + 1}`, `f ${i}`);
    fs.writeFileSync(raw, lines.join('\n'));
    const abort = new AbortController();
    const run = runOracle(local, SCRIPTS, buildShim(local, SCRIPTS, cache), raw, abort.signal);
    setTimeout(() => abort.abort(), 200);
    await assert.rejects(run, /abort/i);
  });
});
