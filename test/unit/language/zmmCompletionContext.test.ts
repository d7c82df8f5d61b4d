import * as assert from 'node:assert/strict';
import { zmmCompletionContext } from '../../../src/language/zmmCompletionContext';

describe('language/zmmCompletionContext', () => {
  it('offers variable names where a pointer argument goes', () => {
    for (const before of ['efree(', 'efree(bu', 'b = erealloc(', 'pefree( x', 'c = perealloc(a']) {
      assert.equal(zmmCompletionContext(before).kind, 'name', before);
    }
  });

  it('offers nothing in size, flag and string arguments, comments and after a call', () => {
    for (const before of ['a = emalloc(', 'b = erealloc(b, ', 'pefree(p, ', 'estrdup("ab', 'efree(a) # ', 'efree(a)', 'a = emalloc(1) ']) {
      assert.equal(zmmCompletionContext(before).kind, 'none', before);
    }
  });

  it('offers functions where a call can start', () => {
    for (const before of ['', 'ema', 'a = ', 'buf = e']) assert.equal(zmmCompletionContext(before).kind, 'function', before);
  });
});
