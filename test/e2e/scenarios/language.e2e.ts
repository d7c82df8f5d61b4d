// What a person sees of the language features: a macro hover in the real zend_alloc.c and the
// problems of a .zmm script with mistakes. The real PHP 8.2.32 source is read from the
// git-ignored cache that `npm run setup:test` fills; it is copied into the session only.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { BINS } from '../../../src/engine/zend7/bins';
import { REPO_ROOT } from '../harness/paths';
import { useSession } from './scenarioHooks';

const REAL_SOURCE = path.join(REPO_ROOT, '.cache', 'php-src', '8.2', 'Zend', 'zend_alloc.c');

function realSource(): string {
  assert.ok(fs.existsSync(REAL_SOURCE), `${REAL_SOURCE} is missing: run npm run setup:test`);
  return fs.readFileSync(REAL_SOURCE, 'utf8');
}

const MISTAKES = ['php 8.2', 'a = emalloc(24)', 'efree(b)', 'c = emallok(3)', ''].join('\n');

describe('language features (VS Code UI)', function () {
  this.timeout(120_000);
  const source = realSource();
  const session = useSession({ extraFiles: { 'php-src/Zend/zend_alloc.c': source, 'mistakes.zmm': MISTAKES } });

  it('explains ZEND_MM_SMALL_SIZE_TO_BIN in the real zend_alloc.c with the bins of the active version', async () => {
    const wb = session().workbench;
    await wb.openFile('php-src/Zend/zend_alloc.c');
    const lines = source.split('\n');
    const line = lines.findIndex((l) => /ZEND_MM_SMALL_SIZE_TO_BIN\(size\)/.test(l) && !l.startsWith('#define')) + 1;
    assert.ok(line > 0, 'no use of ZEND_MM_SMALL_SIZE_TO_BIN(size) in the real source');
    // the editor counts a tab as 4 columns (its tab size in the status bar)
    const column = lines[line - 1].replace(/\t/g, '    ').indexOf('ZEND_MM_SMALL_SIZE_TO_BIN') + 3;
    const text = await wb.hoverAt(line, column);
    assert.match(text, /ZEND_MM_SMALL_SIZE_TO_BIN/);
    assert.match(text, /PHP 8\.2/);
    assert.match(text, /bin/);
    // the bin of a 100-byte request, with its slot size, from the engine's table
    const bin10 = BINS[10];
    assert.match(text, new RegExp(`97 – ${bin10.size}\\s+10\\s+${bin10.size}`));
    await wb.screenshot('macro-hover');
  });

  it('lists the mistakes of a .zmm script in the Problems view', async () => {
    const wb = session().workbench;
    await wb.openFile('mistakes.zmm');
    const rows = await wb.problemsMatching(/unknown function 'emallok'; did you mean 'emalloc'\?/);
    assert.ok(rows.some((r) => /unknown name 'b'/.test(r)), `rows: ${rows.join(' | ')}`);
    await wb.screenshot('zmm-problems');
  });
});
