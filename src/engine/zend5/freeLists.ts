// The free-block lists of the 5.x heap: small free buckets (FIFO rings through a sentinel in
// the heap struct), the large tries (one per power of two, keyed by the size's bits, with a
// ring of same-size blocks at each node) and the rest list. Mirrors zend_mm_init,
// zend_mm_add_to_rest_list, zend_mm_add_to_free_list and zend_mm_remove_from_free_list.

import {
  OFF_CHILD0,
  OFF_CHILD1,
  OFF_NEXT_FREE,
  OFF_PARENT,
  OFF_PREV_FREE,
  ZEND_MM_BUCKET_INDEX,
  ZEND_MM_LARGE_BUCKET_INDEX,
  ZEND_MM_NUM_BUCKETS,
  ZEND_MM_REST_BLOCK,
  ZEND_MM_SMALL_SIZE,
  bitOf,
} from './constants';
import { Zend5HeapCorrupted } from './errors';
import type { Zend5Heap } from './heap';
import { cacheSlot, freeBucketSlot, largeBucketSlot, restBucket, restBucketSlot, smallFreeBucket } from './heapLayout';

/** 1 << index as a 64-bit mask. */
export function bit(index: number): bigint {
  return 1n << BigInt(index);
}

/**
 * zend_mm_init(): empty bitmaps and cache, every small bucket sentinel linked to itself, no
 * trie roots, the rest list empty (and, 5.4+, rest_count = 0).
 */
export function zendMmInit(heap: Zend5Heap): void {
  heap.freeBitmap = 0n;
  heap.largeFreeBitmap = 0n;
  heap.cached = 0;
  for (let i = 0; i < ZEND_MM_NUM_BUCKETS; i++) {
    heap.write(cacheSlot(heap.base, i), 0);
  }
  for (let i = 0; i < ZEND_MM_NUM_BUCKETS; i++) {
    const p = smallFreeBucket(heap.base, i);
    heap.write(p + OFF_NEXT_FREE, p);
    heap.write(p + OFF_PREV_FREE, p);
    heap.write(largeBucketSlot(heap.base, i), 0);
  }
  const rest = restBucket(heap.base);
  heap.write(restBucketSlot(heap.base, 0), rest);
  heap.write(restBucketSlot(heap.base, 1), rest);
  heap.restCount = 0;
}

/**
 * zend_mm_add_to_rest_list(): links `mmBlock` in as the newest rest entry (next to
 * rest_buckets[0]). 5.3 clears `parent` of a large block. With a bounded rest list (5.4+)
 * the oldest entries first move to the normal free lists while rest_count is at the bound,
 * and a large block is marked ZEND_MM_REST_BLOCK and counted.
 */
export function zendMmAddToRestList(heap: Zend5Heap, mmBlock: number): void {
  const max = heap.profile.maxRestBlocks;
  if (max !== null) {
    while (heap.restCount >= max) {
      const p = heap.read(restBucketSlot(heap.base, 1));
      if (!ZEND_MM_SMALL_SIZE(heap.rawSize(p))) {
        heap.restCount--;
      }
      const prev = heap.read(p + OFF_PREV_FREE);
      const next = heap.read(p + OFF_NEXT_FREE);
      heap.write(prev + OFF_NEXT_FREE, next);
      heap.write(next + OFF_PREV_FREE, prev);
      heap.sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_add_to_rest_list:evict_oldest',
        note: `the rest list is full (${heap.restCount} large entries): its oldest entry moves to the free lists`,
        locals: { p, rest_count: heap.restCount },
      });
      zendMmAddToFreeList(heap, p);
    }
    if (!ZEND_MM_SMALL_SIZE(heap.rawSize(mmBlock))) {
      heap.write(mmBlock + OFF_PARENT, ZEND_MM_REST_BLOCK);
      heap.restCount++;
    }
  } else if (!ZEND_MM_SMALL_SIZE(heap.rawSize(mmBlock))) {
    heap.write(mmBlock + OFF_PARENT, 0);
  }
  const prev = heap.read(restBucketSlot(heap.base, 0));
  const next = heap.read(prev + OFF_NEXT_FREE);
  heap.write(mmBlock + OFF_PREV_FREE, prev);
  heap.write(mmBlock + OFF_NEXT_FREE, next);
  heap.write(next + OFF_PREV_FREE, mmBlock);
  heap.write(prev + OFF_NEXT_FREE, mmBlock);
  heap.sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_add_to_rest_list:link',
    note: `free block of ${heap.rawSize(mmBlock)} bytes becomes the newest rest-list entry`,
    locals: { mm_block: mmBlock, size: heap.rawSize(mmBlock) },
  });
}

