// Chunk.nextUsedPage finds what a page-by-page scan of free_map finds, for any free_map.
import * as assert from 'assert';
import fc from 'fast-check';
import { Chunk } from '../../../../src/engine/zend7/chunk';

describe('engine/zend7/chunk', () => {
  it('nextUsedPage finds the first used page at or after a page, as a page-by-page scan does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 511 }), fc.integer({ min: 1, max: 40 })), { maxLength: 12 }), fc.integer({ min: 0, max: 520 }), (runs, from) => {
        const chunk = new Chunk(0x200000);
        for (const [start, len] of runs) chunk.setRange(start, Math.min(len, 512 - start));
        let expected = from;
        while (expected < 512 && !chunk.isPageUsed(expected)) expected++;
        assert.strictEqual(chunk.nextUsedPage(from), Math.min(expected, 512));
      }),
      { numRuns: 2000 },
    );
  });
});
