// The behavioural differences between the 5.x profiles, each derived from the source the
// profile cites.

import * as assert from 'node:assert/strict';
import { PHP52, PHP53, PHP54, PHP55, PHP56, ZEND5_PROFILES, zend5ProfileFor } from '../../../../src/engine/zend5/profiles';
import { zendMmStartup } from '../../../../src/engine/zend5/startup';
import { cacheLists, largeTries, restList } from '../../../../src/engine/zend5/inspect';
import { Zend5StartupExit } from '../../../../src/engine/zend5/errors';
import { ZEND_MM_TRUE_SIZE } from '../../../../src/engine/zend5/constants';
import { checkZend5Heap } from './zend5Invariants';

describe('engine/zend5 profiles', () => {
  it('finds a profile by minor version or release, and nothing else', () => {
    assert.equal(zend5ProfileFor('5.3'), PHP53);
    assert.equal(zend5ProfileFor('5.3.25'), PHP53);
    assert.equal(zend5ProfileFor('5.6'), PHP56);
    assert.equal(zend5ProfileFor('5.1'), undefined);
    assert.equal(zend5ProfileFor('7.4'), undefined);
    assert.deepEqual(Object.keys(ZEND5_PROFILES), ['5.2', '5.3', '5.4', '5.5', '5.6']);
  });

  // ZEND_MM_CACHE_SIZE is ZEND_MM_NUM_BUCKETS * 2 * 1024 in 5.2, * 4 * 1024 from 5.3 on;
  // a free is cached while `cached` is below it, so the last cached block passes it.
  for (const [profile, limit] of [
    [PHP52, 64 * 2 * 1024],
    [PHP53, 64 * 4 * 1024],
    [PHP55, 64 * 4 * 1024],
  ] as const) {
    it(`PHP ${profile.version}: the cache takes frees while cached < ${limit}`, () => {
      const heap = zendMmStartup({ profile });
      const ptrs: number[] = [];
      for (let i = 0; i < 600; i++) ptrs.push(heap.alloc(520));
      for (const p of ptrs) heap.free(p);
      const t = ZEND_MM_TRUE_SIZE(520);
      const expectedCount = Math.ceil(limit / t);
      assert.equal(cacheLists(heap).get((t - 32) / 8)?.length, expectedCount);
      assert.equal(heap.cached, expectedCount * t);
      checkZend5Heap(heap, true);
    });
  }

  // 5.4+: zend_mm_add_to_rest_list keeps at most ZEND_MM_MAX_REST_BLOCKS large blocks and
  // moves the oldest to the free lists; 5.2/5.3 keep every remainder in the rest list.
  for (const profile of [PHP52, PHP53, PHP54, PHP55, PHP56]) {
    it(`PHP ${profile.version}: the rest list ${profile.maxRestBlocks === null ? 'is unbounded' : `keeps ${profile.maxRestBlocks} large blocks`}`, () => {
      const heap = zendMmStartup({ profile });
      // 262144 bytes need a dedicated 512 KiB segment: its 262096-byte tail goes to the rest list
      for (let i = 0; i < 20; i++) heap.alloc(262144);
      const rest = restList(heap);
      const trie17 = largeTries(heap).get(17) ?? [];
      const inTrie = trie17.reduce((n, node) => n + node.blocks.length, 0);
      if (profile.maxRestBlocks === null) {
        assert.equal(rest.length, 20);
        assert.equal(inTrie, 1, 'only segment 0 tail');
      } else {
        assert.equal(rest.length, 16);
        assert.equal(heap.restCount, 16);
        assert.equal(inTrie, 1 + 4, 'segment 0 tail plus the 4 oldest rest blocks');
      }
      checkZend5Heap(heap, true);
    });
  }

  it('mmap_zero cannot start before the late-5.6 fix of its init', () => {
    for (const profile of [PHP52, PHP53, PHP54, PHP55]) {
      assert.throws(
        () => zendMmStartup({ profile, env: { ZEND_MM_MEM_TYPE: 'mmap_zero' } }),
        (e: unknown) => e instanceof Zend5StartupExit && e.stderr === 'Cannot initialize zend_mm storage [mmap_zero]\n' && e.status === 255,
      );
    }
    assert.equal(zendMmStartup({ profile: PHP56, env: { ZEND_MM_MEM_TYPE: 'mmap_zero' } }).storage.name, 'mmap_zero');
  });

  it('names the release and source of every profile', () => {
    for (const p of Object.values(ZEND5_PROFILES)) {
      assert.match(p.source, /^[\w-]+\/[\w.-]+@[0-9a-f]{7,40}:Zend\/zend_alloc\.c/);
      assert.ok(p.release.startsWith(p.version));
    }
  });
});
