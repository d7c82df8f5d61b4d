import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { lowerZmm } from '../../../../src/trace/zmm/lowerZmm';
import { parseZmm } from '../../../../src/trace/zmm/parseZmm';
import { ZmmCall } from '../../../../src/trace/zmm/zmmCall';
import { FILE, statementsOf } from './helpers';

/** The calls of a script that must parse cleanly. */
function lower(text: string): ZmmCall[] {
  return lowerZmm(statementsOf(text));
}

/** The size of the single allocation of a one-line script. */
function sizeOf(text: string): unknown {
  const [c] = lower(text);
  assert.ok(c.kind === 'emalloc', `expected an emalloc for ${text}, got ${c.kind}`);
  return c.size;
}

describe('trace/zmm/lowerZmm', () => {
  it('lowers every statement form with its line', () => {
    const src = [
      'php 8.2',
      'limit 128M',
      'a = emalloc(24)',
      '# comment',
      'b = ecalloc(10, 8)',
      'p = pemalloc(64, 1)',
      'q = pemalloc(64, 0)',
      'b = erealloc(b, 4000)',
      'c = perealloc(b, 10, 0)',
      'p = perealloc(p, 100, 1)',
      'efree(a)',
      'pefree(q, 0)',
      'pefree(p, 1)',
      'gc()',
      'dump()',
      'emalloc(3)',
      'limit -1',
    ].join('\n');
    assert.deepEqual(lower(src), [
      { kind: 'php', version: '8.2', line: 1 },
      { kind: 'limit', bytes: 134217728, unlimited: false, line: 2 },
      { kind: 'emalloc', target: 'a', size: 24, fn: 'emalloc', line: 3 },
      { kind: 'emalloc', target: 'b', size: 80, fn: 'ecalloc', line: 5 },
      { kind: 'pemalloc', target: 'p', size: 64, persistent: true, line: 6 },
      { kind: 'emalloc', target: 'q', size: 64, fn: 'pemalloc', line: 7 },
      { kind: 'erealloc', target: 'b', name: 'b', size: 4000, fn: 'erealloc', line: 8 },
      { kind: 'erealloc', target: 'c', name: 'b', size: 10, fn: 'perealloc', line: 9 },
      { kind: 'perealloc', target: 'p', name: 'p', size: 100, persistent: true, line: 10 },
      { kind: 'efree', name: 'a', fn: 'efree', line: 11 },
      { kind: 'efree', name: 'q', fn: 'pefree', line: 12 },
      { kind: 'pefree', name: 'p', persistent: true, line: 13 },
      { kind: 'gc', line: 14 },
      { kind: 'dump', line: 15 },
      { kind: 'emalloc', target: null, size: 3, fn: 'emalloc', line: 16 },
      { kind: 'limit', bytes: 18446744073709551615n, unlimited: true, line: 17 },
    ]);
  });

  it('treats true and false like 1 and 0', () => {
    assert.equal(lower('p = pemalloc(1, true)')[0].kind, 'pemalloc');
    assert.equal(lower('p = pemalloc(1, false)')[0].kind, 'emalloc');
  });

  it('skips invalid lines and still lowers calls the checker flagged', () => {
    const r = parseZmm('emaloc(1)\nefree(zz)\n', FILE);
    assert.equal(r.diagnostics.length, 2);
    assert.deepEqual(lowerZmm(r.statements), [{ kind: 'efree', name: 'zz', fn: 'efree', line: 2 }]);
  });

  describe('sizes', () => {
    it('ecalloc is nmemb * size; safe_emalloc adds the offset', () => {
      assert.equal(sizeOf('x = ecalloc(10, 8)'), 80);
      assert.equal(sizeOf('x = ecalloc(0, 0xffffffffffffffff)'), 0);
      assert.equal(sizeOf('x = safe_emalloc(3, 16, 8)'), 56);
      assert.equal(sizeOf('x = ecalloc(0x100000000, 0xffffffff)'), 18446744069414584320n);
      assert.equal(sizeOf('x = safe_emalloc(1, 0xfffffffffffffffe, 1)'), 18446744073709551615n);
    });

    it('reports ecalloc overflow with PHP’s exact message', () => {
      assert.deepEqual(lower('x = ecalloc(0x100000000, 0x100000000)'), [
        { kind: 'fatal', fn: 'ecalloc', target: 'x', message: 'Possible integer overflow in memory allocation (4294967296 * 4294967296 + 0)', line: 1 },
      ]);
      assert.deepEqual(lower('safe_emalloc(1, 0xffffffffffffffff, 1)'), [
        { kind: 'fatal', fn: 'safe_emalloc', target: null, message: 'Possible integer overflow in memory allocation (1 * 18446744073709551615 + 1)', line: 1 },
      ]);
    });

    it('detects overflow exactly at SIZE_MAX for any operands', () => {
      const n = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
      fc.assert(
        fc.property(n, n, n, (a, b, c) => {
          const [call] = lower(`x = safe_emalloc(${a}, ${b}, ${c})`);
          const exact = a * b + c;
          if (exact > 2n ** 64n - 1n) {
            assert.deepEqual(call, { kind: 'fatal', fn: 'safe_emalloc', target: 'x', message: `Possible integer overflow in memory allocation (${a} * ${b} + ${c})`, line: 1 });
          } else {
            assert.ok(call.kind === 'emalloc');
            assert.equal(BigInt(call.size), exact);
            assert.equal(typeof call.size, exact < 2n ** 53n ? 'number' : 'bigint');
          }
        }),
      );
    });

    it('estrdup is the UTF-8 byte length plus one', () => {
      assert.equal(sizeOf('s = estrdup("hello")'), 6);
      assert.equal(sizeOf('s = estrdup("")'), 1);
      assert.equal(sizeOf('s = estrdup("héllo")'), 7);
      assert.equal(sizeOf('s = estrdup("日本語")'), 10);
      assert.equal(sizeOf('s = estrdup("😀")'), 5);
      assert.equal(sizeOf('s = estrdup("\\xff\\n")'), 3);
    });

    it('estrdup stops at the first NUL, as strlen does; estrndup does not', () => {
      assert.equal(sizeOf('s = estrdup("ab\\0cd")'), 3);
      assert.equal(sizeOf('s = estrndup("ab\\0cd", 5)'), 6);
    });

    it('estrndup is length plus one', () => {
      assert.equal(sizeOf('s = estrndup("hello", 3)'), 4);
      assert.equal(sizeOf('s = estrndup("hello", 0)'), 1);
    });

    it('keeps K/M/G and hex sizes as bytes', () => {
      assert.equal(sizeOf('x = emalloc(2M)'), 2097152);
      assert.equal(sizeOf('x = emalloc(0x1000)'), 4096);
      assert.equal(sizeOf('x = pemalloc(3k, 0)'), 3072);
    });
  });
});
