import * as assert from 'assert';
import { scanC } from '../../../src/source/cScanner';

/** Our own small C samples, built line by line so the expected lines are easy to read. */
const sample = (...lines: string[]): string => lines.join('\n') + '\n';

describe('scanC', () => {
  it('finds function definitions with the line of their name and of their body', () => {
    const text = sample(
      'static int helper(int a);', //            1: a prototype, not a definition
      'static int helper(int a)', //             2
      '{', //                                    3
      '\treturn a + 1;', //                      4
      '}', //                                    5
      'struct point { int x; int y; };', //      6: not a function
      'static const int table[] = { 1, 2 };', // 7: not a function
      'ZEND_API void *other(void *p) ZEND_ATTRIBUTE_UNUSED', // 8
      '{', //                                    9
      '\tif (p) { return p; }', //               10
      '\treturn 0;', //                          11
      '}', //                                    12
    );
    const scanned = scanC(text);
    assert.deepStrictEqual(
      scanned.functions.map((f) => [f.name, f.nameLine, f.firstLine, f.lastLine]),
      [
        ['helper', 2, 3, 5],
        ['other', 8, 9, 12],
      ],
    );
  });

  it('ignores braces in comments, strings and character literals', () => {
    const text = sample(
      'static void f(void)', //                   1
      '{', //                                     2
      '\t/* { not a brace */ const char *s = "}{";', // 3
      '\tchar c = \'{\'; // }', //                4
      '}', //                                     5
      'static void g(void)', //                   6
      '{', //                                     7
      '}', //                                     8
    );
    assert.deepStrictEqual(scanC(text).functions.map((f) => [f.name, f.firstLine, f.lastLine]), [
      ['f', 2, 5],
      ['g', 7, 8],
    ]);
  });

  it('drops #if 0 and ZEND_DEBUG-only code but keeps both sides of other conditions', () => {
    const text = sample(
      '#if ZEND_DEBUG', //                       1
      'static void *pick(int a, int dbg)', //    2
      '#else', //                                3
      'static void *pick(int a)', //             4
      '#endif', //                               5
      '{', //                                    6
      '#if 0', //                                7
      '\tdisabled_call();', //                   8
      '#endif', //                               9
      '#ifdef SOMETHING', //                     10
      '\tfirst_side();', //                      11
      '#else', //                                12
      '\tsecond_side();', //                     13
      '#endif', //                               14
      '}', //                                    15
    );
    const scanned = scanC(text);
    assert.deepStrictEqual(scanned.functions.map((f) => [f.name, f.nameLine]), [['pick', 4]]);
    assert.ok(!scanned.code.includes('disabled_call'));
    assert.ok(!scanned.code.includes('int dbg'));
    assert.ok(scanned.code.includes('first_side') && scanned.code.includes('second_side'));
    assert.strictEqual(scanned.code.length, text.length);
    assert.strictEqual(scanned.code.split('\n').length, text.split('\n').length);
  });

  it('drops Windows-only branches: the engine follows Linux builds', () => {
    const text = sample(
      'static void *w(size_t size)', //                     1
      '{', //                                               2
      '#ifdef ZEND_WIN32', //                               3
      '\tsize_t n = windows_round(size);', //               4
      '#elif defined(_WIN64)', //                           5
      '\tsize_t n = win64_round(size);', //                 6
      '#else', //                                           7
      '\tsize_t n = linux_round(size);', //                 8
      '#endif', //                                          9
      '#ifndef _WIN32', //                                  10
      '\treturn map(n);', //                                11
      '#endif', //                                          12
      '}', //                                               13
    );
    const { code } = scanC(text);
    assert.ok(!code.includes('windows_round') && !code.includes('win64_round'));
    assert.ok(code.includes('linux_round') && code.includes('return map(n)'));
  });

  it('matches braces by the first branch when the branches of a condition open different blocks', () => {
    const text = sample(
      'static int h(int x)', //   1
      '{', //                     2
      '#ifdef _WIN64', //         3
      '\tif (x > 1) {', //        4
      '#else', //                 5
      '\tif (x > 2) {', //        6
      '#endif', //                7
      '\t\treturn 1;', //         8
      '\t}', //                   9
      '\treturn 0;', //           10
      '}', //                     11
      'static int k(void)', //    12
      '{', //                     13
      '\treturn 2;', //           14
      '}', //                     15
    );
    assert.deepStrictEqual(scanC(text).functions.map((f) => [f.name, f.firstLine, f.lastLine]), [
      ['h', 2, 11],
      ['k', 13, 15],
    ]);
  });

  it('blanks multi-line directives and comments without moving lines', () => {
    const text = sample('#define TWO_LINES(a) \\', '\tdo { a; } while (0)', '/* a', ' * comment } */', 'static void m(void)', '{', '}');
    const scanned = scanC(text);
    assert.deepStrictEqual(scanned.functions.map((f) => [f.name, f.nameLine]), [['m', 5]]);
    assert.ok(!scanned.code.includes('while'));
    assert.strictEqual(scanned.lineAt(text.indexOf('static')), 5);
  });
});
