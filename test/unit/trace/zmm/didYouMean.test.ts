import * as assert from 'node:assert/strict';
import { didYouMean, editDistance } from '../../../../src/trace/zmm/didYouMean';

describe('trace/zmm/didYouMean', () => {
  it('counts inserts, deletes, substitutions and swaps of neighbours as one edit each', () => {
    assert.equal(editDistance('emalloc', 'emalloc'), 0);
    assert.equal(editDistance('emaloc', 'emalloc'), 1);
    assert.equal(editDistance('emallocc', 'emalloc'), 1);
    assert.equal(editDistance('emallac', 'emalloc'), 1);
    assert.equal(editDistance('emlaloc', 'emalloc'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('suggests the closest candidate, the first on ties, ignoring case', () => {
    assert.equal(didYouMean('efre', ['emalloc', 'efree', 'pefree']), 'efree');
    assert.equal(didYouMean('EFREE', ['efree']), 'efree');
    assert.equal(didYouMean('ab1', ['ab2', 'ab3']), 'ab2');
  });

  it('suggests nothing when no candidate is close, and nothing but case fixes for short words', () => {
    assert.equal(didYouMean('banana', ['emalloc', 'efree']), undefined);
    assert.equal(didYouMean('q', ['a', 'b']), undefined);
    assert.equal(didYouMean('A', ['a']), 'a');
    assert.equal(didYouMean('efree', ['efree']), undefined);
  });
});
