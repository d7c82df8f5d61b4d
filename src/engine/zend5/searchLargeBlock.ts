// zend_mm_search_large_block(): best fit among the large free blocks.

import { OFF_CHILD0, OFF_CHILD1, OFF_NEXT_FREE, ZEND_MM_LARGE_BUCKET_INDEX, bitOf, zendMmLowBit } from './constants';
import type { Zend5Heap } from './heap';
import { largeBucketSlot } from './heapLayout';

/** child[child[0] != NULL] of a trie node: the "smallest block" walks of the C code. */
function smallestWalkStep(heap: Zend5Heap, p: number): number {
  return heap.read(p + (heap.read(p + OFF_CHILD0) !== 0 ? OFF_CHILD1 : OFF_CHILD0));
}

/**
 * zend_mm_search_large_block(heap, true_size): the block to use for `trueSize` bytes, or 0.
 * In the size's own trie it walks the path of the size's bits (an exact size returns at once),
 * keeping the best fit and the last right subtree passed on a 0 bit, then walks that subtree
 * by child[child[0] != NULL]. Failing that, the next non-empty trie above gives its smallest
 * block along the same kind of walk. The block returned is the chosen node's
 * next_free_block: another block of the same size when the node has a ring.
 */
export function zendMmSearchLargeBlock(heap: Zend5Heap, trueSize: number): number {
  const sink = heap.sink;
  let index = ZEND_MM_LARGE_BUCKET_INDEX(trueSize);
  let bitmap = heap.largeFreeBitmap >> BigInt(index);
  sink?.event({ kind: 'enter', func: 'zend_mm_search_large_block', locals: { true_size: trueSize, index } });
  const done = (ret: number, anchor: string, note: string): number => {
    sink?.event({ kind: 'stmt', anchor: `zend_mm_search_large_block:${anchor}`, note, locals: { best_fit: ret } });
    sink?.event({ kind: 'leave', func: 'zend_mm_search_large_block' });
    return ret;
  };
  if (bitmap === 0n) {
    return done(0, 'none', `no large free block in bucket ${index} or above`);
  }
  if ((bitmap & 1n) !== 0n) {
    let rst = 0;
    let bestSize = Infinity; // size_t -1
    let bestFit = 0;
    let p = heap.read(largeBucketSlot(heap.base, index));
    for (let d = 0; ; d++) {
      const sz = heap.rawSize(p);
      if (sz === trueSize) {
        return done(heap.read(p + OFF_NEXT_FREE), 'exact', `exact fit of ${trueSize} bytes in bucket ${index}`);
      } else if (sz >= trueSize && sz < bestSize) {
        bestSize = sz;
        bestFit = p;
      }
      if (bitOf(trueSize, index - 1 - d) === 0) {
        const c1 = heap.read(p + OFF_CHILD1);
        if (c1 !== 0) {
          rst = c1;
        }
        const c0 = heap.read(p + OFF_CHILD0);
        if (c0 !== 0) {
          p = c0;
        } else {
          break;
        }
      } else {
        const c1 = heap.read(p + OFF_CHILD1);
        if (c1 !== 0) {
          p = c1;
        } else {
          break;
        }
      }
    }
    for (let q = rst; q !== 0; q = smallestWalkStep(heap, q)) {
      const sz = heap.rawSize(q);
      if (sz === trueSize) {
        return done(heap.read(q + OFF_NEXT_FREE), 'exact_rst', `exact fit of ${trueSize} bytes in a right subtree`);
      } else if (sz > trueSize && sz < bestSize) {
        bestSize = sz;
        bestFit = q;
      }
    }
    if (bestFit !== 0) {
      return done(heap.read(bestFit + OFF_NEXT_FREE), 'best_fit', `best fit: ${bestSize} bytes in bucket ${index}`);
    }
    bitmap >>= 1n;
    if (bitmap === 0n) {
      return done(0, 'none', `nothing of ${trueSize} bytes or more in bucket ${index}, none above`);
    }
    index++;
  }
  const bucket = index + zendMmLowBit(bitmap);
  let bestFit = heap.read(largeBucketSlot(heap.base, bucket));
  for (let p = smallestWalkStep(heap, bestFit); p !== 0; p = smallestWalkStep(heap, p)) {
    if (heap.rawSize(p) < heap.rawSize(bestFit)) {
      bestFit = p;
    }
  }
  return done(heap.read(bestFit + OFF_NEXT_FREE), 'smallest_above', `smallest block found in bucket ${bucket}: ${heap.rawSize(bestFit)} bytes`);
}
