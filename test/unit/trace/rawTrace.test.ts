import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inspect } from 'util';
import fc from 'fast-check';
import { Diagnostic } from '../../../src/trace/diagnostics';
import {
  MAX_TRACE_NUMBER,
  RawOp,
  isDiagnostic,
  parseRawLine,
  parseRawTrace,
  readRawTrace,
} from '../../../src/trace/rawTrace';

const FILE = 't.trace';

/** The numeric key a parsed ID carries: its value up to 9 digits, else -1 (kept by text). */
function expectedKey(id: string): number {
  return id.length <= 9 ? Number(id) : -1;
}

/** Parses one line as line 7 of FILE. */
function parse(text: string): ReturnType<typeof parseRawLine> {
  return parseRawLine(text, 7, FILE);
}

/** Parses one line that must give a diagnostic, and returns it. */
function diag(text: string): Diagnostic {
  const r = parse(text);
  assert.ok(r !== null && isDiagnostic(r), `expected a diagnostic for ${JSON.stringify(text)}, got ${inspect(r)}`);
  return r;
}

describe('trace/rawTrace', () => {
  describe('parseRawLine: operations', () => {
    it('parses a ID SIZE as an allocation', () => {
      assert.deepEqual(parse('a 1 10'), { op: 'a', id: '1', key: 1, size: 10, line: 7 });
    });

    it('parses f ID as a free', () => {
      assert.deepEqual(parse('f 42'), { op: 'f', id: '42', key: 42, line: 7 });
    });

    it('parses r ID SIZE as a realloc', () => {
      assert.deepEqual(parse('r 3 4096'), { op: 'r', id: '3', key: 3, size: 4096, line: 7 });
    });

    it('parses gc and its short form g as the same gc operation', () => {
      assert.deepEqual(parse('gc'), { op: 'gc', line: 7 });
      assert.deepEqual(parse('g'), { op: 'gc', line: 7 });
    });

    it('parses l BYTES as a memory limit', () => {
      assert.deepEqual(parse('l 134217728'), { op: 'l', limit: 134217728, line: 7 });
    });

    it('parses d as a state dump', () => {
      assert.deepEqual(parse('d'), { op: 'd', line: 7 });
    });

    it('accepts a size of 0 and keeps the ID as text', () => {
      assert.deepEqual(parse('a 0 0'), { op: 'a', id: '0', key: 0, size: 0, line: 7 });
      assert.deepEqual(parse('f 18446744073709551616'), { op: 'f', id: '18446744073709551616', key: -1, line: 7 });
    });

    it('gives sizes and limits below 2^53 as numbers', () => {
      assert.deepEqual(parse('a 1 9007199254740991'), { op: 'a', id: '1', key: 1, size: 9007199254740991, line: 7 });
      assert.deepEqual(parse('l 9007199254740991'), { op: 'l', limit: 9007199254740991, line: 7 });
    });

    it('gives sizes and limits from 2^53 up to SIZE_MAX as exact bigints', () => {
      assert.deepEqual(parse('a 1 9007199254740992'), { op: 'a', id: '1', key: 1, size: 9007199254740992n, line: 7 });
      assert.deepEqual(parse('r 1 18446744073709551615'), { op: 'r', id: '1', key: 1, size: 18446744073709551615n, line: 7 });
      assert.deepEqual(parse('l 9223372036854775807'), { op: 'l', limit: 9223372036854775807n, line: 7 });
    });

    it('keeps the line number it is given', () => {
      assert.deepEqual(parseRawLine('d', 1234, FILE), { op: 'd', line: 1234 });
    });
  });

  describe('parseRawLine: blank lines, comments and whitespace', () => {
    it('gives nothing for an empty or all-whitespace line', () => {
      for (const t of ['', ' ', '\t\t', '  \t  ', '\r', '\u00a0']) {
        assert.equal(parse(t), null, JSON.stringify(t));
      }
    });

    it('gives nothing for a whole-line comment, indented or not', () => {
      for (const t of ['#', '# a 1 10', '   # note', '\t#x', '#a 1 10 extra fields']) {
        assert.equal(parse(t), null, JSON.stringify(t));
      }
    });

    it('ignores a trailing comment, with or without a space before the #', () => {
      assert.deepEqual(parse('a 1 10 # small: bin 1'), { op: 'a', id: '1', key: 1, size: 10, line: 7 });
      assert.deepEqual(parse('a 1 10# glued'), { op: 'a', id: '1', key: 1, size: 10, line: 7 });
      assert.deepEqual(parse('d # dump here'), { op: 'd', line: 7 });
      assert.deepEqual(parse('gc#'), { op: 'gc', line: 7 });
    });

    it('does not read fields out of a trailing comment', () => {
      assert.deepEqual(parse('f 1 # 2 3 4'), { op: 'f', id: '1', key: 1, line: 7 });
    });

    it('accepts tabs, repeated spaces and leading or trailing whitespace between fields', () => {
      for (const t of ['a 1 10', '  a 1 10', 'a 1 10  ', 'a\t1\t10', 'a \t 1  \t10', '\t a   1   10 \t']) {
        assert.deepEqual(parse(t), { op: 'a', id: '1', key: 1, size: 10, line: 7 }, JSON.stringify(t));
      }
    });

    it('parses a line ending in \\r (CRLF files) like the same line without it', () => {
      assert.deepEqual(parse('a 1 10\r'), { op: 'a', id: '1', key: 1, size: 10, line: 7 });
      assert.deepEqual(parse('f 1\r'), { op: 'f', id: '1', key: 1, line: 7 });
      assert.deepEqual(parse('gc\r'), { op: 'gc', line: 7 });
      assert.deepEqual(parse('l 100\r'), { op: 'l', limit: 100, line: 7 });
      assert.deepEqual(parse('d\r'), { op: 'd', line: 7 });
      assert.equal(parse('# comment\r'), null);
    });

    it('does not put the \\r of a CRLF line into a diagnostic', () => {
      assert.deepEqual(diag('a 1 x\r'), {
        file: FILE,
        line: 7,
        column: 5,
        message: "SIZE must be an unsigned decimal number of bytes, got 'x'",
      });
      assert.equal(diag('a 1 10 9\r').message, "unexpected '9' after 'a 1 10'");
    });
  });

  describe('parseRawLine: diagnostics', () => {
    it('reports a missing ID just past the end of the line', () => {
      assert.deepEqual(diag('a'), { file: FILE, line: 7, column: 2, message: 'missing ID' });
      assert.deepEqual(diag('f'), { file: FILE, line: 7, column: 2, message: 'missing ID' });
      assert.deepEqual(diag('r'), { file: FILE, line: 7, column: 2, message: 'missing ID' });
      assert.deepEqual(diag('  f'), { file: FILE, line: 7, column: 4, message: 'missing ID' });
    });

    it('reports the column of an invalid ID', () => {
      assert.deepEqual(diag('a x1 10'), {
        file: FILE,
        line: 7,
        column: 3,
        message: "ID must be an unsigned decimal number, got 'x1'",
      });
      assert.deepEqual(diag('f   -3'), {
        file: FILE,
        line: 7,
        column: 5,
        message: "ID must be an unsigned decimal number, got '-3'",
      });
    });

    it('rejects an ID with a leading zero (IDs are canonical decimals)', () => {
      assert.deepEqual(diag('f 01'), {
        file: FILE,
        line: 7,
        column: 3,
        message: "ID must be an unsigned decimal number, got '01'",
      });
    });

    it('reports a missing SIZE just past the end of the line', () => {
      assert.deepEqual(diag('a 1'), { file: FILE, line: 7, column: 4, message: 'missing SIZE' });
      assert.deepEqual(diag('r 12'), { file: FILE, line: 7, column: 5, message: 'missing SIZE' });
    });

    it('reports a missing BYTES of l just past the end of the line', () => {
      assert.deepEqual(diag('l'), { file: FILE, line: 7, column: 2, message: 'missing BYTES' });
    });

    it('reports a missing field at the end of the fields, not inside a comment glued to the last one', () => {
      // The fields end at column 3; '#x 10' is a comment, so nothing in it is a field.
      assert.deepEqual(diag('a 1#x 10'), { file: FILE, line: 7, column: 4, message: 'missing SIZE' });
      assert.deepEqual(diag('f#1'), { file: FILE, line: 7, column: 2, message: 'missing ID' });
    });

    it('reports the column of an invalid SIZE', () => {
      const cases: Array<[string, number, string]> = [
        ['a 1 -8', 5, '-8'],
        ['a 1 1.5', 5, '1.5'],
        ['a 1 0x10', 5, '0x10'],
        ['a 1 1e3', 5, '1e3'],
        ['a 1 010', 5, '010'],
        ['r  22  ten', 8, 'ten'],
      ];
      for (const [text, column, token] of cases) {
        assert.deepEqual(
          diag(text),
          { file: FILE, line: 7, column, message: `SIZE must be an unsigned decimal number of bytes, got '${token}'` },
          text,
        );
      }
    });

    it('reports the column of an invalid BYTES', () => {
      assert.deepEqual(diag('l 128M'), {
        file: FILE,
        line: 7,
        column: 3,
        message: "BYTES must be an unsigned decimal number of bytes, got '128M'",
      });
    });

    it('reports a SIZE above SIZE_MAX as not fitting a size_t', () => {
      assert.deepEqual(diag('a 1 18446744073709551616'), {
        file: FILE,
        line: 7,
        column: 5,
        message: 'SIZE 18446744073709551616 does not fit in a size_t (at most 18446744073709551615)',
      });
      assert.equal(diag('r 1  99999999999999999999999').column, 6);
    });

    it('reports a BYTES above SIZE_MAX as not fitting a size_t', () => {
      assert.deepEqual(diag('l 100000000000000000000'), {
        file: FILE,
        line: 7,
        column: 3,
        message: 'BYTES 100000000000000000000 does not fit in a size_t (at most 18446744073709551615)',
      });
    });

    it('reports the first extra field of every operation', () => {
      const cases: Array<[string, number, string]> = [
        ['a 1 10 20', 8, "unexpected '20' after 'a 1 10'"],
        ['r 1 10 x y', 8, "unexpected 'x' after 'r 1 10'"],
        ['f 1 2', 5, "unexpected '2' after 'f 1'"],
        ['gc now', 4, "unexpected 'now' after 'gc'"],
        ['g 1', 3, "unexpected '1' after 'g'"],
        ['l 100 200', 7, "unexpected '200' after 'l 100'"],
        ['d  all', 4, "unexpected 'all' after 'd'"],
      ];
      for (const [text, column, message] of cases) {
        assert.deepEqual(diag(text), { file: FILE, line: 7, column, message }, text);
      }
    });

    it('reports an unknown operation at its column', () => {
      const expected = (op: string, column: number): Diagnostic => ({
        file: FILE,
        line: 7,
        column,
        message: `unknown operation '${op}' (expected a, f, r, gc, g, l, d or #)`,
      });
      assert.deepEqual(diag('x 1 2'), expected('x', 1));
      assert.deepEqual(diag('   free 1'), expected('free', 4));
      assert.deepEqual(diag('A 1 10'), expected('A', 1));
      assert.deepEqual(diag('a1 10'), expected('a1', 1));
      assert.deepEqual(diag('GC'), expected('GC', 1));
    });

    it('checks the ID before the SIZE, and both before extra fields', () => {
      assert.equal(diag('a x y z').message, "ID must be an unsigned decimal number, got 'x'");
      assert.equal(diag('a 1 y z').message, "SIZE must be an unsigned decimal number of bytes, got 'y'");
    });
  });

  describe('parseRawLine: properties', () => {
    it('never throws, and gives null, an operation or a diagnostic on this line and file', () => {
      const anyText = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: fc.constantFrom('a', 'f', 'r', 'g', 'c', 'l', 'd', '#', ' ', '\t', '\r', '0', '1', '9', '-', 'x', 'é'), maxLength: 30 }),
      );
      fc.assert(
        fc.property(anyText, fc.nat(), (text, line) => {
          const r = parseRawLine(text, line, FILE);
          if (r === null) return;
          assert.equal(r.line, line);
          if (isDiagnostic(r)) {
            assert.equal(r.file, FILE);
            assert.equal(typeof r.message, 'string');
            assert.ok(r.column !== undefined && r.column >= 1 && r.column <= text.length + 1, `column ${r.column} of ${JSON.stringify(text)}`);
          } else {
            assert.ok(['a', 'f', 'r', 'gc', 'l', 'd'].includes(r.op));
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('reads back any operation written with any whitespace and an optional comment', () => {
      const ws = fc.string({ unit: fc.constantFrom(' ', '\t'), minLength: 1, maxLength: 3 });
      const optWs = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 3 });
      const id = fc.oneof(fc.constant('0'), fc.bigInt({ min: 1n, max: 10n ** 25n }).map(String));
      // Below 2^53 a byte count is a number, from there up to SIZE_MAX an exact bigint.
      const n = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 60n }), fc.bigInt({ min: 0n, max: MAX_TRACE_NUMBER })).map((b) => ({
        text: b.toString(),
        value: b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b,
      }));
      const op = fc.oneof(
        fc.tuple(id, n).map(([i, s]) => ({ fields: ['a', i, s.text], op: { op: 'a', id: i, key: expectedKey(i), size: s.value } })),
        fc.tuple(id, n).map(([i, s]) => ({ fields: ['r', i, s.text], op: { op: 'r', id: i, key: expectedKey(i), size: s.value } })),
        id.map((i) => ({ fields: ['f', i], op: { op: 'f', id: i, key: expectedKey(i) } })),
        n.map((s) => ({ fields: ['l', s.text], op: { op: 'l', limit: s.value } })),
        fc.constantFrom(
          { fields: ['gc'], op: { op: 'gc' } },
          { fields: ['g'], op: { op: 'gc' } },
          { fields: ['d'], op: { op: 'd' } },
        ),
      );
      const comment = fc.option(fc.string({ maxLength: 20 }).map((c) => '#' + c.replace(/[\r\n]/g, '')), { nil: '' });
      fc.assert(
        fc.property(op, optWs, fc.array(ws, { minLength: 3, maxLength: 3 }), optWs, comment, fc.boolean(), (o, lead, seps, trail, c, cr) => {
          const text = lead + o.fields.map((f, i) => (i === 0 ? f : seps[i - 1] + f)).join('') + trail + c + (cr ? '\r' : '');
          assert.deepEqual(parseRawLine(text, 9, FILE), { ...o.op, line: 9 }, JSON.stringify(text));
        }),
        { numRuns: 1000 },
      );
    });

    it('points the column of a bad SIZE at the bad field itself', () => {
      const bad = fc.string({ unit: fc.constantFrom('x', '-', '.', '1', 'e'), minLength: 1, maxLength: 6 }).filter((t) => !/^(0|[1-9][0-9]*)$/.test(t));
      const ws = fc.string({ unit: fc.constantFrom(' ', '\t'), minLength: 1, maxLength: 3 });
      fc.assert(
        fc.property(ws, ws, bad, (s1, s2, token) => {
          const text = 'a' + s1 + '5' + s2 + token;
          const d = diag(text);
          assert.equal(text.slice((d.column ?? 0) - 1), token);
        }),
      );
    });
  });

  describe('parseRawTrace', () => {
    it('numbers lines from 1, counting blank and comment lines, and splits ops from diagnostics', () => {
      const { ops, diagnostics } = parseRawTrace('# header\n\na 1 10\nbogus\nf 1\n', FILE);
      assert.deepEqual(ops, [
        { op: 'a', id: '1', key: 1, size: 10, line: 3 },
        { op: 'f', id: '1', key: 1, line: 5 },
      ]);
      assert.deepEqual(diagnostics, [
        { file: FILE, line: 4, column: 1, message: "unknown operation 'bogus' (expected a, f, r, gc, g, l, d or #)" },
      ]);
    });
  });

  describe('readRawTrace', () => {
    let dir: string;

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zmm-rawtrace-'));
    });

    after(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    let counter = 0;
    /** Writes `content` to a fresh file in the temp dir and returns its path. */
    function write(content: string | Buffer): string {
      const p = path.join(dir, `t${counter++}.trace`);
      fs.writeFileSync(p, content);
      return p;
    }

    const all = (p: string, chunkBytes?: number): Array<RawOp | Diagnostic> => [...readRawTrace(p, chunkBytes)];

    it('yields operations in file order across 7-byte chunk boundaries', () => {
      const p = write('a 1 10\na 2 100\n# comment line\nr 1 5000\nf 2\ngc\nl 4194304\nd\n');
      assert.deepEqual(all(p, 7), [
        { op: 'a', id: '1', key: 1, size: 10, line: 1 },
        { op: 'a', id: '2', key: 2, size: 100, line: 2 },
        { op: 'r', id: '1', key: 1, size: 5000, line: 4 },
        { op: 'f', id: '2', key: 2, line: 5 },
        { op: 'gc', line: 6 },
        { op: 'l', limit: 4194304, line: 7 },
        { op: 'd', line: 8 },
      ]);
    });

    it('reads a final line that has no newline', () => {
      const p = write('a 1 10\nf 1');
      assert.deepEqual(all(p, 7), [
        { op: 'a', id: '1', key: 1, size: 10, line: 1 },
        { op: 'f', id: '1', key: 1, line: 2 },
      ]);
      assert.deepEqual(all(write('a 77 123456789'), 3), [{ op: 'a', id: '77', key: 77, size: 123456789, line: 1 }]);
    });

    it('yields diagnostics in place, with their line and column, and goes on', () => {
      const p = write('a 1 10\na 2\nf 1\nzz\n');
      assert.deepEqual(all(p, 7), [
        { op: 'a', id: '1', key: 1, size: 10, line: 1 },
        { file: p, line: 2, column: 4, message: 'missing SIZE' },
        { op: 'f', id: '1', key: 1, line: 3 },
        { file: p, line: 4, column: 1, message: "unknown operation 'zz' (expected a, f, r, gc, g, l, d or #)" },
      ]);
    });

    it('reads CRLF line endings like LF ones, whatever the chunk size', () => {
      const text = 'a 1 10\r\na 2 20\r\n# c\r\n\r\nf 1\r\ngc\r\n';
      const expected = [
        { op: 'a', id: '1', key: 1, size: 10, line: 1 },
        { op: 'a', id: '2', key: 2, size: 20, line: 2 },
        { op: 'f', id: '1', key: 1, line: 5 },
        { op: 'gc', line: 6 },
      ];
      const p = write(text);
      for (let chunk = 1; chunk <= 10; chunk++) {
        assert.deepEqual(all(p, chunk), expected, `chunkBytes ${chunk}`);
      }
    });

    it('decodes multi-byte UTF-8 split across chunks without damaging it', () => {
      // 'é' is 2 bytes, '日本' 6, '😀' 4: some chunk size splits each of them.
      const text = '# héllo wörld 日本 😀\na 1 10 # ünïcödé\n日本 1\nf 1 # 😀😀\n';
      const p = write(text);
      const expected = [
        { op: 'a', id: '1', key: 1, size: 10, line: 2 },
        { file: p, line: 3, column: 1, message: "unknown operation '日本' (expected a, f, r, gc, g, l, d or #)" },
        { op: 'f', id: '1', key: 1, line: 4 },
      ];
      for (let chunk = 1; chunk <= 9; chunk++) {
        assert.deepEqual(all(p, chunk), expected, `chunkBytes ${chunk}`);
      }
    });

    it('decodes a multi-byte character on a final line without a newline', () => {
      const p = write(Buffer.from('a 1 10\nÿ', 'utf8'));
      assert.deepEqual(all(p, 7), [
        { op: 'a', id: '1', key: 1, size: 10, line: 1 },
        { file: p, line: 2, column: 1, message: "unknown operation 'ÿ' (expected a, f, r, gc, g, l, d or #)" },
      ]);
    });

    it('yields nothing for an empty file', () => {
      assert.deepEqual(all(write(''), 7), []);
    });

    it('reports a missing file as a diagnostic on line 0 without throwing', () => {
      const missing = path.join(dir, 'no-such-file.trace');
      const items = all(missing);
      assert.equal(items.length, 1);
      const d = items[0] as Diagnostic;
      assert.equal(d.file, missing);
      assert.equal(d.line, 0);
      assert.equal(d.column, undefined);
      assert.match(d.message, /^cannot open: .*ENOENT/);
    });

    it('reports a directory as an unreadable file on line 0 without throwing', () => {
      const items = all(dir);
      assert.equal(items.length, 1);
      assert.equal((items[0] as Diagnostic).line, 0);
      assert.match((items[0] as Diagnostic).message, /^cannot (open|read): /);
    });

    it('gives the same items as parsing the whole text, for any text and chunk size', () => {
      const unit = fc.constantFrom('a', 'f', 'r', 'g', 'c', 'l', 'd', ' ', '1', '0', '#', '\n', '\n', '\r', 'é', '😀', 'x');
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 60 }), fc.integer({ min: 1, max: 16 }), (text, chunk) => {
          const p = write(text);
          const whole = parseRawTrace(text, p);
          const streamed = all(p, chunk);
          fs.rmSync(p);
          assert.deepEqual(
            streamed.filter((r) => !isDiagnostic(r)),
            whole.ops,
          );
          assert.deepEqual(
            streamed.filter((r) => isDiagnostic(r)),
            whole.diagnostics,
          );
        }),
        { numRuns: 300 },
      );
    });
  });
});
