import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseZmm } from '../../../../src/trace/zmm/parseZmm';
import { printZmm } from '../../../../src/trace/zmm/printZmm';
import { FILE, withoutColumns } from './helpers';

/** Spaces and tabs, possibly none. */
const ws = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 2 });
const name = fc.constantFrom('a', 'b', 'buf', 'chunk_1', '_x', 'php', 'limit');
const size = fc.oneof(
  fc.nat({ max: 5000 }).map(String),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => '0x' + n.toString(16)),
  fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom('K', 'M', 'G', 'k', 'm', 'g')).map(([n, s]) => `${n}${s}`),
);
const str = fc
  .array(fc.oneof(fc.constantFrom('\\n', '\\t', '\\\\', '\\"', '\\x41', '\\0', '#', 'é', '日', '😀', ' '), fc.string({ unit: fc.constantFrom('a', 'z', '0', '(', ')', ','), maxLength: 3 })), { maxLength: 5 })
  .map((parts) => `"${parts.join('')}"`);
const flag = fc.constantFrom('0', '1', 'true', 'false');

/** One well-formed call, as a list of tokens. */
const call = fc.oneof(
  fc.tuple(name, size).map(([n, s]) => [n, '=', 'emalloc', '(', s, ')']),
  fc.tuple(name, size, size).map(([n, a, b]) => [n, '=', 'ecalloc', '(', a, ',', b, ')']),
  fc.tuple(name, size, size, size).map(([n, a, b, c]) => [n, '=', 'safe_emalloc', '(', a, ',', b, ',', c, ')']),
  fc.tuple(name, str).map(([n, s]) => [n, '=', 'estrdup', '(', s, ')']),
  fc.tuple(name, str).map(([n, s]) => [n, '=', 'estrndup', '(', s, ',', '0', ')']),
  fc.tuple(name, size, flag).map(([n, s, f]) => [n, '=', 'pemalloc', '(', s, ',', f, ')']),
  fc.tuple(name, name, size).map(([n, p, s]) => [n, '=', 'erealloc', '(', p, ',', s, ')']),
  fc.tuple(name, name, size, flag).map(([n, p, s, f]) => [n, '=', 'perealloc', '(', p, ',', s, ',', f, ')']),
  name.map((p) => ['efree', '(', p, ')']),
  fc.tuple(name, flag).map(([p, f]) => ['pefree', '(', p, ',', f, ')']),
  size.map((s) => ['emalloc', '(', s, ')']),
  fc.constant(['gc', '(', ')']),
  fc.constant(['dump', '(', ')']),
);
const directive = fc.oneof(
  fc.constantFrom('5.2', '5.6', '7.4', '8.2', '8.4', '8.2.12', '8.3').map((v) => ['php', v]),
  fc.oneof(size, fc.constant('-1')).map((s) => ['limit', s]),
);
const comment = fc.string({ maxLength: 12 }).map((c) => '#' + c.replace(/\n/g, ''));

/** A line joined with random whitespace; the canonical form joins with single spaces. */
function join(tokens: readonly string[], seps: readonly string[]): string {
  return tokens.map((t, i) => (i === 0 ? t : seps[i % seps.length] + t)).join('');
}

/** A line of a script: a statement (maybe with a comment), a comment, a blank, or garbage. */
const line = fc.oneof(
  { arbitrary: fc.tuple(fc.oneof(call, directive), ws, fc.array(ws, { minLength: 1, maxLength: 4 }), ws, fc.option(comment, { nil: '' })).map(([t, lead, seps, trail, c]) => lead + join(t, seps) + trail + c), weight: 6 },
  { arbitrary: fc.tuple(ws, comment).map(([w, c]) => w + c), weight: 1 },
  { arbitrary: ws, weight: 1 },
  { arbitrary: fc.string({ unit: fc.constantFrom('a', '=', '(', ')', ',', '"', '\\', '#', '-', '1', 'x', ' ', 'é', ';', '\r'), maxLength: 20 }), weight: 2 },
);
const program = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n')).map(([ls, eol]) => ls.map((l) => l.replace(/\r$/, '')).join(eol) + (ls.length > 0 ? eol : ''));

describe('trace/zmm/printZmm', () => {
  it('prints canonical spacing and keeps comments, literals and blank lines', () => {
    const src = '# heading\n\n   a   =emalloc(  0x18 )#note  \nb=ecalloc(1,2K)\n\n\ns = estrdup( "a\\x41\\n" )\nphp   8.2\nlimit\t-1   # none\n   emaloc( 1 )   \n\n\n';
    assert.equal(
      printZmm(parseZmm(src, FILE).statements),
      '# heading\n\na = emalloc(0x18)  #note\nb = ecalloc(1, 2K)\n\n\ns = estrdup("a\\x41\\n")\nphp 8.2\nlimit -1  # none\nemaloc( 1 )\n',
    );
  });

  it('prints nothing for an empty script', () => {
    assert.equal(printZmm([]), '');
    assert.equal(printZmm(parseZmm('\n\n  \n', FILE).statements), '');
  });

  it('round trip: parse(print(parse(x))) equals parse(x) up to columns, diagnostics included', () => {
    fc.assert(
      fc.property(program, (x) => {
        const first = parseZmm(x, FILE);
        const printed = printZmm(first.statements);
        const second = parseZmm(printed, FILE);
        assert.deepEqual(withoutColumns(second.statements), withoutColumns(first.statements), JSON.stringify({ x, printed }));
        assert.deepEqual(
          second.diagnostics.map((d) => [d.line, d.message]),
          first.diagnostics.map((d) => [d.line, d.message]),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('round trip is exact, columns included, once the text is canonical', () => {
    fc.assert(
      fc.property(program, (x) => {
        const canonical = printZmm(parseZmm(x, FILE).statements);
        const again = parseZmm(canonical, FILE);
        assert.equal(printZmm(again.statements), canonical);
        assert.deepEqual(parseZmm(printZmm(again.statements), FILE), again);
      }),
      { numRuns: 500 },
    );
  });

  it('a generated well-formed line gives a statement, not an invalid line', () => {
    fc.assert(
      fc.property(call, fc.array(ws, { minLength: 1, maxLength: 4 }), (t, seps) => {
        const [s] = parseZmm(join(t, seps), FILE).statements;
        assert.equal(s.kind, 'call');
      }),
    );
  });
});
