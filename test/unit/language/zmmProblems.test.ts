import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { activeProfileFor } from '../../../src/language/activeProfile';
import { diagnosticSpan, zmmProblems } from '../../../src/language/zmmProblems';
import { repoFile } from './realSources';

const P82 = activeProfileFor('8.2')!;

describe('language/zmmProblems', () => {
  it('reports exactly ten precise problems for a script with ten kinds of mistakes', () => {
    const file = repoFile('test', 'unit', 'language', 'fixtures', 'ten-mistakes.zmm');
    const { problems } = zmmProblems(fs.readFileSync(file, 'utf8'), file, P82);
    const got = problems.map((p) => [p.line, p.column, p.endColumn, p.severity]);
    assert.deepEqual(got, [
      [5, 5, 11, 'error'], // unknown op: emaloc
      [6, 13, 14, 'error'], // bad size: emalloc(-1)
      [7, 7, 10, 'error'], // unknown variable: bfu
      [8, 17, 18, 'error'], // wrong number of arguments
      [9, 1, 16, 'warning'], // the memory limit stops a 4M request
      [11, 7, 8, 'warning'], // free of a freed variable
      [12, 7, 8, 'error'], // request-heap free of persistent memory
      [13, 13, 18, 'error'], // unterminated string
      [14, 1, 9, 'error'], // erealloc result not assigned
      [15, 1, 4, 'error'], // second php directive
    ]);
    const m = problems.map((p) => p.message);
    assert.match(m[0], /unknown function 'emaloc'; did you mean 'emalloc'/);
    assert.match(m[1], /sizes are unsigned/);
    assert.match(m[2], /unknown name 'bfu'/);
    assert.match(m[3], /emalloc\(\) takes 1 argument/);
    assert.match(m[4], /Allowed memory size of 2097152 bytes exhausted \(tried to allocate 4194304 bytes\)/);
    assert.match(m[5], /double free: 'a' was already freed on line 10\. zend_mm_free_small does not check: its 24-byte slot goes onto bin 2's free list a second time, which now loops/);
    assert.match(m[6], /'p' is persistent .* use pefree\(p, 1\)/);
    assert.match(m[7], /unterminated string/);
    assert.match(m[8], /must be assigned/);
    assert.match(m[9], /'php' appears twice/);
  });

  it('finds nothing wrong in the quick-start example', () => {
    const file = repoFile('examples', 'quickstart.zmm');
    assert.deepEqual(zmmProblems(fs.readFileSync(file, 'utf8'), file, P82).problems, []);
  });

  it('warns about use after free, and says what the 5.x allocator does with a double free', () => {
    const uaf = zmmProblems('a = emalloc(8)\nefree(a)\na = erealloc(a, 16)\n', 't.zmm', P82).problems;
    assert.equal(uaf.length, 1);
    assert.deepEqual([uaf[0].line, uaf[0].column, uaf[0].endColumn, uaf[0].severity], [3, 14, 15, 'warning']);
    assert.match(uaf[0].message, /use after free: 'a' was already freed on line 2/);
    const df5 = zmmProblems('php 5.3\na = emalloc(8)\nefree(a)\nefree(a)\n', 't.zmm', P82).problems;
    assert.equal(df5.length, 1);
    assert.match(df5[0].message, /PHP 5\.x release build does not check: a small block goes onto its cache list a second time/);
  });

  it('stops simulating at a fatal error and says so once', () => {
    const { problems, simulation } = zmmProblems('a = ecalloc(0x100000000, 0x100000000)\nb = emalloc(8)\n', 't.zmm', P82);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /Possible integer overflow in memory allocation \(4294967296 \* 4294967296 \+ 0\)/);
    assert.match(simulation.outcomes.get(2)!.notRun!, /PHP ended the request on line 1/);
  });

  it('never throws on garbage, and points every problem inside its line', () => {
    const lines = ['a = = emalloc(1)', '"', ')(', 'limit', 'php', 'efree(', 'x = gc()', 'a = emalloc(0x)', 'emalloc(1', '\t# only', 'a=emalloc(1)#x', 'limit -2', 'dump(1)', 'pefree(a, 2)', '💥 = emalloc(1)'];
    const text = lines.join('\n');
    for (const v of ['8.2', '8.4', '7.0', '5.2', '5.6']) {
      const { problems } = zmmProblems(text, 'g.zmm', activeProfileFor(v)!);
      assert.ok(problems.length >= 12, `${v}: ${problems.length}`);
      for (const p of problems) {
        assert.ok(p.column >= 1 && p.endColumn > p.column, JSON.stringify(p));
        assert.ok(p.column <= lines[p.line - 1].length + 1, JSON.stringify(p));
      }
    }
  });

  it('spans a diagnostic over the token it points at', () => {
    assert.deepEqual(diagnosticSpan('b = emaloc(32)', { file: 'f', line: 1, column: 5, message: '' }), { column: 5, endColumn: 11 });
    assert.deepEqual(diagnosticSpan('s = estrdup("abc)', { file: 'f', line: 1, column: 13, message: '' }), { column: 13, endColumn: 18 });
    assert.deepEqual(diagnosticSpan('efree(', { file: 'f', line: 1, column: 7, message: '' }), { column: 7, endColumn: 8 });
  });
});
