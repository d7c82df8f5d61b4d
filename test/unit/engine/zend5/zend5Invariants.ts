// Structural invariants of a 5.x heap, checked through simulated memory (test support).

import {
  OFF_CHILD0,
  OFF_CHILD1,
  OFF_NEXT_FREE,
  OFF_PARENT,
  OFF_PREV,
  OFF_PREV_FREE,
  OFF_SIZE,
  ZEND_MM_ALIGNED_SEGMENT_SIZE,
  ZEND_MM_BUCKET_INDEX,
  ZEND_MM_MAX_SMALL_SIZE,
  ZEND_MM_NUM_BUCKETS,
  ZEND_MM_REST_BLOCK,
} from '../../../../src/engine/zend5/constants';
import type { Zend5Heap } from '../../../../src/engine/zend5/heap';
import { largeBucketSlot } from '../../../../src/engine/zend5/heapLayout';
import { cacheLists, freeBuckets, largeTries, restList, segmentBlocks, segments } from '../../../../src/engine/zend5/inspect';

/** What a check found besides hard violations. */
export interface InvariantReport {
  /** Small buckets holding blocks while their free_bitmap bit is clear (the rest-list quirk). */
  quirkBuckets: number[];
}

/**
 * Throws on the first violated invariant:
 * - segments do not overlap; each is tiled exactly by its blocks, the first block's _prev is
 *   the guard marker, every block's _size equals the next block's _prev, the last block is a
 *   16-byte guard at the segment end; no two free blocks are neighbours;
 * - every free block is in exactly one of: a small bucket of its size, a trie node or ring of
 *   the trie of its size's top bit, the rest list; every listed block is free; cached blocks
 *   are used blocks of their bucket's size;
 * - trie links: *parent points back at every node; ring members have the node's size;
 * - large_free_bitmap bit i is set exactly when trie i is non-empty; a set free_bitmap bit
 *   means a non-empty bucket (a non-empty bucket with a clear bit is reported as the quirk);
 * - real_size is the sum of segment sizes; cached is the sum of cached block sizes (mod 2^32);
 *   `exactSize`: size is the sum of used block sizes (it is not after a cache flush).
 */
