import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { functionDefinitionLine } from '../../../src/webview/functionDefinitionLine';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('functionDefinitionLine', () => {
  it('skips prototypes and finds the body', () => {
    const c = ['static void *f(int a);', '', 'static void *f(int a,', '    int b)', '{', '  return 0;', '}'].join('\n');
    assert.strictEqual(functionDefinitionLine(c, 'f'), 2);
    assert.strictEqual(functionDefinitionLine(c, 'g'), undefined);
  });

  for (const v of ['7.4', '8.2', '8.4']) {
    const file = path.join(ROOT, '.cache', 'php-src', v, 'Zend', 'zend_alloc.c');
    it(`finds each allocator path's function in the real zend_alloc.c of ${v}`, function () {
      if (!fs.existsSync(file)) {
        throw new Error(`${file} is missing: run npm run setup:test`);
      }
      const text = fs.readFileSync(file, 'utf8');
      const lines = text.split('\n');
      for (const func of ['zend_mm_alloc_small', 'zend_mm_alloc_large', 'zend_mm_alloc_huge']) {
        const at = functionDefinitionLine(text, func);
        assert.ok(at !== undefined, `${func} in ${v}`);
        assert.match(lines[at], new RegExp(`\\b${func}\\(`));
        // php-src puts a function's opening brace on the line after its declarator
        assert.strictEqual(lines[at + 1].trim(), '{', `${func} at line ${at + 1} has no body after it`);
      }
    });
  }
});
