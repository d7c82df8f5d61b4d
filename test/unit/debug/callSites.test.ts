// CallSites: the line where a caller calls a callee, searched in the caller's own body.

import * as assert from 'assert';
import { CallSites } from '../../../src/debug/callSites';

const TEXT = [
  'static void *outer(int n)', // 1
  '{', // 2
  '\tint x = helper_size(n);', // 3
  '\treturn helper(n);', // 4
  '}', // 5
  'static void *other(void)', // 6
  '{', // 7
  '\treturn helper(1);', // 8
  '}', // 9
].join('\n');

describe('CallSites', () => {
  const sites = new CallSites(TEXT);

  it('finds the call at or after the caller position, not a longer name', () => {
    assert.strictEqual(sites.find(1, 'helper'), 4);
    assert.strictEqual(sites.find(4, 'helper'), 4);
    assert.strictEqual(sites.find(1, 'helper_size'), 3);
  });

  it('stops at the end of the caller body and does not take a definition for a call', () => {
    assert.strictEqual(sites.find(5, 'helper'), undefined);
    assert.strictEqual(sites.find(1, 'other'), undefined);
    assert.strictEqual(sites.find(6, 'other'), undefined);
  });
});
