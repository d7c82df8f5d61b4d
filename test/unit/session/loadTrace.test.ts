import * as assert from 'assert';
import { loadTrace } from '../../../src/session/loadTrace';

describe('loadTrace', () => {
  it('reads a raw trace and reports bad lines with file and line', () => {
    const t = loadTrace('a 1 100\nf 1\nx 2\n', 'run.trace');
    assert.deepStrictEqual(t.ops.map((o) => o.op), ['a', 'f']);
    assert.strictEqual(t.errors.length, 1);
    assert.strictEqual(t.errors[0].file, 'run.trace');
    assert.strictEqual(t.errors[0].line, 3);
    assert.match(t.errors[0].message, /unknown operation 'x'/);
  });

  it('lowers a .zmm script, keeping each operation on its script line', () => {
    const t = loadTrace('php 7.4\n\n# two blocks\na = emalloc(24)\nb = emalloc(3000)\nefree(a)\n', 'demo.zmm');
    assert.deepStrictEqual(t.errors, []);
    assert.strictEqual(t.php, '7.4');
    assert.deepStrictEqual(
      t.ops.map((o) => [o.op, o.line]),
      [
        ['a', 4],
        ['a', 5],
        ['f', 6],
      ],
    );
  });

  it('gives the operations back as a raw trace without comments', () => {
    assert.strictEqual(loadTrace('a 1 10   # small\n# note\nr 1 5000\ngc\nl 4194304\nd\nf 1\n', 't').rawText, 'a 1 10\nr 1 5000\ngc\nl 4194304\nd\nf 1\n');
    assert.strictEqual(loadTrace('php 8.2\nx = emalloc(24)\nefree(x)\n', 's.zmm').rawText, 'a 1 24\nf 1\n');
  });

  it('reports a bad .zmm line on the script', () => {
    const t = loadTrace('a = emalloc(24)\nb = emaloc(3)\n', 'bad.zmm');
    assert.strictEqual(t.errors.length, 1);
    assert.strictEqual(t.errors[0].line, 2);
    assert.strictEqual(t.errors[0].file, 'bad.zmm');
  });
});