export function checkZend5Heap(heap: Zend5Heap, exactSize: boolean): InvariantReport {
  const fail = (msg: string): never => {
    throw new Error(`heap invariant: ${msg}`);
  };
  const segs = segments(heap);
  const sortedSegs = [...segs].sort((a, b) => a.address - b.address);
  for (let i = 1; i < sortedSegs.length; i++) {
    if (sortedSegs[i - 1].address + sortedSegs[i - 1].size > sortedSegs[i].address) fail('segments overlap');
  }
  if (new Set(segs.map((s) => s.ordinal)).size !== segs.length) fail('duplicate segment ordinals');
  let realSize = 0;
  let usedSum = 0;
  const freeBlocks = new Set<number>();
  const usedBlocks = new Map<number, number>();
  for (const s of segs) {
    realSize += s.size;
    const blocks = segmentBlocks(heap, s);
    const first = s.address + ZEND_MM_ALIGNED_SEGMENT_SIZE;
    if (heap.read(first + OFF_PREV) !== 3) fail(`segment ${s.ordinal}: first block not marked`);
    let prevFree = false;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      if (b.kind === 'guard') {
        if (i !== blocks.length - 1 || b.address + 16 !== s.address + s.size || b.size !== 16) fail(`segment ${s.ordinal}: guard misplaced`);
        continue;
      }
      if (heap.read(b.address + OFF_SIZE) !== heap.read(b.address + b.size + OFF_PREV)) fail(`segment ${s.ordinal}: _size/_prev mismatch at +${b.address - s.address}`);
      if (b.size < 32 || b.size % 8 !== 0) fail(`bad block size ${b.size}`);
      if (b.kind === 'free') {
        if (prevFree) fail(`segment ${s.ordinal}: two free blocks side by side`);
        freeBlocks.add(b.address);
      } else {
        usedSum += b.size;
        usedBlocks.set(b.address, b.size);
      }
      prevFree = b.kind === 'free';
    }
    if (blocks.length === 0 || blocks[blocks.length - 1].kind !== 'guard') fail(`segment ${s.ordinal}: no guard`);
  }
  if (realSize !== heap.realSize) fail(`real_size ${heap.realSize} != segments ${realSize}`);
  if (exactSize && usedSum !== heap.size) fail(`size ${heap.size} != used blocks ${usedSum}`);

  const listed = new Map<number, string>();
  const list = (b: number, where: string): void => {
    if (listed.has(b)) fail(`block listed twice (${listed.get(b)} and ${where})`);
    if (!freeBlocks.has(b)) fail(`${where} lists a block that is not free`);
    listed.set(b, where);
  };
  const quirkBuckets: number[] = [];
  const buckets = freeBuckets(heap);
  for (let i = 0; i < ZEND_MM_NUM_BUCKETS; i++) {
    const l = buckets.get(i) ?? [];
    const bitSet = ((heap.freeBitmap >> BigInt(i)) & 1n) === 1n;
    if (bitSet && l.length === 0) fail(`free_bitmap bit ${i} set for an empty bucket`);
    if (!bitSet && l.length > 0) quirkBuckets.push(i);
    for (const b of l) {
      list(b, `bucket ${i}`);
      if (ZEND_MM_BUCKET_INDEX(heap.rawSize(b)) !== i) fail(`bucket ${i} holds a block of ${heap.rawSize(b)}`);
      const next = heap.read(b + OFF_NEXT_FREE);
      if (heap.read(next + OFF_PREV_FREE) !== b) fail(`bucket ${i}: ring broken`);
    }
  }
  const tries = largeTries(heap);
  for (let i = 0; i < ZEND_MM_NUM_BUCKETS; i++) {
    const nodes = tries.get(i) ?? [];
    const bitSet = ((heap.largeFreeBitmap >> BigInt(i)) & 1n) === 1n;
    if (bitSet !== nodes.length > 0) fail(`large_free_bitmap bit ${i} disagrees with trie ${i}`);
    for (const n of nodes) {
      const node = n.blocks[0];
      const parent = heap.read(node + OFF_PARENT);
      if (heap.read(parent) !== node) fail(`trie ${i} node ${n.path}: *parent does not point back`);
      if (n.path === '' && parent !== largeBucketSlot(heap.base, i)) fail(`trie ${i}: root's parent is not the bucket`);
      const size = heap.rawSize(node);
      if (size < 2 ** i || size >= 2 ** (i + 1) || size < ZEND_MM_MAX_SMALL_SIZE) fail(`trie ${i} holds ${size}`);
      for (const c of [OFF_CHILD0, OFF_CHILD1]) {
        const child = heap.read(node + c);
        if (child !== 0 && heap.read(child + OFF_PARENT) !== node + c) fail(`trie ${i}: child's parent is not its slot`);
      }
      for (const b of n.blocks) {
        list(b, `trie ${i} ${n.path}`);
        if (heap.rawSize(b) !== size) fail(`trie ${i}: ring member of another size`);
        if (b !== node && heap.read(b + OFF_PARENT) !== 0) fail(`trie ${i}: ring member with a parent`);
      }
    }
  }
  let restLarge = 0;
  for (const b of restList(heap)) {
    list(b, 'rest');
    if (heap.rawSize(b) >= ZEND_MM_MAX_SMALL_SIZE) {
      restLarge++;
      const parent = heap.read(b + OFF_PARENT);
      const expected = heap.profile.maxRestBlocks === null ? 0 : ZEND_MM_REST_BLOCK;
      if (parent !== expected) fail(`rest list: large block with parent ${parent}`);
    }
  }
  if (heap.profile.maxRestBlocks !== null) {
    if (restLarge !== heap.restCount) fail(`rest_count ${heap.restCount} != ${restLarge} large rest blocks`);
    if (restLarge > heap.profile.maxRestBlocks) fail('rest list over its bound');
  }
  for (const b of freeBlocks) {
    if (!listed.has(b)) fail(`free block of ${heap.rawSize(b)} bytes is in no list`);
  }
  let cachedSum = 0;
  for (const [i, l] of cacheLists(heap)) {
    for (const b of l) {
      const size = usedBlocks.get(b);
      if (size === undefined) fail(`cache ${i} holds a block that is not used`);
      if (ZEND_MM_BUCKET_INDEX(size as number) !== i) fail(`cache ${i} holds a block of ${size}`);
      cachedSum += size as number;
    }
  }
  if (cachedSum % 2 ** 32 !== heap.cached) fail(`cached ${heap.cached} != cached blocks ${cachedSum}`);
  return { quirkBuckets };
}
