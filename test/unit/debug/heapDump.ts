// A plain-data dump of a simulated heap for comparing two heaps in tests: counters, every
// bin's free list, the chunk ring with each chunk's runs, the cache and the huge list.

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
