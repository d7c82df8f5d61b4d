// loadTraceProgram / parseZmmProgram: a program's operations with their lines, labels and
// variables, and one error naming file:line:column for a bad program.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProgramOp } from '../../../src/debug/programOps';
import { parseRawTrace } from '../../../src/trace/rawTrace';
import { loadTraceProgram, parseZmmProgram, ProgramError, TraceProgram } from '../../../src/debug/traceProgram';

function opsOf(p: TraceProgram): ProgramOp[] {
  return Array.from({ length: p.ops.length }, (_, i) => p.ops.at(i));
}

describe('traceProgram', () => {
  it('maps each .zmm call to its raw operation, line, label and variable', () => {
    const p = parseZmmProgram('php 8.4\n# setup\nbuf = emalloc(100)  # a buffer\nbuf = erealloc(buf, 5000)\nefree(buf)\ns = estrdup("abc")\ngc()\n', 's.zmm');
    assert.strictEqual(p.php, '8.4');
    assert.deepStrictEqual(
      opsOf(p).map((o) => [o.line, o.label, o.op.op, o.target]),
      [
        [3, 'buf = emalloc(100)', 'a', 'buf'],
        [4, 'buf = erealloc(buf, 5000)', 'r', 'buf'],
        [5, 'efree(buf)', 'f', undefined],
        [6, 's = estrdup("abc")', 'a', 's'],
        [7, 'gc()', 'gc', undefined],
      ],
    );
    const strdup = p.ops.op(3);
    assert.deepStrictEqual(strdup.op === 'a' ? [strdup.id, strdup.size] : [], ['2', 4], 'estrdup("abc") takes 4 bytes under a fresh ID');
  });

  it('keeps the skipped persistent calls as warnings', () => {
    const p = parseZmmProgram('p = pemalloc(10, 1)\na = emalloc(8)\n', 's.zmm');
    assert.strictEqual(p.ops.length, 1);
    assert.match(p.warnings[0], /^s\.zmm:1: pemalloc\(…, 1\) skipped/);
  });

  it('refuses a script with errors, naming file:line:column', () => {
    assert.throws(
      () => parseZmmProgram('a = emalloc(8)\nb = emalloc(\n', 'bad.zmm'),
      (e: unknown) => e instanceof ProgramError && /^bad\.zmm:2:\d+: /.test(e.message),
    );
  });

  it('reads raw traces and refuses bad ones and missing files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-prog-'));
    try {
      const good = path.join(dir, 'g.trace');
      fs.writeFileSync(good, '# c\na 1 24\n\nf 1\nr 12345678901 18446744073709551615\ngc\nl 4194304\nd\n');
      const program = loadTraceProgram(good);
      assert.deepStrictEqual(
        opsOf(program).map((o) => [o.line, o.label]),
        [[2, 'a 1 24'], [4, 'f 1'], [5, 'r 12345678901 18446744073709551615'], [6, 'gc'], [7, 'l 4194304'], [8, 'd']],
      );
      assert.deepStrictEqual(opsOf(program).map((o) => o.op), parseRawTrace(fs.readFileSync(good, 'utf8'), good).ops, 'each operation as parsing its line gives it');
      const bad = path.join(dir, 'b.trace');
      fs.writeFileSync(bad, 'a 1 24\nr x 5\n');
      assert.throws(() => loadTraceProgram(bad), new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:3: ID must be an unsigned decimal number, got 'x'`));
      assert.throws(() => loadTraceProgram(path.join(dir, 'none.zmm')), /none\.zmm:0: cannot read the program/);
      assert.throws(() => loadTraceProgram(dir), /:0: cannot read the program: not a file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
