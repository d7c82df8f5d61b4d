import * as assert from 'assert';
import { freshHeapCounters } from '../../../src/engine/freshHeap';
import { SUPPORTED_PHP_VERSIONS } from '../../../src/engine/versions';
import { HeapSession } from '../../../src/session/heapSession';

describe('freshHeapCounters', () => {
  for (const version of SUPPORTED_PHP_VERSIONS) {
    it(`PHP ${version}: the counters of a heap session that has just started`, () => {
      assert.deepStrictEqual(freshHeapCounters(version), new HeapSession(version).counters());
    });
  }

  it('one chunk mapped on 7.x/8.x, one segment with the reserve block on 5.x', () => {
    assert.deepStrictEqual(freshHeapCounters('8.2'), { size: 0, realSize: 2 * 1024 * 1024, peak: 0, realPeak: 2 * 1024 * 1024 });
    assert.deepStrictEqual(freshHeapCounters('5.6'), { size: 8208, realSize: 256 * 1024, peak: 8208, realPeak: 256 * 1024 });
  });
});
