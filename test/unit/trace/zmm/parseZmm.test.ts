import * as assert from 'node:assert/strict';
import { parseZmm } from '../../../../src/trace/zmm/parseZmm';
import { diagnosticsOf, FILE, statementsOf } from './helpers';

/** The single statement of a one-line script. */
function one(text: string) {
  const s = statementsOf(text);
  assert.equal(s.length, 1);
  return s[0];
}

describe('trace/zmm/parseZmm', () => {
  describe('statements', () => {
    it('parses php with its version span', () => {
      assert.deepEqual(one('php 8.2'), {
        kind: 'php',
        version: '8.2',
        versionSpan: { line: 1, column: 5, endColumn: 8 },
        span: { line: 1, column: 1, endColumn: 8 },
      });
    });

    it('accepts every supported version and an exact release', () => {
      for (const v of ['5.2', '5.3', '5.4', '5.5', '5.6', '7.4', '8.2', '8.4', '8.2.12']) {
        assert.equal((one(`php ${v}`) as { version: string }).version, v);
      }
    });

    it('parses limit with K/M/G suffixes as multiples of 1024, in either case', () => {
      const bytes = (t: string) => (one(`limit ${t}`) as { bytes: unknown }).bytes;
      assert.equal(bytes('128M'), 134217728);
      assert.equal(bytes('1k'), 1024);
      assert.equal(bytes('2G'), 2147483648);
      assert.equal(bytes('0x100'), 256);
      assert.equal(bytes('0'), 0);
      assert.equal(bytes('16G'), 17179869184);
    });

    it('parses limit -1 as unlimited, SIZE_MAX bytes', () => {
      assert.deepEqual(one('limit -1'), {
        kind: 'limit',
        raw: '-1',
        bytes: 18446744073709551615n,
        unlimited: true,
        valueSpan: { line: 1, column: 7, endColumn: 9 },
        span: { line: 1, column: 1, endColumn: 9 },
      });
    });

    it('parses an assigned call with spans of target, callee and arguments', () => {
      assert.deepEqual(one('a = emalloc(24)'), {
        kind: 'call',
        target: { name: 'a', span: { line: 1, column: 1, endColumn: 2 } },
        callee: { name: 'emalloc', span: { line: 1, column: 5, endColumn: 12 } },
        args: [{ kind: 'number', raw: '24', value: 24, span: { line: 1, column: 13, endColumn: 15 } }],
        span: { line: 1, column: 1, endColumn: 16 },
      });
    });

    it('parses every function form', () => {
      const src = [
        'b = ecalloc(10, 8)',
        'c = safe_emalloc(3, 0x10, 8)',
        's = estrdup("hello")',
        't = estrndup("hello", 3)',
        'p = pemalloc(64, 1)',
        'q = pemalloc(64, false)',
        'b = erealloc(b, 4000)',
        'p = perealloc(p, 100, true)',
        'efree(c)',
        'pefree(p, 1)',
        'gc()',
        'dump()',
        'emalloc(8)',
      ];
      const s = statementsOf(src.join('\n'));
      assert.deepEqual(
        s.map((x) => (x.kind === 'call' ? [x.target?.name, x.callee.name, x.args.map((a) => (a.kind === 'number' ? a.value : a.kind === 'name' ? a.name : a.raw))] : x.kind)),
        [
          ['b', 'ecalloc', [10, 8]],
          ['c', 'safe_emalloc', [3, 16, 8]],
          ['s', 'estrdup', ['hello']],
          ['t', 'estrndup', ['hello', 3]],
          ['p', 'pemalloc', [64, 1]],
          ['q', 'pemalloc', [64, 'false']],
          ['b', 'erealloc', ['b', 4000]],
          ['p', 'perealloc', ['p', 100, 'true']],
          [undefined, 'efree', ['c']],
          [undefined, 'pefree', ['p', 1]],
          [undefined, 'gc', []],
          [undefined, 'dump', []],
          [undefined, 'emalloc', [8]],
        ],
      );
    });

    it('decodes string escapes to bytes, and UTF-8 for other characters', () => {
      const s = one('s = estrdup("a\\n\\t\\\\\\"\\x41\\0\\ré€")');
      assert.ok(s.kind === 'call' && s.args[0].kind === 'string');
      assert.equal(s.args[0].raw, 'a\\n\\t\\\\\\"\\x41\\0\\ré€');
      assert.deepEqual([...s.args[0].bytes], [0x61, 10, 9, 0x5c, 0x22, 0x41, 0, 13, 0xc3, 0xa9, 0xe2, 0x82, 0xac]);
    });

    it('keeps a # inside a string as text', () => {
      const s = one('s = estrdup("a#b")  # real comment');
      assert.ok(s.kind === 'call' && s.args[0].kind === 'string');
      assert.equal(s.args[0].raw, 'a#b');
      assert.equal(s.comment, ' real comment');
    });

    it('gives numbers below 2^53 as numbers and above as exact bigints, up to SIZE_MAX', () => {
      const v = (t: string) => {
        const s = one(`emalloc(${t})`);
        return s.kind === 'call' && s.args[0].kind === 'number' ? s.args[0].value : undefined;
      };
      assert.equal(v('9007199254740991'), 9007199254740991);
      assert.equal(v('9007199254740992'), 9007199254740992n);
      assert.equal(v('0xffffffffffffffff'), 18446744073709551615n);
      assert.equal(v('18446744073709551615'), 18446744073709551615n);
      assert.equal(v('2M'), 2097152);
    });

    it('keeps comments, trailing comments, and skips blank lines', () => {
      const s = statementsOf('# head\n\n  a = emalloc(1)   #  tail  \n\t\n');
      assert.deepEqual(s[0], { kind: 'comment', text: ' head', span: { line: 1, column: 1, endColumn: 7 } });
      assert.equal(s.length, 2);
      assert.equal(s[1].kind === 'call' && s[1].comment, '  tail');
      assert.deepEqual(s[1].span, { line: 3, column: 3, endColumn: 17 });
    });

    it('accepts CRLF line ends, tabs and no spaces at all', () => {
      const s = statementsOf('a\t=emalloc( 1 ,)\r\n'.replace(',', '') + 'efree(a)\r\n');
      assert.equal(s.length, 2);
      assert.deepEqual(statementsOf('b=ecalloc(1,2)')[0].span, { line: 1, column: 1, endColumn: 15 });
    });

    it('allows reassigning a name, calling a variable like a keyword, and freeing twice', () => {
      assert.deepEqual(diagnosticsOf('a = emalloc(1)\na = emalloc(2)\nefree(a)\nefree(a)\nphp = emalloc(3)\nlimit = ecalloc(1, 1)\nefree(php)'), []);
    });

    it('allows limit before php and anywhere after calls', () => {
      assert.deepEqual(diagnosticsOf('limit 1M\nphp 7.4\na = emalloc(1)\nlimit -1'), []);
    });

    it('gives nothing for an empty text', () => {
      assert.deepEqual(parseZmm('', FILE), { statements: [], diagnostics: [] });
    });
  });

  describe('diagnostics', () => {
    const cases: [string, string[]][] = [
      ['emaloc(24)', ["t.zmm:1:1: unknown function 'emaloc'; did you mean 'emalloc'?"]],
      ['x = Emalloc(24)', ["t.zmm:1:5: unknown function 'Emalloc'; did you mean 'emalloc'?"]],
      ['x = malloc(24)', ["t.zmm:1:5: unknown function 'malloc'; did you mean 'emalloc'?"]],
      [
        'x = foo(24)',
        ["t.zmm:1:5: unknown function 'foo' (expected one of: emalloc, ecalloc, safe_emalloc, estrdup, estrndup, pemalloc, erealloc, perealloc, efree, pefree, gc, dump)"],
      ],
      ['gcc', ["t.zmm:1:1: unknown statement 'gcc'; did you mean 'gc'?"]],
      ['lmit 1M', ["t.zmm:1:1: unknown statement 'lmit'; did you mean 'limit'?"]],
      ['gc', ["t.zmm:1:3: expected '(' after 'gc'"]],
      ['a = emalloc 24', ["t.zmm:1:13: expected '(' after 'emalloc', got '24'"]],
      ['a = emalloc(24, 1)', ['t.zmm:1:17: emalloc() takes 1 argument (size), got 2']],
      ['a = ecalloc(24)', ['t.zmm:1:15: ecalloc() takes 2 arguments (nmemb, size), got 1']],
      ['gc(1)', ['t.zmm:1:4: gc() takes 0 arguments, got 1']],
      ['a = emalloc(24x)', ["t.zmm:1:13: invalid number '24x' (expected decimal like 24 or hex like 0x18, optionally followed by K, M or G)"]],
      ['a = emalloc(1.5)', ["t.zmm:1:13: invalid number '1.5' (expected decimal like 24 or hex like 0x18, optionally followed by K, M or G)"]],
      ['a = emalloc(010)', ["t.zmm:1:13: number '010' has a leading zero (octal is not supported; write it in decimal, or in hex as 0x…)"]],
      ['a = emalloc(0x)', ["t.zmm:1:13: number '0x' has no hex digits after 0x"]],
      ['a = emalloc(18446744073709551616)', ["t.zmm:1:13: number '18446744073709551616' is 18446744073709551616, more than a size_t holds (at most 18446744073709551615)"]],
      ['a = emalloc(17179869184G)', ["t.zmm:1:13: number '17179869184G' is 18446744073709551616, more than a size_t holds (at most 18446744073709551615)"]],
      ['a = emalloc(-1)', ['t.zmm:1:13: sizes are unsigned: -1 is not allowed (write SIZE_MAX as 0xffffffffffffffff)']],
      ['a = emalloc(,)', ["t.zmm:1:13: expected an argument, got ','"]],
      ['a = emalloc(24', ["t.zmm:1:15: missing ')' to close 'emalloc('"]],
      ['a = emalloc(24 25)', ["t.zmm:1:16: expected ',' or ')' after an argument of emalloc(), got '25'"]],
      ['a = emalloc(24) b', ["t.zmm:1:17: unexpected 'b' after the end of the statement"]],
      ['a = emalloc(24))', ["t.zmm:1:16: unexpected ')' after the end of the statement"]],
      ['a = emalloc(24);', ["t.zmm:1:16: unexpected character ';'"]],
      ['a = estrdup("abc', ['t.zmm:1:13: unterminated string (missing closing ")']],
      ['a = estrdup("ab\\q")', ["t.zmm:1:16: unknown escape '\\q' (use \\n, \\t, \\r, \\0, \\\\, \\\" or \\xNN)"]],
      ['a = estrdup("ab\\x4")', ["t.zmm:1:16: '\\x' must be followed by exactly two hex digits"]],
      ['a = estrdup("ab\\', ['t.zmm:1:13: unterminated string (missing closing ")']],
      ['a = estrdup(24)', ['t.zmm:1:13: s of estrdup() must be a string literal, got 24']],
      ['a = emalloc("x")', ['t.zmm:1:13: size of emalloc() must be a number, got a string']],
      ['a = emalloc(b)', ["t.zmm:1:13: size of emalloc() must be a number, got 'b'"]],
      ['efree(24)', ['t.zmm:1:7: ptr of efree() must be a variable name, got 24']],
      ['efree(true)', ["t.zmm:1:7: ptr of efree() must be a variable name, got 'true'"]],
      ['p = pemalloc(1, 2)', ['t.zmm:1:17: persistent of pemalloc() must be 0, 1, true or false, got 2']],
      ['p = pemalloc(1, yes)', ["t.zmm:1:17: persistent of pemalloc() must be 0, 1, true or false, got 'yes'"]],
      ['true = emalloc(1)', ["t.zmm:1:1: 'true' is reserved and cannot name a variable"]],
      ['a = efree(b)', ["t.zmm:1:1: efree() returns nothing to assign to 'a'"]],
      ['a = gc()', ["t.zmm:1:1: gc() returns nothing to assign to 'a'"]],
      ['a = emalloc(1)\nerealloc(a, 2)', ['t.zmm:2:1: the result of erealloc() must be assigned: write a = erealloc(a, …)']],
      ['a =', ["t.zmm:1:4: expected a call such as emalloc(24) after '='"]],
      ['a = 24', ["t.zmm:1:5: expected a call such as emalloc(24) after '=', got '24'"]],
      ['24', ["t.zmm:1:1: expected a statement (a call such as emalloc(24), 'php' or 'limit'), got '24'"]],
      ['foo bar', ["t.zmm:1:1: unknown statement 'foo' (expected one of: emalloc, ecalloc, safe_emalloc, estrdup, estrndup, pemalloc, erealloc, perealloc, efree, pefree, gc, dump, php, limit)"]],
      ['x = foo bar', ["t.zmm:1:9: expected '(' after 'foo', got 'bar'"]],
      ['a = emalloc(1) @', ["t.zmm:1:16: unexpected character '@'"]],
      ['a = emalloc(1)\u00a0', ["t.zmm:1:15: unexpected character '\\u{A0}'"]],
      ['php', ['t.zmm:1:4: missing PHP version after \'php\' (supported: 5.2, 5.3, 5.4, 5.5, 5.6, 7.0, 7.1, 7.2, 7.4, 8.1, 8.2, 8.4)']],
      ['php 8.3', ["t.zmm:1:5: unknown PHP version '8.3' (supported: 5.2, 5.3, 5.4, 5.5, 5.6, 7.0, 7.1, 7.2, 7.4, 8.1, 8.2, 8.4)"]],
      ['php eight', ["t.zmm:1:5: unknown PHP version 'eight' (supported: 5.2, 5.3, 5.4, 5.5, 5.6, 7.0, 7.1, 7.2, 7.4, 8.1, 8.2, 8.4)"]],
      ['php 8.2 8.4', ["t.zmm:1:9: unexpected '8.4' after the end of the statement"]],
      ['limit', ["t.zmm:1:6: missing value after 'limit' (bytes, e.g. 128M, or -1 for no limit)"]],
      ['limit -2', ['t.zmm:1:7: the only negative limit is -1 (no limit)']],
      ['limit - 1', ['t.zmm:1:7: the only negative limit is -1 (no limit)']],
      ['limit 128MB', ["t.zmm:1:7: invalid number '128MB' (expected decimal like 24 or hex like 0x18, optionally followed by K, M or G)"]],
      ['limit x', ["t.zmm:1:7: expected a number of bytes after 'limit' (e.g. 128M, or -1 for no limit), got 'x'"]],
      ['a = emalloc(1)\nphp 8.2', ["t.zmm:2:1: 'php' must come before the first allocator call (line 1)"]],
      ['php 8.2\nphp 7.4', ["t.zmm:2:1: 'php' appears twice (first on line 1)"]],
      ['efree(x)', ["t.zmm:1:7: unknown name 'x' (nothing is assigned to it before this line)"]],
      ['buf = emalloc(1)\nefree(bfu)', ["t.zmm:2:7: unknown name 'bfu'; did you mean 'buf'?"]],
      ['a = emalloc(1)\nb = erealloc( zz , 8)', ["t.zmm:2:15: unknown name 'zz' (nothing is assigned to it before this line)"]],
      ['p = pemalloc(8, 1)\nefree(p)', ["t.zmm:2:7: 'p' is persistent (system allocator) memory (assigned on line 1); use pefree(p, 1)"]],
      ['p = pemalloc(8, 1)\np = erealloc(p, 9)', ["t.zmm:2:14: 'p' is persistent (system allocator) memory (assigned on line 1); use perealloc(p, …, 1)"]],
      ['a = emalloc(8)\npefree(a, 1)', ["t.zmm:2:8: 'a' is request memory of the Zend heap (assigned on line 1); use efree(a)"]],
      ['a = emalloc(8)\na = perealloc(a, 9, 1)', ["t.zmm:2:15: 'a' is request memory of the Zend heap (assigned on line 1); use erealloc(a, …)"]],
      ['s = estrndup("héllo", 7)', ["t.zmm:1:23: estrndup() length 7 is more than the string's 6 bytes"]],
    ];
    for (const [text, expected] of cases) {
      it(`${JSON.stringify(text)} → ${expected.join('; ')}`, () => {
        assert.deepEqual(diagnosticsOf(text), expected);
      });
    }

    it('accepts what the persistence checks allow: pefree(x, 0) of request memory, pemalloc(x, 0)', () => {
      assert.deepEqual(diagnosticsOf('a = emalloc(8)\npefree(a, 0)\nb = pemalloc(8, 0)\nefree(b)\nc = estrndup("héllo", 6)'), []);
    });

    it('reports every bad line, in line order, and keeps the good ones', () => {
      const r = parseZmm('a = emalloc(1)\nemaloc(2)\nb = ecalloc(1)\n\nefree(a)\nefree(zz)\nx = estrdup("\n', FILE);
      assert.deepEqual(
        r.diagnostics.map((d) => [d.line, d.column]),
        [
          [2, 1],
          [3, 14],
          [6, 7],
          [7, 13],
        ],
      );
      assert.deepEqual(
        r.statements.map((s) => [s.kind, s.span.line]),
        [
          ['call', 1],
          ['invalid', 2],
          ['invalid', 3],
          ['call', 5],
          ['call', 6],
          ['invalid', 7],
        ],
      );
    });

    it('keeps an invalid line as its text without surrounding whitespace', () => {
      const r = parseZmm('  emaloc(2)  # x \r', FILE);
      assert.deepEqual(r.statements, [{ kind: 'invalid', text: 'emaloc(2)  # x', span: { line: 1, column: 3, endColumn: 17 } }]);
    });
  });
});