/**
 * zend_mm_add_to_free_list(): a large block (>= ZEND_MM_MAX_SMALL_SIZE) goes into trie
 * ZEND_MM_LARGE_BUCKET_INDEX(size): as the root of an empty trie, as a new leaf where the
 * size's bits (from the one below the top bit down) lead, or into the ring of a node of the
 * same size, right after the node. A small block goes to the head of its bucket's ring (the
 * sentinel's next side), so the bucket is taken oldest first.
 */
export function zendMmAddToFreeList(heap: Zend5Heap, mmBlock: number): void {
  const size = heap.rawSize(mmBlock);
  if (!ZEND_MM_SMALL_SIZE(size)) {
    const index = ZEND_MM_LARGE_BUCKET_INDEX(size);
    let p = largeBucketSlot(heap.base, index);
    heap.write(mmBlock + OFF_CHILD0, 0);
    heap.write(mmBlock + OFF_CHILD1, 0);
    if (heap.read(p) === 0) {
      heap.write(p, mmBlock);
      heap.write(mmBlock + OFF_PARENT, p);
      heap.write(mmBlock + OFF_PREV_FREE, mmBlock);
      heap.write(mmBlock + OFF_NEXT_FREE, mmBlock);
      heap.largeFreeBitmap |= bit(index);
      heap.sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_add_to_free_list:large_root',
        note: `${size} bytes becomes the root of large bucket ${index}`,
        locals: { index, size },
      });
    } else {
      // depth d follows bit (index - 1 - d) of the size: C shifts m = size << (64 - index)
      for (let d = 0; ; d++) {
        const prev = heap.read(p);
        if (heap.rawSize(prev) !== size) {
          p = prev + (bitOf(size, index - 1 - d) === 1 ? OFF_CHILD1 : OFF_CHILD0);
          if (heap.read(p) === 0) {
            heap.write(p, mmBlock);
            heap.write(mmBlock + OFF_PARENT, p);
            heap.write(mmBlock + OFF_PREV_FREE, mmBlock);
            heap.write(mmBlock + OFF_NEXT_FREE, mmBlock);
            heap.sink?.event({
              kind: 'stmt',
              anchor: 'zend_mm_add_to_free_list:large_leaf',
              note: `${size} bytes becomes a new node at depth ${d + 1} of large bucket ${index}`,
              locals: { index, size, depth: d + 1 },
            });
            break;
          }
        } else {
          const next = heap.read(prev + OFF_NEXT_FREE);
          heap.write(next + OFF_PREV_FREE, mmBlock);
          heap.write(prev + OFF_NEXT_FREE, mmBlock);
          heap.write(mmBlock + OFF_NEXT_FREE, next);
          heap.write(mmBlock + OFF_PREV_FREE, prev);
          heap.write(mmBlock + OFF_PARENT, 0);
          heap.sink?.event({
            kind: 'stmt',
            anchor: 'zend_mm_add_to_free_list:large_ring',
            note: `${size} bytes joins the ring of a same-size node in large bucket ${index}`,
            locals: { index, size, node: prev },
          });
          break;
        }
      }
    }
  } else {
    const index = ZEND_MM_BUCKET_INDEX(size);
    const prev = smallFreeBucket(heap.base, index);
    if (heap.read(prev + OFF_PREV_FREE) === prev) {
      heap.freeBitmap |= bit(index);
    }
    const next = heap.read(prev + OFF_NEXT_FREE);
    heap.write(mmBlock + OFF_PREV_FREE, prev);
    heap.write(mmBlock + OFF_NEXT_FREE, next);
    heap.write(next + OFF_PREV_FREE, mmBlock);
    heap.write(prev + OFF_NEXT_FREE, mmBlock);
    heap.sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_add_to_free_list:small',
      note: `${size} bytes goes into small bucket ${index} (taken last)`,
      locals: { index, size },
    });
  }
}

/** ZEND_MM_CHECK_TREE(block): *block->parent must point back at block. */
function checkTree(heap: Zend5Heap, block: number): void {
  if (heap.read(heap.read(block + OFF_PARENT)) !== block) {
    throw new Zend5HeapCorrupted(`trie node 0x${block.toString(16)}: *parent does not point back`);
  }
}

/**
 * The subst_block part of zend_mm_remove_from_free_list: `repl` takes `mmBlock`'s place in
 * the trie (parent slot and both children).
 */
