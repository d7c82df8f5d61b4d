import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { AddressSpace, DEFAULT_TOP } from '../../../src/engine/addressSpace';

const MiB = 1024 * 1024;
const CHUNK = 2 * MiB;
const TOP = 1024 * MiB;
const BOTTOM = 512 * MiB;

/** A small address space [BOTTOM, TOP) so tests can reason about exact addresses. */
function space(maxMappingSize?: number): AddressSpace {
  return new AddressSpace({ top: TOP, bottom: BOTTOM, maxMappingSize });
}

describe('engine/addressSpace', () => {
  describe('AddressSpace.map', () => {
    it('places the first mapping at the top and the next ones below it', () => {
      const s = space();
      assert.equal(s.map(CHUNK, CHUNK), TOP - CHUNK);
      assert.equal(s.map(CHUNK, CHUNK), TOP - 2 * CHUNK);
      assert.equal(s.map(3 * CHUNK, CHUNK), TOP - 5 * CHUNK);
      assert.equal(s.count, 3);
    });

    it('maps below DEFAULT_TOP by default', () => {
      assert.equal(new AddressSpace().map(CHUNK, CHUNK), DEFAULT_TOP - CHUNK);
    });

    it('aligns the start to the requested power of two', () => {
      const s = space();
      assert.equal(s.map(4096, CHUNK), TOP - CHUNK, 'a 4 KiB block aligned to 2 MiB starts at the 2 MiB boundary below');
      const huge = s.map(CHUNK + 4096, CHUNK);
      assert.equal(huge % CHUNK, 0);
      assert.equal(huge, TOP - 3 * CHUNK);
    });

    it('puts a small-alignment mapping in the highest gap it fits', () => {
      const s = space();
      const a = s.map(4096, CHUNK);
      // [a + 4096, TOP) is free: a 4 KiB page-aligned mapping goes right under TOP.
      assert.equal(s.map(4096, 4096), TOP - 4096);
      assert.ok(a < TOP - 4096);
    });

    it('aligns every mapping and never overlaps another one', () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ pages: fc.integer({ min: 1, max: 1200 }), align: fc.constantFrom(4096, CHUNK) }), { maxLength: 30 }),
          (requests) => {
            const s = space();
            const got: Array<[number, number]> = [];
            for (const { pages, align } of requests) {
              const size = pages * 4096;
              const start = s.map(size, align);
              if (start === 0) continue;
              assert.equal(start % align, 0);
              assert.ok(start >= BOTTOM && start + size <= TOP);
              for (const [o, os] of got) {
                assert.ok(start + size <= o || o + os <= start, 'no overlap');
              }
              got.push([start, size]);
            }
            assert.equal(s.count, got.length);
          },
        ),
      );
    });

    it('reuses the hole a freed mapping leaves', () => {
      const s = space();
      const a = s.map(CHUNK, CHUNK);
      const b = s.map(CHUNK, CHUNK);
      const c = s.map(CHUNK, CHUNK);
      s.unmap(b, CHUNK);
      assert.equal(s.count, 2);
      assert.equal(s.find(b), undefined);
      assert.equal(s.map(CHUNK, CHUNK), b);
      assert.ok(a > b && b > c);
    });

    it('skips a hole too small for the request and maps below everything', () => {
      const s = space();
      s.map(CHUNK, CHUNK);
      const b = s.map(CHUNK, CHUNK);
      const c = s.map(CHUNK, CHUNK);
      s.unmap(b, CHUNK);
      assert.equal(s.map(2 * CHUNK, CHUNK), c - 2 * CHUNK);
    });

    it('returns 0 when no gap is large enough', () => {
      const s = space();
      const total = TOP - BOTTOM;
      assert.equal(s.map(total + CHUNK, CHUNK), 0);
      assert.equal(s.map(total, CHUNK), BOTTOM);
      assert.equal(s.map(4096, 4096), 0);
      assert.equal(s.count, 1);
    });

    it('returns 0 for a size of 0', () => {
      assert.equal(space().map(0, CHUNK), 0);
    });

    it('refuses a mapping larger than maxMappingSize with 0 and maps nothing', () => {
      const s = space(4 * MiB);
      assert.equal(s.map(4 * MiB + 4096, CHUNK), 0);
      assert.equal(s.count, 0);
      assert.equal(s.map(4 * MiB, CHUNK), TOP - 4 * MiB, 'exactly maxMappingSize is allowed');
      assert.equal(s.count, 1);
    });
  });

  describe('AddressSpace.unmap', () => {
    it('removes a whole mapping', () => {
      const s = space();
      const a = s.map(CHUNK, CHUNK);
      s.unmap(a, CHUNK);
      assert.equal(s.count, 0);
      assert.equal(s.find(a), undefined);
    });

    it('unmaps the tail of a mapping and keeps its head', () => {
      const s = space();
      const a = s.map(4 * CHUNK, CHUNK);
      s.unmap(a + CHUNK, 3 * CHUNK);
      assert.equal(s.count, 1);
      assert.deepEqual(s.find(a), { start: a, size: CHUNK });
      assert.equal(s.find(a + CHUNK), undefined);
      assert.equal(s.find(a + 4 * CHUNK - 1), undefined);
      // The freed tail is at the top: the next mapping goes there.
      assert.equal(s.map(CHUNK, CHUNK), TOP - CHUNK);
    });

    it('ignores an address that is not mapped', () => {
      const s = space();
      s.map(CHUNK, CHUNK);
      s.unmap(BOTTOM, CHUNK);
      assert.equal(s.count, 1);
    });

    it('refuses to unmap the middle of a mapping', () => {
      const s = space();
      const a = s.map(4 * CHUNK, CHUNK);
      assert.throws(() => s.unmap(a + CHUNK, CHUNK), /middle/);
    });
  });

  describe('AddressSpace.extend', () => {
    it('grows a mapping in place when the range above it is free', () => {
      const s = space();
      const a = s.map(CHUNK, CHUNK);
      const b = s.map(CHUNK, CHUNK);
      s.unmap(a, CHUNK);
      assert.equal(s.extend(b, CHUNK, 2 * CHUNK), true);
      assert.deepEqual(s.find(b + 2 * CHUNK - 1), { start: b, size: 2 * CHUNK });
    });

    it('grows a mapping into a free gap that is large enough', () => {
      const s = space();
      s.map(CHUNK, CHUNK);
      const b = s.map(2 * CHUNK, CHUNK);
      const c = s.map(CHUNK, CHUNK);
      s.unmap(b, 2 * CHUNK);
      assert.equal(s.extend(c, CHUNK, 3 * CHUNK), true);
      assert.equal(s.find(c + 3 * CHUNK - 1)?.start, c);
    });

    it('fails when the range above is mapped, and leaves the mapping as it was', () => {
      const s = space();
      s.map(CHUNK, CHUNK);
      const b = s.map(CHUNK, CHUNK);
      assert.equal(s.extend(b, CHUNK, CHUNK + 4096), false);
      assert.deepEqual(s.find(b), { start: b, size: CHUNK });
    });

    it('fails past the top of the address space', () => {
      const s = space();
      const a = s.map(CHUNK, CHUNK);
      assert.equal(s.extend(a, CHUNK, CHUNK + 4096), false);
      assert.deepEqual(s.find(a), { start: a, size: CHUNK });
    });

    it('fails for a start or old size that does not name a mapping', () => {
      const s = space();
      const a = s.map(CHUNK, CHUNK);
      const b = s.map(CHUNK, CHUNK);
      s.unmap(a, CHUNK);
      assert.equal(s.extend(b, 4096, 2 * CHUNK), false);
      assert.equal(s.extend(b + 4096, CHUNK - 4096, 2 * CHUNK), false);
      assert.deepEqual(s.find(b), { start: b, size: CHUNK });
    });

    it('fails past maxMappingSize even when the range above is free', () => {
      const s = space(3 * MiB);
      const a = s.map(CHUNK, CHUNK);
      const b = s.map(CHUNK, CHUNK);
      s.unmap(a, CHUNK);
      assert.equal(s.extend(b, CHUNK, 2 * CHUNK), false);
      assert.equal(s.extend(b, CHUNK, 3 * MiB), true);
    });
  });

  describe('AddressSpace.find', () => {
    it('finds the mapping holding an address, first and last byte included', () => {
      const s = space();
      const a = s.map(CHUNK, CHUNK);
      assert.deepEqual(s.find(a), { start: a, size: CHUNK });
      assert.deepEqual(s.find(a + CHUNK - 1), { start: a, size: CHUNK });
      assert.equal(s.find(a - 1), undefined);
      assert.equal(s.find(a + CHUNK), undefined);
    });
  });
});
