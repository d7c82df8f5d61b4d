// Structural invariants of a healthy PHP 7/8 heap, checked after every operation by the
// property tests. Returns the list of violations (empty = healthy).

import { BINS } from '../../../../src/engine/zend7/bins';
import {
  ZEND_MM_CHUNK_SIZE,
  ZEND_MM_FIRST_PAGE,
  ZEND_MM_HUGE_LIST_NODE_SIZE,
  ZEND_MM_NRUN,
  ZEND_MM_PAGES,
  ZEND_MM_PAGE_SIZE,
  ZEND_MM_SRUN_BIN_NUM,
  isLrunBit,
  isSrun,
} from '../../../../src/engine/zend7/constants';
import type { ZendHeap } from '../../../../src/engine/zend7/heap';
import { cachedChunks, chunkRuns, freeList, ringChunks } from '../../../../src/engine/zend7/inspect';

/** A live block as the test knows it: address and block size. */
export interface LiveBlock {
  address: number;
  blockSize: number;
}

export function checkInvariants(heap: ZendHeap, live: Iterable<LiveBlock>): string[] {
  const errors: string[] = [];
  const ring = ringChunks(heap);
  const cache = cachedChunks(heap);
  if (ring[ring.length - 1].next !== heap.mainChunk) errors.push('ring does not close at the main chunk');
  if (ring.length !== heap.chunksCount) errors.push(`chunks_count ${heap.chunksCount} != ring length ${ring.length}`);
  if (cache.length !== heap.cachedChunksCount) errors.push(`cached_chunks_count ${heap.cachedChunksCount} != cache length ${cache.length}`);
  for (const c of ring) {
    if (c.next?.prev !== c) errors.push(`chunk ${c.num}: next.prev is not the chunk`);
    if (!c.isPageUsed(0)) errors.push(`chunk ${c.num}: header page marked free`);
    let used = 0;
    for (let p = ZEND_MM_FIRST_PAGE; p < ZEND_MM_PAGES; p++) if (c.isPageUsed(p)) used++;
    if (c.freePages !== ZEND_MM_PAGES - ZEND_MM_FIRST_PAGE - used) errors.push(`chunk ${c.num}: free_pages ${c.freePages} but ${used} pages used`);
    for (const run of chunkRuns(c)) {
      if (run.kind === 'other') errors.push(`chunk ${c.num} page ${run.page}: used page with map 0x${run.map.toString(16)}`);
      if (run.kind === 'small') {
        for (let i = 1; i < BINS[run.bin].pages; i++) {
          if (c.map[run.page + i] !== ZEND_MM_NRUN(run.bin, i)) errors.push(`chunk ${c.num} page ${run.page + i}: not NRUN(${run.bin}, ${i})`);
          if (!c.isPageUsed(run.page + i)) errors.push(`chunk ${c.num} page ${run.page + i}: small-run page marked free`);
        }
      }
      if (run.kind === 'large') {
        for (let i = 0; i < run.pages; i++) if (!c.isPageUsed(run.page + i)) errors.push(`chunk ${c.num} page ${run.page + i}: large-run page marked free`);
      }
    }
  }
  // free lists: each slot inside a run of its bin, on a slot boundary, listed once
  const onFreeList = new Set<number>();
  for (let bin = 0; bin < BINS.length; bin++) {
    const { addresses, loops } = freeList(heap, bin);
    if (loops) errors.push(`bin ${bin}: free list loops`);
    for (const a of addresses) {
      if (onFreeList.has(a)) errors.push(`slot 0x${a.toString(16)} listed twice`);
      onFreeList.add(a);
      const offset = a % ZEND_MM_CHUNK_SIZE;
      const chunk = heap.chunksByBase.get(a - offset);
      if (!chunk || !ring.includes(chunk)) {
        errors.push(`bin ${bin}: slot 0x${a.toString(16)} outside the ring`);
        continue;
      }
      let page = Math.floor(offset / ZEND_MM_PAGE_SIZE);
      let info = chunk.map[page];
      if (isSrun(info) && isLrunBit(info)) {
        page -= (info >>> 16) & 0x1ff;
        info = chunk.map[page];
      }
      if (!isSrun(info) || ZEND_MM_SRUN_BIN_NUM(info) !== bin) {
        errors.push(`bin ${bin}: slot 0x${a.toString(16)} is not in a run of bin ${bin}`);
        continue;
      }
      const rel = offset - page * ZEND_MM_PAGE_SIZE;
      if (rel % BINS[bin].size !== 0 || rel / BINS[bin].size >= BINS[bin].elements) {
        errors.push(`bin ${bin}: slot 0x${a.toString(16)} is not on a slot boundary`);
      }
    }
  }
  // live blocks: disjoint, not on a free list, counted in size
  const blocks = [...live].sort((x, y) => x.address - y.address);
  let expectedSize = 0;
  for (let i = 0; i < blocks.length; i++) {
    expectedSize += blocks[i].blockSize;
    if (onFreeList.has(blocks[i].address)) errors.push(`live block 0x${blocks[i].address.toString(16)} is on a free list`);
    if (i > 0 && blocks[i - 1].address + blocks[i - 1].blockSize > blocks[i].address) {
      errors.push(`live blocks 0x${blocks[i - 1].address.toString(16)} and 0x${blocks[i].address.toString(16)} overlap`);
    }
  }
  let hugeBytes = 0;
  let hugeCount = 0;
  for (let n = heap.hugeList; n !== null; n = n.next) {
    hugeBytes += n.size;
    hugeCount++;
  }
  expectedSize += hugeCount * BINS[2].size;
  void ZEND_MM_HUGE_LIST_NODE_SIZE;
  if (heap.size !== expectedSize) errors.push(`size ${heap.size} != live blocks + huge nodes ${expectedSize}`);
  const expectedReal = (ring.length + cache.length) * ZEND_MM_CHUNK_SIZE + hugeBytes;
  if (heap.realSize !== expectedReal) errors.push(`real_size ${heap.realSize} != chunks + huge ${expectedReal}`);
  if (heap.peak < heap.size) errors.push('peak < size');
  if (heap.realPeak < heap.realSize) errors.push('real_peak < real_size');
  return errors;
}
