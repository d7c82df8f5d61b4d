import * as assert from 'assert';
import { PHP_7_0, PHP_7_1, PHP_7_2, PHP_7_4, PHP_8_1, PHP_8_2, PHP_8_4, PROFILES, UnknownVersionError, profileFor } from '../../../src/engine/profiles';

describe('engine/profiles', () => {
  it('finds a profile by minor version or exact release', () => {
    assert.strictEqual(profileFor('8.2'), PHP_8_2);
    assert.strictEqual(profileFor('8.4.24'), PHP_8_4);
    assert.strictEqual(profileFor(' 7.4 '), PHP_7_4);
  });

  it('refuses an unknown version, listing the supported ones', () => {
    assert.throws(() => profileFor('7.3'), (e: Error) => e instanceof UnknownVersionError && e.message === "unsupported PHP version '7.3' (supported: 7.0, 7.1, 7.2, 7.4, 8.1, 8.2, 8.4)");
    assert.throws(() => profileFor('eight'), UnknownVersionError);
  });

  it('names the exact release each profile follows', () => {
    assert.deepStrictEqual([...PROFILES.values()].map((p) => p.release), ['7.0.12', '7.1.26', '7.2.32', '7.4.33', '8.1.28', '8.2.32', '8.4.24']);
    assert.deepStrictEqual([...PROFILES.values()].map((p) => p.verifiedBy), ['source', 'source', 'source', 'real binary', 'source', 'real binary', 'real binary']);
    assert.strictEqual(profileFor('7.0.12'), PHP_7_0);
    assert.strictEqual(profileFor('8.1'), PHP_8_1);
    assert.strictEqual(profileFor('7.1.26'), PHP_7_1);
    assert.strictEqual(profileFor('7.2'), PHP_7_2);
  });

  it('differs from 8.2 only in named switches', () => {
    const differing = (a: object, b: object): string[] =>
      Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]).sort();
    assert.deepStrictEqual(differing(PHP_7_4.switches, PHP_8_2.switches), ['oomSaysBytes', 'panicEnds', 'setMemoryLimit', 'trackedAlloc']);
    assert.deepStrictEqual(differing(PHP_8_4.switches, PHP_8_2.switches), ['chunkRingChecks', 'gcSparesMainChunk', 'minSmallSize', 'shadowPointers']);
    assert.deepStrictEqual(differing(PHP_8_1.switches, PHP_8_2.switches), ['oomSaysBytes', 'panicEnds', 'trackedAlloc']);
    assert.deepStrictEqual(differing(PHP_7_0.switches, PHP_7_4.switches), [
      'chunkDeleteBoundary', 'chunkMoveToFront', 'freePagesSparesMainChunk', 'hugeRoundingCheck', 'limitTest',
      'setMemoryLimit', 'slowReallocRestoresRealPeak', 'smallRealloc',
    ]);
    assert.deepStrictEqual(differing(PHP_7_1.switches, PHP_7_0.switches), ['chunkDeleteBoundary', 'chunkMoveToFront']);
    assert.deepStrictEqual(differing(PHP_7_2.switches, PHP_7_1.switches), ['hugeRoundingCheck', 'limitTest']);
    assert.deepStrictEqual(differing(PHP_7_2.switches, PHP_7_4.switches), [
      'freePagesSparesMainChunk', 'setMemoryLimit', 'slowReallocRestoresRealPeak', 'smallRealloc',
    ]);
  });
});