function substBlock(heap: Zend5Heap, mmBlock: number, repl: number): void {
  checkTree(heap, mmBlock);
  const parent = heap.read(mmBlock + OFF_PARENT);
  heap.write(parent, repl);
  heap.write(repl + OFF_PARENT, parent);
  const c0 = heap.read(mmBlock + OFF_CHILD0);
  heap.write(repl + OFF_CHILD0, c0);
  if (c0 !== 0) {
    checkTree(heap, c0);
    heap.write(c0 + OFF_PARENT, repl + OFF_CHILD0);
  }
  const c1 = heap.read(mmBlock + OFF_CHILD1);
  heap.write(repl + OFF_CHILD1, c1);
  if (c1 !== 0) {
    checkTree(heap, c1);
    heap.write(c1 + OFF_PARENT, repl + OFF_CHILD1);
  }
}

/**
 * zend_mm_remove_from_free_list(): unlinks a free block from whatever list holds it.
 * A lone trie node is replaced by its last descendant (down child[child[1] != NULL]) or
 * simply removed (clearing the bitmap bit if it was a root). A ring member is unlinked; a
 * small block then clears its bucket's free_bitmap bit when its ring neighbours coincide and
 * the bucket's two words are equal — which, for a block in the rest list, also fires while
 * the bucket still holds one block (the h12 quirk). A ring member that was a trie node is
 * replaced by its ring predecessor; 5.4+ uncounts a large rest-list entry.
 */
export function zendMmRemoveFromFreeList(heap: Zend5Heap, mmBlock: number): void {
  let prev = heap.read(mmBlock + OFF_PREV_FREE);
  const next = heap.read(mmBlock + OFF_NEXT_FREE);
  if (prev === mmBlock) {
    if (next !== mmBlock) {
      throw new Zend5HeapCorrupted('lone trie node with a broken ring');
    }
    let rp = mmBlock + (heap.read(mmBlock + OFF_CHILD1) !== 0 ? OFF_CHILD1 : OFF_CHILD0);
    prev = heap.read(rp);
    if (prev === 0) {
      const index = ZEND_MM_LARGE_BUCKET_INDEX(heap.rawSize(mmBlock));
      checkTree(heap, mmBlock);
      const parent = heap.read(mmBlock + OFF_PARENT);
      heap.write(parent, 0);
      if (parent === largeBucketSlot(heap.base, index)) {
        heap.largeFreeBitmap &= ~bit(index);
      }
      heap.sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_remove_from_free_list:leaf',
        note: `a childless trie node of large bucket ${index} is removed`,
        locals: { mm_block: mmBlock, index },
      });
    } else {
      for (;;) {
        const cp = prev + (heap.read(prev + OFF_CHILD1) !== 0 ? OFF_CHILD1 : OFF_CHILD0);
        const c = heap.read(cp);
        if (c === 0) {
          break;
        }
        prev = c;
        rp = cp;
      }
      heap.write(rp, 0);
      heap.sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_remove_from_free_list:replace_by_leaf',
        note: 'a trie node with children is replaced by its last descendant',
        locals: { mm_block: mmBlock, replacement: prev },
      });
      substBlock(heap, mmBlock, prev);
    }
    return;
  }
  if (heap.read(prev + OFF_NEXT_FREE) !== mmBlock || heap.read(next + OFF_PREV_FREE) !== mmBlock) {
    throw new Zend5HeapCorrupted('free list ring broken');
  }
  heap.write(prev + OFF_NEXT_FREE, next);
  heap.write(next + OFF_PREV_FREE, prev);
  const size = heap.rawSize(mmBlock);
  if (ZEND_MM_SMALL_SIZE(size)) {
    if (prev === next) {
      const index = ZEND_MM_BUCKET_INDEX(size);
      if (heap.read(freeBucketSlot(heap.base, index * 2)) === heap.read(freeBucketSlot(heap.base, index * 2 + 1))) {
        heap.freeBitmap &= ~bit(index);
      }
    }
    heap.sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_remove_from_free_list:unlink_small',
      note: `a ${size}-byte block is unlinked from its ring`,
      locals: { mm_block: mmBlock, size },
    });
    return;
  }
  const parent = heap.read(mmBlock + OFF_PARENT);
  if (heap.profile.maxRestBlocks !== null && parent === ZEND_MM_REST_BLOCK) {
    heap.restCount--;
  } else if (parent !== 0) {
    heap.sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_remove_from_free_list:replace_by_ring',
      note: 'a trie node is replaced by the previous block of its same-size ring',
      locals: { mm_block: mmBlock, replacement: prev },
    });
    substBlock(heap, mmBlock, prev);
    return;
  }
  heap.sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_remove_from_free_list:unlink_large',
    note: `a ${size}-byte block is unlinked from its ring`,
    locals: { mm_block: mmBlock, size },
  });
}
