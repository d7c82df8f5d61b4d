import * as assert from 'node:assert/strict';
import { callArgsAt } from '../../../src/language/cMacroArgs';

describe('language/cMacroArgs', () => {
  it('reads literal, constant and other arguments of a call on one line', () => {
    const line = 'p = safe_emalloc(0x10, sizeof(zval), ZEND_MM_PAGE_SIZE);';
    const args = callArgsAt(line, line.indexOf('(') )!;
    assert.deepEqual(args.map((a) => a.kind), ['number', 'other', 'number']);
    assert.deepEqual(args.map((a) => (a.kind === 'number' ? a.value : a.text)), [16, 'sizeof(zval)', 4096]);
  });

  it('counts string literal bytes as strlen does', () => {
    const args = callArgsAt('estrdup("h\\xc3\\xa9llo, \\"x\\"")', 7)!;
    assert.equal(args.length, 1);
    assert.equal(args[0].kind === 'string' && args[0].bytes, 11);
    assert.equal((callArgsAt('estrdup("ab\\0cd")', 7)![0] as { bytes: number }).bytes, 2);
    assert.equal((callArgsAt('estrdup("é")', 7)![0] as { bytes: number }).bytes, 2);
  });

  it('returns nothing without a call, an empty list for (), and nothing for a call left open', () => {
    assert.equal(callArgsAt('ZEND_MM_CHUNK_SIZE;', 18), undefined);
    assert.deepEqual(callArgsAt('gc()', 2), []);
    assert.equal(callArgsAt('emalloc(100,', 7), undefined);
    assert.deepEqual(callArgsAt('emalloc (100UL)', 7)!.map((a) => a.kind === 'number' && a.value), [100]);
  });
});
