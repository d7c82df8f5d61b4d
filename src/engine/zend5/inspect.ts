// Read-only views of a 5.x heap for dumps, views and tests: segments and their blocks,
// cache lists, free buckets, the large tries and the rest list, each in the order the
// allocator itself would walk them. Addresses stay inside the engine; callers turn them
// into segment ordinals and offsets with `placeOf`.

import {
  OFF_CHILD0,
  OFF_CHILD1,
  OFF_NEXT_FREE,
  OFF_PREV,
  OFF_PREV_FREE,
  OFF_SEG_NEXT,
  OFF_SEG_SIZE,
  OFF_SIZE,
  ZEND_MM_ALIGNED_HEADER_SIZE,
  ZEND_MM_ALIGNED_SEGMENT_SIZE,
  ZEND_MM_GUARD_BLOCK,
  ZEND_MM_NUM_BUCKETS,
} from './constants';
import type { Zend5Heap } from './heap';
import { cacheSlot, freeBucketSlot, largeBucketSlot, restBucket, restBucketSlot, smallFreeBucket } from './heapLayout';

/** Walks longer than this are cut short (a broken heap could loop forever). */
export const WALK_LIMIT = 1 << 22;

/** A segment of segments_list. Sizes in bytes. */
export interface SegmentView {
  readonly address: number;
  readonly ordinal: number;
  readonly size: number;
}

/** Kind of a block by its header's type bits. */
export type BlockKind = 'used' | 'free' | 'guard';

/** One block of a segment: header address, true size (bytes), kind. */
export interface BlockView {
  readonly address: number;
  readonly size: number;
  readonly kind: BlockKind;
}

/** One node of a large trie: PATH of child indices from the root ('' for the root) and its ring. */
export interface TrieNodeView {
  readonly path: string;
  /** The node first, then the other blocks of its same-size ring along next_free_block. */
  readonly blocks: number[];
}

/** Segment ordinal and payload offset (header offset + 16) of a block header address. */
export interface Place {
  readonly segment: number;
  readonly offset: number;
}

/** segments_list, newest first. */
export function segments(heap: Zend5Heap): SegmentView[] {
  const out: SegmentView[] = [];
  for (let s = heap.read(heap.segmentsListSlot); s !== 0 && out.length < WALK_LIMIT; s = heap.read(s + OFF_SEG_NEXT)) {
    out.push({ address: s, ordinal: heap.segmentOrdinals.get(s) ?? -1, size: heap.read(s + OFF_SEG_SIZE) });
  }
  return out;
}

/** Every block of a segment from the first to the guard block (inclusive). */
export function segmentBlocks(heap: Zend5Heap, seg: SegmentView): BlockView[] {
  const out: BlockView[] = [];
  const end = seg.address + seg.size;
  let b = seg.address + ZEND_MM_ALIGNED_SEGMENT_SIZE;
  while (b < end && out.length < WALK_LIMIT) {
    const w = heap.read(b + OFF_SIZE);
    const type = w % 4;
    const size = w - type;
    const kind: BlockKind = type === ZEND_MM_GUARD_BLOCK ? 'guard' : type % 2 === 1 ? 'used' : 'free';
    out.push({ address: b, size, kind });
    if (kind === 'guard' || size === 0) {
      break;
    }
    b += size;
  }
  return out;
}

/** The segment and payload offset of a block header address; undefined outside every segment. */
export function placeOf(heap: Zend5Heap, block: number): Place | undefined {
  const seg = heap.segmentOf(block);
  return seg === undefined ? undefined : { segment: seg.ordinal, offset: block - seg.base + ZEND_MM_ALIGNED_HEADER_SIZE };
}

/** Non-empty cache buckets: heap->cache[i] then along prev_free_block (next reuse first). */
export function cacheLists(heap: Zend5Heap): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < ZEND_MM_NUM_BUCKETS; i++) {
    const list: number[] = [];
    for (let b = heap.read(cacheSlot(heap.base, i)); b !== 0 && list.length < WALK_LIMIT; b = heap.read(b + OFF_PREV_FREE)) {
      list.push(b);
    }
    if (list.length > 0) {
      out.set(i, list);
    }
  }
  return out;
}

/** Non-empty small buckets: free_buckets[2i] then along prev_free_block (next taken first). */
export function freeBuckets(heap: Zend5Heap): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < ZEND_MM_NUM_BUCKETS; i++) {
    const sentinel = smallFreeBucket(heap.base, i);
    const list: number[] = [];
    for (let b = heap.read(freeBucketSlot(heap.base, 2 * i)); b !== sentinel && list.length < WALK_LIMIT; b = heap.read(b + OFF_PREV_FREE)) {
      list.push(b);
    }
    if (list.length > 0) {
      out.set(i, list);
    }
  }
  return out;
}

/** Non-empty large tries in preorder (node, child[0] subtree, child[1] subtree). */
export function largeTries(heap: Zend5Heap): Map<number, TrieNodeView[]> {
  const out = new Map<number, TrieNodeView[]>();
  for (let i = 0; i < ZEND_MM_NUM_BUCKETS; i++) {
    const root = heap.read(largeBucketSlot(heap.base, i));
    if (root === 0) {
      continue;
    }
    const nodes: TrieNodeView[] = [];
    const stack: { node: number; path: string }[] = [{ node: root, path: '' }];
    while (stack.length > 0 && nodes.length < WALK_LIMIT) {
      const { node, path } = stack.pop() as { node: number; path: string };
      const ring = [node];
      for (let b = heap.read(node + OFF_NEXT_FREE); b !== node && ring.length < WALK_LIMIT; b = heap.read(b + OFF_NEXT_FREE)) {
        ring.push(b);
      }
      nodes.push({ path, blocks: ring });
      const c1 = heap.read(node + OFF_CHILD1);
      const c0 = heap.read(node + OFF_CHILD0);
      if (c1 !== 0) stack.push({ node: c1, path: path + '1' });
      if (c0 !== 0) stack.push({ node: c0, path: path + '0' });
    }
    out.set(i, nodes);
  }
  return out;
}

/** The rest list from rest_buckets[0] along prev_free_block (newest first, the search order). */
export function restList(heap: Zend5Heap): number[] {
  const sentinel = restBucket(heap.base);
  const out: number[] = [];
  for (let b = heap.read(restBucketSlot(heap.base, 0)); b !== sentinel && out.length < WALK_LIMIT; b = heap.read(b + OFF_PREV_FREE)) {
    out.push(b);
  }
  return out;
}

/** The _prev word of a block (for consistency checks). */
export function prevWord(heap: Zend5Heap, block: number): number {
  return heap.read(block + OFF_PREV);
}
