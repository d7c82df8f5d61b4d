// Seeded property test: random emalloc/efree/erealloc/limit sequences keep the 5.x heap
// consistent after every call, under every profile and both segment sizes of the data.

import * as assert from 'node:assert/strict';
import { Zend5Error } from '../../../../src/engine/zend5/errors';
import { ZEND5_PROFILES } from '../../../../src/engine/zend5/profiles';
import { zendMmStartup } from '../../../../src/engine/zend5/startup';
import { cacheLists, segmentBlocks, segments } from '../../../../src/engine/zend5/inspect';
import { Random } from '../../../support/random';
import { checkZend5Heap } from './zend5Invariants';

/** A request size: mostly small, some large, a few that need a dedicated segment. */
function randomSize(r: Random, segSize: number): number {
  const x = r.next();
  if (x < 0.6) return r.int(0, 560);
  if (x < 0.9) return r.int(561, Math.min(40000, segSize));
  return r.int(segSize - 64, segSize * 3);
}

describe('engine/zend5 heap invariants (seeded random traces)', () => {
  for (const version of Object.keys(ZEND5_PROFILES)) {
    for (const segSize of [262144, 32768]) {
      for (const seed of [1, 2, 3]) {
        it(`PHP ${version}, segment ${segSize}, seed ${seed}`, () => {
          const r = new Random(seed * 7919 + segSize);
          const heap = zendMmStartup({ profile: ZEND5_PROFILES[version], env: { ZEND_MM_SEG_SIZE: String(segSize) } });
          const live = new Map<number, number>();
          let nextId = 0;
          let errors = 0;
          let quirks = 0;
          for (let step = 0; step < 1500; step++) {
            const x = r.next();
            const ids = [...live.keys()];
            try {
              if (x < 0.45 || ids.length === 0) {
                live.set(nextId++, heap.alloc(randomSize(r, segSize)));
              } else if (x < 0.8) {
                const id = r.pick(ids);
                heap.free(live.get(id) as number);
                live.delete(id);
              } else if (x < 0.97) {
                const id = r.pick(ids);
                live.set(id, heap.realloc(live.get(id) as number, randomSize(r, segSize)));
              } else {
                // a limit close to what is mapped: rest-list searches and memory errors
                heap.setMemoryLimit(heap.realSize + r.int(-segSize, 4 * segSize));
              }
            } catch (e) {
              assert.ok(e instanceof Zend5Error && !e.fatal, `step ${step}: ${(e as Error).message}`);
              errors++;
            }
            const report = checkZend5Heap(heap, errors === 0);
            quirks += report.quirkBuckets.length;
            // live blocks are distinct used blocks, none of them cached
            const used = new Set<number>();
            for (const s of segments(heap)) for (const b of segmentBlocks(heap, s)) if (b.kind === 'used') used.add(b.address + 16);
            const cached = new Set<number>();
            for (const l of cacheLists(heap).values()) for (const b of l) cached.add(b + 16);
            const ptrs = new Set(live.values());
            assert.equal(ptrs.size, live.size, `step ${step}: two live IDs share a block`);
            for (const p of ptrs) {
              assert.ok(used.has(p) && !cached.has(p), `step ${step}: a live block is not a used, uncached block`);
            }
          }
          assert.ok(live.size > 0 && nextId > 300, 'the trace did some work');
          void quirks;
        });
      }
    }
  }
});
