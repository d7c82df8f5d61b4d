import * as assert from 'node:assert/strict';
import { parseRawTrace } from '../../../../src/trace/rawTrace';
import { lowerZmm } from '../../../../src/trace/zmm/lowerZmm';
import { zmmToRaw } from '../../../../src/trace/zmm/zmmToRaw';
import { FILE, statementsOf } from './helpers';

/** The raw trace of a script that must parse cleanly. */
function raw(text: string) {
  return zmmToRaw(lowerZmm(statementsOf(text)), FILE);
}

describe('trace/zmm/zmmToRaw', () => {
  it('maps names to numeric IDs and calls to raw lines', () => {
    const r = raw('php 8.2\nlimit 128M\na = emalloc(24)\nb = ecalloc(10, 8)\ns = estrdup("hi")\nb = erealloc(b, 4000)\nefree(a)\ngc()\ndump()\nlimit -1');
    assert.deepEqual(r.lines, ['# php 8.2', 'l 134217728', 'a 1 24', 'a 2 80', 'a 3 3', 'r 2 4000', 'f 1', 'gc', 'd', 'l 18446744073709551615']);
    assert.deepEqual(r.sourceLines, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(r.diagnostics, []);
  });

  it('gives a reassigned name a new ID, and keeps the old block under its ID', () => {
    assert.deepEqual(raw('a = emalloc(1)\na = emalloc(2)\nefree(a)\nemalloc(3)\nb = emalloc(4)').lines, ['a 1 1', 'a 2 2', 'f 2', 'a 3 3', 'a 4 4']);
  });

  it('keeps the ID through a realloc into another name, and allows double frees', () => {
    assert.deepEqual(raw('a = emalloc(8)\nb = erealloc(a, 64)\nefree(b)\nefree(a)').lines, ['a 1 8', 'r 1 64', 'f 1', 'f 1']);
  });

  it('lowers persistent 0 calls like their e-counterparts', () => {
    assert.deepEqual(raw('a = pemalloc(8, 0)\na = perealloc(a, 9, false)\npefree(a, 0)').lines, ['a 1 8', 'r 1 9', 'f 1']);
  });

  it('skips persistent calls with a diagnostic on their line', () => {
    const r = raw('p = pemalloc(64, 1)\np = perealloc(p, 128, 1)\npefree(p, 1)\na = emalloc(1)');
    assert.deepEqual(r.lines, ['a 1 1']);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.line, d.message]),
      [
        [1, 'pemalloc(…, 1) skipped: persistent memory comes from the system allocator, which the raw trace format cannot express'],
        [2, 'perealloc(…, 1) skipped: persistent memory comes from the system allocator, which the raw trace format cannot express'],
        [3, 'pefree(…, 1) skipped: persistent memory comes from the system allocator, which the raw trace format cannot express'],
      ],
    );
  });

  it('forgets a name reassigned to persistent memory', () => {
    const calls = lowerZmm(statementsOf('a = emalloc(1)\na = pemalloc(2, 1)'));
    const r = zmmToRaw([...calls, { kind: 'efree', name: 'a', fn: 'efree', line: 3 }], FILE);
    assert.deepEqual(r.lines, ['a 1 1']);
    assert.deepEqual(r.diagnostics[1], { file: FILE, line: 3, message: "efree of 'a' skipped: 'a' names no Zend-heap block the raw trace knows" });
  });

  it('ends the trace at a fatal error', () => {
    const r = raw('a = emalloc(1)\nb = ecalloc(0x100000000, 0x100000000)\nefree(a)');
    assert.deepEqual(r.lines, ['a 1 1', '# fatal: Possible integer overflow in memory allocation (4294967296 * 4294967296 + 0)']);
    assert.deepEqual(r.diagnostics, [
      {
        file: FILE,
        line: 2,
        message: 'ecalloc() raises a fatal error (Possible integer overflow in memory allocation (4294967296 * 4294967296 + 0)); the raw trace cannot express it and ends here',
      },
    ]);
  });

  it('writes lines the raw trace parser reads back as the same operations, bigints included', () => {
    const r = raw('a = emalloc(0xffffffffffffffff)\nb = emalloc(9007199254740992)\nb = erealloc(b, 1)\nefree(a)\ngc()\nlimit 1G');
    const back = parseRawTrace(r.lines.join('\n'), 'x.trace');
    assert.deepEqual(back.diagnostics, []);
    assert.deepEqual(back.ops, [
      { op: 'a', id: '1', key: 1, size: 18446744073709551615n, line: 1 },
      { op: 'a', id: '2', key: 2, size: 9007199254740992n, line: 2 },
      { op: 'r', id: '2', key: 2, size: 1, line: 3 },
      { op: 'f', id: '1', key: 1, line: 4 },
      { op: 'gc', line: 5 },
      { op: 'l', limit: 1073741824, line: 6 },
    ]);
  });
});
