// Plain-data dumps of simulated heaps for comparing two heaps in tests. PHP 7/8: counters, every
// bin's free list, the chunk ring with each chunk's runs, the cache and the huge list. PHP 5:
// counters, segments with their blocks, and every free list.

import type { Zend5Heap } from '../../../src/engine/zend5/heap';
import { cacheLists, freeBuckets, largeTries, restList, segmentBlocks, segments } from '../../../src/engine/zend5/inspect';
import type { ZendHeap } from '../../../src/engine/zend7/heap';
import { cachedChunks, chunkRuns, freeLists, ringChunks } from '../../../src/engine/zend7/inspect';

export function dumpHeap(heap: ZendHeap): unknown {
  const huge: [number, number][] = [];
  for (let n = heap.hugeList; n !== null; n = n.next) huge.push([n.ptr, n.size]);
  return {
    size: heap.size,
    peak: heap.peak,
    realSize: heap.realSize,
    realPeak: heap.realPeak,
    limit: heap.limitText(),
    chunksCount: heap.chunksCount,
    cachedChunksCount: heap.cachedChunksCount,
    avg: heap.avgChunksCount,
    freeLists: [...freeLists(heap)].map(([bin, l]) => [bin, l.addresses]),
    ring: ringChunks(heap).map((c) => ({ base: c.base, num: c.num, freePages: c.freePages, freeTail: c.freeTail, runs: chunkRuns(c) })),
    cache: cachedChunks(heap).map((c) => c.base),
    huge,
  };
}

/** Counters, segments with their blocks, and every free list of a PHP 5 heap. */
export function dump5(heap: Zend5Heap): unknown {
  return {
    counters: [heap.size, heap.peak, heap.realSize, heap.realPeak, heap.cached, heap.limit.toString()],
    segments: segments(heap).map((s) => [s.address, s.size, segmentBlocks(heap, s)]),
    cache: [...cacheLists(heap)],
    buckets: [...freeBuckets(heap)],
    tries: [...largeTries(heap)],
    rest: restList(heap),
  };
}
